import SpearCore
import Foundation
import SpearDomains
@testable import SpearSender
import SpearMIME
import Testing

/// Every indicator with a message that shows it and one that must not.
@Suite("sender indicators")
struct SenderIndicatorTests {
    static let psl = PublicSuffixList(rules: "com\nnet\njp\nco.jp\nne.jp\ngo.jp\nexample\n")
    static var config: SenderConfig {
        var c = SenderConfig()
        c.protectedDomains = ["example.co.jp"]
        c.protectedNames = ["総務部", "Example Bank"]
        c.trustedAuthservIDs = ["mx.example.co.jp"]
        return c
    }

    func analyze(_ headers: String, config: SenderConfig = SenderIndicatorTests.config) -> SenderReport {
        let text = headers.replacingOccurrences(of: "\n", with: "\r\n") + "\r\nbody\r\n"
        return SenderAnalyzer(config: config, keys: .offline, dns: nil, psl: Self.psl).analyze(MIMEParser().parse(Array(text.utf8)))
    }

    func ids(_ r: SenderReport) -> Set<String> { Set(r.indicators.map(\.id)) }

    @Test("From and envelope in different organisations; the same organisation is fine")
    func envelope() {
        let bad = analyze("Return-Path: <x@mailer.example.net>\nFrom: 総務部 <soumu@example.co.jp>\n")
        #expect(ids(bad).contains("envelope_mismatch"))
        let good = analyze("Return-Path: <bounce@mail.example.co.jp>\nFrom: 総務部 <soumu@example.co.jp>\n")
        #expect(!ids(good).contains("envelope_mismatch"))
        #expect(good.spoofed == false)
    }

    @Test("mailing lists and email service providers explain a different envelope")
    func listsAndESP() {
        let list = analyze("Return-Path: <ml-bounces@lists.example.net>\nFrom: Taro <taro@example.co.jp>\nList-Id: <ml.lists.example.net>\nReply-To: ml@lists.example.net\n")
        #expect(ids(list).contains("envelope_mismatch_list"))
        #expect(!ids(list).contains("reply_to_mismatch"))
        #expect(list.spoofed != true)
        let esp = analyze("Return-Path: <b-123@bounce.esp.example>\nFrom: News <news@acme.example>\nList-Unsubscribe: <https://acme.example/u>\n")
        #expect(ids(esp).contains("envelope_mismatch_esp"))
        #expect(esp.spoofed != true)
    }

    @Test("Reply-To to free mail while From claims a company; a free-mail sender replying to itself is fine")
    func replyTo() {
        let bad = analyze("Return-Path: <soumu@example.co.jp>\nFrom: 総務部 <soumu@example.co.jp>\nReply-To: soumu.example@gmail.com\n")
        #expect(ids(bad).contains("reply_to_free_mail"))
        let own = analyze("Return-Path: <taro@gmail.com>\nFrom: Taro <taro@gmail.com>\nReply-To: taro@gmail.com\n")
        #expect(!ids(own).contains("reply_to_free_mail"))
        #expect(own.spoofed == false)
    }

    @Test("a display name holding another address; a protected name from outside")
    func displayName() {
        let shown = analyze("From: \"soumu@example.co.jp\" <x@mail.example.net>\nReturn-Path: <x@mail.example.net>\n")
        #expect(ids(shown).contains("display_name_address"))
        let named = analyze("From: Example Bank Security <alert@mail.example.net>\nReturn-Path: <alert@mail.example.net>\n")
        #expect(ids(named).contains("display_name_protected"))
        let same = analyze("From: \"taro@example.co.jp\" <taro@example.co.jp>\nReturn-Path: <taro@example.co.jp>\n")
        #expect(!ids(same).contains("display_name_address"))
    }

    @Test("a lookalike of a protected domain is spoofed")
    func lookalike() {
        let r = analyze("From: 総務部 <soumu@examp1e.co.jp>\nReturn-Path: <soumu@examp1e.co.jp>\n")
        #expect(ids(r).contains("lookalike_domain"))
        #expect(r.spoofed == true)
    }

    @Test("a trusted dmarc=fail on a mailing list weighs a quarter: lists break DKIM and SPF of honest posts")
    func dmarcFailOnList() {
        let headers = "Authentication-Results: mx.example.co.jp; dmarc=fail header.from=partner.example\nReceived: from lists.forum.example by mx.example.co.jp; Wed, 12 Jun 2019 10:31:07 +0900\nFrom: tanaka@partner.example\n"
        let direct = analyze(headers)
        let list = analyze(headers + "List-Id: <users.lists.forum.example>\n")
        #expect(direct.indicators.first { $0.id == "auth_dmarc_fail" }?.weight == 60)
        #expect(direct.spoofed == true)
        let onList = list.indicators.first { $0.id == "auth_dmarc_fail" }
        #expect(onList?.weight == 15)
        #expect(onList?.evidence.contains("a mailing list") == true)
        #expect(list.spoofed == false)
    }

    @Test("trusted dmarc=fail makes it spoofed; the same result from an untrusted header weighs less")
    func authResults() {
        let trusted = analyze("Authentication-Results: mx.example.co.jp; dmarc=fail header.from=example.co.jp\nReceived: from a.example by mx.example.co.jp; Wed, 12 Jun 2019 10:31:07 +0900\nFrom: soumu@example.co.jp\n")
        #expect(trusted.authResults.trusted)
        #expect(trusted.spoofed == true)
        var untrustedConfig = Self.config
        untrustedConfig.trustedAuthservIDs = []
        let untrusted = analyze("Authentication-Results: mx.example.co.jp; dmarc=fail header.from=example.co.jp\nFrom: soumu@example.co.jp\n", config: untrustedConfig)
        #expect(!untrusted.authResults.trusted)
        #expect(untrusted.score < trusted.score)
        #expect(untrusted.indicators.contains { $0.evidence.hasPrefix("untrusted") })
    }

    @Test("a forged 'pass' written below the entry hop does not count")
    func forgedPass() {
        let r = analyze("""
            Authentication-Results: mx.example.co.jp; dmarc=fail header.from=example.co.jp
            Received: from evil.example by mx.example.co.jp; Wed, 12 Jun 2019 10:31:07 +0900
            Authentication-Results: mx.example.co.jp; dmarc=pass header.from=example.co.jp
            From: soumu@example.co.jp
            """)
        #expect(r.authResults.dmarc == "fail")
        #expect(r.spoofed == true)
    }

    @Test("Message-ID minted elsewhere; Date far from the first trusted Received")
    func messageIDAndDate() {
        let r = analyze("""
            Received: from out.example.co.jp by mx.example.co.jp; Wed, 12 Jun 2019 10:31:07 +0900
            From: soumu@example.co.jp
            Return-Path: <soumu@example.co.jp>
            Message-ID: <123@unrelated.example.net>
            Date: Mon, 1 Jan 2018 00:00:00 +0900
            """)
        #expect(ids(r).contains("message_id_mismatch"))
        #expect(ids(r).contains("date_skew"))
    }

    @Test("with nothing to go on, the verdict is null")
    func undetermined() {
        let r = analyze("From: someone@acme.example\nSubject: hi\n")
        #expect(r.spoofed == nil)
    }
}

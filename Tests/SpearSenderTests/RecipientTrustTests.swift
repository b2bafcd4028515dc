import SpearCore
import Foundation
import SpearDomains
@testable import SpearSender
import SpearMIME
import Testing

/// Sender scoring with no configuration at all: the recipients' organisations are protected, their border MX's
/// Authentication-Results count by position, and the display name is judged apart from the domain.
@Suite("sender scoring without configuration")
struct RecipientTrustTests {
    static let psl = PublicSuffixList(rules: "com\nnet\norg\njp\nco.jp\nne.jp\nac.jp\ngo.jp\ntest\n")

    func analyze(_ headers: String, config: SenderConfig = SenderConfig()) -> SenderReport {
        let text = headers.replacingOccurrences(of: "\n", with: "\r\n") + "\r\nbody\r\n"
        return SenderAnalyzer(config: config, keys: .offline, dns: nil, psl: Self.psl).analyze(MIMEParser().parse(Array(text.utf8)))
    }

    func ids(_ r: SenderReport) -> Set<String> { Set(r.indicators.map(\.id)) }

    // MARK: - Authentication-Results by position

    /// 翼大学's border: the mailbox hop over LMTP, then the MX's result, then the MX's Received from the Internet.
    static let top = """
        Received: from mx.tsubasa-u.ac.jp (mx.tsubasa-u.ac.jp [192.0.2.71]) by mbox.tsubasa-u.ac.jp with LMTP for <k-ito@tsubasa-u.ac.jp>; Wed, 9 Oct 2019 09:00:05 +0900
        """

    static func entry(_ client: String = "mail.sender.test (mail.sender.test [203.0.113.9])") -> String {
        "Received: from \(client) by mx.tsubasa-u.ac.jp with ESMTPS for <k-ito@tsubasa-u.ac.jp>; Wed, 9 Oct 2019 09:00:03 +0900"
    }

    @Test("a To listing eight other domains cannot push the real recipient's organisation out of the protected set")
    func receivingSideComesFirst() {
        let others = (1...8).map { "u\($0)@org\($0).test" }.joined(separator: ", ")
        let r = analyze("""
            \(Self.top)
            \(Self.entry())
            From: 人事課 <jinji@tsubasa-u-ac-jp.net>
            To: \(others), k-ito@tsubasa-u.ac.jp
            Subject: 給与明細
            """)
        #expect(ids(r).contains("lookalike_recipient_domain"), "\(r.indicators.map(\.id))")
    }

    @Test("a qmail-style hop with the client's address bare in a comment is the border, whatever PTR the sender chose")
    func qmailClientAddress() {
        // The sender set its PTR inside the recipient's organisation; the address in the comment is public.
        let qmail = "Received: from relay.tsubasa-u.ac.jp (HELO relay.tsubasa-u.ac.jp) (198.51.100.7) by mx.tsubasa-u.ac.jp with SMTP; Wed, 9 Oct 2019 09:00:03 +0900"
        let forged = "Authentication-Results: mx.tsubasa-u.ac.jp; dmarc=pass header.from=tsubasa-u.ac.jp"
        let r = analyze("""
            \(Self.top)
            \(qmail)
            \(forged)
            \(Self.entry())
            From: 学務課 <gakumu@tsubasa-u.ac.jp>
            To: k-ito@tsubasa-u.ac.jp
            Subject: 手続き
            """)
        #expect(r.authResults.headers.allSatisfy { !$0.trusted }, "\(r.authResults.headers.map(\.trusted))")
    }

    @Test("a result of the recipient's border MX above its own Received is trusted without configuration")
    func genuineAbove() {
        let r = analyze("""
            \(Self.top)
            Authentication-Results: mx.tsubasa-u.ac.jp; spf=fail smtp.mailfrom=tsubasa-u.ac.jp; dmarc=fail header.from=tsubasa-u.ac.jp
            \(Self.entry())
            From: gakumu@tsubasa-u.ac.jp
            To: k-ito@tsubasa-u.ac.jp
            """)
        let header = r.authResults.headers.first
        #expect(header?.trusted == true)
        #expect(header?.trustBasis == "recipient_border")
        #expect(r.indicators.first { $0.id == "auth_dmarc_fail" }?.weight == 60)
        #expect(r.spoofed == true)
        #expect(r.domain.spoofed == true)
    }

    @Test("a forged result with the recipient's authserv-id below the entry hop is only carried")
    func forgedBelow() {
        let r = analyze("""
            \(Self.top)
            \(Self.entry())
            Authentication-Results: mx.tsubasa-u.ac.jp; spf=pass smtp.mailfrom=partner.test; dkim=pass header.d=partner.test; dmarc=pass header.from=partner.test
            Received: from localhost by vps.hosting.test; Wed, 9 Oct 2019 09:00:00 +0900
            Return-Path: <x@vps.hosting.test>
            Reply-To: partner.sales@gmail.com
            From: sales@partner.test
            To: k-ito@tsubasa-u.ac.jp
            Message-ID: <1@vps.hosting.test>
            """)
        #expect(r.authResults.headers.map(\.trusted) == [false])
        #expect(!r.authResults.trusted)
        #expect(r.indicators.first { $0.id == "auth_dmarc_pass" }?.weight == 0)
        #expect(r.domain.score == 35, "\(r.indicators)")  // envelope (30) and first hop (5), nothing offset
        #expect(r.spoofed == true)
    }

    @Test("a forged result directly below the entry hop (where some milters write) is not trusted by position")
    func milterPosition() {
        let headers = """
            \(Self.top)
            \(Self.entry())
            Authentication-Results: mx.tsubasa-u.ac.jp; dmarc=pass header.from=partner.test
            From: sales@partner.test
            To: k-ito@tsubasa-u.ac.jp
            """
        #expect(analyze(headers).authResults.headers.map(\.trusted) == [false])
        // Configuring the authserv-id is the way to accept that position (and the configured rule allows it).
        var config = SenderConfig()
        config.trustedAuthservIDs = ["mx.tsubasa-u.ac.jp"]
        config.trustedRelays = ["mbox.tsubasa-u.ac.jp"]
        #expect(analyze(headers, config: config).authResults.headers.first?.trustBasis == "configured")
    }

    @Test("results of other organisations and ARC-Authentication-Results are never trusted by position")
    func otherOrganisationsAndARC() {
        let r = analyze("""
            \(Self.top)
            Authentication-Results: mx.other-univ.ac.jp; dmarc=pass header.from=partner.test
            ARC-Authentication-Results: i=1; mx.tsubasa-u.ac.jp; dmarc=pass header.from=partner.test
            ARC-Authentication-Results: i=1; forward.relay.test; dmarc=pass header.from=partner.test
            \(Self.entry())
            From: sales@partner.test
            To: k-ito@tsubasa-u.ac.jp
            """)
        #expect(r.authResults.headers.count == 3)
        #expect(r.authResults.headers.allSatisfy { !$0.trusted })
    }

    @Test("several hops inside the organisation keep the boundary at the Internet-facing host")
    func severalHops() {
        let chain = """
            Received: from filter.tsubasa-u.ac.jp (filter.tsubasa-u.ac.jp [10.20.0.5]) by mbox.tsubasa-u.ac.jp with LMTP; Thu, 10 Oct 2019 09:00:06 +0900
            Authentication-Results: filter.tsubasa-u.ac.jp; dmarc=fail header.from=partner.test
            Received: from mx1.tsubasa-u.ac.jp (mx1 [10.20.0.2]) by filter.tsubasa-u.ac.jp with ESMTP; Thu, 10 Oct 2019 09:00:04 +0900
            Received: from mail.partner.test (unknown [203.0.113.71]) by mx1.tsubasa-u.ac.jp with ESMTPS; Thu, 10 Oct 2019 09:00:03 +0900
            Authentication-Results: filter.tsubasa-u.ac.jp; dmarc=pass header.from=partner.test
            Received: from mail.partner.test (mail.partner.test [198.51.100.71]) by mx1.tsubasa-u.ac.jp; Thu, 10 Oct 2019 09:00:01 +0900
            From: sales@partner.test
            To: k-ito@tsubasa-u.ac.jp
            """
        let r = analyze(chain)
        #expect(r.authResults.headers.map(\.trusted) == [true, false])
        #expect(r.authResults.dmarc == "fail")
        #expect(r.spoofed == true)
        let border = r.authResults.headers.first
        #expect(border?.authservID == "filter.tsubasa-u.ac.jp")
    }

    @Test("a client's HELO naming the organisation, or an unconfirmed reverse name, does not make it internal")
    func clientClaims() {
        for client in ["mx.tsubasa-u.ac.jp ([203.0.113.5])", "mx.tsubasa-u.ac.jp (mx.tsubasa-u.ac.jp [203.0.113.5] (may be forged))",
                       "mx.tsubasa-u.ac.jp (unknown [203.0.113.5])"] {
            let r = analyze("""
                \(Self.top)
                \(Self.entry(client))
                Authentication-Results: mx.tsubasa-u.ac.jp; dmarc=pass header.from=tsubasa-u.ac.jp
                Received: from x (unknown [203.0.113.6]) by mx.tsubasa-u.ac.jp; Wed, 9 Oct 2019 09:00:00 +0900
                From: gakumu@tsubasa-u.ac.jp
                To: k-ito@tsubasa-u.ac.jp
                """)
            #expect(r.authResults.headers.map(\.trusted) == [false], "\(client)")
        }
    }

    @Test("nothing is trusted by position when the top of the header is not the recipient organisation's")
    func foreignTop() {
        let r = analyze("""
            Received: from mx.tsubasa-u.ac.jp (mx.tsubasa-u.ac.jp [192.0.2.71]) by mx.mailhost.test; Wed, 9 Oct 2019 09:00:09 +0900
            Authentication-Results: mx.tsubasa-u.ac.jp; dmarc=pass header.from=partner.test
            \(Self.entry())
            From: sales@partner.test
            To: k-ito@tsubasa-u.ac.jp
            """)
        #expect(r.authResults.headers.map(\.trusted) == [false])
        // A recipient the sender added (Cc) does not open trust either: the top is still written by its owner.
        let cc = analyze("""
            \(Self.top)
            \(Self.entry())
            Authentication-Results: mx.evil.test; dmarc=pass header.from=partner.test
            Received: from a (a [203.0.113.7]) by mx.evil.test; Wed, 9 Oct 2019 09:00:00 +0900
            From: sales@partner.test
            To: k-ito@tsubasa-u.ac.jp
            Cc: x@evil.test
            """)
        #expect(cc.authResults.headers.map(\.trusted) == [false])
    }

    @Test("the entry hop found by position is the first trusted hop (date skew, first external hop)")
    func entryHop() {
        let r = analyze("""
            \(Self.top)
            \(Self.entry())
            From: sales@partner.test
            To: k-ito@tsubasa-u.ac.jp
            Date: Mon, 1 Jan 2018 00:00:00 +0900
            """)
        let skew = r.indicators.first { $0.id == "date_skew" }
        #expect(skew?.evidence.contains("2019-10-09T09:00:03") == true, "\(r.indicators)")
        #expect(r.indicators.first { $0.id == "first_hop_unrelated" }?.evidence.contains("mail.sender.test") == true)
    }

    // MARK: - Display names

    static let freeMailPass = """
        \(top)
        Authentication-Results: mx.tsubasa-u.ac.jp; spf=pass smtp.mailfrom=docomo.ne.jp; dkim=pass header.d=docomo.ne.jp; dmarc=pass header.from=docomo.ne.jp
        \(entry("mfsmax.docomo.test (mfsmax.docomo.test [198.51.100.91])"))
        Return-Path: <joho.desk@docomo.ne.jp>
        To: k-ito@tsubasa-u.ac.jp
        """

    @Test("a display name holding another organisation's address is spoofing; the free-mail DMARC pass does not cancel it")
    func displayNameAddress() throws {
        let r = analyze(Self.freeMailPass + "\nFrom: \"info@mofa.go.jp (外務省)\" <joho.desk@docomo.ne.jp>")
        let indicator = try #require(r.indicators.first { $0.id == "display_name_address" })
        #expect(indicator.axis == .name && indicator.weight == 40)
        #expect(indicator.evidence.contains("info@mofa.go.jp"))
        #expect(r.domain.spoofed == false)
        #expect(r.name.spoofed == true)
        #expect(r.spoofed == true)
        #expect(r.indicators.first { $0.id == "auth_dmarc_pass" }?.weight == -40)
    }

    @Test("encoded words and full-width ＠ in the name", arguments: [
        "=?UTF-8?B?5aSW5YuZ55yBIGluZm9AbW9mYS5nby5qcA==?= <joho.desk@docomo.ne.jp>",  // 外務省 info@mofa.go.jp
        "=?UTF-8?B?5aSW5YuZ55yBIGluZm/vvKBtb2ZhLmdvLmpw?= <joho.desk@docomo.ne.jp>",  // 外務省 info＠mofa.go.jp
    ])
    func encodedNames(from: String) {
        let r = analyze(Self.freeMailPass + "\nFrom: " + from)
        #expect(r.indicators.first { $0.id == "display_name_address" }?.evidence.contains("info@mofa.go.jp") == true, "\(r.indicators)")
        #expect(r.spoofed == true)
    }

    @Test("honest names: a person at free mail, the address itself, another address of the same organisation")
    func honestNames() {
        for from in ["\"山田 太郎\" <joho.desk@docomo.ne.jp>", "\"joho.desk@docomo.ne.jp\" <joho.desk@docomo.ne.jp>",
                     "\"JOHO.desk@docomo.ne.jp\" <joho.desk@docomo.ne.jp>"] {
            let r = analyze(Self.freeMailPass + "\nFrom: " + from)
            #expect(!r.indicators.contains { $0.axis == .name && $0.weight > 0 }, "\(from): \(r.indicators)")
            #expect(r.spoofed == false, "\(from)")
        }
        let sameOrg = analyze("From: \"tanaka@sales.partner.test\" <tanaka@partner.test>\nReturn-Path: <tanaka@partner.test>\nTo: k-ito@tsubasa-u.ac.jp\n")
        #expect(!ids(sameOrg).contains("display_name_address"))
    }

    @Test("another account of the same free-mail provider is another person")
    func otherFreeMailAccount() {
        let r = analyze("From: \"yamada.taro@gmail.com\" <yamada.tar0@gmail.com>\nReturn-Path: <yamada.tar0@gmail.com>\nTo: k-ito@tsubasa-u.ac.jp\n")
        #expect(r.indicators.first { $0.id == "display_name_address" }?.evidence.contains("another account") == true)
        #expect(r.spoofed == true)
    }

    @Test("a list that rewrote From, and a notification service naming who acted, weigh little")
    func listsAndServices() {
        let list = analyze("""
            From: "'tanaka@partner.test' via study-ml" <study-ml@groups.circle.test>
            Return-Path: <study-ml+bnc@groups.circle.test>
            List-Id: <study-ml.groups.circle.test>
            To: study-ml@groups.circle.test
            """)
        #expect(list.indicators.first { $0.id == "display_name_address_list" }?.weight == 5)
        #expect(list.spoofed != true)
        let service = analyze("""
            \(Self.top)
            Authentication-Results: mx.tsubasa-u.ac.jp; spf=pass smtp.mailfrom=notify.filebox.test; dmarc=pass header.from=notify.filebox.test
            \(Self.entry())
            From: "k.sato@minato-shoji.co.jp via FileBox" <no-reply@notify.filebox.test>
            Return-Path: <bounces@notify.filebox.test>
            To: k-ito@tsubasa-u.ac.jp
            """)
        #expect(service.indicators.first { $0.id == "display_name_address_service" }?.weight == 15)
        #expect(service.spoofed == false)
        // The same name from a no-reply address that did not authenticate is the plain indicator.
        let unauthenticated = analyze("From: \"k.sato@minato-shoji.co.jp via FileBox\" <no-reply@notify.filebox.test>\nTo: k-ito@tsubasa-u.ac.jp\n")
        #expect(ids(unauthenticated).contains("display_name_address"))
    }

    // MARK: - Lookalikes of the recipients' organisations

    @Test("lookalikes of the recipient's organisation", arguments: [
        ("rninato-shoji.co.jp", "minato-shoji.co.jp", "rn_m"), ("minat0-shoji.co.jp", "minato-shoji.co.jp", "digit_letter"),
        ("minnato-shoji.co.jp", "minato-shoji.co.jp", "edit_distance"), ("minato-shoj.jp", "minato-shoji.co.jp", "edit_distance"),
        ("tsubasa-u-ac-jp.net", "tsubasa-u.ac.jp", "hyphen"), ("minato-shoji.jp", "minato-shoji.co.jp", "tld_swap"),
        ("xn--minat-shoji-vnj.co.jp", "minato-shoji.co.jp", "homoglyph"),
    ])
    func recipientLookalikes(candidate: String, recipient: String, technique: String) throws {
        let r = analyze("From: 経理部 <keiri@\(candidate)>\nReturn-Path: <keiri@\(candidate)>\nTo: staff@\(recipient)\n")
        let indicator = try #require(r.indicators.first { $0.id == "lookalike_recipient_domain" }, "\(r.indicators)")
        #expect(indicator.evidence.contains("(\(technique))"), "\(indicator.evidence)")
        #expect(indicator.weight == 50 && indicator.axis == .name)
        #expect(r.spoofed == true)
    }

    @Test("the same name under another top-level domain is a hint: unrelated organisations share names across TLDs")
    func acrossTLDs() throws {
        let r = analyze("From: sales@minato-shoji.com\nReturn-Path: <sales@minato-shoji.com>\nTo: staff@minato-shoji.co.jp\n")
        let indicator = try #require(r.indicators.first { $0.id == "lookalike_recipient_domain" })
        #expect(indicator.weight == 15)
        #expect(r.spoofed != true)
        let withReplyTo = analyze("From: sales@minato-shoji.com\nReturn-Path: <sales@minato-shoji.com>\nReply-To: m.sales@gmail.com\nTo: staff@minato-shoji.co.jp\n")
        #expect(withReplyTo.spoofed == true)
    }

    @Test("Delivered-To, X-Original-To and the topmost Received's for clause name the recipient too")
    func deliveryHeaders() {
        for header in ["Delivered-To: h-kimura@minato-shoji.co.jp", "X-Original-To: h-kimura@minato-shoji.co.jp",
                       "Received: from a by mbox.minato-shoji.co.jp with LMTP for <h-kimura@minato-shoji.co.jp>; Wed, 9 Oct 2019 09:00:05 +0900"] {
            let r = analyze("\(header)\nFrom: keiri@rninato-shoji.co.jp\nTo: undisclosed-recipients:;\n")
            #expect(ids(r).contains("lookalike_recipient_domain"), "\(header)")
        }
    }

    @Test("internal mail, a subdomain, a distinct organisation and free mail are not lookalikes of the recipient")
    func notLookalikes() {
        for from in ["soumu@minato-shoji.co.jp", "seminar@bio.minato-shoji.co.jp", "sales@minato-sangyo.co.jp", "taro@gmail.com"] {
            let r = analyze("From: \(from)\nReturn-Path: <\(from)>\nTo: staff@minato-shoji.co.jp\n")
            #expect(!ids(r).contains("lookalike_recipient_domain"), "\(from): \(r.indicators)")
        }
        // A recipient at a well-known brand is protected by the built-in list, and its sister domain is not read
        // as a lookalike of it.
        let brand = analyze("From: x@google.com\nReturn-Path: <x@google.com>\nTo: y@google.co.jp\n")
        #expect(!ids(brand).contains("lookalike_recipient_domain") && !ids(brand).contains("lookalike_domain"))
    }

    @Test("a sister domain the recipient's organisation signs for is its own")
    func vouched() throws {
        let r = analyze("""
            Received: from mx.minato-shoji.co.jp (mx.minato-shoji.co.jp [192.0.2.61]) by mbox.minato-shoji.co.jp with LMTP; Tue, 8 Oct 2019 13:00:05 +0900
            Authentication-Results: mx.minato-shoji.co.jp; spf=pass smtp.mailfrom=minato-shoji.jp; dkim=pass header.d=minato-shoji.co.jp; dmarc=pass header.from=minato-shoji.jp
            Received: from mail.minato-shoji.jp (mail.minato-shoji.jp [198.51.100.67]) by mx.minato-shoji.co.jp; Tue, 8 Oct 2019 13:00:03 +0900
            From: recruit@minato-shoji.jp
            Return-Path: <recruit@minato-shoji.jp>
            To: h-kimura@minato-shoji.co.jp
            """)
        let indicator = try #require(r.indicators.first { $0.id == "lookalike_vouched" })
        #expect(indicator.weight == 0)
        #expect(indicator.evidence.contains("dkim=pass header.d=minato-shoji.co.jp"))
        #expect(r.spoofed == false)
    }

    @Test("a Reply-To to free mail plus a lookalike From")
    func replyToAndLookalike() {
        let r = analyze("From: keiri@minato-shoji.jp\nReturn-Path: <keiri@minato-shoji.jp>\nReply-To: minato.keiri@gmail.com\nTo: staff@minato-shoji.co.jp\n")
        #expect(ids(r).isSuperset(of: ["lookalike_recipient_domain", "reply_to_free_mail"]))
        #expect(r.name.score == 85)
        #expect(r.spoofed == true)
    }

    // MARK: - Recipients and JSON

    @Test("recipient domains from address lists: quoted names, comments and groups skipped")
    func recipientScan() {
        var out: [String] = []
        RecipientDomains.scan(Array("\"a@name.test\" <b@Minato-Shoji.co.jp>, (c@comment.test) d@tsubasa-u.ac.jp., team: e@x.test;, f@nodot".utf8), into: &out)
        #expect(out == ["minato-shoji.co.jp", "tsubasa-u.ac.jp", "x.test"])
    }

    @Test("JSON: the two scores and each indicator's axis")
    func json() throws {
        let r = analyze(Self.freeMailPass + "\nFrom: \"info@mofa.go.jp\" <joho.desk@docomo.ne.jp>")
        let data = try JSONEncoder().encode(r)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let domain = try #require(object["domain"] as? [String: Any])
        let name = try #require(object["name"] as? [String: Any])
        #expect(domain["spoofed"] as? Bool == false && domain["score"] as? Int == 0)
        #expect(name["spoofed"] as? Bool == true && name["score"] as? Int == 40)
        #expect(object["spoofed"] as? Bool == true && object["score"] as? Int == 40)
        let indicators = try #require(object["indicators"] as? [[String: Any]])
        #expect(indicators.contains { $0["id"] as? String == "display_name_address" && $0["axis"] as? String == "name" })
        let headers = try #require((object["auth_results"] as? [String: Any])?["headers"] as? [[String: Any]])
        #expect(headers.first?["trust_basis"] as? String == "recipient_border")
    }
}

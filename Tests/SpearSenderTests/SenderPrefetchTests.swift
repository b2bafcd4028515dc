import Foundation
import SpearCore
import SpearDNS
import SpearMIME
@testable import SpearSender
import Testing
import TestSupport

/// What the sender analysis asks ahead (issue #15): from the header alone, the records its checks will look up,
/// so that with a batch's lead they are answered before the message is scored — and the score is the same.
@Suite("Sender: DNS records asked ahead from the header")
struct SenderPrefetchTests {
    static let message = """
        Return-Path: <news@pre.test>
        Received: from mail.pre.test (mail.pre.test [192.0.2.55])
        \tby mx.recipient.example (Postfix) with ESMTPS id 1; Tue, 1 Dec 2026 10:00:00 +0900
        DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=pre.test; s=sel;
        \th=from:to:subject; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=; b=AAAA
        From: News <news@pre.test>
        To: <a@recipient.example>
        Subject: hello
        Date: Tue, 1 Dec 2026 10:00:00 +0900
        Message-ID: <1@pre.test>

        body

        """.replacingOccurrences(of: "\n", with: "\r\n")

    static let records = [
        "--local=/pre.test/", "--txt-record=sel._domainkey.pre.test,v=DKIM1; k=rsa; p=AAAA",
        "--txt-record=_dmarc.pre.test,v=DMARC1; p=reject",
        "--txt-record=pre.test,v=spf1 include:inc.pre.test mx a:host.pre.test ?all",
        "--txt-record=inc.pre.test,v=spf1 ip4:203.0.113.0/24 -all",
        "--mx-host=pre.test,mail.pre.test,10", "--host-record=mail.pre.test,198.51.100.7", "--host-record=host.pre.test,198.51.100.8",
    ]

    private func names(_ requests: [DNSPrefetch]) -> [String] { requests.map { "\($0.name) \($0.type)" } }

    @Test("the DKIM key, the From organisation's DMARC policy, the Return-Path domain's SPF record")
    func fromTheHeader() {
        let headers = MIMEParser().parse(Array(Self.message.utf8)).headers
        #expect(names(SenderPrefetch.dkim(headers)) == ["sel._domainkey.pre.test \(DNSRecordType.txt)"])
        #expect(names(SenderPrefetch.policies(headers, psl: nil)) == ["_dmarc.pre.test \(DNSRecordType.txt)", "pre.test \(DNSRecordType.txt)"])
    }

    @Test("without a Return-Path: smtp.mailfrom of Authentication-Results and the HELO name; nothing for an internal client")
    func withoutReturnPath() {
        let text = """
            Authentication-Results: mx.recipient.example; spf=pass smtp.mailfrom=bounce@lists.pre.test; dkim=none
            Received: from relay.pre.test (relay.pre.test [192.0.2.9]) by mx.recipient.example; Tue, 1 Dec 2026 10:00:00 +0900
            From: <news@pre.test>

            x
            """
        let headers = MIMEParser().parse(Array(text.utf8)).headers
        #expect(names(SenderPrefetch.policies(headers, psl: nil)).dropFirst() == ["lists.pre.test \(DNSRecordType.txt)", "relay.pre.test \(DNSRecordType.txt)"])
        let privateHop = MIMEParser().parse(Array(text.replacingOccurrences(of: "192.0.2.9", with: "10.1.2.3").utf8)).headers
        #expect(names(SenderPrefetch.policies(privateHop, psl: nil)) == ["_dmarc.pre.test \(DNSRecordType.txt)"], "no SPF without an Internet client")
    }

    @Test("asked ahead, the analysis finds every record it needs in the cache, and scores as without",
          .enabled(if: DNSMasqServer.available, "needs /usr/sbin/dnsmasq (apt-get install dnsmasq-base); skipped"))
    func analysisNeedsNothingMore() throws {
        let server = try DNSMasqServer(records: Self.records)
        let message = MIMEParser().parse(Array(Self.message.utf8))
        let ahead = DNSCache(resolver: server.resolver())
        let analyzer = SenderAnalyzer(keys: .dns(ahead), dns: ahead, psl: nil)
        #expect(analyzer.asksAhead)
        analyzer.prefetch(message.headers)
        // key, DMARC, SPF of pre.test, then its include, its mx exchange list and its a: host, then the exchange's A.
        let start = Date()
        while ahead.prefetchStats.prefetched < 7, Date().timeIntervalSince(start) < 2 { usleep(2_000) }
        #expect(ahead.prefetchStats.prefetched == 7)
        let report = analyzer.analyze(message)
        #expect(ahead.lookups == 7, "the analysis sent no query of its own")
        #expect(report.spf?.result == .neutral, "\(String(describing: report.spf))")
        let plain = DNSCache(resolver: server.resolver())
        let without = SenderAnalyzer(keys: .dns(plain), dns: plain, psl: nil).analyze(message)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        #expect(try encoder.encode(report) == encoder.encode(without))
        #expect(!SenderAnalyzer(keys: .offline, dns: nil, psl: nil).asksAhead, "offline asks nothing")
    }

    @Test("SPF results are remembered per run by client, sender, HELO and domain: a macro on the local part still tells two senders apart",
          .enabled(if: DNSMasqServer.available, "needs /usr/sbin/dnsmasq (apt-get install dnsmasq-base); skipped"))
    func spfMemoKeepsSendersApart() throws {
        let server = try DNSMasqServer(records: [
            "--local=/memo.test/", "--txt-record=memo.test,v=spf1 exists:%{l}.user.memo.test -all",
            "--host-record=alice.user.memo.test,127.0.0.2",
        ])
        func message(_ local: String) -> MIMEMessage {
            MIMEParser().parse(Array("""
                Return-Path: <\(local)@memo.test>\r
                Received: from relay.memo.test (relay.memo.test [192.0.2.77]) by mx.recipient.example; Tue, 1 Dec 2026 10:00:00 +0900\r
                From: <\(local)@memo.test>\r
                \r
                x\r

                """.utf8))
        }
        let cache = DNSCache(resolver: server.resolver())
        let analyzer = SenderAnalyzer(keys: .dns(cache), dns: cache, psl: nil)
        #expect(analyzer.analyze(message("alice")).spf?.result == .pass)
        #expect(analyzer.analyze(message("bob")).spf?.result == .fail)
        #expect(analyzer.analyze(message("alice")).spf?.result == .pass)
        #expect(analyzer.spfResults.cached(SenderAnalyzer.SPFKey(ip: "192.0.2.77", sender: "bob@memo.test", helo: "relay.memo.test", domain: "memo.test"))?.result == .fail)

        // A temporary error is not remembered: the same message is evaluated again once DNS answers.
        let closed = DNSCache(resolver: DNSResolver(servers: ["127.0.0.1:1"], timeout: 0.2, attempts: 1))
        let failing = SenderAnalyzer(keys: .dns(closed), dns: closed, psl: nil)
        #expect(failing.analyze(message("carol")).spf?.result == .temperror)
        #expect(failing.spfResults.cached(SenderAnalyzer.SPFKey(ip: "192.0.2.77", sender: "carol@memo.test", helo: "relay.memo.test", domain: "memo.test")) == nil)
    }
}

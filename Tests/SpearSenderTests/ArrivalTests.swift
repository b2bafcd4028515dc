import SpearCore
import SpearDNS
import SpearMIME
@testable import SpearSender
import TestSupport
import Testing

/// The sender analysis of a message as it arrives (the milter): SPF with the client, HELO and envelope the MTA saw,
/// DMARC computed from spearscan's own DKIM and SPF (RFC 7489: alignment modes, the organisational fallback and its
/// `sp=`), and what each weighs — against a real dnsmasq.
@Suite("Sender analysis at arrival: SPF and DMARC", .enabled(if: DNSMasqServer.available))
struct ArrivalTests {
    let server: DNSMasqServer
    let analyzer: SenderAnalyzer

    init() throws {
        server = try DNSMasqServer(records: [
            "--local=/good.example/", "--local=/strict.example/", "--local=/relaxed.example/", "--local=/plain.example/",
            "--txt-record=good.example,v=spf1 ip4:203.0.113.0/24 -all",
            "--txt-record=_dmarc.good.example,v=DMARC1; p=reject; sp=none",
            "--txt-record=bounce.strict.example,v=spf1 ip4:203.0.113.0/24 -all",
            "--txt-record=_dmarc.strict.example,v=DMARC1; p=quarantine; aspf=s",
            "--txt-record=bounce.relaxed.example,v=spf1 ip4:203.0.113.0/24 -all",
            "--txt-record=_dmarc.relaxed.example,v=DMARC1; p=quarantine",
            "--txt-record=monitor.example,v=spf1 -all",
            "--local=/ten.example/", "--local=/nop.example/",
            "--txt-record=_dmarc.multi.good.example,v=DMARC1; p=reject",
            "--txt-record=_dmarc.multi.good.example,v=DMARC1; p=quarantine",
            "--txt-record=_dmarc.ten.example,v=DMARC10; p=reject",
            "--txt-record=_dmarc.nop.example,v=DMARC1; rua=mailto:d@nop.example",
            "--txt-record=_dmarc.monitor.example,v=DMARC1; p=none",
        ])
        let cache = DNSCache(resolver: server.resolver())
        analyzer = SenderAnalyzer(keys: .offline, dns: cache)
    }

    static func message(from: String, received: String? = nil) -> MIMEMessage {
        let lines = (received.map { ["Received: \($0)"] } ?? []) + [
            "From: \(from)", "To: user@example.jp", "Subject: report", "Date: Mon, 07 Dec 2026 09:00:00 +0900",
            "Message-ID: <1@\(from.split(separator: "@").last ?? "x")>", "", "text", "",
        ]
        return MIMEParser().parse(Array(lines.joined(separator: "\r\n").utf8))
    }

    func analyze(_ message: MIMEMessage, _ arrival: Arrival?) -> SenderReport {
        analyzer.analyze(message, parsed: nil, arrival: arrival)
    }

    @Test func passAtArrivalAligned() {
        let report = analyze(Self.message(from: "info@good.example"),
                             Arrival(clientAddress: "203.0.113.9", helo: "mail.good.example", mailFrom: "info@good.example"))
        #expect(report.spf?.result == .pass && report.spf?.atArrival == true && report.spf?.evaluatedNow == false)
        #expect(report.spf?.helo == "mail.good.example" && report.spf?.identity == "mailfrom")
        #expect(report.dmarc == DMARCResult(result: .pass, fromDomain: "good.example", policy: "reject", dkimAligned: false,
                                            spfAligned: true, atArrival: true))
        #expect(report.spoofed != true)
        #expect(report.clientAddress == "203.0.113.9")
    }

    @Test("a client the domain's SPF does not list, under p=reject: spf_fail and dmarc_fail, spoofed")
    func spoofedAtArrival() {
        let report = analyze(Self.message(from: "alert@good.example"),
                             Arrival(clientAddress: "192.0.2.66", helo: "evil.test", mailFrom: "alert@good.example"))
        #expect(report.spf?.result == .fail)
        #expect(report.dmarc?.result == .fail && report.dmarc?.policy == "reject")
        let ids = report.indicators.map(\.id)
        #expect(ids.contains("spf_fail") && ids.contains("dmarc_fail") && !ids.contains("spf_fail_now"))
        #expect(report.spoofed == true, "\(report.indicators)")
        // The same message from a spool: no client known, so neither SPF nor DMARC can say anything.
        let fromSpool = analyze(Self.message(from: "alert@good.example"), nil)
        #expect(fromSpool.spf == nil && fromSpool.dmarc?.result == .fail && fromSpool.dmarc?.atArrival == false)
        #expect(!fromSpool.indicators.map(\.id).contains("dmarc_fail"))
        #expect(fromSpool.spoofed != true)
    }

    @Test("an internal client (a relay in front) leaves SPF to the Received headers; an authenticated one to nobody")
    func internalAndAuthenticated() {
        let message = Self.message(from: "alert@good.example",
                                   received: "from evil.test (evil.test [192.0.2.66]) by relay.example.jp; Mon, 07 Dec 2026 09:00:00 +0900")
        let relayed = analyze(message, Arrival(clientAddress: "10.0.0.5", helo: "relay.example.jp", mailFrom: "alert@good.example"))
        #expect(relayed.spf?.ip == "192.0.2.66" && relayed.spf?.atArrival == false && relayed.spf?.result == .fail)
        #expect(relayed.indicators.map(\.id).contains("spf_fail_now"))
        let submitted = analyze(message, Arrival(clientAddress: "192.0.2.66", helo: "laptop", mailFrom: "alert@good.example", authenticated: true))
        #expect(submitted.spf == nil && submitted.clientAddress == nil)
    }

    @Test("aspf=s needs the envelope domain to equal From's; relaxed takes the same organisation")
    func alignmentModes() {
        let strict = analyze(Self.message(from: "info@strict.example"),
                             Arrival(clientAddress: "203.0.113.9", helo: "mx.strict.example", mailFrom: "b@bounce.strict.example"))
        #expect(strict.spf?.result == .pass && strict.dmarc?.result == .fail && strict.dmarc?.spfAligned == false)
        let relaxed = analyze(Self.message(from: "info@relaxed.example"),
                              Arrival(clientAddress: "203.0.113.9", helo: "mx.relaxed.example", mailFrom: "b@bounce.relaxed.example"))
        #expect(relaxed.dmarc?.result == .pass && relaxed.dmarc?.spfAligned == true)
    }

    @Test("a subdomain without a record takes its organisation's sp=; p=none weighs little; no record is none")
    func policies() {
        let sub = analyze(Self.message(from: "info@news.good.example"),
                          Arrival(clientAddress: "192.0.2.66", helo: "evil.test", mailFrom: "info@news.good.example"))
        #expect(sub.dmarc?.result == .fail && sub.dmarc?.policy == "none")
        #expect(sub.indicators.first { $0.id == "dmarc_fail" }?.weight == 10)
        let monitor = analyze(Self.message(from: "info@monitor.example"),
                              Arrival(clientAddress: "192.0.2.66", helo: "evil.test", mailFrom: ""))
        // A null sender: SPF checks the HELO name (none here), DMARC has no aligned pass.
        #expect(monitor.spf == nil || monitor.spf?.identity == "helo")
        #expect(monitor.dmarc?.result == .fail && monitor.dmarc?.policy == "none")
        let unpublished = analyze(Self.message(from: "info@plain.example"), nil)
        #expect(unpublished.dmarc?.result == DMARCResult.Code.none && unpublished.dmarc?.policy == nil)
    }

    @Test("discovery as RFC 7489 §6.6.3 says: two records stop it, v=DMARC10 is no record, no valid p= with rua= is p=none")
    func discovery() {
        let spoof = Arrival(clientAddress: "192.0.2.66", helo: "evil.test", mailFrom: "x@evil.test")
        // Not the organisation's sp=none: two records at the From domain end discovery there.
        #expect(analyze(Self.message(from: "info@multi.good.example"), spoof).dmarc?.result == DMARCResult.Code.none)
        #expect(analyze(Self.message(from: "info@ten.example"), spoof).dmarc?.result == DMARCResult.Code.none)
        let nop = analyze(Self.message(from: "info@nop.example"), spoof).dmarc
        #expect(nop?.result == .fail && nop?.policy == "none")
    }
}

import TestSupport
import Foundation
import Testing

/// `spearscan scan --dns-server` against a real dnsmasq on 127.0.0.1: DKIM keys, the DMARC policy and SPF all
/// come through the resolver, end to end; a dead server gives temperror, never a crash.
@Suite("Sender over DNS (dnsmasq)", .enabled(if: DNSMasqServer.available))
struct DNSCLITests {
    static let fixtures = CLI.samples.deletingLastPathComponent().appendingPathComponent("Tests/Fixtures")
    static func dkim(_ name: String) -> String { fixtures.appendingPathComponent("dkim/" + name).path }

    /// `--txt-record` options for every line of keys.txt (dnsmasq splits values over 255 bytes into
    /// 255-byte strings itself), plus DMARC and SPF records for the fixtures' domains.
    static func records() throws -> [String] {
        let keys = try String(contentsOf: fixtures.appendingPathComponent("dkim/keys.txt"), encoding: .utf8)
        var out = ["--local=/example.com/", "--local=/example.net/"]
        for line in keys.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.firstIndex(of: " ") else { continue }
            let value = line[line.index(after: space)...]
            #expect(!value.contains(","), "a comma would split the TXT value in dnsmasq")
            out.append("--txt-record=\(line[..<space]),\(value)")
        }
        out += [
            "--txt-record=_dmarc.example.com,v=DMARC1; p=quarantine; rua=mailto:d@example.com",
            "--txt-record=example.com,v=spf1 ip4:192.0.2.0/24 -all",
            "--txt-record=news.example.net,v=spf1 include:_spf.esp.example.net ~all",
            "--txt-record=_spf.esp.example.net,v=spf1 ip4:198.51.100.0/24 -all",
        ]
        return out
    }

    static let signed = ["rsa2048-relaxed.eml", "rsa2048-simple.eml", "rsa1024-relaxed.eml", "ed25519-relaxed.eml",
                         "dual-signed.eml", "oversigned.eml", "with-l-tag.eml", "multipart-signed.eml",
                         "newsletter-signed.eml", "relaxed-whitespace-changed.eml", "added-from-not-oversigned.eml"]
    static let tampered = ["tampered-body.eml", "tampered-from.eml", "tampered-added-from.eml",
                           "simple-whitespace-changed.eml", "wrong-key.eml"]

    func reports(_ result: CLI.Result) throws -> [[String: Any]] {
        try result.lines.map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not JSON: \(line.prefix(200))")
        }
    }

    func dkimResults(_ report: [String: Any]) -> [String] {
        (report.object("sender")?.objects("dkim") ?? []).compactMap { $0["result"] as? String }
    }

    @Test("signed fixtures pass and tampered ones fail with keys from DNS; DMARC policy looked up")
    func dkimThroughDNS() throws {
        let dns = try DNSMasqServer(records: try Self.records())
        let files = Self.signed + Self.tampered
        let result = try CLI.run(["scan", "--format", "json", "--dns-server", dns.server] + files.map(Self.dkim))
        #expect(result.status == 0 || result.status == 1, "\(result.err)")
        let all = try reports(result)
        try #require(all.count == files.count, "\(result.out.prefix(500)) \(result.err)")
        for (file, report) in zip(files, all) {
            let results = dkimResults(report)
            #expect(!results.isEmpty, "\(file)")
            if Self.tampered.contains(file) {
                #expect(results.allSatisfy { $0 == "fail" }, "\(file): \(results)")
            } else {
                #expect(results.allSatisfy { $0 == "pass" }, "\(file): \(results)")
            }
        }
        // The rsa1024 key size comes back from DNS like from the key file.
        let k1024 = all[Self.signed.firstIndex(of: "rsa1024-relaxed.eml")!].object("sender")?.objects("dkim").first
        #expect(k1024?["key_bits"] as? Int == 1024)
        // DMARC policy of example.com, from _dmarc.example.com through the same server.
        let first = try #require(all.first?.object("sender")?.object("auth_results"))
        #expect(first.string("dmarc_policy") == "quarantine")
        // news.example.net publishes no DMARC record: null, not an error.
        let news = all[Self.signed.firstIndex(of: "newsletter-signed.eml")!].object("sender")?.object("auth_results")
        #expect(news?["dmarc_policy"] is NSNull)
    }

    @Test("batch: keys, DMARC and SPF asked ahead, the same verdicts as scan one by one, and the summary says so")
    func batchAsksAhead() throws {
        let dns = try DNSMasqServer(records: try Self.records())
        let scratch = try Scratch()
        defer { scratch.remove() }
        let spool = scratch.path + "/spool"
        try FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: true)
        let files = Self.signed + Self.tampered
        for (k, file) in files.enumerated() {
            try FileManager.default.copyItem(atPath: Self.dkim(file), toPath: spool + String(format: "/%02d.eml", k))
        }
        try Self.received(ip: "192.0.2.25", mailFrom: "bounce@example.com")
            .write(toFile: spool + "/90.eml", atomically: false, encoding: .utf8)
        try Self.received(ip: "203.0.113.9", mailFrom: "bounce@news.example.net")
            .write(toFile: spool + "/91.eml", atomically: false, encoding: .utf8)
        let batch = try CLI.run(["batch", "--format", "jsonl", "--no-db", "--jobs", "2", "--dns-server", dns.server, spool])
        #expect(batch.status == 0 || batch.status == 1, "\(batch.err)")
        let lines = try reports(batch)
        try #require(lines.count == files.count + 2, "\(batch.err)")
        let line = try #require(batch.err.split(separator: "\n").first { $0.hasPrefix("dns: ") && $0.contains("asked ahead") }, "\(batch.err)")
        let numbers = line.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        try #require(numbers.count >= 2, "\(line)")
        #expect(numbers[1] > 0 && numbers[1] <= numbers[0], "\(line)")
        // Each message's sender section is what `scan` gives it alone, without asking ahead.
        let paths = (try FileManager.default.contentsOfDirectory(atPath: spool)).sorted().map { spool + "/" + $0 }
        let singles = try reports(try CLI.run(["scan", "--format", "json", "--dns-server", dns.server] + paths))
        try #require(singles.count == lines.count)
        func sender(_ r: [String: Any]) throws -> Data {
            try JSONSerialization.data(withJSONObject: r.object("sender") ?? [:], options: [.sortedKeys])
        }
        let bySource = Dictionary(uniqueKeysWithValues: try lines.map { ($0["source"] as? String ?? "", try sender($0)) })
        for single in singles {
            let source = single["source"] as? String ?? ""
            #expect(bySource[source] == (try sender(single)), "\(source)")
        }
        let spf = try #require(lines.first { ($0["source"] as? String)?.hasSuffix("91.eml") == true }?.object("sender")?.object("spf"))
        #expect(spf.string("result") == "softfail", "the include of news.example.net does not list it: ~all (\(spf))")
    }

    @Test("a selector without a record is a permerror naming the missing key")
    func missingSelector() throws {
        let dns = try DNSMasqServer(records: try Self.records())
        let scratch = try Scratch()
        defer { scratch.remove() }
        let original = try String(contentsOfFile: Self.dkim("rsa2048-relaxed.eml"), encoding: .utf8)
        let path = try scratch.write("missing.eml", original.replacingOccurrences(of: "s=rsa2048;", with: "s=gone;"))
        let report = try CLI.run(["scan", "--format", "json", "--dns-server", dns.server, path]).json()
        let sig = try #require(report.object("sender")?.objects("dkim").first)
        #expect(sig.string("result") == "permerror")
        #expect(sig.string("reason")?.contains("gone._domainkey.example.com") == true, "\(sig)")
    }

    @Test("a dead DNS server: temperror for the key, no DMARC policy, no SPF verdict, no crash")
    func deadServer() throws {
        let port = try #require(DNSMasqServer.freePort())  // nothing listens there: ICMP port unreachable
        let result = try CLI.run(["scan", "--format", "json", "--dns-server", "127.0.0.1:\(port)", Self.dkim("rsa2048-relaxed.eml")],
                                 timeout: 60)
        #expect(result.status == 0 || result.status == 1, "\(result.err)")
        let sender = try #require(try result.json().object("sender"))
        let sig = try #require(sender.objects("dkim").first)
        #expect(sig.string("result") == "temperror")
        #expect(sig.string("reason")?.contains("DNS lookup of rsa2048._domainkey.example.com failed") == true, "\(sig)")
        #expect(sender.object("auth_results")?["dmarc_policy"] is NSNull)
    }

    /// A message that entered through mx.recipient.example from `ip`, envelope sender `mailFrom`.
    static func received(ip: String, mailFrom: String) -> String {
        crlf([
            "Return-Path: <\(mailFrom)>",
            "Received: from out.example.com (out.example.com [\(ip)]) by mx.recipient.example with ESMTPS id 1; Tue, 3 Sep 2019 10:00:05 +0900",
            "From: Example Sender <sender@example.com>",
            "To: t-yamada@example.co.jp",
            "Subject: SPF",
            "Date: Tue, 3 Sep 2019 10:00:00 +0900",
            "Message-ID: <spf-test@example.com>",
            "",
            "Hello",
            "",
        ])
    }

    @Test("SPF evaluated now: pass from a listed address, fail (with an indicator) from another, null offline")
    func spf() throws {
        let dns = try DNSMasqServer(records: try Self.records())
        let scratch = try Scratch()
        defer { scratch.remove() }
        let good = try scratch.write("good.eml", Self.received(ip: "192.0.2.25", mailFrom: "bounce@example.com"))
        let bad = try scratch.write("bad.eml", Self.received(ip: "203.0.113.9", mailFrom: "bounce@example.com"))
        let all = try reports(try CLI.run(["scan", "--format", "json", "--dns-server", dns.server, good, bad]))
        try #require(all.count == 2)
        let pass = try #require(all[0].object("sender")?.object("spf"))
        #expect(pass.string("result") == "pass")
        #expect(pass.string("domain") == "example.com")
        #expect(pass.string("ip") == "192.0.2.25")
        #expect(pass["evaluated_now"] as? Bool == true)
        #expect(!(all[0].object("sender")?.objects("indicators").contains { $0["id"] as? String == "spf_fail_now" } ?? true))
        let fail = try #require(all[1].object("sender")?.object("spf"))
        #expect(fail.string("result") == "fail")
        let indicator = try #require(all[1].object("sender")?.objects("indicators").first { $0["id"] as? String == "spf_fail_now" })
        #expect((indicator["evidence"] as? String)?.contains("older DNS") == true)

        // An internal delivery hop above the MX: its private client address is skipped for the Internet one.
        let lines = Self.received(ip: "203.0.113.9", mailFrom: "bounce@example.com").components(separatedBy: "\r\n")
        let twoHops = try scratch.write("two-hops.eml", crlf([lines[0],
            "Received: from mx.recipient.example (mx.recipient.example [10.0.0.5]) by mbox.recipient.example with LMTP id 2; Tue, 3 Sep 2019 10:00:06 +0900"]
            + lines.dropFirst()))
        let entry = try #require(try CLI.run(["scan", "--format", "json", "--dns-server", dns.server, twoHops]).json()
            .object("sender")?.object("spf"))
        #expect(entry.string("ip") == "203.0.113.9")
        #expect(entry.string("result") == "fail")

        let offline = try CLI.run(["scan", "--format", "json", "--offline", bad]).json()
        #expect(offline.object("sender")?["spf"] is NSNull)
    }
}

/// A resolver that never answers (a UDP socket that reads nothing): the batch notices it once and says so, and
/// stops paying a timeout per lookup.
@Suite("CLI: a silent resolver is noticed once")
struct SilentResolverCLITests {
    @Test("batch with a silent --dns-server: a dns line in the summary, every message stored", .timeLimit(.minutes(3)))
    func silentResolver() throws {
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        holder.arguments = ["-c", "import socket,time; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1], flush=True); time.sleep(120)"]
        let output = Pipe()
        holder.standardOutput = output
        try holder.run()
        defer { kill(holder.processIdentifier, SIGKILL); holder.waitUntilExit() }
        var text = ""
        while !text.contains("\n") { text += String(decoding: output.fileHandleForReading.availableData, as: UTF8.self) }
        let port = try #require(Int(text.trimmingCharacters(in: .whitespacesAndNewlines)))
        let scratch = try Scratch()
        defer { scratch.remove() }
        // Samples/ and 300 messages from 300 domains: more than the batch asks ahead for before the first
        // lookups time out, so some are never sent.
        let spool = scratch.path + "/spool"
        try FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: true)
        for k in 0..<300 {
            let message = "Return-Path: <news@d\(k).example>\nReceived: from mx.d\(k).example (mx.d\(k).example [198.51.100.\(k % 250 + 1)])\n"
                + "\tby mx.recipient.example; Tue, 1 Dec 2026 10:00:00 +0900\nFrom: <news@d\(k).example>\nTo: <a@recipient.example>\n"
                + "Subject: notice \(k)\nMessage-ID: <\(k)@d\(k).example>\nDate: Tue, 1 Dec 2026 10:00:00 +0900\n\nHello \(k)\n"
            try message.write(toFile: spool + "/\(k).eml", atomically: false, encoding: .utf8)
        }
        let db = scratch.path + "/s.db"
        let batch = try CLI.run(["batch", "--dns-server", "127.0.0.1:\(port)", "--jobs", "1", "--store-json", "--db", db, CLI.samples.path, spool],
                                timeout: 150)
        #expect(batch.out.contains("dns: DNS unavailable: 3 lookups in a row timed out"), "\(batch.out) \(batch.err)")
        #expect(!batch.out.contains("; 0 lookups not sent"), "\(batch.out)")
        // Only the files of Samples/ that are not mail failed; every message was stored.
        #expect(try sqlite3(db, "SELECT count(*) FROM failures WHERE reason NOT LIKE 'not an email message%'") == "0")
        #expect(Int(try sqlite3(db, "SELECT count(*) FROM messages")) ?? 0 >= 310)
        // The messages' own evidence says why: those asked ahead and timed out after the outage was noticed,
        // and those never sent. Only the few whose timeouts noticed it say "timeout".
        let unavailable = Int(try sqlite3(db, "SELECT count(*) FROM messages WHERE report_json LIKE '%DNS unavailable%'")) ?? 0
        #expect(unavailable >= 290, "\(unavailable) messages say DNS unavailable")
    }
}

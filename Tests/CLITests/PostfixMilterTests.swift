import Foundation
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// `spearscan milter` behind a real Postfix (`PostfixServer`: Debian's postfix in a temporary directory, delivering
/// to a Maildir), mail sent over SMTP by Python's smtplib (`Milter/smtp.py`, XCLIENT giving each message the client
/// address and HELO a real MX would see): the headers of delivered mail, SPF/DKIM/DMARC at arrival in spearscan's
/// Authentication-Results, a forged one removed, a lure refused with the policy's SMTP reply, the store's rows, and
/// Postfix's own milter timeouts when spearscan stalls.
@Suite(.serialized, .enabled(if: PostfixServer.available && DNSMasqServer.available,
                             Comment(rawValue: PostfixServer.unavailable + ", and dnsmasq")))
struct PostfixMilterTests {
    static let sender = MilterCLITests.root.appendingPathComponent("Tests/CLITests/Milter/smtp.py").path
    static let fixtures = MilterCLITests.root.appendingPathComponent("Tests/Fixtures").path

    struct Reply: Equatable {
        var stage: String
        var code: Int
        var text: String
    }

    /// One message to send: the file, and the client, HELO and envelope it arrives with.
    struct Send {
        var file: String
        var client = "203.0.113.9"
        var helo = "mail.good.example"
        var mailFrom: String
        var recipients = ["user@example.jp"]
    }

    static func send(_ messages: [Send], port: UInt16, scratch: Scratch) throws -> [Reply] {
        let plan: [String: Any] = ["port": Int(port), "messages": messages.map {
            ["file": $0.file, "client": $0.client, "helo": $0.helo, "mail_from": $0.mailFrom, "rcpt": $0.recipients] as [String: Any]
        }]
        let path = scratch.path + "/plan-\(UUID().uuidString).json"
        try JSONSerialization.data(withJSONObject: plan).write(to: URL(fileURLWithPath: path))
        let (status, out) = try MilterCLITests.exec("/usr/bin/python3", [sender, path])
        #expect(status == 0, "smtp.py failed: \(out.prefix(400))")
        let list = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [[String: Any]], "smtp.py said: \(out.prefix(400))")
        return list.map { Reply(stage: $0["stage"] as? String ?? "", code: $0["code"] as? Int ?? 0, text: $0["text"] as? String ?? "") }
    }

    /// A delivered message's header fields, unfolded, in order.
    static func headers(_ message: [UInt8]) -> [(name: String, value: String)] {
        let text = String(decoding: message, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
        let block = text.components(separatedBy: "\n\n").first ?? ""
        var fields: [(name: String, value: String)] = []
        for line in block.split(separator: "\n", omittingEmptySubsequences: false) {
            if let first = line.first, first == " " || first == "\t", !fields.isEmpty {
                fields[fields.count - 1].value += " " + line.trimmingCharacters(in: .whitespaces)
            } else if let colon = line.firstIndex(of: ":") {
                fields.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
            }
        }
        return fields
    }

    static func value(_ fields: [(name: String, value: String)], _ name: String) -> String? {
        fields.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// Delivered messages' header fields by their Subject.
    static func bySubject(_ delivered: [[UInt8]]) -> [String: [(name: String, value: String)]] {
        Dictionary(delivered.map { m in let fields = headers(m); return (value(fields, "subject") ?? "", fields) }, uniquingKeysWith: { a, _ in a })
    }

    /// A file as an internal relay passes it on: from loopback (no XCLIENT, so SPF is not asked of it), the envelope
    /// sender the file's Return-Path names (the null sender without one).
    static func relayed(_ file: String) throws -> Send {
        let fields = headers([UInt8](try Data(contentsOf: URL(fileURLWithPath: file))))
        let returnPath = value(fields, "return-path")?.trimmingCharacters(in: CharacterSet(charactersIn: " <>"))
        return Send(file: file, client: "", helo: "", mailFrom: returnPath ?? "")
    }

    /// A small message from `from`, its envelope sender the same address.
    static func message(from: String, subject: String, extraHeaders: [String] = [], in scratch: Scratch) throws -> String {
        let text = (["From: \(from)", "To: user@example.jp", "Subject: \(subject)", "Date: Mon, 07 Dec 2026 09:00:00 +0900",
                     "Message-ID: <\(UUID().uuidString)@\(from.split(separator: "@").last ?? "x")>", "MIME-Version: 1.0",
                     "Content-Type: text/plain; charset=us-ascii"] + extraHeaders + ["", "Please see the attached report.", ""])
            .joined(separator: "\r\n")
        return try scratch.write("\(subject).eml", Array(text.utf8))
    }

    @Test("through Postfix: SPF, DKIM and DMARC at arrival in spearscan's Authentication-Results, a forged one deleted, a lure refused by the policy with its SMTP reply, every message stored",
          .timeLimit(.minutes(4)))
    func arrivals() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let dns = try DNSMasqServer(records: [
            "--txt-record=good.example,v=spf1 ip4:203.0.113.0/24 -all",
            "--txt-record=_dmarc.good.example,v=DMARC1; p=reject",
            "--txt-record=bank.example,v=spf1 ip4:198.51.100.7 -all",
            "--txt-record=_dmarc.bank.example,v=DMARC1; p=quarantine",
            "--txt-record=bounce.news.example.net,v=spf1 ip4:198.51.100.60 -all",
            "--txt-record=_dmarc.news.example.net,v=DMARC1; p=none",
        ])
        let policy = try scratch.write("policy.yaml", Array("""
            rules:
              - finding: script_in_archive
                action: reject
                reply: "550 5.7.1 Refused by spearscan: a script inside an archive"
            """.utf8))
        let db = scratch.path + "/arrivals.db"
        let milter = try MilterCLITests.start(["--dns-server", dns.server, "--dkim-keys", Self.fixtures + "/dkim/keys.txt",
                                               "--policy", policy, "--db", db], offline: false, in: scratch)
        let postfix = try PostfixServer(milter: "inet:127.0.0.1:\(milter.port)")
        defer { postfix.stop() }

        let good = try Self.message(from: "info@good.example", subject: "good", extraHeaders: [
            // Two claim spearscan's authserv-id (Postfix's host name, macro j), one behind a comment and quoted:
            // forgeries it must delete; the other authserv-id's stays.
            "Authentication-Results: mx.spearscan.test; spf=pass smtp.mailfrom=good.example; dmarc=pass header.from=good.example",
            "Authentication-Results: other.example; spf=none",
            "Authentication-Results: (checked) \"mx.spearscan.test\"; dkim=pass header.d=good.example",
        ], in: scratch)
        let spoofed = try Self.message(from: "Bank Security <alert@bank.example>", subject: "spoofed", in: scratch)
        let replies = try Self.send([
            Send(file: good, mailFrom: "info@good.example"),
            Send(file: spoofed, client: "192.0.2.66", helo: "evil.test", mailFrom: "alert@bank.example"),
            Send(file: CLI.sample("newsletter-dkim.eml"), client: "198.51.100.60", helo: "mail.news.example.net",
                 mailFrom: "bounce-0001@bounce.news.example.net"),
            Send(file: CLI.sample("zip-with-script.eml"), mailFrom: "keiri@billing.example"),
        ], port: postfix.smtpPort, scratch: scratch)
        #expect(replies.map(\.code) == [250, 250, 250, 550], "\(replies)")
        #expect(replies[3].text.contains("5.7.1 Refused by spearscan: a script inside an archive"), "\(replies[3])")

        let delivered = postfix.waitForDelivery(3)
        #expect(delivered.count == 3, "\(postfix.log.suffix(1500))")
        let bySubject = Self.bySubject(delivered)

        let goodHeaders = try #require(bySubject["good"], "\(bySubject.keys)")
        let goodAR = goodHeaders.filter { $0.name.lowercased() == "authentication-results" }.map(\.value)
        // spearscan's at the top (above the Received Postfix added; only the delivery agent's Return-Path and
        // Delivered-To lines come before it), the forged ones gone, the other authserv-id's left alone.
        let names = goodHeaders.map { $0.name.lowercased() }
        let ours = try #require(names.firstIndex(of: "authentication-results"))
        #expect(ours < (names.firstIndex(of: "received") ?? -1), "\(names)")
        #expect(Set(names[..<ours]).isSubset(of: ["return-path", "x-original-to", "delivered-to"]), "\(names)")
        #expect(goodAR.count == 2, "\(goodAR)")
        #expect(goodAR.first == "mx.spearscan.test; dkim=none; spf=pass smtp.mailfrom=good.example; dmarc=pass (p=reject) header.from=good.example",
                "\(goodAR)")
        #expect(goodAR.last == "other.example; spf=none")
        #expect(Self.value(goodHeaders, "X-Spearscan-Status") == "clean")

        let spoofedHeaders = try #require(bySubject["spoofed"])
        #expect(Self.value(spoofedHeaders, "Authentication-Results")
                == "mx.spearscan.test; dkim=none; spf=fail smtp.mailfrom=bank.example; dmarc=fail (p=quarantine) header.from=bank.example")
        #expect(Self.value(spoofedHeaders, "X-Spearscan-Status") == "suspicious")
        #expect(Self.value(spoofedHeaders, "X-Spearscan-Reasons")?.contains("sender_spoofed") == true)

        let newsHeaders = try #require(bySubject.first { $0.key.contains("News") || $0.key.contains("news") }?.value, "\(bySubject.keys)")
        #expect(Self.value(newsHeaders, "Authentication-Results")?.hasPrefix(
            "mx.spearscan.test; dkim=pass header.d=news.example.net header.s=news header.a=rsa-sha256; spf=pass smtp.mailfrom=bounce.news.example.net; dmarc=pass (p=none)") == true,
                "\(newsHeaders)")
        #expect(Self.value(newsHeaders, "X-Spearscan-Status") == "clean")

        #expect(try milter.stop() == 0)
        // Every analysed message is stored, the refused lure too; SPF as evaluated at arrival.
        #expect(try sqlite3(db, "SELECT count(*) FROM messages") == "4", "\(milter.logText.suffix(1500))")
        #expect(try sqlite3(db, "SELECT status FROM messages ORDER BY status, subject") == "clean\nclean\nsuspicious\nsuspicious")
        #expect(try sqlite3(db, "SELECT count(*) FROM attachments") != "0")
        let log = milter.logText
        #expect(log.contains("action=reject") && log.contains("forged_auth_results=2") && log.contains("spf=fail"), "\(log.suffix(1500))")
    }

    @Test("through Postfix, every sample gets the verdict `spearscan scan` gives its file, in its headers and in the store",
          .timeLimit(.minutes(4)))
    func samples() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let db = scratch.path + "/samples.db"
        let milter = try MilterCLITests.start(["--db", db], in: scratch)
        let postfix = try PostfixServer(milter: "inet:127.0.0.1:\(milter.port)")
        defer { postfix.stop() }
        let files = try FileManager.default.contentsOfDirectory(atPath: CLI.samples.path).filter { $0.hasSuffix(".eml") }.sorted()
        var expected: [String: String] = [:]
        for file in files {
            let scan = try CLI.run(["scan", "--offline", "--format", "json", CLI.sample(file)])
            let status = try #require(try scan.json().object("verdict")?["status"] as? String)
            expected[file] = status
        }
        let sends = try files.map { try Self.relayed(CLI.sample($0)) }
        let replies = try Self.send(sends, port: postfix.smtpPort, scratch: scratch)
        #expect(replies.allSatisfy { $0.code == 250 }, "\(replies)")
        let delivered = postfix.waitForDelivery(files.count)
        #expect(delivered.count == files.count, "\(postfix.log.suffix(1500))")
        var seen: [String: String] = [:]
        for message in delivered {
            let fields = Self.headers(message)
            let id = Self.value(fields, "Message-ID") ?? ""
            let file = try #require(files.first { (try? String(contentsOfFile: CLI.sample($0), encoding: .utf8))?.contains(id) == true },
                                    "delivered message \(id) is none of the samples")
            seen[file] = Self.value(fields, "X-Spearscan-Status")
        }
        #expect(seen == expected)
        #expect(try milter.stop() == 0)
        #expect(try sqlite3(db, "SELECT count(*) FROM messages") == "\(files.count)")
        #expect(try sqlite3(db, "SELECT count(*) FROM messages WHERE status = 'suspicious'") == "\(expected.values.filter { $0 == "suspicious" }.count)")
    }

    @Test("a generated spool through Postfix: each message delivered with the verdict batch gives its file, and the milter's store holds batch's campaigns",
          .timeLimit(.minutes(6)))
    func generatedSpool() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let spool = scratch.path + "/spool"
        let made = try MilterCLITests.exec("/usr/bin/python3", [MilterCLITests.root.appendingPathComponent("Benchmarks/spool/make_spool.py").path,
                                                              "--count", "300", "--seed", "7", "--out", spool, "--formats", "eml"])
        #expect(made.status == 0, "make_spool.py: \(made.out)")
        let files = try FileManager.default.subpathsOfDirectory(atPath: spool + "/eml").filter { $0.hasSuffix(".eml") }.sorted()
            .map { spool + "/eml/" + $0 }
        #expect(files.count == 300)
        let batchDB = scratch.path + "/batch.db", milterDB = scratch.path + "/milter.db"
        // PPAP pairing reads an archive's message again, which an arriving message cannot be: off for both.
        let batch = try CLI.run(["batch", "--offline", "--no-learn", "--ppap-window", "0", "--db", batchDB, spool + "/eml"], timeout: 300)
        #expect(batch.status == 1, "\(batch.err)")

        let milter = try MilterCLITests.start(["--db", milterDB, "--no-learn"], in: scratch)
        let postfix = try PostfixServer(milter: "inet:127.0.0.1:\(milter.port)")
        defer { postfix.stop() }
        let sends = try files.map(Self.relayed)
        let replies = try Self.send(sends, port: postfix.smtpPort, scratch: scratch)
        #expect(replies.allSatisfy { $0.code == 250 }, "\(replies.filter { $0.code != 250 }.prefix(3))")
        let delivered = postfix.waitForDelivery(files.count, seconds: 120)
        #expect(delivered.count == files.count, "\(postfix.log.suffix(1500))")
        #expect(try milter.stop() == 0)

        // By Message-ID: the delivered header, the milter's store and the batch's store agree on every verdict.
        let batchStatus = try sqlite3(batchDB, "SELECT message_id || ' ' || status FROM messages ORDER BY message_id")
        #expect(try sqlite3(milterDB, "SELECT message_id || ' ' || status FROM messages ORDER BY message_id") == batchStatus)
        var headerStatus: [String] = []
        for message in delivered {
            let fields = Self.headers(message)
            let id = Self.value(fields, "Message-ID") ?? ""
            headerStatus.append("\(id) \(Self.value(fields, "X-Spearscan-Status") ?? "-")")
        }
        #expect(headerStatus.sorted().joined(separator: "\n") == batchStatus)
        #expect(batchStatus.contains(" suspicious") && batchStatus.contains(" clean"))
        // The same campaigns: the same messages grouped together, counted the same (recipients, domains).
        let campaigns = """
            SELECT c.messages || ' ' || c.distinct_recipients || ' ' || c.distinct_domains || ': ' || group_concat(m.message_id, ' ')
            FROM campaigns c JOIN messages m ON m.campaign_id = c.id WHERE c.messages > 1 GROUP BY c.id ORDER BY 1
            """
        let batchCampaigns = try sqlite3(batchDB, campaigns)
        #expect(!batchCampaigns.isEmpty)
        #expect(try sqlite3(milterDB, campaigns) == batchCampaigns)
    }

    @Test("a stalled spearscan: Postfix's milter timeouts let mail through unmarked, and marking resumes once it answers again",
          .timeLimit(.minutes(3)))
    func stalled() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let milter = try MilterCLITests.start([], in: scratch)
        let postfix = try PostfixServer(milter: "inet:127.0.0.1:\(milter.port)", settings: [
            "milter_connect_timeout": "2s", "milter_command_timeout": "2s", "milter_content_timeout": "3s",
        ])
        defer { postfix.stop() }
        let first = try Self.message(from: "info@good.example", subject: "while-stalled", in: scratch)
        let second = try Self.message(from: "info@good.example", subject: "after-resume", in: scratch)
        kill(milter.process.processIdentifier, SIGSTOP)
        let started = Date()
        let stalledReply = try Self.send([Send(file: first, mailFrom: "info@good.example")], port: postfix.smtpPort, scratch: scratch)
        let waited = Date().timeIntervalSince(started)
        kill(milter.process.processIdentifier, SIGCONT)
        #expect(stalledReply.map(\.code) == [250], "\(stalledReply)")
        #expect(waited < 30, "Postfix waited \(waited) s for a stalled milter")
        let resumed = try Self.send([Send(file: second, mailFrom: "info@good.example")], port: postfix.smtpPort, scratch: scratch)
        #expect(resumed.map(\.code) == [250], "\(resumed)")
        let delivered = postfix.waitForDelivery(2)
        #expect(delivered.count == 2, "\(postfix.log.suffix(1500))")
        let bySubject = Self.bySubject(delivered)
        #expect(bySubject["while-stalled"].map { Self.value($0, "X-Spearscan-Status") == nil } == true, "delivered unmarked")
        #expect(bySubject["after-resume"].flatMap { Self.value($0, "X-Spearscan-Status") } == "clean")
        let warnings = postfix.log.split(separator: "\n").filter { $0.contains("warning: milter") }
        #expect(!warnings.isEmpty, "\(postfix.log.suffix(1500))")
        #expect(warnings.contains { $0.contains("Connection timed out") }, "\(warnings)")
        #expect(try milter.stop() == 0)
    }
}

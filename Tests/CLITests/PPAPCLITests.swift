import Foundation
import Testing

/// PPAP through the command: `batch` opens the archive with the notice's password and says so; the period report
/// counts the pair's archive by what it holds and never counts the notice as an attack.
@Suite("CLI: PPAP pairs in the batch and the report")
struct PPAPCLITests {
    static let zip: [UInt8] = Array(try! Data(contentsOf: CLI.samples.deletingLastPathComponent()
        .appendingPathComponent("Tests/Fixtures/files/ppap.zip")))

    /// Both from a sender whose display name is another address (a spoof the headers show), to one recipient.
    static func messages() -> [String] {
        let head = { (id: String, subject: String, date: String) in
            "From: \"tanaka@partner.example.co.jp\" <tanaka@mailer.example.net>\r\nTo: sato@corp.example.co.jp\r\n"
                + "Subject: \(subject)\r\nDate: \(date)\r\nMessage-ID: <\(id)@test.example>\r\nMIME-Version: 1.0\r\n"
        }
        let archive = head("archive", "見積書送付の件", "Mon, 04 Mar 2019 10:00:00 +0900")
            + "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
            + "見積書を送付いたします。パスワードは別メールにてお送りします。\r\n--b\r\n"
            + "Content-Type: application/zip; name=\"mitsumori.zip\"\r\nContent-Disposition: attachment; filename=\"mitsumori.zip\"\r\n"
            + "Content-Transfer-Encoding: base64\r\n\r\n" + Data(zip).base64EncodedString(options: .lineLength76Characters) + "\r\n--b--\r\n"
        let notice = head("notice", "パスワードのお知らせ", "Mon, 04 Mar 2019 10:04:00 +0900")
            + "Content-Type: text/plain; charset=utf-8\r\n\r\n先ほどの見積書のパスワードです。\r\n\r\nパスワード：abc123\r\n"
        return [archive, notice]
    }

    @Test("batch opens the archive and says so; report counts the archive, not the notice")
    func batchAndReport() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        for sub in ["cur", "new", "tmp"] {
            try FileManager.default.createDirectory(atPath: scratch.path + "/Maildir/" + sub, withIntermediateDirectories: true)
        }
        for (k, m) in Self.messages().enumerated() { _ = try scratch.write("Maildir/cur/\(k):2,S", m) }
        let db = scratch.path + "/s.db"
        let batch = try CLI.run(["batch", "--db", db, scratch.path + "/Maildir"])
        #expect(batch.out.contains("ppap: 1 of 1 password-protected archives opened with the password from another message"), "\(batch.out)")
        let report = try CLI.run(["report", "--db", db, "--format", "json"]).json()
        let totals = try #require(report["totals"] as? [String: Any])
        // Both messages are spoofed; only the archive is counted as a targeted attack.
        #expect(totals["messages"] as? Int == 2)
        #expect(totals["targeted"] as? Int == 1, "\(totals)")
        #expect(totals["not_inspected_messages"] as? Int == 0)
        #expect(try sqlite3(db, "SELECT count(*) FROM messages WHERE targeted = 1") == "2")
    }

    @Test("one sender, 1,000 locked archives and 12 notices: each archive tries the 8 nearest notices, and the summary says the rest wait")
    func crowdedSender() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let (archive, notice) = (Self.messages()[0], Self.messages()[1])
        try FileManager.default.createDirectory(atPath: scratch.path + "/spool", withIntermediateDirectories: true)
        for k in 0..<1_000 {
            _ = try scratch.write("spool/a\(k).eml", archive.replacingOccurrences(of: "<archive@", with: "<archive\(k)@")
                .replacingOccurrences(of: "見積書を送付いたします。", with: "見積書\(k)を送付いたします。"))
        }
        for k in 0..<12 {
            _ = try scratch.write("spool/n\(k).eml", notice.replacingOccurrences(of: "<notice@", with: "<notice\(k)@")
                .replacingOccurrences(of: "abc123", with: "wrong\(k)pw"))
        }
        let db = scratch.path + "/s.db"
        let batch = try CLI.run(["batch", "--db", db, scratch.path + "/spool"], timeout: 300)
        #expect(batch.out.contains("ppap: 0 of 1000 password-protected archives opened with the password from another message; 1000 had more than 8 notices near them"), "\(batch.out)")
        #expect(try sqlite3(db, "SELECT count(*) FROM ppap_tried") == "8000")
        // The next batch tries the four left for each, and then nothing is left to try.
        let next = try CLI.run(["batch", "--db", db, scratch.path + "/spool"], timeout: 300)
        #expect(next.out.contains("ppap: 0 of 1000 password-protected archives opened") && !next.out.contains("more than 8"), "\(next.out)")
        #expect(try sqlite3(db, "SELECT count(*) FROM ppap_tried") == "12000")
    }

    @Test("JSON Lines with a store: the archive and its notice are written again with ppap_pair, and a report over the lines equals the store's")
    func jsonLinesCarryThePair() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try FileManager.default.createDirectory(atPath: scratch.path + "/spool", withIntermediateDirectories: true)
        for (k, m) in Self.messages().enumerated() { _ = try scratch.write("spool/\(k).eml", m) }
        let db = scratch.path + "/s.db"
        let batch = try CLI.run(["batch", "--db", db, "--format", "jsonl", scratch.path + "/spool"])
        #expect(batch.status == 1, "\(batch.err)")
        let records = try batch.lines.map { try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        // Two lines as scanned, then the archive opened and the notice, each with its side of the pair.
        #expect(records.count == 4)
        let pairs = records.compactMap { $0["ppap_pair"] as? [String: Any] }
        #expect(pairs.map { $0["role"] as? String } == ["archive", "notice"])
        let archive = try #require(records.last { ($0["ppap_pair"] as? [String: Any])?["role"] as? String == "archive" })
        #expect((archive["verdict"] as? [String: Any])?["status"] as? String != "not_inspected")
        #expect(pairs.first?["password"] as? String == "abc123")
        #expect(pairs.first?["notice_sha256"] as? String == pairs.last?["notice_sha256"] as? String)
        let jsonl = try scratch.write("b.jsonl", batch.stdout)
        let fromLines = try CLI.run(["report", "--input", jsonl, "--format", "json"])
        let fromStore = try CLI.run(["report", "--db", db, "--format", "json"])
        #expect(fromLines.out == fromStore.out)
        #expect(try fromLines.json()["totals"].flatMap { ($0 as? [String: Any])?["targeted"] as? Int } == 1)
    }
}

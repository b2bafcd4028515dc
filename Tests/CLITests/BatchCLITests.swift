import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `spearscan batch`, `campaigns` and `report` as a user runs them.
@Suite struct BatchCLITests {
    /// The samples' messages in a spool directory of their own.
    static func sampleSpool(_ scratch: Scratch) throws -> (String, [String]) {
        let samples = try FileManager.default.contentsOfDirectory(atPath: CLI.samples.path).filter { $0.hasSuffix(".eml") }
        let spool = scratch.path + "/spool"
        try FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: false)
        for name in samples { try FileManager.default.copyItem(atPath: CLI.sample(name), toPath: spool + "/" + name) }
        return (spool, samples)
    }

    @Test func batchCampaignsAndReportOverTheSamples() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let db = scratch.path + "/store.db"
        let (spool, samples) = try Self.sampleSpool(scratch)
        let batch = try CLI.run(["batch", "--db", db, spool])
        #expect(batch.status == 1, "suspicious messages among the samples: \(batch.err)")
        #expect(batch.out.contains("scanned \(samples.count), skipped 0, failed 0"), "\(batch.out)")
        let rerun = try CLI.run(["batch", "--db", db, spool])
        #expect(rerun.out.contains("scanned 0, skipped \(samples.count), failed 0"), "\(rerun.out)")
        #expect(rerun.status == 0)

        let campaigns = try CLI.run(["campaigns", "--db", db, "--format", "json", "--all"])
        #expect(campaigns.status == 0)
        let list = try campaigns.json().objects("campaigns")
        #expect(list.reduce(0) { $0 + ($1["messages"] as? Int ?? 0) } == samples.count)
        for key in ["id", "bulk", "targeted", "distinct_recipients", "distinct_domains", "message_ids", "first_seen",
                    "last_seen", "senders", "subjects", "payload_sha256", "similar_campaign_ids"] {
            #expect(list.first?[key] != nil, "campaign JSON lacks \(key)")
        }
        let report = try CLI.run(["report", "--db", db, "--by", "half", "--scope", "all", "--format", "json"])
        #expect(report.status == 0, "\(report.err)")
        let periods = try report.json().objects("periods")
        #expect(periods.reduce(0) { $0 + ($1["messages"] as? Int ?? 0) } == samples.count)

        let html = scratch.path + "/report.html"
        #expect(try CLI.run(["report", "--db", db, "--format", "html", "--out", html, "--lang", "ja"]).status == 0)
        let page = try String(contentsOfFile: html, encoding: .utf8)
        #expect(page.contains("<svg") && page.contains("圧縮ファイル") && !page.contains("<script"))
    }

    @Test func twoShardsScanTheSamplesOnceBetweenThem() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let (spool, samples) = try Self.sampleSpool(scratch)
        var seen: [String] = []
        for k in 1...2 {
            let run = try CLI.run(["batch", "--offline", "--no-db", "--format", "jsonl", "--shard", "\(k)/2", spool])
            seen += run.out.split(separator: "\n").compactMap { line in
                (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["source"] as? String
            }
            #expect(run.err.contains("for other shards"), "\(run.err)")
        }
        #expect(seen.count == samples.count && Set(seen).count == samples.count)
        let bad = try CLI.run(["batch", "--no-db", "--format", "jsonl", "--shard", "3/2", spool])
        #expect(bad.status == 64 && bad.err.contains("1 <= K <= N"))
        // The batch keeps indicators as found: --defang is refused with the reason, not silently ignored.
        let defang = try CLI.run(["batch", "--no-db", "--format", "jsonl", "--defang", spool])
        #expect(defang.status == 64 && defang.err.contains("as found"))
    }

    @Test func theWholeScanJSONIsStoredOnlyWhenAsked() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let (spool, samples) = try Self.sampleSpool(scratch)
        let plain = scratch.path + "/plain.db", full = scratch.path + "/full.db"
        _ = try CLI.run(["batch", "--db", plain, spool])
        _ = try CLI.run(["batch", "--db", full, "--store-json", spool])
        #expect(try sqlite(plain, "SELECT count(*) FROM messages WHERE report_json IS NULL") == "\(samples.count)")
        #expect(try sqlite(full, "SELECT count(*) FROM messages WHERE json_extract(report_json, '$.sha256') = sha256") == "\(samples.count)")
        // Defects are rows either way: the missing-final-boundary sample has one.
        #expect(try sqlite(plain, "SELECT count(*) FROM defects d JOIN messages m ON m.id = d.message_id WHERE m.source LIKE '%missing-final-boundary.eml' AND d.code = 'missing_final_boundary'") == "1")
    }

    @Test func readingCommandsNeedAnExistingStore() throws {
        let missing = "/nonexistent-\(UUID().uuidString).db"
        for command in [["campaigns", "--db", missing], ["report", "--db", missing]] {
            let result = try CLI.run(command)
            #expect(result.status == 2)
            #expect(result.errorLines.count == 1 && result.err.contains(missing))
            #expect(!FileManager.default.fileExists(atPath: missing))
        }
    }

    @Test func jsonLinesWithoutAStore() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let (spool, samples) = try Self.sampleSpool(scratch)
        let result = try CLI.run(["batch", "--no-db", "--format", "jsonl", spool])
        #expect(result.lines.count == samples.count)
        for line in result.lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["source"] is String && object["fingerprints"] is [String: Any] && object["recipients"] is [String])
        }
        #expect(result.err.contains("batch: scanned \(samples.count)"), "summary on stderr keeps stdout clean")
        let bad = try CLI.run(["batch", "--no-db", spool])
        #expect(bad.status == 64)
    }

    @Test func filesThatAreNotMailAreRecordedAsFailed() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let (spool, samples) = try Self.sampleSpool(scratch)
        try Data("just some notes\nno headers here\n".utf8).write(to: URL(fileURLWithPath: spool + "/notes.txt"))
        let db = scratch.path + "/store.db"
        let result = try CLI.run(["batch", "--db", db, spool])
        #expect(result.status == 2)
        #expect(result.out.contains("scanned \(samples.count), skipped 0, failed 1"), "\(result.out)")
        #expect(try sqlite(db, "SELECT source || ': ' || reason FROM failures").hasSuffix("notes.txt: not an email message: no header fields: the input does not look like an email message"))
    }

    /// kill -9 in the middle of a batch, rerun: every message stored exactly once, campaigns as in a clean run.
    @Test(.timeLimit(.minutes(5))) func aBatchKilledMidwayResumesWithoutLossOrDuplicates() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let spool = scratch.path + "/Maildir"
        for sub in ["cur", "new", "tmp"] {
            try FileManager.default.createDirectory(atPath: spool + "/" + sub, withIntermediateDirectories: true)
        }
        let total = 2_000
        for i in 0..<total {
            let campaign = i % 40
            let message = crlf([
                "From: sender\(campaign)@outside.example", "To: user\(i)@corp.example.co.jp",
                "Subject: Notice \(campaign)", "Message-ID: <kill-\(i)@test>", "Date: Mon, 04 Mar 2019 10:00:00 +0900",
                "Content-Type: text/plain; charset=utf-8", "",
                "Campaign \(campaign): please review the attached notice and confirm by Friday, reference \(campaign * 31).",
                "Copy \(i % 7 == 0 ? "A" : "B") of the notice.", "",
            ])
            try Data(message.utf8).write(to: URL(fileURLWithPath: String(format: "%@/cur/%05d:2,S", spool, i)))
        }
        let db = scratch.path + "/killed.db"
        let binary = try #require(CLI.binary)
        let process = Process()
        process.executableURL = binary
        process.arguments = ["batch", "--db", db, "--offline", "--no-sender", "--jobs", "2", spool]
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        // Kill once at least one group of messages is committed (the WAL holds them), well before the end.
        let deadline = Date().addingTimeInterval(120)
        var stored = 0
        while Date() < deadline {
            stored = try countMessages(db)
            if stored > 0 { break }
            usleep(20_000)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(stored > 0)
        let afterKill = try countMessages(db)
        #expect(afterKill < total, "the batch was killed before the end (\(afterKill) stored)")

        let resumed = try CLI.run(["batch", "--db", db, "--no-sender", spool], timeout: 240)
        #expect(resumed.out.contains("skipped \(afterKill)"), "\(resumed.out)")
        #expect(try countMessages(db) == total)
        #expect(try sqlite(db, "SELECT count(DISTINCT sha256) FROM messages") == "\(total)")

        let clean = scratch.path + "/clean.db"
        _ = try CLI.run(["batch", "--db", clean, "--no-sender", spool], timeout: 240)
        let killedCampaigns = try CLI.run(["campaigns", "--db", db, "--format", "json"]).json().objects("campaigns")
        let cleanCampaigns = try CLI.run(["campaigns", "--db", clean, "--format", "json"]).json().objects("campaigns")
        func shape(_ list: [[String: Any]]) -> [String] {
            list.map { (($0["message_sha256"] as? [String]) ?? []).sorted().joined(separator: ",") }.sorted()
        }
        #expect(killedCampaigns.count == 80, "40 campaigns, each sent as two texts (copy A and copy B)")
        #expect(shape(killedCampaigns) == shape(cleanCampaigns))
    }

    private func countMessages(_ db: String) throws -> Int {
        guard FileManager.default.fileExists(atPath: db) else { return 0 }
        return Int(try sqlite(db, "SELECT count(*) FROM messages")) ?? 0
    }

    private func sqlite(_ db: String, _ query: String) throws -> String { try sqlite3(db, query) }
}

import Foundation
import Testing
import TestSupport

/// Several scanners, one PostgreSQL store (issue #17), through the real command line against a private server.
@Suite("CLI: several scanners writing into one PostgreSQL store", .serialized)
struct PostgresCLITests {
    static var available: Bool { PostgresServer.available && LinkerParityCLITests.available }

    /// Campaigns as compared across stores: numbers are each store's own, so a campaign is named by its members
    /// (and its near-identical relatives by theirs); everything else (counters, labels, dates) compared as is.
    static func campaignShapes(_ json: [String: Any]) -> [String] {
        let campaigns = json["campaigns"] as? [[String: Any]] ?? []
        var names: [String: String] = [:]
        for c in campaigns {
            names[c["id"] as? String ?? ""] = ((c["message_sha256"] as? [String]) ?? []).sorted().joined(separator: ",")
        }
        return campaigns.map { c -> String in
            var c = c
            c["id"] = names[c["id"] as? String ?? ""]
            c["similar_campaign_ids"] = ((c["similar_campaign_ids"] as? [String]) ?? []).map { names[$0] ?? $0 }.sorted()
            let data = try? JSONSerialization.data(withJSONObject: c, options: [.sortedKeys])
            return String(decoding: data ?? Data(), as: UTF8.self)
        }.sorted()
    }

    /// Counters kept as messages arrive equal a recount, every campaign has a member, every message a campaign,
    /// every raw SHA-256 once: 0 when all hold.
    static let invariantViolations = """
        SELECT (SELECT count(*) FROM campaigns c WHERE
                    c.messages <> (SELECT count(*) FROM messages m WHERE m.campaign_id = c.id)
                 OR c.targeted_messages <> (SELECT count(*) FROM messages m WHERE m.campaign_id = c.id AND m.targeted = 1)
                 OR c.distinct_recipients <> (SELECT count(DISTINCT r.address) FROM recipients r JOIN messages m ON m.id = r.message_id
                                              WHERE m.campaign_id = c.id)
                 OR c.distinct_domains <> (SELECT count(*) FROM campaign_domains d WHERE d.campaign_id = c.id)
                 OR c.first_seen IS DISTINCT FROM (SELECT min(coalesce(m.date, m.received_date)) FROM messages m WHERE m.campaign_id = c.id))
             + (SELECT count(*) FROM messages m WHERE m.campaign_id IS NULL OR NOT EXISTS (SELECT 1 FROM campaigns c WHERE c.id = m.campaign_id))
             + (SELECT count(*) - count(DISTINCT sha256) FROM messages)
        """

    /// Four `spearscan batch` processes at once, over four overlapping parts of one generated spool (a third of
    /// the messages in all four parts, the rest in one), into one database: every message stored once, and the
    /// campaigns, their counters and the period report equal those of one SQLite batch over the whole spool.
    @Test(.enabled(if: available, "needs a PostgreSQL server (TestSupport.PostgresServer) and /usr/bin/python3"), .timeLimit(.minutes(10)))
    func fourScannersOnOverlappingSpoolsEqualOneSQLiteBatch() throws {
        let server = try #require(PostgresServer.shared)
        let scratch = try Scratch()
        defer { scratch.remove() }
        let spool = scratch.path + "/spool"
        let generator = Process()
        generator.executableURL = URL(fileURLWithPath: LinkerParityCLITests.python)
        generator.arguments = [LinkerParityCLITests.generator.path, "--count", "600", "--seed", "11", "--formats", "eml", "--out", spool]
        generator.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        try generator.run()
        generator.waitUntilExit()
        try #require(generator.terminationStatus == 0, "make_spool.py failed")
        let files = (FileManager.default.subpaths(atPath: spool + "/eml") ?? []).filter { $0.hasSuffix(".eml") }.sorted()
        try #require(files.count == 600)
        for part in 0..<4 {
            let dir = scratch.path + "/part\(part)"
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            for (i, name) in files.enumerated() where i % 3 == 0 || (i / 25) % 4 == part {
                try FileManager.default.linkItem(atPath: spool + "/eml/" + name, toPath: dir + "/" + name.replacingOccurrences(of: "/", with: "-"))
            }
        }
        let url = try server.makeDatabase(prefix: "four")
        // PPAP pairing and learning run at the end of each process and are compared elsewhere; here: storing and linking.
        let common = ["batch", "--no-learn", "--ppap-window", "0", "--jobs", "1"]
        let results = LockedBox<[Int: CLI.Result]>([:])
        DispatchQueue.concurrentPerform(iterations: 4) { part in
            let result = try? CLI.run(common + ["--db", url, scratch.path + "/part\(part)"], timeout: 400)
            results.update { $0[part] = result }
        }
        for part in 0..<4 {
            let result = try #require(results.value[part], "scanner \(part) did not finish")
            #expect(result.status == 0 || result.status == 1, "scanner \(part): \(result.err)")
        }
        let sqlite = scratch.path + "/union.db"
        let single = try CLI.run(common + ["--db", sqlite, spool + "/eml"], timeout: 400)
        #expect(single.status == 0 || single.status == 1, "\(single.err)")

        #expect(try server.psql("SELECT count(*) FROM messages", database: url) == "600")
        #expect(try server.psql(Self.invariantViolations, database: url) == "0")
        for variant in [["--all"], ["--all", "--link-similar"], ["--bulk-unit", "domain", "--all"]] {
            let shared = try CLI.run(["campaigns", "--db", url, "--format", "json"] + variant)
            let union = try CLI.run(["campaigns", "--db", sqlite, "--format", "json"] + variant)
            #expect(shared.status == 0 && union.status == 0, "\(shared.err) \(union.err)")
            let a = Self.campaignShapes(try shared.json()), b = Self.campaignShapes(try union.json())
            #expect(a.count == b.count && a == b, "campaigns \(variant.joined(separator: " ")) differ: \(a.count) vs \(b.count)")
        }
        let sharedReport = try CLI.run(["report", "--db", url, "--format", "json"])
        let unionReport = try CLI.run(["report", "--db", sqlite, "--format", "json"])
        #expect(sharedReport.status == 0 && sharedReport.out == unionReport.out, "\(sharedReport.err)")
    }
}

/// A value shared by threads of one test.
final class LockedBox<Value>: @unchecked Sendable {
    private var stored: Value
    private let lock = NSLock()

    init(_ value: Value) { stored = value }

    var value: Value { lock.withLock { stored } }

    func update(_ change: (inout Value) -> Void) { lock.withLock { change(&stored) } }
}

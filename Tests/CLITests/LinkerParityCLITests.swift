import Foundation
import Testing

/// One set of linking rules: on a generated benchmark spool, the report from the store (campaigns linked in SQLite)
/// and the report from the batch's JSON Lines (campaigns linked in memory by `report --input`) are the same report,
/// with and without near-identical families. Benchmarks/suite.sh checks the same on its 20,000-message spool.
@Suite("CLI: the store and the JSON Lines give the same campaigns on a generated spool")
struct LinkerParityCLITests {
    static let generator = CLI.samples.deletingLastPathComponent().appendingPathComponent("Benchmarks/spool/make_spool.py")
    static let python = "/usr/bin/python3"
    static var available: Bool { FileManager.default.isExecutableFile(atPath: python) }

    @Test(.enabled(if: available, "needs /usr/bin/python3 for Benchmarks/spool/make_spool.py"), .timeLimit(.minutes(5)))
    func reportFromStoreEqualsReportFromJSONLines() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let spool = scratch.url.appendingPathComponent("spool").path
        let generator = Process()
        generator.executableURL = URL(fileURLWithPath: Self.python)
        generator.arguments = [Self.generator.path, "--count", "800", "--seed", "7", "--formats", "eml", "--out", spool]
        generator.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        try generator.run()
        generator.waitUntilExit()
        try #require(generator.terminationStatus == 0, "make_spool.py failed")

        let db = scratch.url.appendingPathComponent("parity.db").path
        // PPAP pairing and spool learning are steps of the store only (JSON Lines are written as each message is
        // scanned, without learning): off here,
        // so that both sides saw the same scans.
        let stored = try CLI.run(["batch", "--ppap-window", "0", "--no-learn", "--db", db, spool + "/eml"], timeout: 240)
        #expect(stored.status == 0 || stored.status == 1, "\(stored.err)")
        let lines = try CLI.run(["batch", "--no-db", "--format", "jsonl", spool + "/eml"], timeout: 240)
        #expect(lines.status == 0 || lines.status == 1, "\(lines.err)")
        let jsonl = try scratch.write("batch.jsonl", lines.stdout)
        #expect(lines.lines.count == 800)

        var bulkMessages = 0
        for variant in [[], ["--scope", "all"], ["--link-similar"], ["--scope", "all", "--link-similar"]] {
            let fromStore = try CLI.run(["report", "--db", db, "--format", "json"] + variant)
            let fromLines = try CLI.run(["report", "--input", jsonl, "--format", "json"] + variant)
            #expect(fromStore.status == 0 && fromLines.status == 0, "\(fromStore.err) \(fromLines.err)")
            #expect(fromStore.out == fromLines.out, "report \(variant.joined(separator: " ")) differs between --db and --input")
            if variant.isEmpty, let totals = try fromStore.json()["totals"] as? [String: Any] {
                bulkMessages = totals["bulk"] as? Int ?? 0
            }
        }
        // The spool's bulk-type campaigns were linked: the comparison covered linking, not two empty reports.
        #expect(bulkMessages > 0)
    }
}

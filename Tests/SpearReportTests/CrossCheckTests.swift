import Testing
import TestSupport
@testable import SpearReport


/// The report against a second, deliberately naive implementation of the counting rules (recursion, string
/// prefixes, no shared code), over a few hundred random messages; plus the invariants that tie periods to
/// totals.
@Suite("Cross-check against an independent count")
struct CrossCheckTests {
    static let categories = ["word", "excel", "powerpoint", "pdf", "archive", "disk_image", "executable", "script",
                             "shortcut", "html", "email", "image", "text", "rtf", "other", "ichitaro", "Weird", "tnef"]

    static func randomAttachment(_ rng: inout SplitMix64, depth: Int) -> ReportAttachment {
        let category = categories.randomElement(using: &rng)!
        var a = ReportAttachment(category: category, encrypted: Int.random(in: 0..<6, using: &rng) == 0,
                                 complete: Int.random(in: 0..<6, using: &rng) != 0)
        if (category == "archive" || category == "disk_image" || category == "tnef"), depth < 3, Int.random(in: 0..<4, using: &rng) != 0 {
            a.members = (0..<Int.random(in: 0...4, using: &rng)).map { _ in randomAttachment(&rng, depth: depth + 1) }
        }
        return a
    }

    static func corpus() -> [ReportMessage] {
        var rng = SplitMix64(seed: 20190304)
        let subjects = ["請求書", "Invoice", "会議資料", "", "  Invoice ", nil]
        let domains = ["a.example", "b.example", "C.Example", nil]
        return (0..<400).map { i in
            let month = Int.random(in: 1...12, using: &rng)
            let year = [2018, 2019][Int.random(in: 0...1, using: &rng)]
            let mm = month < 10 ? "0\(month)" : "\(month)"
            let stamp = "\(year)-\(mm)-15T12:00:00+09:00"
            let kind = Int.random(in: 0..<10, using: &rng)
            return ReportMessage(
                sha256: "r\(i)",
                date: kind < 7 ? stamp : (kind == 7 ? "junk" : nil),
                receivedDate: kind >= 7 && kind < 9 ? stamp : nil,
                subject: subjects.randomElement(using: &rng)!,
                senderDomain: domains.randomElement(using: &rng)!,
                recipients: (0..<Int.random(in: 0...3, using: &rng)).map { _ in ["pub@x.jp", "priv@x.jp", "other@x.jp"].randomElement(using: &rng)! },
                targeted: Bool.random(using: &rng),
                spoofed: [true, false, nil].randomElement(using: &rng)!,
                bulk: Bool.random(using: &rng),
                attachments: (0..<Int.random(in: 0...3, using: &rng)).map { _ in randomAttachment(&rng, depth: 0) }
            )
        }
    }

    /// The naive count: (leaves by category, not inspected, nested) of one container.
    static func naive(_ a: ReportAttachment) -> (leaves: [String: Int], notInspected: Int, nested: Int) {
        var leaves: [String: Int] = [:]
        if a.members.isEmpty && (a.encrypted || !a.complete) { return ([:], 1, 0) }
        var notInspected = 0, nested = 0
        for m in opened(a.members) {
            let c = known(m.category)
            if c == "archive" || c == "disk_image" {
                nested += 1
                let inner = naive(m)
                leaves.merge(inner.leaves, uniquingKeysWith: +)
                notInspected += inner.notInspected
                nested += inner.nested
            } else {
                leaves[c, default: 0] += 1
            }
        }
        return (leaves, notInspected, nested)
    }

    /// TNEF wrappers with members, replaced by their members, by recursion.
    static func opened(_ list: [ReportAttachment]) -> [ReportAttachment] {
        list.flatMap { $0.category == "tnef" && !$0.members.isEmpty ? opened($0.members) : [$0] }
    }

    static func known(_ c: String) -> String {
        categories.prefix(15).contains(c) ? c : "other"
    }

    @Test(arguments: [Scope.targeted, .all])
    func totalsMatchNaiveCount(scope: Scope) throws {
        let messages = Self.corpus()
        let report = try Report(messages: messages, options: ReportOptions(by: .quarter, scope: scope, publicAddresses: ["pub@x.jp"]))
        let inScope = messages.filter { scope == .all || $0.targeted }
        var attachments: [String: Int] = [:]
        var leaves: [String: Int] = [:], imageLeaves: [String: Int] = [:]
        var notInspected = 0, imageNotInspected = 0, nested = 0
        for m in inScope {
            for a in Self.opened(m.attachments) {
                let c = Self.known(a.category)
                attachments[c, default: 0] += 1
                if c == "archive" || c == "disk_image" {
                    let n = Self.naive(a)
                    if c == "archive" {
                        leaves.merge(n.leaves, uniquingKeysWith: +)
                        notInspected += n.notInspected
                    } else {
                        imageLeaves.merge(n.leaves, uniquingKeysWith: +)
                        imageNotInspected += n.notInspected
                    }
                    nested += n.nested
                }
            }
        }
        let t = report.totals
        #expect(t.messages == messages.count)
        #expect(t.targeted == messages.filter(\.targeted).count)
        #expect(t.counted == inScope.count)
        #expect(t.spoofed == inScope.filter { $0.spoofed == true }.count)
        #expect(t.spoofedUnknown == inScope.filter { $0.spoofed == nil }.count)
        #expect(t.bulk == inScope.filter(\.bulk).count)
        #expect(t.nonPublic == inScope.filter { $0.recipients.contains { $0 != "pub@x.jp" } }.count)
        #expect(t.encryptedArchive == inScope.filter { Self.opened($0.attachments).contains { ["archive", "disk_image"].contains($0.category) && $0.encrypted } }.count)
        #expect(Dictionary(uniqueKeysWithValues: t.attachments.filter { $0.value > 0 }.map { ($0.key.rawValue, $0.value) }) == attachments)
        #expect(Dictionary(uniqueKeysWithValues: t.archiveContents.filter { $0.value > 0 }.map { ($0.key.rawValue, $0.value) }) == leaves)
        #expect(t.notInspected == notInspected)
        #expect(Dictionary(uniqueKeysWithValues: t.diskImageContents.filter { $0.value > 0 }.map { ($0.key.rawValue, $0.value) }) == imageLeaves)
        #expect(t.diskImageNotInspected == imageNotInspected)
        #expect(t.nestedArchives == nested)
        // The corpus exercises the rules.
        #expect(t.notInspected > 0 && t.diskImageNotInspected > 0 && t.nestedArchives > 0 && !leaves.isEmpty && !imageLeaves.isEmpty)
        #expect(messages.contains { $0.attachments.contains { $0.category == "tnef" && !$0.members.isEmpty } })

        // Periods partition the messages: additive figures of the periods sum to the totals.
        func sum(_ f: (PeriodStats) -> Int) -> Int { report.periods.map(f).reduce(0, +) }
        #expect(sum(\.messages) == t.messages)
        #expect(sum(\.counted) == t.counted)
        #expect(sum(\.spoofed) == t.spoofed)
        #expect(sum { $0.nonPublic ?? 0 } == t.nonPublic)
        #expect(sum(\.attachmentFiles) == t.attachmentFiles)
        #expect(sum(\.archiveContentFiles) == t.archiveContentFiles)
        #expect(sum(\.diskImageContentFiles) == t.diskImageContentFiles)
        #expect(sum(\.nestedArchives) == t.nestedArchives)
        // 2018-Q1 … 2019-Q4 plus unknown (the undated tenth of the corpus).
        #expect(report.periods.count == 9)
        #expect(report.periods.last?.period?.isUnknown == true)
        #expect(report.stats("unknown")?.messages == messages.filter { $0.date == nil && $0.receivedDate == nil || ($0.date == "junk" && $0.receivedDate == nil) }.count)
    }
}

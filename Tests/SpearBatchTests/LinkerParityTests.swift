import Foundation
import SpearCampaigns
import SpearCore
import SpearDomains
import SpearMIME
import SpearStore
import Testing

/// Campaign linking is written once (`CampaignLinking`) over two indexes: the SQLite store's tables and memory
/// (batch JSON Lines reports). These messages walk every boundary of the rules, and both indexes must give the
/// same campaigns: numbers, members, counters, labels and near-identical families.
@Suite("Campaign linking: the store and the in-memory index give identical campaigns")
struct LinkerParityTests {
    static let words = ("invoice order shipment payment account contract meeting report quarterly schedule "
        + "delivery confirmation attached document review approval budget project customer service").split(separator: " ")

    /// A text of 40 words from a seed; `variant` changes a few words, so variants are near-identical.
    static func text(_ seed: Int, variant: Int = 0) -> String {
        var rng = seed &* 2_654_435_761 &+ 1
        var out: [Substring] = []
        for i in 0..<40 {
            rng = rng &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            out.append(i % 13 == 0 && variant > 0 ? "variant\(variant)w\(i)" : words[Int(UInt64(bitPattern: Int64(rng)) >> 33) % words.count])
        }
        return out.joined(separator: " ")
    }

    static func message(_ n: Int, text: String?, payloads: [String] = [], to: [String], targeted: Bool = false,
                        date: String? = nil) -> CampaignMessage {
        CampaignMessage(sha256: String(format: "%064x", n), messageID: "<\(n)@example.jp>", date: date,
                        subject: "s\(n)", sender: "a\(n % 5)@sender.example", recipients: to, targeted: targeted,
                        fingerprints: MessageFingerprints(text: text.map { "t-" + $0 },
                                                          minhash: text.flatMap { MinHash(text: $0) }?.hex, payloads: payloads))
    }

    /// The boundary cases, in arrival order.
    static var messages: [CampaignMessage] {
        var list: [CampaignMessage] = []
        var n = 0
        func add(_ text: String?, payloads: [String] = [], to: [String], targeted: Bool = false, date: String? = nil) {
            n += 1
            list.append(message(n, text: text, payloads: payloads, to: to, targeted: targeted, date: date))
        }
        // Two campaigns (a text; a file), then one message holding both: bridged and merged into the lower number.
        add(text(1), to: ["a@x.co.jp"], date: "2019-04-02T09:00:00+09:00")
        add(nil, payloads: ["p1"], to: ["b@y.co.jp"])
        add(text(1), payloads: ["p1"], to: ["c@x.co.jp", "d@z.jp"], targeted: true)
        // A merge that removes the highest campaign: the next new campaign takes its number again.
        add(text(2), to: ["e@x.co.jp"])
        add(nil, payloads: ["p2"], to: ["f@x.co.jp"])
        add(text(2), payloads: ["p2"], to: ["g@x.co.jp"])
        add(text(3), to: ["h@x.co.jp"])
        // A bulk-type lure: the same text to 12 addresses at 12 organisations, and near-identical variants.
        for k in 0..<12 { add(text(10), to: ["user\(k)@org\(k).co.jp"], targeted: k == 0) }
        for v in 1...24 { add(text(10, variant: v), to: ["v\(v)@org\(v % 7).co.jp"]) }
        // A template repeated far past the per-band and confirmed caps.
        for v in 1...30 { add(text(20, variant: v), to: ["t\(v)@x.co.jp"]) }
        // No fingerprint at all, empty recipients, the same recipient twice.
        add(nil, to: [])
        add(text(30), to: ["same@x.co.jp", "same@x.co.jp"])
        return list
    }

    static func report(for m: CampaignMessage) -> ScanReport {
        ScanReport(source: "parity/\(m.sha256.suffix(4))", size: 100, sha256: m.sha256,
                   message: MessageSummary(messageID: m.messageID, date: m.date, subject: m.subject,
                                           from: m.sender.map { [Address(name: nil, address: $0)] } ?? []),
                   attachments: [], bodies: [], findings: [], defects: [], verdict: Verdict(findings: []), sender: nil)
    }

    @Test("every boundary case: bridges, a reused number, bulk, near-identical families past the caps")
    func parity() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("parity-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let psl = PublicSuffixList.system
        let store = try SQLiteStore(path: dir.appendingPathComponent("s.db").path, psl: psl)
        var linker = CampaignLinker(organization: store.organizationalDomain)
        for m in Self.messages {
            #expect(try store.insert(StoredMessage(report: Self.report(for: m), campaign: m, offset: nil, reportJSON: nil)))
            linker.add(m)
        }
        try store.commit()
        var families = 0
        for rule in [BulkRule(), BulkRule(threshold: 3, unit: .domain)] {
            for linkSimilar in [false, true] {
                for singletons in [false, true] {
                    let stored = try store.campaigns(rule: rule, linkSimilar: linkSimilar, includeSingletons: singletons)
                    let memory = linker.campaigns(rule: rule, linkSimilar: linkSimilar, includeSingletons: singletons)
                    #expect(stored == memory, "rule \(rule) linkSimilar \(linkSimilar) singletons \(singletons)")
                    families += stored.filter { !$0.similarCampaignIDs.isEmpty }.count
                }
            }
        }
        // The cases did what they are there for.
        let all = try store.campaigns(rule: BulkRule(), linkSimilar: false, includeSingletons: true)
        #expect(all.contains { $0.messages == 3 && $0.id == "c1" }, "the bridge merged into c1")
        #expect(all.contains { $0.bulk && $0.messages == 12 }, "the bulk-type lure")
        #expect(families > 0, "near-identical families were found")
        #expect(try store.countersMatchRecount())
    }

    @Test("removing a message keeps its campaign's counters exact; removing the last deletes the campaign")
    func removalKeepsCounters() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("parity-rm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try SQLiteStore(path: dir.appendingPathComponent("s.db").path)
        let list = Self.messages
        for m in list { _ = try store.insert(StoredMessage(report: Self.report(for: m), campaign: m, offset: nil, reportJSON: nil)) }
        // One of the twelve bulk copies, the bridging message, and a singleton.
        for index in [7, 2, list.count - 2] { try store.remove(sha256: list[index].sha256) }
        try store.commit()
        #expect(try store.countersMatchRecount())
        let bulk = try store.campaigns(rule: BulkRule(), linkSimilar: false, includeSingletons: true).first { $0.messages == 11 }
        #expect(bulk?.distinctRecipients == 11 && bulk?.bulk == true)
        #expect(try store.counts().messages == list.count - 3)
        let counts = try store.campaignCounts(rule: BulkRule(), linkSimilar: false)
        #expect(counts.bulk == 1)
    }

    @Test("a message without a Date header counts by its Received date, on insert, after a removal and after a rebuild")
    func receivedDateCountsForCampaignDates() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("parity-date-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try SQLiteStore(path: dir.appendingPathComponent("s.db").path)
        var linker = CampaignLinker(organization: store.organizationalDomain)
        // The same text three times; the earliest and the latest have no Date header, only a Received date.
        let dated: [(date: String?, received: String)] = [(nil, "2019-03-01T08:00:00+09:00"), ("2019-03-02T09:00:00+09:00", "2019-03-02T09:00:05+09:00"),
                                                          (nil, "2019-03-05T10:00:00+09:00")]
        var shas: [String] = []
        for (k, d) in dated.enumerated() {
            let m = Self.message(900 + k, text: Self.text(40), to: ["r\(k)@x.co.jp"], date: d.date ?? d.received)
            var report = Self.report(for: m)
            report.message = MessageSummary(messageID: m.messageID, date: d.date, receivedDate: d.received, subject: m.subject,
                                            from: [Address(name: nil, address: m.sender ?? "")])
            #expect(try store.insert(StoredMessage(report: report, campaign: m, offset: nil, reportJSON: nil)))
            linker.add(m)
            shas.append(m.sha256)
        }
        try store.commit()
        func span() throws -> (String?, String?) {
            let c = try store.campaigns(rule: BulkRule(), linkSimilar: false, includeSingletons: true).first { $0.messages > 1 }
            return (c?.firstSeen, c?.lastSeen)
        }
        #expect(try span() == ("2019-03-01T08:00:00+09:00", "2019-03-05T10:00:00+09:00"))
        #expect(try store.campaigns(rule: BulkRule(), linkSimilar: false, includeSingletons: true)
                == linker.campaigns(rule: BulkRule(), linkSimilar: false, includeSingletons: true))
        try store.rebuildCampaigns()
        #expect(try span() == ("2019-03-01T08:00:00+09:00", "2019-03-05T10:00:00+09:00"))
        // Removing the dated middle message recounts from the other two, which have only Received dates.
        try store.remove(sha256: shas[1])
        try store.commit()
        #expect(try span() == ("2019-03-01T08:00:00+09:00", "2019-03-05T10:00:00+09:00"))
        #expect(try store.countersMatchRecount())
    }
}

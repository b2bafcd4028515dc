import SpearCore
import Foundation
import SpearBatch
import SpearCampaigns
import SpearIndicators
import SpearScan
import SpearStore
import Testing

/// Batches end to end: inputs, incremental reruns, rescans, failures, JSON Lines, and the store's incremental
/// campaigns checked against the in-memory linker.
@Suite struct BatchTests {
    let zip = TestMail.Attachment(name: "order.zip", type: "application/zip", bytes: TestMail.fixture("simple.zip"))

    /// A mixed spool: one bulk campaign split over messages, a family, unrelated mail.
    func spoolMessages(_ range: Range<Int>) -> [[UInt8]] {
        range.map { i in
            switch i % 3 {
            case 0: TestMail.message(to: ["bulk\(i)@corp.example.co.jp"], body: "Your order \(i) needs a look.",
                                     attachments: [zip], id: "mixed-\(i)")
            case 1: TestMail.message(to: ["p\(i)@corp.example.co.jp"], body: "様\n" + TestMail.lure + "\n番号 \(i)", id: "mixed-\(i)")
            default: TestMail.message(to: ["x\(i)@other.example"], body: "Unrelated note number \(i) about lunch plans and the weather in town.",
                                      id: "mixed-\(i)")
            }
        }
    }

    @Test(arguments: StoreBackend.available) func rerunsSkipKnownMessagesAndAddNewOnes(backend: StoreBackend) throws {
        let root = TestMail.directory()
        let spool = TestMail.maildir(spoolMessages(0..<12), at: root + "/Maildir")
        let db = try backend.location(in: root)
        let first = try TestMail.batch([spool], db: db)
        #expect(first.scanned == 12 && first.skipped == 0 && first.failed == 0)
        let second = try TestMail.batch([spool], db: db)
        #expect(second.scanned == 0 && second.skipped == 12)
        // Nine recipients so far in the zip campaign (0, 3, …, 9 → 4); add messages until it reaches 10.
        TestMail.maildir(spoolMessages(12..<30), at: root + "/Maildir2")
        let third = try TestMail.batch([spool, root + "/Maildir2"], db: db)
        #expect(third.scanned == 18 && third.skipped == 12)
        let campaigns = try TestMail.campaigns(db)
        let bulk = try #require(campaigns.first { !$0.payloadSHA256.isEmpty })
        #expect(bulk.distinctRecipients == 10 && bulk.bulk)
        try expectStoreMatchesLinker(db)
    }

    @Test(arguments: StoreBackend.available) func rescanRedoesMessagesWithoutDuplicates(backend: StoreBackend) throws {
        let root = TestMail.directory()
        let spool = TestMail.maildir(spoolMessages(0..<15), at: root + "/Maildir")
        let db = try backend.location(in: root)
        try TestMail.batch([spool], db: db)
        let before = try TestMail.campaigns(db, all: true).map(\.messageSHA256).sorted { $0.description < $1.description }
        var options = TestMail.options()
        options.rescan = true
        let again = try TestMail.batch([spool], db: db, options: options)
        #expect(again.scanned == 15 && again.skipped == 0)
        let store = try TestMail.open(db)
        #expect(try store.counts().messages == 15)
        let after = try TestMail.campaigns(db, all: true).map(\.messageSHA256).sorted { $0.description < $1.description }
        #expect(before == after)
        try expectStoreMatchesLinker(db)
    }

    /// A text sent as two messages and a personalised variant of it: one campaign and its family, before and
    /// after `--rescan` rebuilds the campaigns.
    @Test(arguments: StoreBackend.available) func familiesSurviveARescan(backend: StoreBackend) throws {
        let text = "山田様\n" + TestMail.lure
        let messages = [
            TestMail.message(to: ["a@corp.example.co.jp"], body: text, id: "family-1"),
            TestMail.message(to: ["b@corp.example.co.jp"], body: text, id: "family-2"),
            TestMail.message(to: ["c@corp.example.co.jp"], body: text.replacingOccurrences(of: "山田", with: "佐藤"), id: "family-3"),
        ]
        let root = TestMail.directory()
        let spool = TestMail.maildir(messages, at: root + "/Maildir")
        let db = try backend.location(in: root)
        try TestMail.batch([spool], db: db)
        func shape() throws -> [Int] { try TestMail.campaigns(db, all: true).map(\.similarCampaignIDs.count).sorted() }
        #expect(try shape() == [1, 1])
        var options = TestMail.options()
        options.rescan = true
        try TestMail.batch([spool], db: db, options: options)
        #expect(try shape() == [1, 1], "the rebuilt campaigns keep the family")
        #expect(try TestMail.campaigns(db, linkSimilar: true).first?.distinctRecipients == 3)
    }

    @Test(arguments: StoreBackend.available) func anUnreadableMessageIsStoredAsFailedAndRetried(backend: StoreBackend) throws {
        let root = TestMail.directory()
        let tree = root + "/tree"
        try FileManager.default.createDirectory(atPath: tree, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: tree + "/a.eml", contents: Data(spoolMessages(0..<1)[0]))
        _ = FileManager.default.createFile(atPath: tree + "/b.eml", contents: Data())
        let db = try backend.location(in: root)
        let summary = try TestMail.batch([tree], db: db)
        #expect(summary.scanned == 1 && summary.failed == 1)
        #expect(try TestMail.open(db).counts() == StoreCounts(messages: 1, failed: 1, campaigns: 1))
        // Rerun: still failed, recorded once; once repaired it is stored and the failure cleared.
        #expect(try TestMail.batch([tree], db: db).failed == 1)
        #expect(try TestMail.open(db).counts().failed == 1)
        _ = FileManager.default.createFile(atPath: tree + "/b.eml", contents: Data(spoolMessages(1..<2)[0]))
        let repaired = try TestMail.batch([tree], db: db)
        #expect(repaired.scanned == 1 && repaired.skipped == 1 && repaired.failed == 0)
        #expect(try TestMail.open(db).counts() == StoreCounts(messages: 2, failed: 0, campaigns: 2))
    }

    /// Values longer than an index entry may be (PostgreSQL's btree holds 2,704 bytes): a 3.6 KB URL is stored by
    /// both stores (PostgreSQL indexes indicators by hash); a 3.6 KB recipient address is stored by SQLite and, by
    /// PostgreSQL, recorded as a failed message with the server's reason. Either way the batch stores the rest.
    @Test(arguments: StoreBackend.available) func valuesTooLongForAnIndexNeverStopTheBatch(backend: StoreBackend) throws {
        let root = TestMail.directory()
        let noise = (0..<100).map { _ in UUID().uuidString.lowercased() }.joined()  // 3,600 characters that do not compress
        let messages = [
            TestMail.message(to: ["a@corp.example.co.jp"], body: "See https://example.com/\(noise) today.", id: "long-url"),
            TestMail.message(to: ["\(noise)@corp.example.co.jp"], body: "A long recipient.", id: "long-rcpt"),
            TestMail.message(to: ["b@corp.example.co.jp"], body: "Plain note.", id: "plain"),
        ]
        let db = try backend.location(in: root)
        var options = TestMail.options()
        options.scan.indicators = IndicatorExtractor(psl: nil)
        let summary = try TestMail.batch([TestMail.maildir(messages, at: root + "/Maildir")], db: db, options: options)
        let store = try TestMail.open(db)
        let shared = try store.sharedMessages(SharedMessageQuery())
        #expect(shared.contains { $0.indicators.contains { $0.value.hasSuffix(noise) } })
        switch backend {
        case .sqlite:
            #expect(summary.scanned == 3 && summary.failed == 0)
        case .postgres:
            #expect(summary.scanned == 2 && summary.failed == 1)
            #expect(try store.counts() == StoreCounts(messages: 2, failed: 1, campaigns: 2))
        }
    }

    @Test(arguments: ["mboxrd", "mboxcl2"])
    func anMboxIsStoredWithOffsets(variant: String) throws {
        let root = TestMail.directory()
        let messages = spoolMessages(0..<9).map { m -> [UInt8] in
            // A body line that an mbox must escape.
            m + Array("From the desk of the sender\r\n".utf8)
        }
        var mbox: [UInt8] = []
        var offsets: [Int] = []
        for m in messages {
            offsets.append(mbox.count)
            mbox += Array("From sender@outside.example Mon Mar  4 10:00:00 2019\n".utf8)
            let text = String(decoding: m, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
            var body = Array(text.utf8)
            if variant == "mboxcl2" {
                // Content-Length counts the body after the header block; the From_ line in it stays unescaped.
                let split = text.range(of: "\n\n")!
                let header = String(text[..<split.lowerBound])
                let rest = String(text[split.upperBound...])
                body = Array((header + "\nContent-Length: \(rest.utf8.count)\n\n" + rest).utf8)
            } else {
                body = Array(text.replacingOccurrences(of: "\nFrom the desk", with: "\n>From the desk").utf8)
            }
            mbox += body + [10]
        }
        let path = root + "/spool.mbox"
        _ = FileManager.default.createFile(atPath: path, contents: Data(mbox))
        let db = root + "/store.db"
        #expect(try TestMail.batch([path], db: db).scanned == 9)
        let store = try SQLiteStore(path: db)
        #expect(try store.storedOffsets() == offsets)
        #expect(try store.campaigns(rule: BulkRule(), linkSimilar: false, includeSingletons: true)
            .reduce(0) { $0 + $1.messages } == 9)
    }

    @Test func jsonLinesCarrySourceOffsetRecipientsAndFingerprints() throws {
        let spool = TestMail.maildir(spoolMessages(0..<4))
        var lines: [String] = []
        let summary = try BatchRunner(paths: [spool], options: TestMail.options(), store: nil,
                                      lineSink: { lines.append($0) }).run()
        #expect(summary.scanned == 4 && lines.count == 4)
        for (i, line) in lines.enumerated() {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect((object["source"] as? String)?.hasSuffix(String(format: "%06d.test:2,S", i)) == true, "spool order")
            #expect(object["offset"] is NSNull)
            #expect((object["recipients"] as? [String])?.count == 1)
            let fingerprints = try #require(object["fingerprints"] as? [String: Any])
            if i % 3 == 0 {
                // "Your order N needs a look." is too short to be a text fingerprint; the zip links it.
                #expect(fingerprints["text"] is NSNull)
                #expect((fingerprints["payloads"] as? [String])?.count == 2)
            } else {
                #expect(fingerprints["text"] is String)
                #expect((fingerprints["minhash"] as? String)?.count == 512)
            }
            #expect((object["sha256"] as? String)?.count == 64)
        }
    }

    /// The store's incrementally maintained campaigns equal those of the in-memory linker over the same
    /// messages, and the stored counters equal a recount.
    func expectStoreMatchesLinker(_ db: String) throws {
        let store = try TestMail.open(db)
        let inspection = try #require(store as? any StoreInspection)
        var linker = CampaignLinker(organization: inspection.organizationalDomain)
        for m in try inspection.allCampaignMessages() { linker.add(m) }
        // One set of linking rules over two indexes: the same campaigns, labels and families (and, in SQLite,
        // whose numbering rule the in-memory index follows, the same numbers).
        for rule in [BulkRule(), BulkRule(threshold: 2, unit: .domain)] {
            for linkSimilar in [false, true] {
                let stored = try store.campaigns(rule: rule, linkSimilar: linkSimilar, includeSingletons: true)
                let linked = linker.campaigns(rule: rule, linkSimilar: linkSimilar)
                if store is SQLiteStore { #expect(stored == linked) }
                #expect(StoreBackend.shape(stored) == StoreBackend.shape(linked))
            }
        }
        #expect(try inspection.countersMatchRecount())
    }
}

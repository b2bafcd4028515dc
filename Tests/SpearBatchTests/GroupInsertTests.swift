import Foundation
import SpearBatch
import SpearCampaigns
import SpearCore
import SpearScan
@testable import SpearStore
import Testing
import TestSupport

/// A group of messages stored at once (`ScanStore.insert(group:)`: the batch stores what piled up while the last
/// group was written) must give the store one message at a time would: the same campaigns, counters, duplicates
/// and near-identical links, whichever merges happen inside the group.
@Suite struct GroupInsertTests {
    /// A file of its own (256 bytes: large enough to link messages).
    static func file(_ i: Int) -> TestMail.Attachment {
        TestMail.Attachment(name: "data\(i).bin", type: "application/octet-stream",
                            bytes: Array(String(repeating: "payload \(i) ", count: 32).utf8.prefix(256)))
    }

    static func mail(_ id: String, to: [String], body: String, files: [Int], day: Int) -> [UInt8] {
        TestMail.message(to: to, subject: "Notice \(id)", body: body, attachments: files.map(file), id: id,
                         date: String(format: "Mon, %02d Mar 2019 10:00:00 +0900", day))
    }

    static func personal(_ i: Int, name: String, day: Int) -> [UInt8] {
        mail("personal-\(i)", to: ["p\(i)@corp.example.co.jp"],
             body: "\(name)様\n\n" + TestMail.lure + "\nご注文番号: \(40_000 + i * 137)", files: [], day: day)
    }

    /// Stored before the group: two campaigns (files 1 and 2), and a personalised lure.
    static let before: [[UInt8]] = [
        mail("a1", to: TestMail.people(3), body: "First notice about the order form.", files: [1], day: 10),
        mail("b1", to: TestMail.people(2, prefix: "b"), body: "The shipping schedule is attached.", files: [2], day: 12),
        personal(0, name: "山田", day: 11),
    ]

    /// The group: it joins a stored campaign, starts two and bridges them, bridges the two stored ones, bridges a
    /// stored one with one of its own, repeats itself and a stored message, adds near-identical relatives of the
    /// stored lure and of each other, and makes one campaign bulk-type (10 recipients).
    static let group: [[UInt8]] = [
        mail("a2", to: ["user0@corp.example.co.jp", "new0@corp.example.co.jp"], body: "Second notice, different words.", files: [1], day: 3),
        mail("n1", to: ["n1@other.example.com"], body: "Minutes of the planning meeting.", files: [3], day: 20),
        mail("n2", to: ["n2@third.example.org"], body: "Travel expenses for October.", files: [4], day: 21),
        mail("bridge-new", to: ["n3@other.example.com"], body: "Both files together.", files: [3, 4], day: 22),
        mail("bridge-stored", to: ["user1@corp.example.co.jp"], body: "The two earlier files again.", files: [1, 2], day: 25),
        personal(1, name: "佐藤", day: 14),
        mail("n1", to: ["n1@other.example.com"], body: "Minutes of the planning meeting.", files: [3], day: 20),
        before[0],
        mail("bridge-both", to: TestMail.people(6, prefix: "z"), body: "Everything in one place.", files: [2, 3], day: 1),
        personal(2, name: "鈴木", day: 15),
        mail("solo", to: ["solo@corp.example.co.jp"], body: "Lunch menu for next week.", files: [5], day: 16),
    ]

    static func stored(_ messages: [[UInt8]]) throws -> [StoredMessage] {
        let scanner = MessageScanner(options: BatchRunner.storeScanOptions(TestMail.options().scan, json: false))
        return try messages.enumerated().map { i, bytes in
            let result = scanner.scan(bytes, source: "m\(i).eml")
            return try #require(BatchRunner.stored(result, sha256: Digests.sha256(of: bytes), offset: nil, json: false))
        }
    }

    @Test("a group stored at once equals its messages stored one at a time, merges inside the group included",
          .enabled(if: PostgresServer.available, Comment(rawValue: "PostgreSQL store tests skipped: " + PostgresServer.unavailableReason)))
    func groupEqualsOneAtATime() throws {
        let server = try #require(PostgresServer.shared)
        let before = try Self.stored(Self.before), group = try Self.stored(Self.group)

        let reference = try TestMail.open(try StoreBackend.sqlite.location(in: TestMail.directory()))
        var expected: [InsertOutcome] = []
        for message in before { _ = try reference.insert(message) }
        for message in group { expected.append(try reference.insert(message) ? .stored : .duplicate) }
        try reference.commit()
        #expect(expected.filter { $0 == .duplicate }.count == 2)

        let url = try server.makeDatabase(prefix: "group")
        let store = try #require(try TestMail.open(url) as? PostgresStore)
        for message in before { #expect(try store.insert(message)) }
        let outcomes = try store.insert(group: group)
        try store.commit()
        #expect(outcomes == expected)
        // Linking asked the server nothing the group's read-ahead had not foreseen.
        #expect(store.campaignIndex.lookupsOutsideSnapshot == 0)

        for linkSimilar in [false, true] {
            let mine = try store.campaigns(rule: BulkRule(), linkSimilar: linkSimilar, includeSingletons: true)
            let theirs = try reference.campaigns(rule: BulkRule(), linkSimilar: linkSimilar, includeSingletons: true)
            #expect(StoreBackend.shape(mine) == StoreBackend.shape(theirs), "linkSimilar \(linkSimilar)")
        }
        #expect(try store.counts() == reference.counts())
        #expect(try store.campaignCounts(rule: BulkRule(), linkSimilar: true) == reference.campaignCounts(rule: BulkRule(), linkSimilar: true))
        #expect(try server.psql(PostgresServer.storeInvariantViolations, database: url) == "0")
        // Files 1 to 4 ended in one campaign (a bridge over the stored two, one over the group's own two, one
        // between them), bulk-type, first seen on the 1st and last on the 25th; the personalised lures are a family.
        let all = try store.campaigns(rule: BulkRule(), linkSimilar: false, includeSingletons: true)
        let merged = try #require(all.first { $0.messages == 8 })
        #expect(merged.bulk)
        #expect(try server.psql("SELECT first_seen, last_seen FROM campaigns ORDER BY messages DESC LIMIT 1", database: url)
            .hasPrefix("2019-03-01"))
        #expect(all.filter { !$0.similarCampaignIDs.isEmpty }.count == 3)
    }

    @Test("a message the server refuses is rejected alone; the rest of its group is stored",
          .enabled(if: PostgresServer.available, Comment(rawValue: "PostgreSQL store tests skipped: " + PostgresServer.unavailableReason)))
    func oneRefusedMessageDoesNotSinkItsGroup() throws {
        let server = try #require(PostgresServer.shared)
        // 3,600 characters that do not compress: past a btree entry's 2,704 bytes (see BatchTests).
        let long = (0..<100).map { _ in UUID().uuidString.lowercased() }.joined() + "@corp.example.co.jp"
        let group = try Self.stored([
            Self.mail("ok1", to: ["x@corp.example.co.jp"], body: "One.", files: [7], day: 2),
            Self.mail("refused", to: [long], body: "Two.", files: [8], day: 3),
            Self.mail("ok2", to: ["y@corp.example.co.jp"], body: "Three.", files: [7], day: 4),
        ])
        let url = try server.makeDatabase(prefix: "refused")
        let store = try TestMail.open(url)
        let outcomes = try store.insert(group: group)
        try store.commit()
        #expect(outcomes[0] == .stored && outcomes[2] == .stored)
        guard case .rejected = outcomes[1] else {
            Issue.record("the 3.6 KB recipient was stored: \(outcomes)")
            return
        }
        #expect(try store.counts().messages == 2)
        #expect(try store.campaigns(rule: BulkRule(), linkSimilar: false, includeSingletons: false).first?.messages == 2)
        #expect(try server.psql(PostgresServer.storeInvariantViolations, database: url) == "0")
    }
}

/// A scanner keeps the band lists that are full (a new message never enters one); a message another scanner
/// removes leaves a gap that the next-lowest member fills, which the scanner must see.
@Suite struct FullBandListTests {
    static let names = ["山田", "佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "中村", "小林", "加藤", "吉田", "山本", "松本", "井上",
                        "木村", "林", "斎藤", "清水", "山崎", "森", "池田", "橋本"]

    @Test("after another scanner removes messages, the next near-identical message is compared as with SQLite",
          .enabled(if: PostgresServer.available, Comment(rawValue: "PostgreSQL store tests skipped: " + PostgresServer.unavailableReason)))
    func removalsByAnotherScannerReachTheCache() throws {
        let server = try #require(PostgresServer.shared)
        let first = try GroupInsertTests.stored(Self.names.prefix(20).enumerated().map { i, name in GroupInsertTests.personal(i, name: name, day: 1 + i) })
        // The probe reads (and the scanner keeps) the full lists; the late message comes after the removals.
        let probe = try GroupInsertTests.stored([GroupInsertTests.personal(21, name: Self.names[21], day: 24)])
        let late = try GroupInsertTests.stored([GroupInsertTests.personal(20, name: Self.names[20], day: 25)])
        let removed = first.prefix(6).map(\.campaign.sha256)

        let reference = try TestMail.open(try StoreBackend.sqlite.location(in: TestMail.directory()))
        _ = try reference.insert(group: first)
        _ = try reference.insert(group: probe)
        for sha in removed { try reference.remove(sha256: sha) }
        _ = try reference.insert(group: late)
        try reference.commit()

        let url = try server.makeDatabase(prefix: "bands")
        let scanner = try #require(try TestMail.open(url) as? PostgresStore)
        let other = try TestMail.open(url)
        _ = try scanner.insert(group: first)
        _ = try scanner.insert(group: probe)
        try scanner.commit()
        for sha in removed { try other.remove(sha256: sha) }
        try other.commit()
        _ = try scanner.insert(group: late)
        try scanner.commit()

        // Full lists existed (twenty near-identical texts), and the late message found relatives.
        #expect(try server.psql("SELECT count(*) > 0 FROM (SELECT band_key FROM minhash_bands GROUP BY 1 HAVING count(*) >= 16) f",
                                database: url) == "t")
        let pairs = "SELECT string_agg(a.sha256 || '-' || b.sha256, ',' ORDER BY a.sha256, b.sha256) FROM \"similar\" s JOIN messages a ON a.id = s.message_a JOIN messages b ON b.id = s.message_b"
        let mine = try server.psql(pairs, database: url)
        #expect(mine.contains(late[0].campaign.sha256))
        let theirs = try reference.campaigns(rule: BulkRule(), linkSimilar: false, includeSingletons: true)
        let ours = try scanner.campaigns(rule: BulkRule(), linkSimilar: false, includeSingletons: true)
        #expect(StoreBackend.shape(ours) == StoreBackend.shape(theirs))
    }
}

/// A group the server refused is rolled back, and the numbers it gave its messages go to the next messages
/// stored, maybe another scanner's: nothing the scanner kept about the refused group may describe them.
@Suite struct RolledBackGroupTests {
    @Test("after a refused group, numbers taken by another scanner's messages are compared by those messages",
          .enabled(if: PostgresServer.available, Comment(rawValue: "PostgreSQL store tests skipped: " + PostgresServer.unavailableReason)))
    func numbersOfARolledBackGroupAreNotRemembered() throws {
        let server = try #require(PostgresServer.shared)
        let noise = (0..<100).map { _ in UUID().uuidString.lowercased() }.joined()
        // Scanner A's group: the refused message sits between two others, so the one after it is numbered one
        // higher in the refused attempt than when it is stored alone.
        let group = try GroupInsertTests.stored([
            GroupInsertTests.mail("ok1", to: ["x@corp.example.co.jp"], body: "The canteen menu for the week of the fourth.", files: [], day: 2),
            GroupInsertTests.mail("refused", to: ["\(noise)@corp.example.co.jp"], body: "Refused.", files: [], day: 3),
            GroupInsertTests.mail("ok2", to: ["y@corp.example.co.jp"], body: "Parking permits for visitors are at the front desk.", files: [], day: 4),
        ])
        // Scanner B then stores a personalised lure, which takes the number ok2 had in A's refused attempt; A
        // stores its near-identical sibling.
        let theirs = try GroupInsertTests.stored([GroupInsertTests.personal(0, name: "山田", day: 5)])
        let sibling = try GroupInsertTests.stored([GroupInsertTests.personal(1, name: "佐藤", day: 6)])

        let url = try server.makeDatabase(prefix: "rolled")
        let a = try #require(try TestMail.open(url) as? PostgresStore)
        let b = try TestMail.open(url)
        let outcomes = try a.insert(group: group)
        try a.commit()
        guard case .rejected = outcomes[1] else {
            Issue.record("the 3.6 KB recipient was stored: \(outcomes)")
            return
        }
        _ = try b.insert(group: theirs)
        try b.commit()
        _ = try a.insert(group: sibling)
        try a.commit()
        #expect(try server.psql("SELECT id FROM messages WHERE message_id = '<personal-0@test.example>'", database: url) == "3")
        // The siblings are near-identical: A compared its sibling with B's lure by B's lure's own signature.
        #expect(try server.psql("SELECT count(*) FROM \"similar\"", database: url) == "1")
    }
}

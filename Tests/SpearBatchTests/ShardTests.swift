import Foundation
import SpearBatch
import SpearCampaigns
import SpearStore
import Testing

/// `batch --shard K/N` (issue #17): N batches over one spool, each scanning its share, scan every message once.
@Suite("Batch: shards of one spool")
struct ShardTests {
    /// 60 messages: a bulk-type lure to 12 people (one campaign when the shards' stores are one) and 48 distinct
    /// messages; and a mbox of 5 more.
    static func spool() -> (maildir: String, mbox: String, count: Int) {
        var messages: [[UInt8]] = TestMail.people(12).map { TestMail.message(to: [$0], body: TestMail.lure) }
        for k in 0..<48 { messages.append(TestMail.message(to: ["reader\(k)@corp.example.co.jp"], subject: "note \(k)", body: "note number \(k)")) }
        let maildir = TestMail.maildir(messages)
        var mbox = ""
        for k in 0..<5 {
            mbox += "From sender@outside.example Mon Mar  4 10:00:00 2019\n"
                + String(decoding: TestMail.message(to: ["box\(k)@corp.example.co.jp"], subject: "box \(k)", body: "in the box \(k)"), as: UTF8.self)
                    .replacingOccurrences(of: "\r\n", with: "\n") + "\n"
        }
        let path = TestMail.directory() + "/spool.mbox"
        FileManager.default.createFile(atPath: path, contents: Data(mbox.utf8))
        return (maildir, path, messages.count + 5)
    }

    private func stored(_ db: String) throws -> Set<String> {
        let store = try SQLiteStore(path: db)
        return Set(try store.sharedMessages(SharedMessageQuery()).map(\.sha256))
    }

    @Test("Each message falls to exactly one shard, by hash and by name; the shards' union is the whole spool", arguments: Shard.Key.allCases)
    func partition(_ key: Shard.Key) throws {
        let (maildir, mbox, count) = Self.spool()
        let dir = TestMail.directory()
        var union = Set<String>()
        var total = 0
        for k in 1...3 {
            var options = TestMail.options()
            options.shard = try Shard(index: k, count: 3, key: key)
            let db = "\(dir)/shard\(k).db"
            let summary = try TestMail.batch([maildir, mbox], db: db, options: options)
            let mine = try stored(db)
            #expect(mine.isDisjoint(with: union), "a message in two shards")
            #expect(summary.scanned == mine.count && summary.otherShards == count - mine.count)
            union.formUnion(mine)
            total += summary.scanned
            if key == .hash { #expect(mine.count > 5, "shares by hash are near even: \(mine.count) of \(count)") }
        }
        #expect(union.count == count && total == count)
        // The same shard again, in another order of paths: the same messages (a stable assignment).
        var again = TestMail.options()
        again.shard = try Shard(index: 2, count: 3, key: key)
        let db = "\(dir)/again.db"
        try TestMail.batch([mbox, maildir], db: db, options: again)
        #expect(try stored(db) == (try stored("\(dir)/shard2.db")))
    }

    @Test("Three shards in turn into one store give the store one batch gives: messages and campaigns")
    func oneStore() throws {
        let (maildir, mbox, count) = Self.spool()
        let dir = TestMail.directory()
        for k in 1...3 {
            var options = TestMail.options()
            options.shard = try Shard(index: k, count: 3)
            try TestMail.batch([maildir, mbox], db: "\(dir)/shared.db", options: options)
        }
        try TestMail.batch([maildir, mbox], db: "\(dir)/single.db")
        #expect(try stored("\(dir)/shared.db").count == count)
        func shape(_ db: String) throws -> [String] {
            try TestMail.campaigns(db, all: true).map { "\($0.bulk) \($0.messages) \($0.distinctRecipients) \($0.messageSHA256.sorted())" }.sorted()
        }
        #expect(try shape("\(dir)/shared.db") == (try shape("\(dir)/single.db")))
        #expect(try TestMail.campaigns("\(dir)/shared.db").filter(\.bulk).count == 1)
    }

    @Test("K/N is checked: 1 <= K <= N")
    func parsing() throws {
        #expect(try Shard("2/3").index == 2)
        for bad in ["0/3", "4/3", "3", "a/b", "1/0", "-1/2"] { #expect(throws: ShardError.self) { try Shard(bad) } }
        // A Maildir file keeps its shard when its flags change (read, replied).
        let shard = try Shard(index: 1, count: 7, key: .name)
        #expect(shard.owns(name: "/m/cur/1551661200.M1P2.host:2,S") == shard.owns(name: "/other/new/1551661200.M1P2.host"))
    }
}

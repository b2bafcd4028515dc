import SpearCore
import Foundation
import SpearBatch
import SpearScan
@testable import SpearStore
import SpearIndicators
import Testing

/// The verdict's three states in the store: `messages.status`, `findings.kind`, campaign `targeted`, and the
/// migration of a version-1 store.
@Suite("Store: verdict status", .serialized)
struct VerdictStoreTests {
    /// A locked PPAP zip (not inspected), the same zip with its password in the body (clean), and a zip with a
    /// script (suspicious).
    static func spool(at root: String) -> String {
        let ppap = TestMail.fixture("ppap.zip"), risky = TestMail.fixture("simple.zip")
        return TestMail.maildir([
            TestMail.message(to: ["a@corp.example.co.jp"], subject: "見積書", body: "パスワードは別途お送りします。",
                             attachments: [.init(name: "見積書.zip", type: "application/zip", bytes: ppap)], id: "locked"),
            TestMail.message(to: ["b@corp.example.co.jp"], subject: "見積書", body: "パスワード：abc123",
                             attachments: [.init(name: "見積書.zip", type: "application/zip", bytes: ppap)], id: "opened"),
            TestMail.message(to: ["c@corp.example.co.jp"], subject: "請求書", body: "ご確認ください。",
                             attachments: [.init(name: "請求書.zip", type: "application/zip", bytes: risky)], id: "risky"),
        ], at: root + "/Maildir")
    }

    func statuses(_ db: String) throws -> [String: String] {
        let sqlite = try SQLiteDatabase(path: db, readOnly: true)
        var out: [String: String] = [:]
        try sqlite.query("SELECT message_id, status, targeted FROM messages") { row in
            out[row.text(0) ?? ""] = (row.text(1) ?? "?") + "/" + String(row.int(2))
        }
        return out
    }

    @Test("Each message's status is stored beside targeted, and not_inspected findings say so")
    func statusColumn() throws {
        let root = TestMail.directory()
        let db = root + "/store.db"
        let summary = try TestMail.batch([Self.spool(at: root)], db: db)
        #expect(summary.scanned == 3 && summary.suspicious == 1 && summary.notInspected == 1)
        #expect(try statuses(db) == ["<locked@test.example>": "not_inspected/0", "<opened@test.example>": "clean/0",
                                     "<risky@test.example>": "suspicious/1"])
        let sqlite = try SQLiteDatabase(path: db, readOnly: true)
        var kinds: [String] = []
        try sqlite.query("SELECT f.kind FROM findings f JOIN messages m ON m.id = f.message_id WHERE f.finding_id = 'encrypted_archive' ORDER BY m.message_id") {
            kinds.append($0.text(0) ?? "")
        }
        #expect(kinds == ["not_inspected", "evidence"])
    }

    @Test("A version-1 store is migrated when opened: status from targeted, findings are evidence")
    func migratesVersion1() throws {
        let root = TestMail.directory()
        let db = root + "/store.db"
        _ = try TestMail.batch([Self.spool(at: root)], db: db)
        // Make it what version 1 wrote.
        do {
            let old = try SQLiteDatabase(path: db)
            try old.execute("""
                DROP INDEX messages_status; ALTER TABLE messages DROP COLUMN status; ALTER TABLE findings DROP COLUMN kind;
                UPDATE meta SET value = '1' WHERE key = 'schema_version';
                """)
        }
        do { _ = try SQLiteStore(path: db) }
        #expect(try statuses(db) == ["<locked@test.example>": "clean/0", "<opened@test.example>": "clean/0",
                                     "<risky@test.example>": "suspicious/1"])
        let sqlite = try SQLiteDatabase(path: db, readOnly: true)
        var version: String?
        try sqlite.query("SELECT value FROM meta WHERE key = 'schema_version'") { version = $0.text(0) }
        #expect(version == "5")
        var kinds = Set<String>()
        try sqlite.query("SELECT DISTINCT kind FROM findings") { kinds.insert($0.text(0) ?? "") }
        #expect(kinds == ["evidence"])
    }

    @Test("A store written by a newer spearscan is refused with its version, not downgraded")
    func refusesNewerStore() throws {
        let root = TestMail.directory()
        let db = root + "/store.db"
        _ = try TestMail.batch([Self.spool(at: root)], db: db)
        do {
            let newer = try SQLiteDatabase(path: db)
            try newer.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version';")
        }
        #expect { _ = try SQLiteStore(path: db) } throws: { error in
            "\(error)".contains("schema version 99 is newer")
        }
    }

    @Test("Store locations: a path, sqlite:PATH, sqlite:///abs, postgres://; unknown schemes refused; an unreachable server fails once its wait is over")
    func locations() throws {
        #expect(try StoreLocation("spearscan.db") == .sqlite(path: "spearscan.db"))
        #expect(try StoreLocation("sqlite:out/s.db") == .sqlite(path: "out/s.db"))
        #expect(try StoreLocation("sqlite:///var/lib/s.db") == .sqlite(path: "/var/lib/s.db"))
        #expect(try StoreLocation("./a://b.db") == .sqlite(path: "./a://b.db"))
        #expect(try StoreLocation("postgres://u@h:5432/db").description == "postgres://u@h:5432/db?sslmode=prefer")
        #expect(throws: StoreError.self) { try StoreLocation("mysql://h/db") }
        #expect(throws: StoreError.self) { try StoreLocation("sqlite:") }
        // Nothing listens on port 1: the store waits at most its limit (here 0.5 s), then fails naming the server.
        let start = Date()
        #expect { _ = try Stores.open(try StoreLocation("postgres://u:secret@127.0.0.1:1/db"), lockWait: LockWait(limit: 0.5)) } throws: { error in
            "\(error)".contains("postgres://u@127.0.0.1:1/db") && !"\(error)".contains("secret")
        }
        #expect(Date().timeIntervalSince(start) < 10)
        let missing = TestMail.directory() + "/none.db"
        #expect(throws: StoreError.self) { _ = try Stores.open(.sqlite(path: missing), mustExist: true) }
        #expect(!FileManager.default.fileExists(atPath: missing))
        let made = try Stores.open(.sqlite(path: missing))
        #expect(made.files.first == missing && FileManager.default.fileExists(atPath: missing))
    }

    @Test("A version-1 store made by the released code (c67a5dd, over Samples/) is upgraded and used on")
    func upgradesReleasedVersion1Store() throws {
        let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        let fixture = tests.appendingPathComponent("Fixtures/store/version1-samples.db")
        let db = TestMail.directory() + "/v1.db"
        try FileManager.default.copyItem(atPath: fixture.path, toPath: db)
        let before = try SQLiteDatabase(path: db, readOnly: true)
        #expect(try before.scalar("SELECT count(*) FROM pragma_table_info('messages') WHERE name = 'status'") == 0)
        let store = try SQLiteStore(path: db)
        let sqlite = try SQLiteDatabase(path: db, readOnly: true)
        var version: String?
        try sqlite.query("SELECT value FROM meta WHERE key = 'schema_version'") { version = $0.text(0) }
        #expect(version == "5")
        // Version 1 judged 12 of the 16 samples suspicious; the status column says so, the rest clean.
        #expect(try sqlite.scalar("SELECT count(*) FROM messages WHERE status = 'suspicious'") == 12)
        #expect(try sqlite.scalar("SELECT count(*) FROM messages WHERE status = 'clean'") == 4)
        #expect(try sqlite.scalar("SELECT count(*) FROM findings WHERE kind <> 'evidence'") == 0)
        // Version 5's indicators table is there, empty for messages stored before it (until --rescan).
        #expect(try sqlite.scalar("SELECT count(*) FROM iocs") == 0)
        #expect(try store.counts().messages == 16)
        #expect(try store.countersMatchRecount())
        // The same samples again: all already stored, nothing lost or doubled.
        let samples = tests.deletingLastPathComponent().appendingPathComponent("Samples").path
        let eml = try FileManager.default.contentsOfDirectory(atPath: samples).filter { $0.hasSuffix(".eml") }.map { samples + "/" + $0 }
        let summary = try BatchRunner(paths: eml, options: TestMail.options(), store: store).run()
        #expect(summary.skipped == 16 && summary.scanned == 0)
        #expect(try store.counts().messages == 16)
        // Stored before indicators were kept: export says so of each; a rescan stores them anew, with indicators.
        #expect(try store.sharedMessages(SharedMessageQuery()).allSatisfy { !$0.indicatorsKnown })
        var rescan = TestMail.options()
        rescan.rescan = true
        rescan.scan.indicators = IndicatorExtractor(psl: nil)
        #expect(try BatchRunner(paths: eml, options: rescan, store: store).run().scanned == 16)
        let shared = try store.sharedMessages(SharedMessageQuery())
        #expect(shared.count == 16 && shared.allSatisfy(\.indicatorsKnown))
        #expect(shared.contains { !$0.indicators.isEmpty })
    }
}

import Foundation
import SpearBatch
import SpearCore
@testable import SpearStore
import Testing

/// PPAP: an encrypted zip, and its password in a second mail. The batch opens the zip with the notice's password
/// wherever the notice is (before, after, in a later batch), and only a notice that belongs to it.
@Suite("Batch: PPAP archives opened with the password from another message", .serialized)
struct PPAPTests {
    static let zip = TestMail.fixture("ppap.zip")  // ZipCrypto, 見積書.txt, password abc123

    static func archiveMail(from: String = "tanaka@partner.example.co.jp", to: [String] = ["sato@corp.example.co.jp"],
                            date: String = "Mon, 04 Mar 2019 10:00:00 +0900", id: String = "archive") -> [UInt8] {
        TestMail.message(from: from, to: to, subject: "見積書送付の件", body: "見積書を送付いたします。パスワードは別メールにてお送りします。",
                         attachments: [.init(name: "見積書.zip", type: "application/zip", bytes: zip)], id: id, date: date)
    }

    static func notice(_ body: String, from: String = "tanaka@partner.example.co.jp", to: [String] = ["sato@corp.example.co.jp"],
                       date: String = "Mon, 04 Mar 2019 10:05:00 +0900", id: String = "notice") -> [UInt8] {
        TestMail.message(from: from, to: to, subject: "パスワードのお知らせ", body: body, id: id, date: date)
    }

    func store(_ db: String) throws -> SQLiteDatabase { try SQLiteDatabase(path: db, readOnly: true) }

    func status(_ db: String, _ id: String) throws -> String? {
        var out: String?
        try store(db).query("SELECT status FROM messages WHERE message_id = ?", .text("<\(id)@test.example>")) { out = $0.text(0) }
        return out
    }

    func pairs(_ db: String) throws -> [PPAPPair] { try SQLiteStore(path: db).ppapPairs() }

    @Test("the notice after the archive, in four ways of writing the password: opened, members stored, paired",
          arguments: ["パスワード：ａｂｃ１２３", "パスワードは以下のとおりです。\n\n    abc123\n", "【パスワード】\nabc123",
                      "先ほどの見積書のパスワードです。\n\nabc123\n\nよろしくお願いいたします。"])
    func noticeAfter(body: String) throws {
        let root = TestMail.directory()
        let db = root + "/s.db"
        let spool = TestMail.maildir([Self.archiveMail(), Self.notice(body)], at: root + "/Maildir")
        let summary = try TestMail.batch([spool], db: db)
        #expect(summary.ppapTried == 1 && summary.ppapOpened == 1)
        #expect(summary.notInspected == 0, "the archive of this run, opened, is counted by its new verdict")
        #expect(try status(db, "archive") == "clean")
        let pair = try #require(try pairs(db).first)
        #expect(pair.password == "abc123")
        var noticeSHA: String?
        try store(db).query("SELECT sha256 FROM messages WHERE message_id = '<notice@test.example>'") { noticeSHA = $0.text(0) }
        #expect(pair.passwordSHA256 == noticeSHA)
        var members: [String] = []
        try store(db).query("""
            SELECT a.filename FROM attachments a JOIN messages m ON m.id = a.message_id
            WHERE m.message_id = '<archive@test.example>' AND a.depth = 1
            """) { members.append($0.text(0) ?? "") }
        #expect(members == ["見積書.txt"])
        // The notice is an ordinary message, not an attack.
        #expect(try status(db, "notice") == "clean")
    }

    @Test("the notice first (mbox order is not time order): opened all the same")
    func noticeFirst() throws {
        let root = TestMail.directory()
        let db = root + "/s.db"
        let spool = TestMail.maildir([Self.notice("パスワード: abc123", date: "Mon, 04 Mar 2019 09:55:00 +0900"), Self.archiveMail()],
                                     at: root + "/Maildir")
        let summary = try TestMail.batch([spool], db: db)
        #expect(summary.ppapOpened == 1)
        #expect(try status(db, "archive") == "clean")
    }

    @Test("the notice in a later batch: the stored archive is opened then, and the next run has nothing to do")
    func noticeLater() throws {
        let root = TestMail.directory()
        let db = root + "/s.db"
        let first = TestMail.maildir([Self.archiveMail()], at: root + "/first")
        let one = try TestMail.batch([first], db: db)
        #expect(one.ppapTried == 0 && one.notInspected == 1)
        #expect(try status(db, "archive") == "not_inspected")
        let second = TestMail.maildir([Self.notice("PW：abc123")], at: root + "/second")
        let two = try TestMail.batch([first, second], db: db)
        #expect(two.scanned == 1 && two.skipped == 1 && two.ppapOpened == 1)
        #expect(try status(db, "archive") == "clean")
        let three = try TestMail.batch([first, second], db: db)
        #expect(three.ppapTried == 0)
        #expect(try pairs(db).count == 1)
    }

    @Test("notices that do not belong: another sender domain, no recipient in common, outside the window, a wrong password")
    func notPaired() throws {
        let cases: [[UInt8]] = [
            Self.notice("パスワード: abc123", from: "tanaka@other.example.com"),
            Self.notice("パスワード: abc123", to: ["someone@corp.example.co.jp"]),
            Self.notice("パスワード: abc123", date: "Thu, 07 Mar 2019 10:00:00 +0900"),
            Self.notice("パスワード: zzz999"),
        ]
        for (k, notice) in cases.enumerated() {
            let root = TestMail.directory()
            let db = root + "/s.db"
            let spool = TestMail.maildir([Self.archiveMail(), notice], at: root + "/Maildir")
            let summary = try TestMail.batch([spool], db: db)
            #expect(summary.ppapOpened == 0, "case \(k)")
            #expect(try status(db, "archive") == "not_inspected", "case \(k)")
            #expect(try pairs(db).isEmpty, "case \(k)")
            // A notice tried once is not tried again by the next batch.
            let again = try TestMail.batch([spool], db: db)
            #expect(again.ppapTried == 0, "case \(k)")
        }
    }

    @Test("a wider --ppap-window reaches a notice three days later; 0 turns the pass off")
    func window() throws {
        let late = Self.notice("パスワード: abc123", date: "Thu, 07 Mar 2019 10:00:00 +0900")
        var options = TestMail.options()
        options.ppapWindow = 96 * 3_600
        let root = TestMail.directory()
        let wide = try TestMail.batch([TestMail.maildir([Self.archiveMail(), late], at: root + "/a")], db: root + "/a.db", options: options)
        #expect(wide.ppapOpened == 1)
        options.ppapWindow = 0
        let off = try TestMail.batch([TestMail.maildir([Self.archiveMail(), Self.notice("パスワード: abc123")], at: root + "/b")],
                                     db: root + "/b.db", options: options)
        #expect(off.ppapTried == 0 && off.notInspected == 1)
    }
}

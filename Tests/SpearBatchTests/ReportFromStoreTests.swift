import SpearCore
import SpearDomains
import Foundation
import SpearBatch
import SpearCampaigns
import SpearReport
@testable import SpearStore
import Testing

/// The report's numbers over a real batch equal numbers counted independently with SQL over the stored rows,
/// and a report from the batch's JSON Lines equals the report from its store.
@Suite struct ReportFromStoreTests {
    static let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Samples").path

    /// The samples plus a bulk campaign of twelve messages in April 2019.
    func spool() -> (String, String) {
        let root = TestMail.directory()
        // A payload of its own: the samples' scripts would otherwise (rightly) join this campaign.
        let form = TestMail.Attachment(name: "order-form.txt", type: "text/plain",
                                       bytes: Array(String(repeating: "Order form 2019-04, item list follows.\n", count: 8).utf8))
        let bulk = (0..<12).map { i in
            TestMail.message(to: ["staff\(i)@corp.example.co.jp"], subject: "注文内容の確認", body: TestMail.lure,
                             attachments: [form], id: "report-\(i)", date: "Tue, 16 Apr 2019 0\(i % 10):00:00 +0900")
        }
        TestMail.maildir(bulk, at: root + "/Maildir")
        return (root, root + "/store.db")
    }

    /// A small spool whose figures were worked out by hand from the fixtures' contents (Tests/Fixtures/README.md).
    @Test func handCheckedFiguresOverASmallSpool() throws {
        func attach(_ fixture: String, _ name: String, inline: Bool = false) -> TestMail.Attachment {
            .init(name: name, type: "application/octet-stream", bytes: TestMail.fixture(fixture), inline: inline)
        }
        let jan = "Thu, 10 Jan 2019 09:00:00 +0900", feb = "Fri, 01 Feb 2019 00:30:00 +0900"
        let messages = [
            // January: a zip of hello.js + readme.txt; a Word document with an inline logo; an AES zip whose
            // password is nowhere (its member is listed but unreadable).
            TestMail.message(to: ["a@corp.example.co.jp"], body: "Order form attached, please check it today.",
                             attachments: [attach("simple.zip", "order.zip")], id: "h1", date: jan),
            TestMail.message(to: ["b@corp.example.co.jp"], body: "Minutes of the meeting are attached for review.",
                             attachments: [attach("plain.docx", "minutes.docx"), attach("sample.png", "logo.png", inline: true)],
                             id: "h2", date: jan),
            TestMail.message(to: ["c@corp.example.co.jp"], body: "The encrypted report is attached as agreed.",
                             attachments: [attach("aes.zip", "report.zip")], id: "h3", date: jan),
            // February (00:30 +0900 is still January in UTC: the period follows the sender's offset): a zip in a
            // zip holding hello.js; an ISO with hello.lnk + readme.txt; a bare executable.
            TestMail.message(to: ["d@corp.example.co.jp"], body: "Nested archive with the installer inside it.",
                             attachments: [attach("nested.zip", "setup.zip")], id: "h4", date: feb),
            TestMail.message(to: ["e@corp.example.co.jp"], body: "Disk image with the shortcut to the documents.",
                             attachments: [attach("hello.iso", "docs.iso")], id: "h5", date: feb),
            TestMail.message(to: ["f@corp.example.co.jp"], body: "Run the program to update the invoice viewer.",
                             attachments: [attach("hello.exe", "viewer.exe")], id: "h6", date: feb),
        ]
        let root = TestMail.directory()
        TestMail.maildir(messages, at: root + "/Maildir")
        var undated = TestMail.message(to: ["g@corp.example.co.jp"], body: "Spreadsheet of the budget figures attached.",
                                       attachments: [attach("plain.xlsx", "budget.xlsx")], id: "h7")
        // No Date header and no Received header: the unknown bucket.
        let text = String(decoding: undated, as: UTF8.self).replacingOccurrences(of: "Date: Mon, 04 Mar 2019 10:00:00 +0900\r\n", with: "")
        undated = Array(text.utf8)
        _ = FileManager.default.createFile(atPath: root + "/Maildir/cur/999999.test:2,S", contents: Data(undated))
        let store = try SQLiteStore(path: root + "/store.db")
        #expect(try BatchRunner(paths: [root + "/Maildir"], options: TestMail.options(), store: store).run().scanned == 7)
        let messagesForReport = try ReportSource.messages(store: store, rule: BulkRule(), linkSimilar: false)
        let all = try Report(messages: messagesForReport, options: ReportOptions(by: .month, scope: .all))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(all.json().utf8)) as? [String: Any])
        let periods = try #require(json["periods"] as? [[String: Any]])
        func period(_ key: String) throws -> [String: Any] { try #require(periods.first { $0["period"] as? String == key }) }
        func nonzero(_ object: Any?) -> [String: Int] { ((object as? [String: Int]) ?? [:]).filter { $0.value > 0 } }

        let january = try period("2019-01"), february = try period("2019-02"), unknown = try period("unknown")
        #expect(january["messages"] as? Int == 3 && january["targeted"] as? Int == 2)
        #expect(nonzero(january["attachments"]) == ["archive": 2, "word": 1])
        #expect(nonzero(january["archive_contents"]) == ["script": 1, "text": 1, "not_inspected": 1])
        #expect(january["encrypted_archive"] as? Int == 1)
        #expect(february["messages"] as? Int == 3 && february["targeted"] as? Int == 3)
        #expect(nonzero(february["attachments"]) == ["archive": 1, "disk_image": 1, "executable": 1])
        // The ISO's shortcut counts inside disk images; the zip's files inside compressed files.
        #expect(nonzero(february["archive_contents"]) == ["script": 1])
        #expect(nonzero(february["disk_image_contents"]) == ["shortcut": 1, "text": 1])
        #expect(february["nested_archives"] as? Int == 1)
        #expect(unknown["messages"] as? Int == 1 && nonzero(unknown["attachments"]) == ["excel": 1])

        // Targeted scope: the Word and Excel messages drop out of the breakdowns.
        let targeted = try Report(messages: messagesForReport, options: ReportOptions(by: .half, scope: .targeted))
        let half = try #require(targeted.periods.first { $0.period?.key == "2019-H1" })
        #expect(half.counted == 5)
        #expect(half.attachments[.word] == 0 && half.attachments[.archive] == 3)
    }

    @Test func countsEqualSQLOverTheStoredRows() throws {
        let (root, db) = spool()
        var lines: [String] = []
        let store = try SQLiteStore(path: db)
        _ = try BatchRunner(paths: [root + "/Maildir", Self.samples], options: TestMail.options(), store: store,
                            lineSink: { lines.append($0) }).run()
        let messages = try ReportSource.messages(store: store, rule: BulkRule(), linkSimilar: false)
        let report = try Report(messages: messages, options: ReportOptions(by: .month, scope: .all))
        let sql = store.db

        // Messages and targeted per month, from the Date header's own offset (its first 7 characters).
        var perMonth: [String: (Int, Int)] = [:]
        try sql.query("SELECT substr(coalesce(date, received_date), 1, 7), count(*), sum(targeted) FROM messages GROUP BY 1") {
            perMonth[$0.text(0) ?? "unknown"] = (Int($0.int(1)), Int($0.int(2)))
        }
        for period in report.periods where period.messages > 0 {
            let expected = perMonth[period.period?.key ?? ""]
            #expect(expected?.0 == period.messages, "\(period.period?.key ?? "")")
            #expect(expected?.1 == period.targeted, "\(period.period?.key ?? "")")
        }
        #expect(report.totals.messages == Int(try sql.scalar("SELECT count(*) FROM messages") ?? -1))

        // Attachment files: top-level and not inline, by category.
        var attachments: [String: Int] = [:]
        try sql.query("SELECT category, count(*) FROM attachments WHERE parent_id IS NULL AND inline = 0 GROUP BY 1") {
            attachments[AttachmentCategory(normalizing: $0.text(0) ?? "other").rawValue, default: 0] += Int($0.int(1))
        }
        let json = try #require(try JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any])
        let totals = try #require(json["totals"] as? [String: Any])
        let reported = try #require(totals["attachments"] as? [String: Int])
        for (category, count) in attachments { #expect(reported[category] == count, "\(category)") }
        #expect(reported.values.reduce(0, +) == attachments.values.reduce(0, +))

        // Leaves inside archive and disk-image attachments (top level, not inline), recursively; archives at any
        // depth that could not be opened count once (not inspected); opened nested archives are not counted.
        let leaves = Int(try sql.scalar("""
            WITH RECURSIVE inside(id, category, encrypted, complete, depth) AS (
                SELECT id, category, encrypted, complete, 0 FROM attachments
                WHERE parent_id IS NULL AND inline = 0 AND category IN ('archive', 'disk_image')
                UNION ALL
                SELECT c.id, c.category, c.encrypted, c.complete, i.depth + 1 FROM attachments c JOIN inside i ON c.parent_id = i.id
                WHERE i.category IN ('archive', 'disk_image')
            )
            SELECT count(*) FROM inside i
            WHERE (i.depth > 0 AND i.category NOT IN ('archive', 'disk_image'))
               OR (i.depth > 0 AND i.category IS NULL)
               OR (i.category IN ('archive', 'disk_image') AND (i.encrypted = 1 OR i.complete = 0)
                   AND NOT EXISTS (SELECT 1 FROM attachments c WHERE c.parent_id = i.id))
            """) ?? -1)
        let contents = try #require(totals["archive_contents"] as? [String: Int])
        let imageContents = try #require(totals["disk_image_contents"] as? [String: Int])
        #expect(contents.values.reduce(0, +) + imageContents.values.reduce(0, +) == leaves, "\(contents) \(imageContents)")

        // Bulk-type: the twelve April messages, and only those.
        let april = try #require(report.periods.first { $0.period?.key == "2019-04" })
        #expect(april.bulk == 12)
        #expect(report.totals.bulk == 12)

        // The same report from the batch's JSON Lines, without the store.
        let fromLines = try ReportSource.messages(jsonLines: Data(lines.joined(separator: "\n").utf8), name: "batch.jsonl",
                                                  rule: BulkRule(), linkSimilar: false, psl: PublicSuffixList.system)
        let other = try Report(messages: fromLines, options: ReportOptions(by: .month, scope: .all))
        #expect(other.json() == report.json())
    }
}

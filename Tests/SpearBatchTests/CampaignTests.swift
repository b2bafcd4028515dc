import SpearCore
import Foundation
import SpearBatch
import SpearCampaigns
import SpearStore
import Testing

/// Campaign boundaries of the bulk-type (ばらまき型) rule, through real batches into real stores (SQLite, and PostgreSQL when a server can be started).
@Suite struct CampaignTests {
    let zip = TestMail.Attachment(name: "注文書.zip", type: "application/zip", bytes: TestMail.fixture("simple.zip"))

    private func run(_ backend: StoreBackend, _ messages: [[UInt8]]) throws -> String {
        let spool = TestMail.maildir(messages)
        let db = try backend.location(in: TestMail.directory())
        let summary = try TestMail.batch([spool], db: db)
        #expect(summary.scanned == messages.count)
        return db
    }

    @Test(arguments: StoreBackend.available) func nineRecipientsAreNotBulkTenAre(backend: StoreBackend) throws {
        let nine = TestMail.message(to: TestMail.people(9), body: TestMail.lure, attachments: [zip])
        let ten = TestMail.message(to: TestMail.people(5), cc: TestMail.people(5, prefix: "cc"), subject: "Other",
                                   body: TestMail.lure + "\n別件です。", attachments: [
                                       .init(name: "a.7z", type: "application/x-7z-compressed", bytes: TestMail.fixture("rar5.rar")),
                                   ])
        let db = try run(backend, [nine, ten])
        let all = try TestMail.campaigns(db, all: true)
        #expect(all.count == 2)
        let byRecipients = Dictionary(uniqueKeysWithValues: all.map { ($0.distinctRecipients, $0) })
        #expect(byRecipients[9]?.bulk == false)
        #expect(byRecipients[10]?.bulk == true)
        #expect(byRecipients[10]?.messages == 1)
    }

    @Test(arguments: StoreBackend.available) func aCampaignSplitOverManyMessagesCountsEveryRecipientOnce(backend: StoreBackend) throws {
        var messages = (0..<12).map { i in
            TestMail.message(to: ["person\(i)@corp.example.co.jp"], body: "Dear person \(i), please see the order form.",
                             attachments: [zip], id: "split-\(i)")
        }
        // The same person twice counts once.
        messages.append(TestMail.message(to: ["person0@corp.example.co.jp"], body: "Reminder: the order form again.",
                                         attachments: [zip], id: "split-again"))
        let db = try run(backend, messages)
        let campaigns = try TestMail.campaigns(db)
        #expect(campaigns.count == 1)
        #expect(campaigns.first?.messages == 13)
        #expect(campaigns.first?.distinctRecipients == 12)
        #expect(campaigns.first?.bulk == true)
        #expect(campaigns.first?.targeted == true)
        // The zip and hello.js; its 9-byte readme.txt is too small to link anything.
        #expect(campaigns.first?.payloadSHA256.count == 2)
    }

    @Test(arguments: StoreBackend.available) func distinctDomainsAsTheUnit(backend: StoreBackend) throws {
        let recipients = TestMail.people(12) { i in ["a.example.co.jp", "mail.a.example.co.jp", "b.example.com", "c.example.org"][i % 4] }
        let db = try run(backend, [TestMail.message(to: recipients, body: TestMail.lure, attachments: [zip])])
        let byAddress = try TestMail.campaigns(db)
        #expect(byAddress.first?.bulk == true)
        #expect(byAddress.first?.distinctDomains == 3)  // a.example.co.jp and mail.a.example.co.jp are one organisation
        let byDomain = try TestMail.campaigns(db, rule: BulkRule(threshold: 10, unit: .domain), all: true)
        #expect(byDomain.first?.bulk == false)
        let lowThreshold = try TestMail.campaigns(db, rule: BulkRule(threshold: 3, unit: .domain))
        #expect(lowThreshold.first?.bulk == true)
    }

    @Test(arguments: StoreBackend.available) func theSameScriptInDifferentContainersAndBehindABodyPassword(backend: StoreBackend) throws {
        let containers: [(String, String, String, String)] = [
            ("simple.zip", "a.zip", "application/zip", "Please find the file attached."),
            ("sample.7z", "b.7z", "application/x-7z-compressed", "The document you asked for is attached here."),
            ("zipcrypto.zip", "c.zip", "application/zip", "添付ファイルを開いてください。\nパスワード: abc123\nよろしくお願いします。"),
            ("hello.js", "d.js", "application/javascript", "Run the attached installer to update your settings."),
            ("sjis.lzh", "e.lzh", "application/octet-stream", "資料を送付いたします。解凍してご覧ください。よろしくお願いいたします。"),
        ]
        let messages = containers.enumerated().map { i, c in
            TestMail.message(to: ["target\(i)@victim.example"], subject: "s\(i)", body: c.3,
                             attachments: [.init(name: c.1, type: c.2, bytes: TestMail.fixture(c.0))], id: "container-\(i)")
        }
        let db = try run(backend, messages)
        let campaigns = try TestMail.campaigns(db)
        #expect(campaigns.count == 1, "one .js in a zip, a 7z, a password zip, an LZH and bare links all five")
        #expect(campaigns.first?.messages == 5)
        #expect(campaigns.first?.payloadSHA256.contains(
            "b692e3d0d6a2f5a6813c1ef7f482b9dde56c26f63d3cfa15654dcc0754a24c09") == true)
    }

    @Test(arguments: StoreBackend.available) func theSameTextInDifferentCharsetsAndTransferEncodings(backend: StoreBackend) throws {
        let variants: [(String, String, Bool)] = [
            ("utf-8", "8bit", false), ("iso-2022-jp", "7bit", false), ("shift_jis", "base64", false),
            ("utf-8", "quoted-printable", false), ("utf-8", "base64", true),
        ]
        let messages = variants.enumerated().map { i, v in
            TestMail.message(to: TestMail.people(2, prefix: "v\(i)-"), body: v.2
                             ? "<html><body><p>" + TestMail.lure.replacingOccurrences(of: "\n", with: "<br>\n") + "</p></body></html>"
                             : TestMail.lure, charset: v.0, encoding: v.1, html: v.2, id: "charset-\(i)")
        }
        let db = try run(backend, messages)
        let campaigns = try TestMail.campaigns(db)
        #expect(campaigns.count == 1)
        #expect(campaigns.first?.messages == 5)
        #expect(campaigns.first?.distinctRecipients == 10)
        #expect(campaigns.first?.bulk == true)
        #expect(campaigns.first?.textSHA256.count == 1)
    }

    @Test(arguments: StoreBackend.available) func personalisedGreetingsAreAFamilyUnlessLinkedAsSimilar(backend: StoreBackend) throws {
        let names = ["山田", "佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "中村", "小林", "加藤"]
        let messages = names.enumerated().map { i, name in
            TestMail.message(to: ["\(i)@corp.example.co.jp"],
                             body: "\(name)様\n\n" + TestMail.lure + "\nご注文番号: \(40_000 + i * 137)",
                             id: "personal-\(i)")
        }
        let db = try run(backend, messages)
        let separate = try TestMail.campaigns(db)
        #expect(separate.count == 10, "each personalised message is its own campaign by default")
        #expect(separate.allSatisfy { !$0.bulk })
        #expect(separate.allSatisfy { $0.similarCampaignIDs.count >= 5 }, "\(separate.map(\.similarCampaignIDs.count))")
        let linked = try TestMail.campaigns(db, linkSimilar: true)
        #expect(linked.count == 1)
        #expect(linked.first?.distinctRecipients == 10)
        #expect(linked.first?.bulk == true)
    }

    @Test(arguments: StoreBackend.available) func recurringLogosAndBoilerplateDoNotMakeCampaigns(backend: StoreBackend) throws {
        let logo = TestMail.Attachment(name: "logo.png", type: "image/png", bytes: TestMail.fixture("sample.png"), inline: true)
        let banner = TestMail.Attachment(name: "banner.png", type: "image/png", bytes: TestMail.fixture("sample.png"))
        let topics = ["the quarterly budget review moves to Thursday", "printer on the third floor is repaired",
                      "please send travel receipts before Friday", "new security training is mandatory this month",
                      "the cafeteria closes early on the holiday", "draft contract for the supplier is ready",
                      "visitors must register at the front desk", "parking permits renew in April",
                      "the VPN maintenance window is Sunday night", "team dinner is booked for next Wednesday",
                      "annual health checks start on Monday", "the new hire starts in the sales team"]
        let messages = (0..<12).map { i in
            TestMail.message(to: ["colleague\(i)@corp.example.co.jp"],
                             body: i % 3 == 0 ? "Sent from my phone" : "Hello, just a note: \(topics[i]). Thanks.",
                             attachments: [logo, banner], id: "logo-\(i)")
        }
        let db = try run(backend, messages)
        #expect(try TestMail.campaigns(db).isEmpty)
        #expect(try TestMail.campaigns(db, all: true).count == 12)
    }
}

import Foundation
import Testing
@testable import SpearReport

@Suite("JSON")
struct JSONRendererTests {
    func object(_ report: Report) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any])
    }

    @Test func contract() throws {
        let doc = try object(try Fixtures.report(.month, .all))
        #expect(doc["by"] as? String == "month")
        #expect(doc["scope"] as? String == "all")
        #expect(doc["from"] is NSNull)
        let periods = try #require(doc["periods"] as? [[String: Any]])
        #expect(periods.count == 8)
        let jan = periods[0]
        #expect(jan["period"] as? String == "2019-01")
        for key in ["messages", "targeted", "counted", "spoofed", "spoofed_unknown", "bulk", "non_public",
                    "encrypted_archive", "attachments", "archive_contents", "disk_image_contents", "nested_archives", "top_subjects",
                    "top_sender_domains"] {
            #expect(jan[key] != nil, "missing \(key)")
        }
        #expect(jan["messages"] as? Int == 3)
        #expect(jan["counted"] as? Int == 3)
        #expect(jan["non_public"] as? Int == 1)
        let attachments = try #require(jan["attachments"] as? [String: Int])
        #expect(attachments.count == 15)
        #expect(attachments["pdf"] == 1 && attachments["word"] == 1 && attachments["archive"] == 1 && attachments["disk_image"] == 0)
        let contents = try #require(jan["archive_contents"] as? [String: Int])
        #expect(contents.count == 14)
        #expect(contents["not_inspected"] == 0 && contents["shortcut"] == 1)
        #expect(contents["archive"] == nil)
        let subjects = try #require(jan["top_subjects"] as? [[String: Any]])
        #expect(subjects.first?["subject"] as? String == "請求書の送付")
        #expect(subjects.first?["count"] as? Int == 2)
        let domains = try #require(jan["top_sender_domains"] as? [[String: Any]])
        #expect(domains.first?["domain"] as? String == "evil.example")

        let totals = try #require(doc["totals"] as? [String: Any])
        #expect(totals["period"] as? String == "total")
        #expect(totals["messages"] as? Int == 12)
        #expect((totals["archive_contents"] as? [String: Int])?["not_inspected"] == 3)
    }

    @Test func nonPublicNullWithoutList() throws {
        let json = try Fixtures.report(publicAddresses: nil).json()
        #expect(json.contains("\"non_public\" : null"))
        let doc = try object(try Fixtures.report(publicAddresses: nil))
        let periods = try #require(doc["periods"] as? [[String: Any]])
        #expect(periods.allSatisfy { $0["non_public"] is NSNull })
    }

    @Test func keysAreSortedAndPeriodsNotLocalised() throws {
        let json = try Fixtures.report(.half, lang: .ja, publicAddresses: nil).json()
        #expect(json.contains("\"2019-H1\""))
        #expect(!json.contains("上半期"))
        let a = json.range(of: "\"archive_contents\"")!.lowerBound
        let b = json.range(of: "\"attachments\"")!.lowerBound
        let c = json.range(of: "\"bulk\"")!.lowerBound
        #expect(a < b && b < c)
        // Japanese subjects are written as UTF-8, not escaped, and the escaping subject stays a JSON string.
        #expect(json.contains("請求書の送付"))
    }
}

extension Fixtures {
    static func report(_ by: Granularity, lang: Language, publicAddresses: Set<String>?) throws -> Report {
        try report(by, .targeted, publicAddresses: publicAddresses, lang: lang)
    }
}

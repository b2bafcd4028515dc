import Foundation
import TestSupport
import Testing

/// `spearscan export` over a store holding a bulk-type lure (12 recipients, the same zip with a shortcut and a
/// script inside, an obfuscated link) and a clean message; `scan --format stix|misp`.
@Suite("CLI: export as STIX 2.1 and MISP from the store; scan --format stix", .serialized)
struct ExportCLITests {
    static let zip = try! Data(contentsOf: CLI.samples.deletingLastPathComponent().appendingPathComponent("Tests/Fixtures/iocs/nested-iocs.zip"))

    static func lure(_ k: Int) -> String {
        let b64 = zip.base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        return """
        From: "Shop Order" <order@shop-order.example>\r
        To: user\(k)@victim\(k % 3).example.co.jp\r
        Subject: =?UTF-8?B?5rOo5paH5YaF5a6544Gu56K66KqN?=\r
        Date: Mon, 1\(k % 10) Jun 2019 09:00:00 +0900\r
        Message-ID: <lure\(k)@shop-order.example>\r
        MIME-Version: 1.0\r
        Content-Type: multipart/mixed; boundary="b"\r
        \r
        --b\r
        Content-Type: text/plain; charset=utf-8\r
        \r
        ご注文内容をご確認ください。 hxxps://order-check.example[.]com/confirm\r
        --b\r
        Content-Type: application/zip; name="order.zip"\r
        Content-Disposition: attachment; filename="order.zip"\r
        Content-Transfer-Encoding: base64\r
        \r
        \(b64)\r
        --b--\r

        """
    }

    static let clean = """
    From: colleague@victim0.example.co.jp\r
    To: user1@victim0.example.co.jp\r
    Subject: lunch\r
    Date: Tue, 11 Jun 2019 12:00:00 +0900\r
    \r
    Lunch at noon? https://maps.example.net/place\r

    """

    /// A store with the twelve lures and the clean message.
    static func store(_ scratch: Scratch) throws -> String {
        let spool = scratch.path + "/spool"
        try FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: false)
        for k in 0..<12 { try scratch.write("spool/lure\(k).eml", Array(lure(k).utf8)) }
        try scratch.write("spool/clean.eml", Array(clean.utf8))
        let db = scratch.path + "/store.db"
        let batch = try CLI.run(["batch", "--offline", "--db", db, spool])
        #expect(batch.status == 1, "\(batch.out) \(batch.err)")
        return db
    }

    @Test("A bulk-type campaign shared as STIX: one campaign, its indicators, valid in strict mode, the same on re-export")
    func stixCampaign() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let db = try Self.store(scratch)
        let campaigns = try CLI.run(["campaigns", "--db", db, "--format", "json", "--bulk-only"]).json().objects("campaigns")
        let id = try #require(campaigns.first?["id"] as? String)
        #expect(campaigns.count == 1)

        let out = scratch.path + "/bundle.json"
        let export = try CLI.run(["export", "--db", db, "--format", "stix", "--campaign", id, "-o", out])
        #expect(export.status == 0, "\(export.err)")
        let data = try Data(contentsOf: URL(fileURLWithPath: out))
        let objects = try #require((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["objects"] as? [[String: Any]])
        let types = objects.compactMap { $0["type"] as? String }
        #expect(types.filter { $0 == "campaign" }.count == 1)
        #expect(types.filter { $0 == "email-message" }.count == 1, "12 messages of one sender and subject are one observable")
        // Each relationship once: the twelve messages do not repeat the email-message's links.
        let links = objects.filter { $0["type"] as? String == "relationship" }.map { "\($0["source_ref"] ?? "")|\($0["relationship_type"] ?? "")|\($0["target_ref"] ?? "")" }
        #expect(Set(links).count == links.count && links.count < 40, "\(links.count) relationships")
        let patterns = Set(objects.compactMap { $0["pattern"] as? String })
        #expect(patterns.contains("[url:value = 'https://order-check.example.com/confirm']"))
        #expect(patterns.contains { $0.hasPrefix("[file:hashes.'SHA-256' = ") } && patterns.count >= 4, "\(patterns)")
        #expect(objects.contains { $0["type"] as? String == "process" && ($0["command_line"] as? String)?.contains("powershell.exe") == true })
        #expect(objects.contains { $0["type"] as? String == "ipv4-addr" && $0["value"] as? String == "192.0.2.44" })
        #expect(!String(decoding: data, as: UTF8.self).contains("victim"), "recipients are left out unless asked")
        #expect(!objects.contains { $0["value"] as? String == "https://maps.example.net/place" }, "the clean message is not in the campaign")
        if SharingValidators.available {
            let errors = try SharingValidators.stixErrors(data)
            #expect(errors == nil, "\(errors ?? "")")
        }
        let again = try CLI.run(["export", "--db", db, "--format", "stix", "--campaign", id])
        #expect(Data(again.out.utf8) == data, "a re-export gives the same bundle")
        let red = try CLI.run(["export", "--db", db, "--bulk-only", "--tlp", "red", "--with-recipients"])
        #expect(red.out.contains("TLP:RED") && red.out.contains("user3@victim0.example.co.jp"))
    }

    @Test("MISP: the campaign as an event that pymisp loads; selection by period; nothing matched is exit 1",
          .enabled(if: SharingValidators.available, SharingValidators.missing))
    func misp() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let db = try Self.store(scratch)
        let export = try CLI.run(["export", "--db", db, "--format", "misp", "--targeted", "--tlp", "green"])
        #expect(export.status == 0, "\(export.err)")
        var summary: [String: Any] = [:]
        let errors = try SharingValidators.mispErrors(Data(export.out.utf8), summary: &summary)
        #expect(errors == nil, "\(errors ?? "")")
        let attributes = (summary["attributes"] as? [[Any]]) ?? []
        #expect(attributes.contains { $0[0] as? String == "url" && $0[1] as? String == "https://order-check.example.com/confirm" && $0[2] as? Bool == true })
        #expect(attributes.contains { $0[0] as? String == "email-src" && $0[1] as? String == "order@shop-order.example" })
        #expect((summary["tags"] as? [String])?.contains("tlp:green") == true)
        #expect((summary["info"] as? String)?.contains("bulk-type campaign") == true)

        // By period: the suspicious messages of 12 and 13 June are 2 of the lures.
        let period = try CLI.run(["export", "--db", db, "--format", "misp", "--from", "2019-06-12", "--to", "2019-06-13"])
        let emails = ((try JSONSerialization.jsonObject(with: Data(period.out.utf8)) as? [String: Any])?["Event"] as? [String: Any])?["Object"] as? [[String: Any]]
        #expect(emails?.filter { $0["name"] as? String == "email" }.count == 2)
        let none = try CLI.run(["export", "--db", db, "--from", "2030-01-01"])
        #expect(none.status == 1 && none.err.contains("no message matches") && none.out.isEmpty)
        let bad = try CLI.run(["export", "--db", db, "--from", "June"])
        #expect(bad.status == 64 && bad.err.contains("YYYY-MM-DD"))
    }

    @Test("A store written before indicators were kept: export shares files and headers and says what it lacks")
    func oldStore() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let db = scratch.path + "/old.db"
        try FileManager.default.copyItem(atPath: CLI.samples.deletingLastPathComponent().appendingPathComponent("Tests/Fixtures/store/version1-samples.db").path,
                                         toPath: db)
        let export = try CLI.run(["export", "--db", db, "--format", "stix"])
        #expect(export.status == 0, "\(export.err)")
        #expect(export.err.contains("were stored before the store kept indicators") && export.err.contains("--rescan"), "\(export.err)")
        #expect(export.out.contains("\"type\" : \"indicator\""), "the files of suspicious messages are still indicators")
    }

    @Test("scan --format stix and misp: one bundle or event for the files scanned, valid")
    func scanFormats() throws {
        let stix = try CLI.run(["scan", "--offline", "--format", "stix", CLI.sample("zip-with-script.eml"), CLI.sample("order-confirmation-lure.eml")])
        #expect(stix.status == 1)
        let objects = ((try JSONSerialization.jsonObject(with: Data(stix.out.utf8)) as? [String: Any])?["objects"] as? [[String: Any]]) ?? []
        #expect(objects.filter { $0["type"] as? String == "email-message" }.count == 2)
        #expect(objects.contains { $0["type"] as? String == "indicator" })
        // --defang is for what a person reads: a shared bundle holds the values themselves.
        let zip = CLI.samples.deletingLastPathComponent().appendingPathComponent("Tests/Fixtures/iocs/nested-iocs.zip").path
        let defanged = try CLI.run(["scan", "--offline", "--defang", "--format", "stix", zip])
        #expect(defanged.out.contains("http://lnk.example.com/payload.ps1") && !defanged.out.contains("hxxp"))
        let json = try CLI.run(["scan", "--offline", "--defang", "--format", "json", zip])
        #expect(json.out.contains("hxxp://lnk[.]example[.]com/payload.ps1"))
        if SharingValidators.available {
            let errors = try SharingValidators.stixErrors(Data(stix.out.utf8))
            #expect(errors == nil, "\(errors ?? "")")
            var summary: [String: Any] = [:]
            let misp = try CLI.run(["scan", "--offline", "--format", "misp", CLI.sample("international-affairs-spoofed.eml")])
            let mispErrors = try SharingValidators.mispErrors(Data(misp.out.utf8), summary: &summary)
            #expect(mispErrors == nil, "\(mispErrors ?? "")")
        }
    }
}

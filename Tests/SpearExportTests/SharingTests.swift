import Foundation
import SpearCampaigns
import SpearCore
@testable import SpearExport
import TestSupport
import Testing

/// Evidence with every kind of indicator, a bulk-type campaign, Japanese text and characters a pattern must escape.
enum Evidence {
    static let zip = SharedFile(name: "注文内容.zip", category: "archive", size: 900, md5: String(repeating: "a", count: 32),
                                sha1: String(repeating: "b", count: 40), sha256: String(repeating: "c", count: 64), children: [
                                    SharedFile(name: "確認.lnk", category: "shortcut", size: 700, md5: String(repeating: "d", count: 32),
                                               sha1: String(repeating: "e", count: 40), sha256: String(repeating: "f", count: 64), children: []),
                                ])
    static let logo = SharedFile(name: "logo.png", category: "image", size: 10, md5: String(repeating: "1", count: 32),
                                 sha1: String(repeating: "2", count: 40), sha256: String(repeating: "3", count: 64), children: [])

    static func message(_ k: Int, status: Verdict.Status = .suspicious) -> SharedMessage {
        SharedMessage(sha256: String(format: "%064x", k), messageID: "<m\(k)@example.jp>", date: "2019-06-1\(k % 10)T09:00:00+09:00",
                      subject: "注文内容の確認", sender: "order@shop.example", recipients: ["user\(k)@victim.example.co.jp"],
                      status: status, findingIDs: ["executable_in_archive", "sender_spoofed"], files: [zip, logo], indicators: [
                          Indicator(type: .url, value: "http://evil.example.com/a?x='1'\\y", location: "body 1", context: .content, obfuscated: true),
                          Indicator(type: .domain, value: "example.com", location: "body 1", context: .content),
                          Indicator(type: .url, value: "https://shop.example/", location: "body 1", context: .signature),
                          Indicator(type: .ipv4, value: "192.0.2.25", location: "header Received", context: .header),
                          Indicator(type: .ipv6, value: "2001:db8::1", location: "body 1", context: .content),
                          Indicator(type: .email, value: "reply@free.example", location: "header Reply-To", context: .header),
                          Indicator(type: .command, value: #"C:\Windows\System32\cmd.exe /c echo "harmless""#, location: "2:注文内容.zip/確認.lnk shortcut command line", context: .content),
                          Indicator(type: .filename, value: #"\\192.0.2.44\share\icon.ico"#, location: "2:注文内容.zip/確認.lnk shortcut icon", context: .content),
                      ])
    }

    static let campaign = Campaign(id: "c1", bulk: true, targeted: true, distinctRecipients: 12, distinctDomains: 1, messages: 12,
                                   messageIDs: [], messageSHA256: (0..<12).map { message($0).sha256 },
                                   firstSeen: "2019-06-10T09:00:00+09:00", lastSeen: "2019-06-19T09:00:00+09:00", senders: ["order@shop.example"],
                                   subjects: ["注文内容の確認"], payloadSHA256: [zip.sha256], textSHA256: [], similarCampaignIDs: [])

    static let all = SharedEvidence(messages: (0..<12).map { message($0) } + [message(99, status: .clean)], campaigns: [campaign])
    static let options = SharingOptions(tlp: .amber, producer: "CSIRT example", now: Date(timeIntervalSince1970: 1_560_000_000))
}

@Suite("STIX 2.1 and MISP: ids, patterns, selection of what is malicious")
struct SharingTests {
    @Test("Observable ids are those of the OASIS stix2 library (UUIDv5 over canonical JSON; files by MD5 and name)")
    func deterministicIDs() {
        // Reference values printed by the `stix2` Python library (3.0.1) for the same properties.
        #expect(Identifiers.observable("url", ["value": "http://pdf-uri.example.com/login"]) == "url--43f6d6d1-ee5d-5af6-9dea-5acfc761d2fd")
        #expect(Identifiers.observable("domain-name", ["value": "example.com"]) == "domain-name--bedb4899-d24b-5401-bc86-8f6b4cc18ec7")
        #expect(Identifiers.observable("email-addr", ["value": "keiri@billing.example"]) == "email-addr--6389adf7-a51e-5691-83cb-f4dbf705dc15")
        #expect(Identifiers.observable("file", ["name": "請求書.zip", "hashes": ["MD5": "d41d8cd98f00b204e9800998ecf8427e"]])
                == "file--7fdaa26b-2264-5c88-a79d-e4aaf8ef4566")
        let from = Identifiers.observable("email-addr", ["value": "a@example.jp"])
        #expect(from == "email-addr--a8bc1bbf-e0d7-57e5-b8b6-48754492f5af")
        #expect(Identifiers.observable("email-message", ["from_ref": from, "subject": "注文内容の確認 \"x\"\\"])
                == "email-message--db411b98-20de-5b10-8dc0-d8e31c52b948")
    }

    @Test("The same evidence gives the same bytes; a URL's id does not depend on the export it is in")
    func stable() throws {
        let a = try STIXBundle.json(Evidence.all, options: Evidence.options)
        #expect(a == (try STIXBundle.json(Evidence.all, options: Evidence.options)))
        let one = try STIXBundle.json(SharedEvidence(messages: [Evidence.message(3)], campaigns: []), options: Evidence.options)
        // Shared as a URI: the backslash percent-encoded.
        let url = Identifiers.observable("url", ["value": "http://evil.example.com/a?x='1'%5Cy"])
        #expect(String(decoding: a, as: UTF8.self).contains(url) && String(decoding: one, as: UTF8.self).contains(url))
    }

    @Test("Indicators: files of suspicious messages but not their images, content URLs but not signatures; one campaign")
    func selection() throws {
        let bundle = try JSONSerialization.jsonObject(with: STIXBundle.json(Evidence.all, options: Evidence.options)) as! [String: Any]
        let objects = bundle["objects"] as! [[String: Any]]
        let patterns = Set(objects.filter { $0["type"] as? String == "indicator" }.compactMap { $0["pattern"] as? String })
        #expect(patterns == ["[file:hashes.'SHA-256' = '\(Evidence.zip.sha256)']", "[file:hashes.'SHA-256' = '\(Evidence.zip.children[0].sha256)']",
                             #"[url:value = 'http://evil.example.com/a?x=\'1\'%5Cy']"#])
        let campaigns = objects.filter { $0["type"] as? String == "campaign" }
        #expect(campaigns.count == 1)
        #expect(campaigns.first?["labels"] as? [String] == ["bulk-type", "targeted"])
        #expect(campaigns.first?["first_seen"] as? String == "2019-06-10T00:00:00.000Z")
        let indicates = objects.filter { $0["relationship_type"] as? String == "indicates" }
        #expect(indicates.count == 3)
        // Signature URLs are not shared; the archive lists its member.
        #expect(!objects.contains { $0["value"] as? String == "https://shop.example/" })
        let archive = try #require(objects.first { $0["name"] as? String == "注文内容.zip" })
        #expect((archive["contains_refs"] as? [String])?.count == 1)
        #expect(objects.contains { $0["type"] as? String == "process" && ($0["command_line"] as? String)?.hasPrefix("C:\\Windows") == true })
        // Recipients are not shared unless asked (here they are in the evidence, so they are).
        #expect(objects.contains { $0["value"] as? String == "user3@victim.example.co.jp" })
        #expect(objects.allSatisfy { $0["type"] as? String == "marking-definition" || ($0["object_marking_refs"] as? [String]) == [STIXBundle.tlp[.amber]!.id] })
    }

    @Test("Every bundle passes the OASIS validator in strict mode, at every TLP level", .enabled(if: SharingValidators.available, SharingValidators.missing),
          arguments: SharingOptions.TLP.allCases)
    func validatorAccepts(_ tlp: SharingOptions.TLP) throws {
        var options = Evidence.options
        options.tlp = tlp
        for evidence in [Evidence.all, SharedEvidence(messages: [Evidence.message(1, status: .clean)], campaigns: []),
                         SharedEvidence(messages: [SharedMessage(sha256: "0", messageID: nil, date: nil, subject: nil, sender: nil, recipients: [],
                                                                 status: .notInspected, findingIDs: [], files: [], indicators: [])], campaigns: [])] {
            let errors = try SharingValidators.stixErrors(STIXBundle.json(evidence, options: options))
            #expect(errors == nil, "\(errors ?? "")")
        }
    }

    @Test("Every MISP event loads with pymisp and comes back unchanged; to_ids on what is malicious only",
          .enabled(if: SharingValidators.available, SharingValidators.missing))
    func pymispLoads() throws {
        var summary: [String: Any] = [:]
        let errors = try SharingValidators.mispErrors(MISPEvent.json(Evidence.all, title: "campaign c1", options: Evidence.options), summary: &summary)
        #expect(errors == nil, "\(errors ?? "")")
        let attributes = (summary["attributes"] as? [[Any]]) ?? []
        let flagged = Set(attributes.filter { $0[2] as? Bool == true }.compactMap { $0[1] as? String })
        #expect(flagged == ["注文内容.zip|\(Evidence.zip.sha256)", "確認.lnk|\(Evidence.zip.children[0].sha256)",
                            "http://evil.example.com/a?x='1'\\y"])
        #expect((summary["tags"] as? [String])?.contains("tlp:amber") == true)
        #expect(attributes.contains { $0[0] as? String == "email-reply-to" && $0[1] as? String == "reply@free.example" })
        #expect(!attributes.contains { $0[1] as? String == "https://shop.example/" })
        #expect((summary["info"] as? String)?.contains("bulk-type campaign c1, 12 recipients") == true)
        let objects = (summary["objects"] as? [String]) ?? []
        #expect(objects.filter { $0 == "email" }.count == 13 && objects.filter { $0 == "file" }.count == 3)
    }
}

@Suite("Sharing: ids owned by the producer and the event, versions, paths")
struct SharingIdentityTests {
    private func objects(_ evidence: SharedEvidence, _ options: SharingOptions) throws -> [[String: Any]] {
        ((try JSONSerialization.jsonObject(with: STIXBundle.json(evidence, options: options)) as? [String: Any])?["objects"] as? [[String: Any]]) ?? []
    }

    @Test("Two producers never share a domain object's id; observables are shared")
    func producers() throws {
        var other = Evidence.options
        other.producer = "another CSIRT"
        let a = try objects(Evidence.all, Evidence.options), b = try objects(Evidence.all, other)
        func ids(_ o: [[String: Any]], _ type: String) -> Set<String> { Set(o.filter { $0["type"] as? String == type }.compactMap { $0["id"] as? String }) }
        #expect(ids(a, "indicator").isDisjoint(with: ids(b, "indicator")) && ids(a, "campaign").isDisjoint(with: ids(b, "campaign")))
        #expect(ids(a, "url") == ids(b, "url") && ids(a, "file") == ids(b, "file"))
    }

    @Test("A campaign that grew keeps its id and gets a later modified time")
    func campaignVersions() throws {
        var grown = Evidence.campaign
        grown.lastSeen = "2019-06-25T09:00:00+09:00"
        let before = try objects(Evidence.all, Evidence.options).first { $0["type"] as? String == "campaign" }
        let after = try objects(SharedEvidence(messages: Evidence.all.messages, campaigns: [grown]), Evidence.options).first { $0["type"] as? String == "campaign" }
        #expect(before?["id"] as? String == after?["id"] as? String)
        #expect(before?["modified"] as? String == "2019-06-19T00:00:00.000Z" && after?["modified"] as? String == "2019-06-25T00:00:00.000Z")
    }

    @Test("A path is a file name in its directory (parent_directory_ref)")
    func paths() throws {
        let o = try objects(Evidence.all, Evidence.options)
        let icon = try #require(o.first { $0["type"] as? String == "file" && $0["name"] as? String == "icon.ico" })
        let dir = try #require(o.first { $0["id"] as? String == icon["parent_directory_ref"] as? String })
        #expect(dir["type"] as? String == "directory" && dir["path"] as? String == #"\\192.0.2.44\share"#)
    }

    @Test("MISP: two events holding the same message have no uuid in common; a file seen clean then malicious is to_ids")
    func mispUUIDs() throws {
        func uuids(_ data: Data) throws -> [String] {
            let event = try #require((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["Event"] as? [String: Any])
            let attributes = (event["Attribute"] as? [[String: Any]]) ?? []
            let objects = (event["Object"] as? [[String: Any]]) ?? []
            return attributes.compactMap { $0["uuid"] as? String } + objects.compactMap { $0["uuid"] as? String }
                + objects.flatMap { ($0["Attribute"] as? [[String: Any]] ?? []).compactMap { $0["uuid"] as? String } }
        }
        let one = SharedEvidence(messages: [Evidence.message(1)], campaigns: [])
        let two = SharedEvidence(messages: [Evidence.message(1), Evidence.message(2)], campaigns: [])
        let a = try uuids(MISPEvent.json(one, title: "a", options: Evidence.options))
        let b = try uuids(MISPEvent.json(two, title: "b", options: Evidence.options))
        #expect(!a.isEmpty && Set(a).isDisjoint(with: Set(b)))
        #expect(Set(b).count == b.count, "every uuid once in an event")

        let cleanFirst = SharedEvidence(messages: [Evidence.message(7, status: .clean), Evidence.message(8)], campaigns: [])
        let event = try #require((try JSONSerialization.jsonObject(with: MISPEvent.json(cleanFirst, title: "c", options: Evidence.options)) as? [String: Any])?["Event"] as? [String: Any])
        let zip = (event["Attribute"] as? [[String: Any]])?.first { ($0["value"] as? String)?.hasSuffix(Evidence.zip.sha256) == true }
        #expect(zip?["to_ids"] as? Bool == true)
        let fileObject = (event["Object"] as? [[String: Any]])?.first { o in (o["Attribute"] as? [[String: Any]])?.contains { $0["value"] as? String == Evidence.zip.sha256 } == true }
        #expect((fileObject?["Attribute"] as? [[String: Any]])?.first { $0["object_relation"] as? String == "sha256" }?["to_ids"] as? Bool == true)
    }
}

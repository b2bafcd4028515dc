public import Foundation
import SpearCampaigns
import SpearCore

/// A MISP event (JSON, as `MISPEvent().load()` reads it) of what spearscan saw: one event for the export (a
/// campaign, a period, a message), attributes for its senders, subjects, Reply-To addresses, URLs, domains,
/// addresses, command lines and files (`filename|sha256`), an `email` object per message and a `file` object per
/// file (members too), and the TLP tag. Malicious files and URLs (those of suspicious messages' content) carry
/// `to_ids`; the rest are context.
public enum MISPEvent {
    static let emailTemplate = "a0c666e0-fc65-4be8-b48f-3423d788b552"
    static let fileTemplate = "688c46fb-5edb-40a3-8273-1af7923e2215"

    public static func json(_ evidence: SharedEvidence, title: String, options: SharingOptions) throws -> Data {
        let seed = evidence.messages.map(\.sha256).sorted().joined(separator: ",")
        let eventUUID = Identifiers.uuid4(from: "misp-event|\(options.producer)|" + seed).uuidString.lowercased()
        // Attribute and object uuids are the event's own (MISP refuses a uuid another event holds): drawn from the
        // event's uuid and what they describe, so a re-export of the same selection keeps them.
        var b = Builder(options: options, event: eventUUID)
        for m in evidence.messages { b.message(m) }
        let dates = evidence.messages.map { SharedEvidence.when($0, options) }
        let bulk = evidence.campaigns.filter(\.bulk)
        var tags: [[String: Any]] = [["name": "tlp:\(options.tlp.rawValue)"]]
        if !bulk.isEmpty { tags.append(["name": "spearscan:bulk-type"]) }
        if evidence.messages.contains(where: { $0.status == .suspicious }) { tags.append(["name": "spearscan:suspicious"]) }
        var info = "\(options.producer): \(title)"
        if !bulk.isEmpty {
            info += " — " + bulk.map { "bulk-type campaign \($0.id), \($0.distinctRecipients) recipients" }.joined(separator: "; ")
        }
        let event: [String: Any] = [
            "uuid": eventUUID,
            "info": info,
            "date": Timestamps.day(dates.min() ?? options.now),
            "timestamp": String(Int((dates.max() ?? options.now).timeIntervalSince1970)),
            "threat_level_id": evidence.messages.contains { $0.status == .suspicious } ? "2" : "4",
            "analysis": "2",
            "distribution": "0",
            "published": false,
            "Tag": tags,
            "Attribute": b.attributes,
            "Object": b.objects,
        ]
        return try JSONSerialization.data(withJSONObject: ["Event": event], options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
    }

    private struct Builder {
        let options: SharingOptions
        let eventUUID: String
        var attributes: [[String: Any]] = []
        var objects: [[String: Any]] = []
        /// Each event attribute once (type and value); a later sighting in a suspicious message sets `to_ids`.
        var seen: [String: Int] = [:]
        var seenFiles = Set<String>()

        init(options: SharingOptions, event: String) {
            self.options = options
            self.eventUUID = event
        }

        func uuid(_ seed: String) -> String { Identifiers.uuid4(from: "\(eventUUID)|\(seed)").uuidString.lowercased() }

        func attribute(_ type: String, _ category: String, _ value: String, toIDs: Bool, comment: String, relation: String? = nil,
                       scope: String) -> [String: Any] {
            var a: [String: Any] = ["uuid": uuid("misp-attribute|\(scope)|\(relation ?? "")|\(type)|\(value)"),
                                    "type": type, "category": category, "value": value, "to_ids": toIDs, "comment": comment,
                                    "disable_correlation": false]
            if let relation { a["object_relation"] = relation }
            return a
        }

        mutating func event(_ type: String, _ category: String, _ value: String, toIDs: Bool, comment: String) {
            if let k = seen["\(type)|\(value)"] {
                if toIDs { attributes[k]["to_ids"] = true }
                return
            }
            seen["\(type)|\(value)"] = attributes.count
            attributes.append(attribute(type, category, value, toIDs: toIDs, comment: comment, scope: "event"))
        }

        mutating func message(_ m: SharedMessage) {
            let malicious = Set(SharedEvidence.maliciousFiles(m).map(\.sha256))
            let maliciousURLs = Set(SharedEvidence.maliciousURLs(m).map(\.value))
            let note = "message \(m.sha256.prefix(12)), \(m.status.rawValue)"
            if let s = m.sender { event("email-src", "Payload delivery", s, toIDs: false, comment: "sender of \(note)") }
            if let s = m.subject, !s.isEmpty { event("email-subject", "Payload delivery", s, toIDs: false, comment: note) }
            for i in SharedEvidence.shared(m) {
                let comment = "\(i.location)\(i.obfuscated ? ", written obfuscated" : "") in \(note)"
                switch i.type {
                case .url: event("url", "Network activity", i.value, toIDs: maliciousURLs.contains(i.value), comment: comment)
                case .domain: event("domain", "Network activity", i.value, toIDs: false, comment: comment)
                case .ipv4, .ipv6:
                    event(i.context == .header ? "ip-src" : "ip-dst", "Network activity", i.value, toIDs: false, comment: comment)
                case .email: if i.location == "header Reply-To" { event("email-reply-to", "Payload delivery", i.value, toIDs: false, comment: comment) }
                case .command: event("text", "Payload installation", i.value, toIDs: false, comment: "command line: \(comment)")
                case .filename: event("filename", "Payload delivery", i.value, toIDs: false, comment: comment)
                case .file: break
                }
            }
            var fileObjects: [String] = []
            for f in m.files.flatMap(\.flattened) {
                let isMalicious = malicious.contains(f.sha256)
                event("filename|sha256", "Payload delivery", "\(f.name ?? "(no name)")|\(f.sha256)", toIDs: isMalicious,
                      comment: "\(f.category ?? "unknown") in \(note)")
                let scope = "file|\(f.sha256)|\(f.name ?? "")"
                let object = uuid("misp-object|" + scope)
                fileObjects.append(object)
                guard seenFiles.insert(scope).inserted else {
                    // Seen before in a message not judged suspicious: this one says the file is malicious.
                    if isMalicious, let k = objects.firstIndex(where: { $0["uuid"] as? String == object }),
                       var attrs = objects[k]["Attribute"] as? [[String: Any]] {
                        for j in attrs.indices where ["sha256", "sha1", "md5"].contains(attrs[j]["object_relation"] as? String) { attrs[j]["to_ids"] = true }
                        objects[k]["Attribute"] = attrs
                    }
                    continue
                }
                var attrs = [attribute("sha256", "Payload delivery", f.sha256, toIDs: isMalicious, comment: "", relation: "sha256", scope: scope),
                             attribute("sha1", "Payload delivery", f.sha1, toIDs: isMalicious, comment: "", relation: "sha1", scope: scope),
                             attribute("md5", "Payload delivery", f.md5, toIDs: isMalicious, comment: "", relation: "md5", scope: scope),
                             attribute("size-in-bytes", "Other", String(f.size), toIDs: false, comment: "", relation: "size-in-bytes", scope: scope)]
                if let name = f.name { attrs.insert(attribute("filename", "Payload delivery", name, toIDs: false, comment: "", relation: "filename", scope: scope), at: 0) }
                objects.append(["uuid": object, "name": "file", "meta-category": "file", "template_uuid": MISPEvent.fileTemplate,
                                "template_version": "25", "description": "File that might be exchanged and/or attached to an e-mail",
                                "comment": f.category ?? "", "distribution": "5", "Attribute": attrs])
            }
            let scope = "email|\(m.sha256)"
            var attrs: [[String: Any]] = []
            if let s = m.sender { attrs.append(attribute("email-src", "Payload delivery", s, toIDs: false, comment: "", relation: "from", scope: scope)) }
            if let s = m.subject, !s.isEmpty { attrs.append(attribute("email-subject", "Payload delivery", s, toIDs: false, comment: "", relation: "subject", scope: scope)) }
            if let id = m.messageID { attrs.append(attribute("email-message-id", "Payload delivery", id, toIDs: false, comment: "", relation: "message-id", scope: scope)) }
            if m.date != nil {
                attrs.append(attribute("datetime", "Other", Timestamps.stix(SharedEvidence.when(m, options)), toIDs: false, comment: "",
                                       relation: "send-date", scope: scope))
            }
            for r in m.recipients { attrs.append(attribute("email-dst", "Payload delivery", r, toIDs: false, comment: "", relation: "to", scope: scope)) }
            for i in m.indicators where i.type == .email && i.location == "header Reply-To" {
                attrs.append(attribute("email-reply-to", "Payload delivery", i.value, toIDs: false, comment: "", relation: "reply-to", scope: scope))
            }
            for f in m.files where f.name != nil {
                attrs.append(attribute("email-attachment", "Payload delivery", f.name!, toIDs: false, comment: "", relation: "attachment", scope: scope))
            }
            guard !attrs.isEmpty else { return }
            let email = uuid("misp-object|" + scope)
            let refs: [[String: Any]] = Array(Set(fileObjects)).sorted().map {
                ["uuid": uuid("misp-ref|\(email)|\($0)"), "object_uuid": email, "referenced_uuid": $0, "relationship_type": "contains"]
            }
            objects.append(["uuid": email, "name": "email", "meta-category": "network", "template_uuid": MISPEvent.emailTemplate,
                            "template_version": "19", "description": "Email object describing an email with meta-information",
                            "comment": "\(m.status.rawValue): \(m.findingIDs.prefix(6).joined(separator: ", "))", "distribution": "5",
                            "Attribute": attrs, "ObjectReference": refs])
        }
    }
}

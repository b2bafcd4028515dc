public import Foundation
import SpearCampaigns
import SpearCore

/// A STIX 2.1 bundle of what spearscan saw: `email-message`, `email-addr`, `file` (hashes, name, `contains_refs`
/// for archive members), `url`, `domain-name`, `ipv4-addr`/`ipv6-addr` and `process` (a command line) observables;
/// an `indicator` with a STIX pattern per malicious file and URL; a `campaign` per bulk-type campaign with the
/// messages it links; `relationship`s between them; the producer's `identity`; a TLP marking on every object.
/// Passes the OASIS validator in strict mode (tested).
public enum STIXBundle {
    /// TLP 1.0 marking definitions as STIX 2.1 fixes them (§7.2.1.4).
    static let tlp: [SharingOptions.TLP: (id: String, name: String, value: String)] = [
        .clear: ("marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9", "TLP:WHITE", "white"),
        .green: ("marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da", "TLP:GREEN", "green"),
        .amber: ("marking-definition--f88d31f6-486f-44da-b317-01333bde0b82", "TLP:AMBER", "amber"),
        .red: ("marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed", "TLP:RED", "red"),
    ]

    /// The bundle as JSON (keys sorted, so the same evidence always gives the same bytes).
    public static func json(_ evidence: SharedEvidence, options: SharingOptions) throws -> Data {
        let objects = Builder(options).build(evidence)
        let ids = objects.compactMap { $0["id"] as? String }.sorted().joined(separator: ",")
        let bundle: [String: Any] = ["type": "bundle", "id": Identifiers.object("bundle", seed: ids), "objects": objects]
        return try JSONSerialization.data(withJSONObject: bundle, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
    }

    /// Builds the objects; each id once, in the order first met.
    private final class Builder {
        let options: SharingOptions
        let marking: (id: String, name: String, value: String)
        let identity: String
        var objects: [[String: Any]] = []
        var index: [String: Int] = [:]
        var indicatorIDs: [String: String] = [:]
        var relationshipKeys = Set<String>()

        init(_ options: SharingOptions) {
            self.options = options
            marking = STIXBundle.tlp[options.tlp]!
            identity = Identifiers.object("identity", seed: options.producer)
        }

        func build(_ evidence: SharedEvidence) -> [[String: Any]] {
            add(["type": "marking-definition", "spec_version": "2.1", "id": marking.id, "created": "2017-01-20T00:00:00.000Z",
                 "definition_type": "tlp", "name": marking.name, "definition": ["tlp": marking.value]])
            let epoch = "2019-06-10T00:00:00.000Z"
            add(sdo(["type": "identity", "id": identity, "name": options.producer, "identity_class": "system",
                     "description": "spearscan: targeted e-mail analysis (MIME, attachments, sender authentication, campaigns)"],
                    created: epoch, by: false))
            var messageIDs: [String: String] = [:]
            var indicatorsOf: [String: [String]] = [:]
            for m in evidence.messages {
                let (emailID, indicators) = message(m)
                messageIDs[m.sha256] = emailID
                indicatorsOf[m.sha256] = indicators
            }
            for c in evidence.campaigns where c.bulk {
                let members = c.messageSHA256.filter { messageIDs[$0] != nil }
                guard !members.isEmpty else { continue }
                campaign(c, emails: members.compactMap { messageIDs[$0] },
                         indicators: Array(Set(members.flatMap { indicatorsOf[$0] ?? [] })).sorted())
            }
            return objects
        }

        @discardableResult
        func add(_ object: [String: Any]) -> String {
            let id = object["id"] as! String
            if index[id] == nil {
                index[id] = objects.count
                objects.append(object)
            }
            return id
        }

        /// A domain object's id: a version-4 UUID drawn from the producer and what it describes, so two producers
        /// never share one and a re-export keeps it.
        func sdoID(_ type: String, _ seed: String) -> String {
            Identifiers.object(type, seed: "\(options.producer)|\(seed)")
        }

        /// A domain object with the common properties: created/modified, producer, marking.
        func sdo(_ object: [String: Any], created: String, modified: String? = nil, by: Bool = true) -> [String: Any] {
            var o = object
            o["spec_version"] = "2.1"
            o["created"] = created
            o["modified"] = modified ?? created
            if by { o["created_by_ref"] = identity }
            o["object_marking_refs"] = [marking.id]
            return o
        }

        func sco(_ type: String, _ contributing: [String: Any], _ more: [String: Any] = [:]) -> String {
            var o = contributing.merging(more) { a, _ in a }
            o["type"] = type
            o["spec_version"] = "2.1"
            o["id"] = Identifiers.observable(type, contributing)
            o["object_marking_refs"] = [marking.id]
            return add(o)
        }

        func file(_ f: SharedFile) -> String {
            let children = f.children.map(file)
            var contributing: [String: Any] = ["hashes": ["MD5": f.md5, "SHA-1": f.sha1, "SHA-256": f.sha256]]
            if let name = f.name { contributing["name"] = name }
            // The id is made from one hash (the first of MD5, SHA-1, SHA-256, as the STIX libraries choose) and the name.
            var idProperties: [String: Any] = ["hashes": ["MD5": f.md5]]
            if let name = f.name { idProperties["name"] = name }
            var o = contributing
            o["size"] = f.size
            if !children.isEmpty { o["contains_refs"] = Array(NSOrderedSet(array: children)) as! [String] }
            o["type"] = "file"
            o["spec_version"] = "2.1"
            o["id"] = Identifiers.observable("file", idProperties)
            o["object_marking_refs"] = [marking.id]
            return add(o)
        }

        /// A file known by its name or path only: a path's directory is a `directory` object (`parent_directory_ref`).
        func namedFile(_ path: String) -> String {
            guard let cut = path.lastIndex(where: { $0 == "\\" || $0 == "/" }), cut != path.startIndex,
                  path.index(after: cut) != path.endIndex else { return sco("file", ["name": path]) }
            let directory = sco("directory", ["path": String(path[..<cut])])
            return sco("file", ["name": String(path[path.index(after: cut)...]), "parent_directory_ref": directory])
        }

        /// A message's observables and indicators; returns the email-message id and the indicator ids.
        func message(_ m: SharedMessage) -> (String, [String]) {
            let when = SharedEvidence.when(m, options)
            let stamp = Timestamps.stix(when)
            var email: [String: Any] = ["is_multipart": !m.files.isEmpty]
            var contributing: [String: Any] = [:]
            if let sender = m.sender { contributing["from_ref"] = sco("email-addr", ["value": sender]) }
            // Without a sender or a subject the id would be a UUIDv4, which strict validators refuse for an
            // observable: a missing Subject is shared as an empty one.
            if let subject = m.subject ?? (m.sender == nil ? "" : nil) { contributing["subject"] = subject }
            if m.date != nil { email["date"] = stamp }
            if let id = m.messageID { email["message_id"] = id }
            if !m.recipients.isEmpty { email["to_refs"] = m.recipients.map { sco("email-addr", ["value": $0]) } }
            var related: [String] = []
            var parts: [[String: Any]] = []
            for f in m.files {
                let id = file(f)
                var part: [String: Any] = ["body_raw_ref": id]
                if let name = f.name { part["content_disposition"] = "attachment; filename=\"\(name.replacingOccurrences(of: "\"", with: "'"))\"" }
                parts.append(part)
            }
            if !parts.isEmpty { email["body_multipart"] = parts }
            for i in SharedEvidence.shared(m) {
                switch i.type {
                case .url: related.append(sco("url", ["value": URIText.encoded(i.value)]))
                case .domain: related.append(sco("domain-name", ["value": i.value]))
                case .ipv4: related.append(sco("ipv4-addr", ["value": i.value]))
                case .ipv6: related.append(sco("ipv6-addr", ["value": i.value]))
                case .email: if i.value != m.sender { related.append(sco("email-addr", ["value": i.value])) }
                case .filename: related.append(namedFile(i.value))
                case .command:
                    // A process has no contributing properties; its UUIDv4 is drawn from the command line.
                    related.append(add(["type": "process", "spec_version": "2.1", "id": Identifiers.object("process", seed: i.value),
                                        "command_line": i.value, "object_marking_refs": [marking.id]]))
                case .file: break
                }
            }
            var o = email.merging(contributing) { a, _ in a }
            o["type"] = "email-message"
            o["spec_version"] = "2.1"
            o["id"] = Identifiers.observable("email-message", contributing)
            o["object_marking_refs"] = [marking.id]
            let emailID = add(o)

            var indicators: [String] = []
            let why = m.findingIDs.prefix(6).joined(separator: ", ")
            for f in SharedEvidence.maliciousFiles(m) {
                let name = f.name ?? "(no name)"
                indicators.append(indicator(pattern: "[file:hashes.'SHA-256' = '\(f.sha256)']", observable: file(f),
                                            name: "File \(name) of a suspicious message",
                                            description: "\(name) (\(f.category ?? "unknown")), in a message judged suspicious: \(why)",
                                            at: stamp))
            }
            for u in SharedEvidence.maliciousURLs(m) {
                let value = URIText.encoded(u.value)
                indicators.append(indicator(pattern: "[url:value = '\(Self.escape(value))']", observable: sco("url", ["value": value]),
                                            name: "URL in a suspicious message",
                                            description: "\(u.value), found at \(u.location)\(u.obfuscated ? " (written obfuscated)" : ""), in a message judged suspicious: \(why)",
                                            at: stamp))
            }
            var linked = Set<String>()
            for r in related where r != emailID && linked.insert(r).inserted {
                relationship(emailID, "related-to", r, at: stamp)
            }
            return (emailID, indicators)
        }

        func indicator(pattern: String, observable: String, name: String, description: String, at stamp: String) -> String {
            // Its creation is the date of the first message in this export that holds it, part of its id (an id
            // never has two creation times).
            if let known = indicatorIDs[pattern] { return known }
            let id = sdoID("indicator", "\(pattern)|\(stamp)")
            indicatorIDs[pattern] = id
            add(sdo(["type": "indicator", "id": id, "name": name, "description": description, "pattern": pattern,
                     "pattern_type": "stix", "pattern_version": "2.1", "valid_from": stamp,
                     "indicator_types": ["malicious-activity"]], created: stamp))
            relationship(id, "related-to", observable, at: stamp)
            return id
        }

        /// A relationship once per bundle (twelve messages of one email-message observable relate it to a URL once);
        /// its creation is the first sighting's, part of its id.
        func relationship(_ source: String, _ type: String, _ target: String, at stamp: String) {
            guard relationshipKeys.insert("\(source)|\(type)|\(target)").inserted else { return }
            add(sdo(["type": "relationship", "id": sdoID("relationship", "\(source)|\(type)|\(target)|\(stamp)"),
                     "relationship_type": type, "source_ref": source, "target_ref": target], created: stamp))
        }

        func campaign(_ c: Campaign, emails: [String], indicators: [String]) {
            let first = c.firstSeen.flatMap(Timestamps.date) ?? options.now
            let last = max(c.lastSeen.flatMap(Timestamps.date) ?? first, first)
            let subject = c.subjects.first.map { ": \($0)" } ?? ""
            var labels = ["bulk-type"]
            if c.targeted { labels.append("targeted") }
            // Its first message (by date) names it: the id stays while the campaign grows, and `modified` follows
            // `last_seen`, so a platform takes the newer version.
            let id = sdoID("campaign", c.messageSHA256.first ?? c.id)
            add(sdo(["type": "campaign", "id": id, "name": "Bulk-type campaign \(c.id)\(subject)",
                     "description": "\(c.messages) messages to \(c.distinctRecipients) distinct recipients in \(c.distinctDomains) domains "
                        + "(bulk-type, ばらまき型: 10 or more), linked by the same text or the same file"
                        + (c.targeted ? "; judged a targeted attack" : ""),
                     "labels": labels, "first_seen": Timestamps.stix(first), "last_seen": Timestamps.stix(last)],
                    created: Timestamps.stix(first), modified: Timestamps.stix(last)))
            for i in indicators { relationship(i, "indicates", id, at: Timestamps.stix(first)) }
            for e in Array(NSOrderedSet(array: emails)) as! [String] { relationship(id, "related-to", e, at: Timestamps.stix(first)) }
        }

        /// A string inside a STIX pattern's quotes.
        static func escape(_ s: String) -> String {
            s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
        }
    }
}

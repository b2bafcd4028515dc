import Foundation
public import SpearCore

/// Spool learning's tables (issue #14): one observation per message, the evidence aggregated from them, and the
/// knowledge learned, which the next scans apply.
extension SQLiteStore {
    func insertObservation(_ o: SenderObservation, message id: Int64) throws {
        func opt(_ s: String?) -> SQLValue { s.map { .text($0) } ?? .null }
        try db.run("""
            INSERT OR REPLACE INTO observations (message_id, recipient_orgs, primary_org, relay_org, relay_host, stamp,
                from_org, from_name, authenticated, free_mail, day, applied_operator, applied_match)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            .int(id), .text(o.recipientOrgs.joined(separator: ",")), opt(o.deliveredOrg), opt(o.relayOrg),
            opt(o.relayHost), opt(o.stamp), opt(o.fromOrg), opt(o.fromName), .int(o.authenticated ? 1 : 0),
            .int(o.fromFreeMail ? 1 : 0), opt(o.day), opt(o.applied.operatorOrg), opt(o.applied.match))
        try db.insertMany("INSERT OR IGNORE INTO observation_orgs (recipient_org, message_id)", columns: 2,
                          values: o.recipientOrgs.flatMap { [.text($0), .int(id)] })
    }

    /// Replaces a stored message's verdict in place (its row, findings and observation, and its campaign's
    /// targeted count) from a new scan of the same bytes, keeping its row, attachments, fingerprints and campaign
    /// links: what rescoring changes is the verdict, and storing the message again would re-link it (a text's
    /// MinHash bands belong to its first copy). The whole scan JSON is replaced only where the row kept one.
    /// Returns false when the message is not stored.
    public func replaceVerdict(_ stored: StoredMessage) throws -> Bool {
        try begin()
        let report = stored.report
        var found: (id: Int64, campaign: Int64?, targeted: Int64)?
        try db.query("SELECT id, campaign_id, targeted FROM messages WHERE sha256 = ?", .text(stored.campaign.sha256)) {
            found = ($0.int(0), $0.isNull(1) ? nil : $0.int(1), $0.int(2))
        }
        guard let (id, campaign, wasTargeted) = found else { return false }
        try db.run("SAVEPOINT verdict")
        do {
            let targeted: Int64 = stored.campaign.targeted ? 1 : 0
            try db.run("""
                UPDATE messages SET targeted = ?, status = ?, spoofed = ?, sender_score = ?,
                    report_json = CASE WHEN report_json IS NULL THEN NULL ELSE coalesce(?, report_json) END
                WHERE id = ?
                """, .int(targeted), .text(report.verdict.status.rawValue),
                report.sender?.spoofed.map { .int($0 ? 1 : 0) } ?? .null, report.sender.map { .int(Int64($0.score)) } ?? .null,
                stored.reportJSON.map { .text($0) } ?? .null, .int(id))
            try db.run("DELETE FROM findings WHERE message_id = ?", .int(id))
            try insertFindings(report.findings, message: id)
            try db.run("DELETE FROM observation_orgs WHERE message_id = ?", .int(id))
            try db.run("DELETE FROM observations WHERE message_id = ?", .int(id))
            if let observation = report.sender?.observation { try insertObservation(observation, message: id) }
            if let campaign, targeted != wasTargeted {
                try db.run("UPDATE campaigns SET targeted_messages = targeted_messages + ? WHERE id = ?", .int(targeted - wasTargeted), .int(campaign))
            }
            try db.run("RELEASE verdict")
            return true
        } catch {
            try? db.execute("ROLLBACK TO verdict; RELEASE verdict")
            throw error
        }
    }

    /// What the observations support. Correspondent and name candidates are read strongest first and at most
    /// `rules`' caps (twice that for names, which learning filters to admitted correspondents); a cap reached
    /// is listed in `capped`.
    public func spoolEvidence(rules: LearningRules) throws -> SpoolEvidence {
        var totals: [String: Int] = [:]
        try db.query("SELECT primary_org, count(*) FROM observations WHERE primary_org IS NOT NULL GROUP BY primary_org") {
            totals[$0.text(0) ?? ""] = Int($0.int(1))
        }
        var relays: [String: LearnedOperator] = [:]
        try db.query("""
            SELECT primary_org, relay_org, count(*) FROM observations
            WHERE primary_org IS NOT NULL AND relay_org IS NOT NULL GROUP BY primary_org, relay_org HAVING count(*) >= ?
            """, .int(Int64(rules.operatorMinMessages))) { row in
            let r = row.text(0) ?? "", o = row.text(1) ?? ""
            relays[r + "\u{0}" + o] = LearnedOperator(recipientOrg: r, operatorOrg: o, messages: Int(row.int(2)), total: totals[r] ?? 0)
        }
        for (column, path) in [("stamp", \LearnedOperator.stamps), ("relay_host", \LearnedOperator.hosts)] {
            try db.query("""
                SELECT primary_org, relay_org, \(column), count(*) AS n FROM observations
                WHERE primary_org IS NOT NULL AND relay_org IS NOT NULL AND \(column) IS NOT NULL
                GROUP BY primary_org, relay_org, \(column) ORDER BY n DESC, \(column)
                """) { row in
                let key = (row.text(0) ?? "") + "\u{0}" + (row.text(1) ?? "")
                guard relays[key] != nil, relays[key]![keyPath: path].count < 5 else { return }
                relays[key]![keyPath: path].append(LearnedOperator.Count(value: row.text(2) ?? "", messages: Int(row.int(3))))
            }
        }
        var capped: [String] = []
        var correspondents: [Correspondent] = []
        // Authenticated mail from the sender organisation to the recipient organisation, and back: the recipient
        // organisation's own authenticated mail to it (a reply, or a message of its own in the same spool).
        try db.query("""
            WITH inbound AS (
                SELECT o.primary_org AS r, o.from_org AS s, count(*) AS n, count(DISTINCT o.day) AS d, min(o.day) AS f
                FROM observations o
                WHERE o.authenticated = 1 AND o.free_mail = 0 AND o.from_org IS NOT NULL AND o.day IS NOT NULL
                    AND o.primary_org IS NOT NULL AND o.from_org != o.primary_org
                GROUP BY o.primary_org, o.from_org),
            outbound AS (
                SELECT o.from_org AS r, oo.recipient_org AS s, count(*) AS n
                FROM observation_orgs oo JOIN observations o ON o.message_id = oo.message_id
                WHERE o.authenticated = 1 AND o.from_org IS NOT NULL AND o.from_org != oo.recipient_org
                GROUP BY o.from_org, oo.recipient_org)
            SELECT r, s, n, d, f, back FROM (
                SELECT i.r, i.s, i.n, i.d, i.f, coalesce(x.n, 0) AS back,
                    row_number() OVER (PARTITION BY i.r ORDER BY i.d DESC, i.n DESC, i.f, i.s) AS rank
                FROM inbound i LEFT JOIN outbound x ON x.r = i.r AND x.s = i.s
                WHERE (i.n >= ?1 AND i.d >= ?2) OR coalesce(x.n, 0) >= 1)
            WHERE rank <= ?4
            ORDER BY d DESC, n DESC, f, r, s
            LIMIT ?3
            """, .int(Int64(rules.correspondentMinMessages)), .int(Int64(rules.correspondentMinDays)),
                     .int(Int64(rules.maxCorrespondents + 1)), .int(Int64(rules.maxCorrespondentsPerOrganization))) { row in
            correspondents.append(Correspondent(recipientOrg: row.text(0) ?? "", senderOrg: row.text(1) ?? "",
                                                messages: Int(row.int(2)), days: Int(row.int(3)), firstSeen: row.text(4) ?? "",
                                                replies: Int(row.int(5))))
        }
        if correspondents.count > rules.maxCorrespondents {
            correspondents.removeLast()
            capped.append("correspondents")
        }
        var names: [CorrespondentName] = []
        try db.query("""
            SELECT o.primary_org, o.from_org, o.from_name, count(*) AS n
            FROM observations o
            WHERE o.authenticated = 1 AND o.free_mail = 0 AND o.from_org IS NOT NULL AND o.from_name IS NOT NULL
                AND o.primary_org IS NOT NULL AND o.from_org != o.primary_org
            GROUP BY o.primary_org, o.from_org, o.from_name
            ORDER BY n DESC, o.primary_org, o.from_org, o.from_name
            LIMIT ?
            """, .int(Int64(rules.maxNames * 2 + 1))) { row in
            names.append(CorrespondentName(recipientOrg: row.text(0) ?? "", senderOrg: row.text(1) ?? "",
                                           name: row.text(2) ?? "", messages: Int(row.int(3))))
        }
        if names.count > rules.maxNames * 2 {
            names.removeLast()
            capped.append("names")
        }
        return SpoolEvidence(relays: relays.values.sorted { ($0.recipientOrg, $0.operatorOrg) < ($1.recipientOrg, $1.operatorOrg) },
                             correspondents: correspondents, names: names, capped: capped)
    }

    /// Replaces the learned knowledge, in the current transaction.
    public func saveKnowledge(_ k: SpoolKnowledge) throws {
        try begin()
        try db.execute("DELETE FROM learned_operators; DELETE FROM correspondents; DELETE FROM correspondent_names;")
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        func json(_ counts: [LearnedOperator.Count]) throws -> SQLValue {
            .text(String(decoding: try encoder.encode(counts), as: UTF8.self))
        }
        for o in k.operators {
            try db.run("INSERT INTO learned_operators (recipient_org, operator, messages, total, stamps, hosts) VALUES (?, ?, ?, ?, ?, ?)",
                       .text(o.recipientOrg), .text(o.operatorOrg), .int(Int64(o.messages)), .int(Int64(o.total)),
                       try json(o.stamps), try json(o.hosts))
        }
        try db.insertMany("INSERT INTO correspondents (recipient_org, sender_org, messages, days, first_seen, refused_as_lookalike_of, replies)",
                          columns: 7, values: k.correspondents.flatMap {
                              [.text($0.recipientOrg), .text($0.senderOrg), .int(Int64($0.messages)), .int(Int64($0.days)),
                               .text($0.firstSeen), $0.refusedAsLookalikeOf.map { .text($0) } ?? .null, .int(Int64($0.replies))]
                          })
        try db.insertMany("INSERT INTO correspondent_names (recipient_org, sender_org, name, messages)", columns: 4,
                          values: k.names.flatMap { [.text($0.recipientOrg), .text($0.senderOrg), .text($0.name), .int(Int64($0.messages))] })
        try db.run("INSERT OR REPLACE INTO meta (key, value) VALUES ('learning_capped', ?)", .text(k.capped.joined(separator: ",")))
    }

    public func knowledge() throws -> SpoolKnowledge {
        var k = SpoolKnowledge()
        let decoder = JSONDecoder()
        try db.query("SELECT recipient_org, operator, messages, total, stamps, hosts FROM learned_operators ORDER BY recipient_org") { row in
            func counts(_ c: Int32) -> [LearnedOperator.Count] {
                (try? decoder.decode([LearnedOperator.Count].self, from: Data((row.text(c) ?? "[]").utf8))) ?? []
            }
            k.operators.append(LearnedOperator(recipientOrg: row.text(0) ?? "", operatorOrg: row.text(1) ?? "",
                                               messages: Int(row.int(2)), total: Int(row.int(3)), stamps: counts(4), hosts: counts(5)))
        }
        try db.query("""
            SELECT recipient_org, sender_org, messages, days, first_seen, refused_as_lookalike_of, replies FROM correspondents
            ORDER BY recipient_org, sender_org
            """) { row in
            k.correspondents.append(Correspondent(recipientOrg: row.text(0) ?? "", senderOrg: row.text(1) ?? "", messages: Int(row.int(2)),
                                                  days: Int(row.int(3)), firstSeen: row.text(4) ?? "", replies: Int(row.int(6)),
                                                  refusedAsLookalikeOf: row.text(5)))
        }
        try db.query("SELECT recipient_org, sender_org, name, messages FROM correspondent_names ORDER BY recipient_org, sender_org, name") { row in
            k.names.append(CorrespondentName(recipientOrg: row.text(0) ?? "", senderOrg: row.text(1) ?? "", name: row.text(2) ?? "",
                                             messages: Int(row.int(3))))
        }
        var capped = ""
        try db.query("SELECT value FROM meta WHERE key = 'learning_capped'") { capped = $0.text(0) ?? "" }
        k.capped = capped.split(separator: ",").map(String.init)
        return k
    }

    /// Stored observations after the message row `after`, in store order, at most `limit`, with where each
    /// message was read and its verdict.
    public func observations(after: Int64, limit: Int) throws -> [StoredObservation] {
        var out: [StoredObservation] = []
        try db.query("""
            SELECT o.message_id, m.sha256, m.source, m.offset, m.status, m.scanned_at, o.recipient_orgs, o.relay_org,
                o.relay_host, o.stamp, o.from_org, o.from_name, o.authenticated, o.free_mail, o.applied_operator,
                o.applied_match, o.primary_org, o.day
            FROM observations o JOIN messages m ON m.id = o.message_id WHERE o.message_id > ? ORDER BY o.message_id LIMIT ?
            """, .int(after), .int(Int64(limit))) { row in
            let orgs = (row.text(6) ?? "").split(separator: ",").map(String.init)
            let o = SenderObservation(recipientOrgs: orgs, deliveredOrg: row.text(16), relayOrg: row.text(7), relayHost: row.text(8),
                                      stamp: row.text(9), fromOrg: row.text(10), fromName: row.text(11), authenticated: row.int(12) != 0,
                                      fromFreeMail: row.int(13) != 0, day: row.text(17),
                                      applied: LearnedEffect(operatorOrg: row.text(14), match: row.text(15)))
            out.append(StoredObservation(row: row.int(0), sha256: row.text(1) ?? "", source: row.text(2) ?? "",
                                         offset: row.isNull(3) ? nil : Int(row.int(3)),
                                         status: Verdict.Status(rawValue: row.text(4) ?? "") ?? .clean,
                                         scannedAt: row.text(5) ?? "", observation: o))
        }
        return out
    }
}

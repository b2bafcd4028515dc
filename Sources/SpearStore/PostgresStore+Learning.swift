import Foundation
public import SpearCore

/// Spool learning's tables (issue #14), as `SQLiteStore`'s: one observation per message, the evidence aggregated
/// from them, and the knowledge learned, which the next scans apply.
extension PostgresStore {
    /// Within the caller's write transaction (storing a message, replacing its verdict): sent without waiting.
    func insertObservation(_ o: SenderObservation, message id: Int64) throws {
        try db.send("""
            INSERT INTO observations (message_id, recipient_orgs, primary_org, relay_org, relay_host, stamp,
                from_org, from_name, authenticated, free_mail, day, applied_operator, applied_match)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
            ON CONFLICT (message_id) DO UPDATE SET recipient_orgs = excluded.recipient_orgs, primary_org = excluded.primary_org,
                relay_org = excluded.relay_org, relay_host = excluded.relay_host, stamp = excluded.stamp, from_org = excluded.from_org,
                from_name = excluded.from_name, authenticated = excluded.authenticated, free_mail = excluded.free_mail,
                day = excluded.day, applied_operator = excluded.applied_operator, applied_match = excluded.applied_match
            """,
            .int(id), .text(o.recipientOrgs.joined(separator: ",")), .opt(o.deliveredOrg), .opt(o.relayOrg),
            .opt(o.relayHost), .opt(o.stamp), .opt(o.fromOrg), .opt(o.fromName), .flag(o.authenticated),
            .flag(o.fromFreeMail), .opt(o.day), .opt(o.applied.operatorOrg), .opt(o.applied.match))
        if !o.recipientOrgs.isEmpty {
            try db.send("""
                INSERT INTO observation_orgs (recipient_org, message_id) SELECT r, $2 FROM unnest($1::text[]) AS t(r)
                ON CONFLICT DO NOTHING
                """, .texts(o.recipientOrgs), .int(id))
        }
    }

    /// Replaces a stored message's verdict in place (see `SQLiteStore.replaceVerdict`), in one write
    /// transaction. Returns false when the message is not stored.
    public func replaceVerdict(_ stored: StoredMessage) throws -> Bool {
        let report = stored.report
        return try write {
            guard let row = try db.rows("SELECT id, campaign_id, targeted FROM messages WHERE sha256 = $1",
                                        .text(stored.campaign.sha256)).first else { return false }
            let id = row.int(0), campaign = row.optInt(1), wasTargeted = row.int(2)
            let targeted: Int64 = stored.campaign.targeted ? 1 : 0
            try db.send("""
                UPDATE messages SET targeted = $1, status = $2, spoofed = $3, sender_score = $4,
                    report_json = CASE WHEN report_json IS NULL THEN NULL ELSE coalesce($5, report_json) END
                WHERE id = $6
                """, .int(targeted), .text(report.verdict.status.rawValue), report.sender?.spoofed.map { .flag($0) } ?? .null,
                .opt(report.sender?.score), .opt(stored.reportJSON), .int(id))
            try db.send("DELETE FROM findings WHERE message_id = $1", .int(id))
            try insertFindings(report.findings, message: id)
            try db.send("DELETE FROM observation_orgs WHERE message_id = $1", .int(id))
            try db.send("DELETE FROM observations WHERE message_id = $1", .int(id))
            if let observation = report.sender?.observation { try insertObservation(observation, message: id) }
            if let campaign, targeted != wasTargeted {
                try db.send("UPDATE campaigns SET targeted_messages = targeted_messages + $1 WHERE id = $2",
                            .int(targeted - wasTargeted), .int(campaign))
            }
            return true
        }
    }

    /// What the observations support (see `SQLiteStore.spoolEvidence`: the same statements, caps and order). One
    /// snapshot: the totals, relays, correspondents and names describe the same observations while other
    /// scanners store more.
    public func spoolEvidence(rules: LearningRules) throws -> SpoolEvidence {
        try snapshot {
            var totals: [String: Int] = [:]
            for row in try db.rows("SELECT primary_org, count(*) FROM observations WHERE primary_org IS NOT NULL GROUP BY primary_org") {
                totals[row.text(0) ?? ""] = Int(row.int(1))
            }
            var relays: [String: LearnedOperator] = [:]
            for row in try db.rows("""
                SELECT primary_org, relay_org, count(*) FROM observations
                WHERE primary_org IS NOT NULL AND relay_org IS NOT NULL GROUP BY primary_org, relay_org HAVING count(*) >= $1
                """, .int(Int64(rules.operatorMinMessages))) {
                let r = row.text(0) ?? "", o = row.text(1) ?? ""
                relays[r + "\u{0}" + o] = LearnedOperator(recipientOrg: r, operatorOrg: o, messages: Int(row.int(2)), total: totals[r] ?? 0)
            }
            for (column, path) in [("stamp", \LearnedOperator.stamps), ("relay_host", \LearnedOperator.hosts)] {
                for row in try db.rows("""
                    SELECT primary_org, relay_org, \(column), count(*) AS n FROM observations
                    WHERE primary_org IS NOT NULL AND relay_org IS NOT NULL AND \(column) IS NOT NULL
                    GROUP BY primary_org, relay_org, \(column) ORDER BY n DESC, \(column)
                    """) {
                    let key = (row.text(0) ?? "") + "\u{0}" + (row.text(1) ?? "")
                    guard relays[key] != nil, relays[key]![keyPath: path].count < 5 else { continue }
                    relays[key]![keyPath: path].append(LearnedOperator.Count(value: row.text(2) ?? "", messages: Int(row.int(3))))
                }
            }
            var capped: [String] = []
            // Authenticated mail from the sender organisation to the recipient organisation, and back: the
            // recipient organisation's own authenticated mail to it (a reply, or a message of its own in the same spool).
            var correspondents = try db.rows("""
                WITH inbound AS (
                    SELECT o.primary_org AS r, o.from_org AS s, count(*) AS n, count(DISTINCT o.day) AS d, min(o.day) AS f
                    FROM observations o
                    WHERE o.authenticated = 1 AND o.free_mail = 0 AND o.from_org IS NOT NULL AND o.day IS NOT NULL
                        AND o.primary_org IS NOT NULL AND o.from_org <> o.primary_org
                    GROUP BY o.primary_org, o.from_org),
                outbound AS (
                    SELECT o.from_org AS r, oo.recipient_org AS s, count(*) AS n
                    FROM observation_orgs oo JOIN observations o ON o.message_id = oo.message_id
                    WHERE o.authenticated = 1 AND o.from_org IS NOT NULL AND o.from_org <> oo.recipient_org
                    GROUP BY o.from_org, oo.recipient_org)
                SELECT r, s, n, d, f, back FROM (
                    SELECT i.r, i.s, i.n, i.d, i.f, coalesce(x.n, 0) AS back,
                        row_number() OVER (PARTITION BY i.r ORDER BY i.d DESC, i.n DESC, i.f, i.s) AS place
                    FROM inbound i LEFT JOIN outbound x ON x.r = i.r AND x.s = i.s
                    WHERE (i.n >= $1 AND i.d >= $2) OR coalesce(x.n, 0) >= 1) ranked
                WHERE place <= $4
                ORDER BY d DESC, n DESC, f, r, s
                LIMIT $3
                """, .int(Int64(rules.correspondentMinMessages)), .int(Int64(rules.correspondentMinDays)),
                .int(Int64(rules.maxCorrespondents + 1)), .int(Int64(rules.maxCorrespondentsPerOrganization))).map { row in
                Correspondent(recipientOrg: row.text(0) ?? "", senderOrg: row.text(1) ?? "", messages: Int(row.int(2)),
                              days: Int(row.int(3)), firstSeen: row.text(4) ?? "", replies: Int(row.int(5)))
            }
            if correspondents.count > rules.maxCorrespondents {
                correspondents.removeLast()
                capped.append("correspondents")
            }
            var names = try db.rows("""
                SELECT o.primary_org, o.from_org, o.from_name, count(*) AS n
                FROM observations o
                WHERE o.authenticated = 1 AND o.free_mail = 0 AND o.from_org IS NOT NULL AND o.from_name IS NOT NULL
                    AND o.primary_org IS NOT NULL AND o.from_org <> o.primary_org
                GROUP BY o.primary_org, o.from_org, o.from_name
                ORDER BY n DESC, o.primary_org, o.from_org, o.from_name
                LIMIT $1
                """, .int(Int64(rules.maxNames * 2 + 1))).map { row in
                CorrespondentName(recipientOrg: row.text(0) ?? "", senderOrg: row.text(1) ?? "", name: row.text(2) ?? "",
                                  messages: Int(row.int(3)))
            }
            if names.count > rules.maxNames * 2 {
                names.removeLast()
                capped.append("names")
            }
            return SpoolEvidence(relays: relays.values.sorted { ($0.recipientOrg, $0.operatorOrg) < ($1.recipientOrg, $1.operatorOrg) },
                                 correspondents: correspondents, names: names, capped: capped)
        }
    }

    /// Replaces the learned knowledge in one write transaction: every scanner reading it sees the old knowledge
    /// or the new, never a mix.
    public func saveKnowledge(_ k: SpoolKnowledge) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        func json(_ counts: [LearnedOperator.Count]) throws -> String {
            String(decoding: try encoder.encode(counts), as: UTF8.self)
        }
        let stamps = try k.operators.map { try json($0.stamps) }, hosts = try k.operators.map { try json($0.hosts) }
        try write {
            try db.send("DELETE FROM learned_operators")
            try db.send("DELETE FROM correspondents")
            try db.send("DELETE FROM correspondent_names")
            if !k.operators.isEmpty {
                try db.send("""
                    INSERT INTO learned_operators (recipient_org, operator, messages, total, stamps, hosts)
                    SELECT * FROM unnest($1::text[], $2::text[], $3::int8[], $4::int8[], $5::text[], $6::text[])
                    """, .texts(k.operators.map(\.recipientOrg)), .texts(k.operators.map(\.operatorOrg)),
                    .ints(k.operators.map { Int64($0.messages) }), .ints(k.operators.map { Int64($0.total) }), .texts(stamps), .texts(hosts))
            }
            if !k.correspondents.isEmpty {
                // A text array holds no NULL here: a refused flag beside it says which rows have one.
                try db.send("""
                    INSERT INTO correspondents (recipient_org, sender_org, messages, days, first_seen, refused_as_lookalike_of, replies)
                    SELECT r, s, n, d, f, CASE WHEN h = 1 THEN l END, b
                    FROM unnest($1::text[], $2::text[], $3::int8[], $4::int8[], $5::text[], $6::int8[], $7::text[], $8::int8[])
                        AS t(r, s, n, d, f, h, l, b)
                    """, .texts(k.correspondents.map(\.recipientOrg)), .texts(k.correspondents.map(\.senderOrg)),
                    .ints(k.correspondents.map { Int64($0.messages) }), .ints(k.correspondents.map { Int64($0.days) }),
                    .texts(k.correspondents.map(\.firstSeen)), .ints(k.correspondents.map { $0.refusedAsLookalikeOf == nil ? 0 : 1 }),
                    .texts(k.correspondents.map { $0.refusedAsLookalikeOf ?? "" }), .ints(k.correspondents.map { Int64($0.replies) }))
            }
            if !k.names.isEmpty {
                try db.send("""
                    INSERT INTO correspondent_names (recipient_org, sender_org, name, messages)
                    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int8[])
                    """, .texts(k.names.map(\.recipientOrg)), .texts(k.names.map(\.senderOrg)), .texts(k.names.map(\.name)),
                    .ints(k.names.map { Int64($0.messages) }))
            }
            try db.send("""
                INSERT INTO meta (key, value) VALUES ('learning_capped', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value
                """, .text(k.capped.joined(separator: ",")))
        }
    }

    /// The learned knowledge, read on one snapshot (a concurrent `saveKnowledge` is seen whole or not at all).
    public func knowledge() throws -> SpoolKnowledge {
        let decoder = JSONDecoder()
        return try snapshot {
            var k = SpoolKnowledge()
            for row in try db.rows("SELECT recipient_org, operator, messages, total, stamps, hosts FROM learned_operators ORDER BY recipient_org") {
                func counts(_ c: Int) -> [LearnedOperator.Count] {
                    (try? decoder.decode([LearnedOperator.Count].self, from: Data((row.text(c) ?? "[]").utf8))) ?? []
                }
                k.operators.append(LearnedOperator(recipientOrg: row.text(0) ?? "", operatorOrg: row.text(1) ?? "",
                                                   messages: Int(row.int(2)), total: Int(row.int(3)), stamps: counts(4), hosts: counts(5)))
            }
            for row in try db.rows("""
                SELECT recipient_org, sender_org, messages, days, first_seen, refused_as_lookalike_of, replies FROM correspondents
                ORDER BY recipient_org, sender_org
                """) {
                k.correspondents.append(Correspondent(recipientOrg: row.text(0) ?? "", senderOrg: row.text(1) ?? "", messages: Int(row.int(2)),
                                                      days: Int(row.int(3)), firstSeen: row.text(4) ?? "", replies: Int(row.int(6)),
                                                      refusedAsLookalikeOf: row.text(5)))
            }
            for row in try db.rows("SELECT recipient_org, sender_org, name, messages FROM correspondent_names ORDER BY recipient_org, sender_org, name") {
                k.names.append(CorrespondentName(recipientOrg: row.text(0) ?? "", senderOrg: row.text(1) ?? "", name: row.text(2) ?? "",
                                                 messages: Int(row.int(3))))
            }
            k.capped = (try stringMeta("learning_capped") ?? "").split(separator: ",").map(String.init)
            return k
        }
    }

    /// Stored observations after the message row `after`, in store order, at most `limit`, with where each
    /// message was read and its verdict.
    public func observations(after: Int64, limit: Int) throws -> [StoredObservation] {
        try db.rows("""
            SELECT o.message_id, m.sha256, m.source, m."offset", m.status, m.scanned_at, o.recipient_orgs, o.relay_org,
                o.relay_host, o.stamp, o.from_org, o.from_name, o.authenticated, o.free_mail, o.applied_operator,
                o.applied_match, o.primary_org, o.day
            FROM observations o JOIN messages m ON m.id = o.message_id WHERE o.message_id > $1 ORDER BY o.message_id LIMIT $2
            """, .int(after), .int(Int64(limit))).map { row in
            let orgs = (row.text(6) ?? "").split(separator: ",").map(String.init)
            let o = SenderObservation(recipientOrgs: orgs, deliveredOrg: row.text(16), relayOrg: row.text(7), relayHost: row.text(8),
                                      stamp: row.text(9), fromOrg: row.text(10), fromName: row.text(11), authenticated: row.int(12) != 0,
                                      fromFreeMail: row.int(13) != 0, day: row.text(17),
                                      applied: LearnedEffect(operatorOrg: row.text(14), match: row.text(15)))
            return StoredObservation(row: row.int(0), sha256: row.text(1) ?? "", source: row.text(2) ?? "",
                                     offset: row.optInt(3).map { Int($0) },
                                     status: Verdict.Status(rawValue: row.text(4) ?? "") ?? .clean,
                                     scannedAt: row.text(5) ?? "", observation: o)
        }
    }
}

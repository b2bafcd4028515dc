import SpearCampaigns
import SpearCore

/// The SQLite store's campaigns as a `CampaignIndex`: fingerprints, MinHash bands, near-identical pairs and the
/// per-campaign counters in the store's tables, so each addition costs index lookups, not a scan of the store.
final class SQLiteCampaignIndex: CampaignIndex {
    let db: SQLiteDatabase
    /// Signatures of recent messages, parsed once: the same popular band buckets are consulted again and again.
    private var signatures: [Int64: MinHash] = [:]

    init(db: SQLiteDatabase) {
        self.db = db
    }

    func campaign(holding fingerprint: Fingerprint) throws -> Int64? {
        try db.scalar("""
            SELECT m.campaign_id FROM fingerprints f JOIN messages m ON m.id = f.message_id
            WHERE f.kind = ? AND f.value = ? AND m.campaign_id IS NOT NULL LIMIT 1
            """, .text(fingerprint.kind.rawValue), .text(fingerprint.value))
    }

    func newCampaign() throws -> Int64 {
        try db.run("INSERT INTO campaigns (messages) VALUES (0)")
        return db.lastInsertRowID
    }

    /// Merges are rare: a message bridging two campaigns.
    func merge(_ other: Int64, into target: Int64) throws {
        try db.run("UPDATE messages SET campaign_id = ? WHERE campaign_id = ?", .int(target), .int(other))
        try db.run("""
            INSERT OR IGNORE INTO campaign_recipients (campaign_id, address)
            SELECT ?, address FROM campaign_recipients WHERE campaign_id = ?
            """, .int(target), .int(other))
        try db.run("""
            INSERT OR IGNORE INTO campaign_domains (campaign_id, domain)
            SELECT ?, domain FROM campaign_domains WHERE campaign_id = ?
            """, .int(target), .int(other))
        try db.run("DELETE FROM campaign_recipients WHERE campaign_id = ?", .int(other))
        try db.run("DELETE FROM campaign_domains WHERE campaign_id = ?", .int(other))
        try db.run("""
            UPDATE campaigns SET
                messages = messages + (SELECT messages FROM campaigns WHERE id = ?1),
                targeted_messages = targeted_messages + (SELECT targeted_messages FROM campaigns WHERE id = ?1),
                distinct_recipients = (SELECT count(*) FROM campaign_recipients WHERE campaign_id = ?2),
                distinct_domains = (SELECT count(*) FROM campaign_domains WHERE campaign_id = ?2),
                first_seen = (SELECT min(coalesce(date, received_date)) FROM messages WHERE campaign_id = ?2),
                last_seen = (SELECT max(coalesce(date, received_date)) FROM messages WHERE campaign_id = ?2)
            WHERE id = ?2
            """, .int(other), .int(target))
        try db.run("DELETE FROM campaigns WHERE id = ?", .int(other))
    }

    func assign(message: Int64, to campaign: Int64) throws {
        try db.run("UPDATE messages SET campaign_id = ? WHERE id = ?", .int(campaign), .int(message))
    }

    func file(message id: Int64, _ m: CampaignMessage, fingerprints: [Fingerprint], campaign: Int64, organizations: [String]) throws {
        for key in fingerprints {
            try db.run("INSERT OR IGNORE INTO fingerprints (kind, value, message_id) VALUES (?, ?, ?)",
                       .text(key.kind.rawValue), .text(key.value), .int(id))
        }
        let newRecipients = try db.insertMany("INSERT OR IGNORE INTO campaign_recipients (campaign_id, address)", columns: 2,
                                              values: m.recipients.flatMap { [.int(campaign), .text($0)] })
        let newDomains = try db.insertMany("INSERT OR IGNORE INTO campaign_domains (campaign_id, domain)", columns: 2,
                                           values: organizations.flatMap { [.int(campaign), .text($0)] })
        try db.run("""
            UPDATE campaigns SET messages = messages + 1, targeted_messages = targeted_messages + ?,
                distinct_recipients = distinct_recipients + ?, distinct_domains = distinct_domains + ?,
                first_seen = CASE WHEN ?5 IS NULL THEN first_seen WHEN first_seen IS NULL OR ?5 < first_seen THEN ?5 ELSE first_seen END,
                last_seen = CASE WHEN ?5 IS NULL THEN last_seen WHEN last_seen IS NULL OR ?5 > last_seen THEN ?5 ELSE last_seen END
            WHERE id = ?6
            """, .int(m.targeted ? 1 : 0), .int(Int64(newRecipients)), .int(Int64(newDomains)), .null,
            m.date.map { .text($0) } ?? .null, .int(campaign))
        if let hex = m.fingerprints.minhash, let signature = MinHash(hex: hex) { remember(signature, of: id) }
    }

    func messages(inBands keys: [Int64], limit: Int) throws -> [Int64] {
        var out: [Int64] = []
        out.reserveCapacity(keys.count * 2)
        try db.query(Self.bandLookup, values: keys.map { .int($0) } + [.int(Int64(limit))]) { out.append($0.int(0)) }
        return out
    }

    func fileBands(_ keys: [Int64], message: Int64) throws {
        try db.run(Self.bandInsert, values: keys.map { .int($0) } + [.int(message)])
    }

    func signature(of message: Int64) throws -> MinHash? {
        if let cached = signatures[message] { return cached }
        var hex: String?
        try db.query("SELECT minhash FROM messages WHERE id = ?", .int(message)) { hex = $0.text(0) }
        guard let signature = hex.flatMap({ MinHash(hex: $0) }) else { return nil }
        remember(signature, of: message)
        return signature
    }

    private func remember(_ signature: MinHash, of message: Int64) {
        if signatures.count > 50_000 { signatures.removeAll(keepingCapacity: true) }
        signatures[message] = signature
    }

    /// A removed message's number may be given to the next one.
    func forget(message: Int64) { signatures[message] = nil }

    func textAndCampaign(of message: Int64) throws -> (text: String?, campaign: Int64?) {
        var result: (String?, Int64?) = (nil, nil)
        try db.query("SELECT text_sha256, campaign_id FROM messages WHERE id = ?", .int(message)) {
            result = ($0.text(0), $0.isNull(1) ? nil : $0.int(1))
        }
        return result
    }

    func recordSimilar(_ a: Int64, _ b: Int64, similarity: Double) throws {
        try db.run("INSERT OR IGNORE INTO similar (message_a, message_b, similarity) VALUES (?, ?, ?)",
                   .int(a), .int(b), .text(String(similarity)))
    }

    func campaignIDs() throws -> [Int64] {
        var ids: [Int64] = []
        try db.query("SELECT id FROM campaigns ORDER BY id") { ids.append($0.int(0)) }
        return ids
    }

    func similarCampaignPairs() throws -> [(Int64, Int64)] {
        var pairs: [(Int64, Int64)] = []
        try db.query("""
            SELECT DISTINCT a.campaign_id, b.campaign_id FROM similar s
            JOIN messages a ON a.id = s.message_a JOIN messages b ON b.id = s.message_b
            WHERE a.campaign_id <> b.campaign_id
            """) { pairs.append(($0.int(0), $0.int(1))) }
        return pairs
    }

    func members(of campaign: Int64) throws -> [CampaignMessage] {
        var ids: [Int64] = []
        try db.query("SELECT id FROM messages WHERE campaign_id = ? ORDER BY id", .int(campaign)) { ids.append($0.int(0)) }
        return try ids.compactMap { try campaignMessage(id: $0) }
    }

    /// A stored message's correlation view, rebuilt from its rows.
    func campaignMessage(id: Int64) throws -> CampaignMessage? {
        var result: CampaignMessage?
        try db.query("""
            SELECT sha256, message_id, coalesce(date, received_date), subject, sender, targeted, text_sha256, minhash FROM messages WHERE id = ?
            """, .int(id)) { row in
            result = CampaignMessage(sha256: row.text(0) ?? "", messageID: row.text(1), date: row.text(2),
                                     subject: row.text(3), sender: row.text(4), recipients: [],
                                     targeted: row.int(5) != 0,
                                     fingerprints: MessageFingerprints(text: row.text(6), minhash: row.text(7), payloads: []))
        }
        guard var message = result else { return nil }
        try db.query("SELECT address FROM recipients WHERE message_id = ? ORDER BY address", .int(id)) {
            message.recipients.append($0.text(0) ?? "")
        }
        try db.query("SELECT value FROM fingerprints WHERE message_id = ? AND kind = 'payload' ORDER BY value", .int(id)) {
            message.fingerprints.payloads.append($0.text(0) ?? "")
        }
        return message
    }

    /// The messages in each of the signature's band buckets (?1…?16), at most ?17 per band: one statement for all.
    static let bandLookup = (1...MinHash.bands).map {
        "SELECT message_id FROM (SELECT message_id FROM minhash_bands WHERE band_key = ?\($0) LIMIT ?\(MinHash.bands + 1))"
    }.joined(separator: " UNION ALL ")

    /// Files the message under each of its band keys (?1…?16; the message is the last parameter).
    static let bandInsert = "INSERT OR IGNORE INTO minhash_bands (band_key, message_id) VALUES "
        + (1...MinHash.bands).map { "(?\($0), ?\(MinHash.bands + 1))" }.joined(separator: ", ")
}

import SpearCampaigns
import SpearCore

/// The PostgreSQL store's campaigns as a `CampaignIndex` (the same tables and rules as `SQLiteCampaignIndex`).
/// Used inside the store's write transactions, which hold the store-wide lock: what it reads is every scanner's
/// committed work, and nobody changes it until the transaction ends. Statements whose results are not read
/// (filing fingerprints, bands, counters) are sent without waiting.
final class PostgresCampaignIndex: CampaignIndex {
    let db: PostgresDatabase
    /// Signatures of recent messages, parsed once. Ids are not reused (a sequence) unless a crashed server lost
    /// the last ones: the store forgets them all after a reconnection (`forgetAll`).
    private var signatures: [Int64: MinHash] = [:]

    init(db: PostgresDatabase) {
        self.db = db
    }

    func campaign(holding fingerprint: Fingerprint) throws -> Int64? {
        try db.scalar("""
            SELECT m.campaign_id FROM fingerprints f JOIN messages m ON m.id = f.message_id
            WHERE f.kind = $1 AND f.value = $2 AND m.campaign_id IS NOT NULL LIMIT 1
            """, .text(fingerprint.kind.rawValue), .text(fingerprint.value))
    }

    /// All of a message's fingerprints in one question.
    func campaigns(holding fingerprints: [Fingerprint]) throws -> [Int64?] {
        guard !fingerprints.isEmpty else { return [] }
        return try db.rows("""
            SELECT (SELECT m.campaign_id FROM fingerprints f JOIN messages m ON m.id = f.message_id
                    WHERE f.kind = k.kind AND f.value = k.value AND m.campaign_id IS NOT NULL LIMIT 1)
            FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS k(kind, value, n) ORDER BY k.n
            """, .texts(fingerprints.map(\.kind.rawValue)), .texts(fingerprints.map(\.value))).map { $0.optInt(0) }
    }

    func newCampaign() throws -> Int64 {
        guard let id = try db.scalar("INSERT INTO campaigns (messages) VALUES (0) RETURNING id") else {
            throw StoreError(path: db.name, message: "no campaign id returned")
        }
        return id
    }

    func merge(_ other: Int64, into target: Int64) throws {
        try db.send("UPDATE messages SET campaign_id = $1 WHERE campaign_id = $2", .int(target), .int(other))
        try db.send("""
            INSERT INTO campaign_recipients (campaign_id, address) SELECT $1, address FROM campaign_recipients WHERE campaign_id = $2
            ON CONFLICT DO NOTHING
            """, .int(target), .int(other))
        try db.send("""
            INSERT INTO campaign_domains (campaign_id, domain) SELECT $1, domain FROM campaign_domains WHERE campaign_id = $2
            ON CONFLICT DO NOTHING
            """, .int(target), .int(other))
        try db.send("DELETE FROM campaign_recipients WHERE campaign_id = $1", .int(other))
        try db.send("DELETE FROM campaign_domains WHERE campaign_id = $1", .int(other))
        try db.send("""
            UPDATE campaigns SET
                messages = messages + (SELECT messages FROM campaigns WHERE id = $1),
                targeted_messages = targeted_messages + (SELECT targeted_messages FROM campaigns WHERE id = $1),
                distinct_recipients = (SELECT count(*) FROM campaign_recipients WHERE campaign_id = $2),
                distinct_domains = (SELECT count(*) FROM campaign_domains WHERE campaign_id = $2),
                first_seen = (SELECT min(coalesce(date, received_date)) FROM messages WHERE campaign_id = $2),
                last_seen = (SELECT max(coalesce(date, received_date)) FROM messages WHERE campaign_id = $2)
            WHERE id = $2
            """, .int(other), .int(target))
        try db.send("DELETE FROM campaigns WHERE id = $1", .int(other))
    }

    func assign(message: Int64, to campaign: Int64) throws {
        try db.send("UPDATE messages SET campaign_id = $1 WHERE id = $2", .int(campaign), .int(message))
    }

    /// Fingerprints, the campaign's new recipients and organisations, and its counters in one statement: the
    /// counters grow by the rows actually inserted, exact because the write lock is held.
    func file(message id: Int64, _ m: CampaignMessage, fingerprints: [Fingerprint], campaign: Int64, organizations: [String]) throws {
        try db.send("""
            WITH f AS (
                INSERT INTO fingerprints (kind, value, message_id) SELECT k, v, $1 FROM unnest($2::text[], $3::text[]) AS t(k, v)
                ON CONFLICT DO NOTHING),
            r AS (
                INSERT INTO campaign_recipients (campaign_id, address) SELECT $4, a FROM unnest($5::text[]) AS t(a)
                ON CONFLICT DO NOTHING RETURNING 1),
            d AS (
                INSERT INTO campaign_domains (campaign_id, domain) SELECT $4, x FROM unnest($6::text[]) AS t(x)
                ON CONFLICT DO NOTHING RETURNING 1)
            UPDATE campaigns SET messages = messages + 1, targeted_messages = targeted_messages + $7,
                distinct_recipients = distinct_recipients + (SELECT count(*) FROM r),
                distinct_domains = distinct_domains + (SELECT count(*) FROM d),
                first_seen = CASE WHEN $8::text IS NULL THEN first_seen WHEN first_seen IS NULL OR $8::text < first_seen THEN $8::text ELSE first_seen END,
                last_seen = CASE WHEN $8::text IS NULL THEN last_seen WHEN last_seen IS NULL OR $8::text > last_seen THEN $8::text ELSE last_seen END
            WHERE id = $4
            """, .int(id), .texts(fingerprints.map(\.kind.rawValue)), .texts(fingerprints.map(\.value)), .int(campaign),
            .texts(m.recipients), .texts(organizations), .flag(m.targeted), .opt(m.date))
        if let hex = m.fingerprints.minhash, let signature = MinHash(hex: hex) { remember(signature, of: id) }
    }

    /// At most `limit` lowest-numbered messages under each key, once per key (as SQLite's per-band LIMIT reads them).
    func messages(inBands keys: [Int64], limit: Int) throws -> [Int64] {
        try db.rows("""
            SELECT b.message_id FROM unnest($1::int8[]) WITH ORDINALITY AS k(key, n)
            CROSS JOIN LATERAL (SELECT message_id FROM minhash_bands WHERE band_key = k.key ORDER BY message_id LIMIT $2) b
            ORDER BY k.n, b.message_id
            """, .ints(keys), .int(Int64(limit))).map { $0.int(0) }
    }

    func fileBands(_ keys: [Int64], message: Int64) throws {
        try db.send("INSERT INTO minhash_bands (band_key, message_id) SELECT k, $2 FROM unnest($1::int8[]) AS t(k) ON CONFLICT DO NOTHING",
                    .ints(keys), .int(message))
    }

    func signature(of message: Int64) throws -> MinHash? {
        if let cached = signatures[message] { return cached }
        guard let signature = try db.rows("SELECT minhash FROM messages WHERE id = $1", .int(message)).first?.text(0)
            .flatMap({ MinHash(hex: $0) }) else { return nil }
        remember(signature, of: message)
        return signature
    }

    private func remember(_ signature: MinHash, of message: Int64) {
        if signatures.count > 50_000 { signatures.removeAll(keepingCapacity: true) }
        signatures[message] = signature
    }

    func forget(message: Int64) { signatures[message] = nil }

    func forgetAll() { signatures.removeAll() }

    func textAndCampaign(of message: Int64) throws -> (text: String?, campaign: Int64?) {
        guard let row = try db.rows("SELECT text_sha256, campaign_id FROM messages WHERE id = $1", .int(message)).first else { return (nil, nil) }
        return (row.text(0), row.optInt(1))
    }

    func recordSimilar(_ a: Int64, _ b: Int64, similarity: Double) throws {
        try db.send("INSERT INTO \"similar\" (message_a, message_b, similarity) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                    .int(a), .int(b), .double(similarity))
    }

    /// Near-identical candidates in one question (signatures parsed once and kept, as `signature(of:)` does).
    func candidates(_ messages: [Int64]) throws -> [Int64: Candidate] {
        var out: [Int64: Candidate] = [:]
        let wanted = messages.filter { signatures[$0] == nil }
        for row in try db.rows("""
            SELECT id, text_sha256, campaign_id, CASE WHEN id = ANY($2::int8[]) THEN minhash END FROM messages WHERE id = ANY($1::int8[])
            """, .ints(messages), .ints(wanted)) {
            let id = row.int(0)
            if let hex = row.text(3), let signature = MinHash(hex: hex) { remember(signature, of: id) }
            out[id] = Candidate(signature: signatures[id], text: row.text(1), campaign: row.optInt(2))
        }
        return out
    }

    func campaignIDs() throws -> [Int64] {
        try db.rows("SELECT id FROM campaigns ORDER BY id").map { $0.int(0) }
    }

    func similarCampaignPairs() throws -> [(Int64, Int64)] {
        try db.rows("""
            SELECT DISTINCT a.campaign_id, b.campaign_id FROM "similar" s
            JOIN messages a ON a.id = s.message_a JOIN messages b ON b.id = s.message_b
            WHERE a.campaign_id <> b.campaign_id ORDER BY 1, 2
            """).map { ($0.int(0), $0.int(1)) }
    }

    func members(of campaign: Int64) throws -> [CampaignMessage] {
        try campaignMessages(where: "m.campaign_id = $1", .int(campaign))
    }

    func campaignMessage(id: Int64) throws -> CampaignMessage? {
        try campaignMessages(where: "m.id = $1", .int(id)).first
    }

    /// Stored messages' correlation views, rebuilt from their rows in one statement (recipients and payload
    /// fingerprints gathered as arrays), in store order.
    func campaignMessages(where condition: String, _ value: PGValue) throws -> [CampaignMessage] {
        try db.rows("""
            SELECT m.sha256, m.message_id, coalesce(m.date, m.received_date), m.subject, m.sender, m.targeted, m.text_sha256, m.minhash,
                coalesce((SELECT string_agg(r.address, chr(10) ORDER BY r.address) FROM recipients r WHERE r.message_id = m.id), ''),
                coalesce((SELECT string_agg(f.value, chr(10) ORDER BY f.value) FROM fingerprints f WHERE f.message_id = m.id AND f.kind = 'payload'), '')
            FROM messages m WHERE \(condition) ORDER BY m.id
            """, value).map { row in
            func lines(_ i: Int) -> [String] { (row.text(i) ?? "").split(separator: "\n").map(String.init) }
            return CampaignMessage(sha256: row.text(0) ?? "", messageID: row.text(1), date: row.text(2), subject: row.text(3),
                                   sender: row.text(4), recipients: lines(8), targeted: row.int(5) != 0,
                                   fingerprints: MessageFingerprints(text: row.text(6), minhash: row.text(7), payloads: lines(9)))
        }
    }
}

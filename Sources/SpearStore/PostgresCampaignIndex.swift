import SpearCampaigns
import SpearCore

/// The PostgreSQL store's campaigns as a `CampaignIndex` (the same tables and rules as `SQLiteCampaignIndex`).
/// Used inside the store's write transactions, which hold the store-wide lock: what it reads is every scanner's
/// committed work, and nobody changes it until the transaction ends. Statements whose results are not read
/// (filing fingerprints, bands, counters) are sent without waiting. A batch's messages are linked a group at a
/// time against a `LinkingSnapshot` (`beginGroup` … `endGroup`), which answers linking's questions and holds what
/// the group files until it ends.
final class PostgresCampaignIndex: CampaignIndex {
    let db: PostgresDatabase
    /// Signatures of recent messages, parsed once. Ids are not reused (a sequence) unless a crashed server lost
    /// the last ones: the store forgets them all after a reconnection (`forgetAll`).
    private var signatures: [Int64: MinHash] = [:]
    /// While a group of messages is stored (`beginGroup` … `endGroup`): what linking them needs, read ahead.
    private var group: LinkingSnapshot?
    /// Questions linking put to the server while a group's snapshot was in use (what the snapshot did not read
    /// ahead): zero when the read-ahead foresaw everything, which the tests check.
    private(set) var lookupsOutsideSnapshot = 0
    /// Band member lists already full (`perBand` members, the lowest numbers): a new message never enters one,
    /// so only a removal changes it. Every removal counts itself in `meta.band_removals`; a count that moved
    /// since this cache was filled empties it. Bounded: emptied past `fullBandsLimit` lists.
    private var fullBands: [Int64: [Int64]] = [:]
    private var removalsSeen: Int64?
    /// The connection's reconnections when the caches were last known good: a reconnection inside a group's
    /// transaction (its replay) may follow a server crash that lost messages whose numbers come back.
    private var reconnectionsSeen = 0
    /// Signatures of the messages the last group filed, kept here until its commit is known (`groupCommitted`):
    /// a group rolled back gives its numbers to the next messages stored, maybe another scanner's.
    private var uncommittedSignatures: [(Int64, MinHash)] = []
    static let fullBandsLimit = 200_000

    init(db: PostgresDatabase) {
        self.db = db
    }

    func campaign(holding fingerprint: Fingerprint) throws -> Int64? {
        try db.scalar("""
            SELECT m.campaign_id FROM fingerprints f JOIN messages m ON m.id = f.message_id
            WHERE f.kind = $1 AND f.value = $2 AND m.campaign_id IS NOT NULL LIMIT 1
            """, .text(fingerprint.kind.rawValue), .text(fingerprint.value))
    }

    /// All of a message's fingerprints in one question (none while a group's snapshot has them).
    func campaigns(holding fingerprints: [Fingerprint]) throws -> [Int64?] {
        guard !fingerprints.isEmpty else { return [] }
        if group != nil {
            // The snapshot read every fingerprint of the group; what the group filed is not on the server yet.
            guard let known = group?.campaigns(holding: fingerprints) else {
                throw StoreError(path: db.name, message: "a fingerprint outside its group was looked up")
            }
            return known
        }
        return try db.rows(Self.campaignsOfFingerprints, values: Self.values(of: fingerprints)).map { $0.optInt(0) }
    }

    /// The campaign holding each fingerprint (`$1` kinds, `$2` values), in order: NULL where none does.
    static let campaignsOfFingerprints = """
        SELECT (SELECT m.campaign_id FROM fingerprints f JOIN messages m ON m.id = f.message_id
                WHERE f.kind = k.kind AND f.value = k.value AND m.campaign_id IS NOT NULL LIMIT 1)
        FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS k(kind, value, n) ORDER BY k.n
        """

    private static func values(of fingerprints: [Fingerprint]) -> [PGValue] {
        [.texts(fingerprints.map(\.kind.rawValue)), .texts(fingerprints.map(\.value))]
    }

    func newCampaign() throws -> Int64 {
        // The group's new campaigns get their rows when it ends.
        if group != nil, let id = group?.takeCampaignNumber() { return id }
        guard let id = try db.scalar("INSERT INTO campaigns (messages) VALUES (0) RETURNING id") else {
            throw StoreError(path: db.name, message: "no campaign id returned")
        }
        return id
    }

    /// A merge of two stored campaigns moves their rows at once; one of a group's own new campaigns has no rows
    /// yet, and its messages are filed under `target` when the group ends. The merged counters add up (the
    /// campaign recipients and organisations are counted again once moved, as both may hold one).
    func merge(_ other: Int64, into target: Int64) throws {
        if let snapshot = group, snapshot.isNew(campaign: other) {
            group?.merge(other, into: target)
            return
        }
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
                first_seen = least(first_seen, (SELECT first_seen FROM campaigns WHERE id = $1)),
                last_seen = greatest(last_seen, (SELECT last_seen FROM campaigns WHERE id = $1))
            WHERE id = $2
            """, .int(other), .int(target))
        try db.send("DELETE FROM campaigns WHERE id = $1", .int(other))
        group?.merge(other, into: target)
    }

    func assign(message: Int64, to campaign: Int64) throws {
        try db.send("UPDATE messages SET campaign_id = $1 WHERE id = $2", .int(campaign), .int(message))
    }

    /// Fingerprints, the campaign's new recipients and organisations, and its counters in one statement: the
    /// counters grow by the rows actually inserted, exact because the write lock is held. In a group, kept for
    /// its end (`endGroup`).
    func file(message id: Int64, _ m: CampaignMessage, fingerprints: [Fingerprint], campaign: Int64, organizations: [String]) throws {
        let signature = m.fingerprints.minhash.flatMap { MinHash(hex: $0) }
        if group != nil {
            group?.file(LinkingSnapshot.Filed(message: id, fingerprints: fingerprints, recipients: m.recipients,
                                              organizations: organizations, targeted: m.targeted, date: m.date, campaign: campaign),
                        text: m.fingerprints.text, signature: signature)
            return
        }
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
        if let signature { remember(signature, of: id) }
    }

    /// At most `limit` lowest-numbered messages under each key, once per key (as SQLite's per-band LIMIT reads them).
    func messages(inBands keys: [Int64], limit: Int) throws -> [Int64] {
        if let known = group?.messages(inBands: keys, limit: limit) { return known }
        if group != nil { lookupsOutsideSnapshot += 1 }
        try sendGroupBands()
        return try db.rows("""
            SELECT b.message_id FROM unnest($1::int8[]) WITH ORDINALITY AS k(key, n)
            CROSS JOIN LATERAL (SELECT message_id FROM minhash_bands WHERE band_key = k.key ORDER BY message_id LIMIT $2) b
            ORDER BY k.n, b.message_id
            """, .ints(keys), .int(Int64(limit))).map { $0.int(0) }
    }

    func fileBands(_ keys: [Int64], message: Int64) throws {
        if group != nil {
            group?.fileBands(keys, message: message)
            return
        }
        try db.send("INSERT INTO minhash_bands (band_key, message_id) SELECT k, $2 FROM unnest($1::int8[]) AS t(k) ON CONFLICT DO NOTHING",
                    .ints(keys), .int(message))
    }

    /// Sends the band rows a group filed so far (at its end, or before the server is asked about bands).
    private func sendGroupBands() throws {
        guard let (keys, messages) = group?.takeUnsentBands(), !keys.isEmpty else { return }
        try db.send("INSERT INTO minhash_bands (band_key, message_id) SELECT k, m FROM unnest($1::int8[], $2::int8[]) AS t(k, m) ON CONFLICT DO NOTHING",
                    .ints(keys), .ints(messages))
    }

    func signature(of message: Int64) throws -> MinHash? {
        if let known = group?.members[message]?.signature { return known }
        if let cached = signatures[message] { return cached }
        if group != nil { lookupsOutsideSnapshot += 1 }
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

    func forgetAll() {
        signatures.removeAll()
        forgetFullBands()
    }

    private func forgetFullBands() {
        fullBands.removeAll()
        removalsSeen = nil
    }

    /// Counts a removal of band rows (a message removed, the campaigns rebuilt), for every scanner's cache of
    /// full band lists; inside the write transaction.
    func recordRemoval() throws {
        try db.send("""
            INSERT INTO meta (key, value) VALUES ('band_removals', '1')
            ON CONFLICT (key) DO UPDATE SET value = (meta.value::bigint + 1)::text
            """)
        forgetFullBands()
    }

    func textAndCampaign(of message: Int64) throws -> (text: String?, campaign: Int64?) {
        if let known = group?.members[message] { return (known.text, known.campaign) }
        if group != nil { lookupsOutsideSnapshot += 1 }
        guard let row = try db.rows("SELECT text_sha256, campaign_id FROM messages WHERE id = $1", .int(message)).first else { return (nil, nil) }
        return (row.text(0), row.optInt(1))
    }

    func recordSimilar(_ a: Int64, _ b: Int64, similarity: Double) throws {
        if group != nil {
            group?.recordSimilar(a, b, similarity: similarity)
            return
        }
        try db.send("INSERT INTO \"similar\" (message_a, message_b, similarity) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                    .int(a), .int(b), .double(similarity))
    }

    /// Near-identical candidates in one question (signatures parsed once and kept, as `signature(of:)` does).
    func candidates(_ messages: [Int64]) throws -> [Int64: Candidate] {
        var out: [Int64: Candidate] = [:]
        var unknown: [Int64] = []
        for id in messages {
            if let member = group?.members[id], let signature = member.signature ?? signatures[id] {
                out[id] = Candidate(signature: signature, text: member.text, campaign: member.campaign)
            } else {
                unknown.append(id)
            }
        }
        guard !unknown.isEmpty else { return out }
        if group != nil { lookupsOutsideSnapshot += 1 }
        return out.merging(try storedCandidates(unknown)) { known, _ in known }
    }

    /// Stored messages as near-identical candidates, read in one lookup: their texts, campaigns, and the
    /// signatures not kept here yet (parsed once and kept).
    private func storedCandidates(_ ids: [Int64]) throws -> [Int64: Candidate] {
        var out: [Int64: Candidate] = [:]
        for row in try db.lookups([("""
            SELECT id, text_sha256, campaign_id, CASE WHEN id = ANY($2::int8[]) THEN minhash END FROM messages WHERE id = ANY($1::int8[])
            """, [.ints(ids), .ints(ids.filter { signatures[$0] == nil })])])[0] {
            let id = row.int(0)
            if let hex = row.text(3), let signature = MinHash(hex: hex) { remember(signature, of: id) }
            out[id] = Candidate(signature: signatures[id], text: row.text(1), campaign: row.optInt(2))
        }
        return out
    }

    // MARK: Groups

    /// Reads what linking `messages` needs (their fingerprints' campaigns, their bands' members, the next campaign
    /// and message numbers) in one round trip with the caller's own `questions`, whose answers it returns. Until
    /// `endGroup`, new campaigns and messages are numbered here; the caller holds the write lock.
    func beginGroup(_ messages: [CampaignMessage], with questions: [(sql: String, values: [PGValue])]) throws -> [[PGRow]] {
        uncommittedSignatures = []
        if db.reconnections != reconnectionsSeen {
            forgetAll()
            reconnectionsSeen = db.reconnections
        }
        var keys: [Fingerprint] = [], seenKeys = Set<Fingerprint>()
        // Bands are consulted for the first copy of a text only (`CampaignLinking.file`): those of a text filed
        // before (in the store, which the server checks, or earlier in the group) are not read.
        var asked = BandQuestion(), seenTexts = Set<String>()
        var cached: [Int64: [Int64]] = [:], cachedFor = BandQuestion()
        for m in messages {
            for key in Fingerprint.of(m) where seenKeys.insert(key).inserted { keys.append(key) }
            if let text = m.fingerprints.text, !seenTexts.insert(text).inserted { continue }
            if let hex = m.fingerprints.minhash, let signature = MinHash(hex: hex) {
                asked.add(text: m.fingerprints.text, keys: signature.bandKeys.filter { fullBands[$0] == nil })
                let known = signature.bandKeys.filter { fullBands[$0] != nil }
                for key in known { cached[key] = fullBands[key] }
                cachedFor.add(text: m.fingerprints.text, keys: known)
            }
        }
        let perBand = CampaignLinking<PostgresCampaignIndex>.perBand
        let answers = try db.lookups(questions + [
            ("""
            SELECT (SELECT coalesce(max(id), 0) FROM messages),
                coalesce(pg_sequence_last_value(pg_get_serial_sequence('messages', 'id')::regclass), 0),
                (SELECT coalesce(max(id), 0) FROM campaigns),
                coalesce(pg_sequence_last_value(pg_get_serial_sequence('campaigns', 'id')::regclass), 0)
            """, []),
            (Self.campaignsOfFingerprints, Self.values(of: keys)),
            asked.statement(perBand: perBand),
            ("SELECT coalesce((SELECT value::bigint FROM meta WHERE key = 'band_removals'), 0)", []),
        ])
        let own = answers.count - 4
        let numbers = answers[own].first
        var campaigns: [Fingerprint: Int64?] = [:]
        for (key, row) in zip(keys, answers[own + 1]) { campaigns[key] = .some(row.optInt(0)) }
        var bands: [Int64: [Int64]] = [:]
        for row in answers[own + 2] { bands[row.int(0)] = row.ints(1) }
        let removals = answers[own + 3].first?.int(0) ?? 0
        if let seen = removalsSeen, seen != removals {
            // Someone removed messages since the full lists were read: they are read again.
            forgetFullBands()
            if !cachedFor.isEmpty {
                for row in try db.lookups([cachedFor.statement(perBand: perBand)])[0] { bands[row.int(0)] = row.ints(1) }
            }
        } else {
            bands.merge(cached) { answered, _ in answered }
        }
        removalsSeen = removals
        if fullBands.count > Self.fullBandsLimit { fullBands.removeAll() }
        for (key, members) in bands where members.count >= perBand { fullBands[key] = members }
        group = LinkingSnapshot(campaigns: campaigns, bands: bands, members: [:],
                                lastCampaign: max(numbers?.int(2) ?? 0, numbers?.int(3) ?? 0),
                                lastMessage: max(numbers?.int(0) ?? 0, numbers?.int(1) ?? 0), perBand: perBand)
        return Array(answers[..<own])
    }

    /// Reads the stored messages that linking `messages` (the group's, less its duplicates, in order) will
    /// compare as near-identical candidates: their texts, campaigns and the signatures not kept here, in one
    /// round trip. Which ones is worked out as linking will do it (`CampaignLinking.comparesSimilar`,
    /// `candidates(amongBandMembers:of:)`): a first copy of a text reads its bands, where the group's earlier
    /// messages have filed theirs.
    func readCandidates(for messages: [CampaignMessage]) throws {
        guard var rehearsal = group else { return }
        var texts = Set<String>()
        var wanted: [Int64] = [], seen = Set<Int64>()
        for m in messages {
            let id = rehearsal.takeMessageNumber()
            var textSeen = false
            if let text = m.fingerprints.text {
                textSeen = (rehearsal.campaigns[Fingerprint(.text, text)] ?? nil) != nil || texts.contains(text)
                texts.insert(text)
            }
            guard CampaignLinking<PostgresCampaignIndex>.comparesSimilar(m, textSeen: textSeen),
                  let hex = m.fingerprints.minhash, let signature = MinHash(hex: hex) else { continue }
            let keys = signature.bandKeys
            guard let members = rehearsal.messages(inBands: keys, limit: rehearsal.perBand) else { continue }
            for other in CampaignLinking<PostgresCampaignIndex>.candidates(amongBandMembers: members, of: id)
            where other < rehearsal.firstMessage && seen.insert(other).inserted {
                wanted.append(other)
            }
            rehearsal.fileBands(keys, message: id)
        }
        guard !wanted.isEmpty else { return }
        group?.add(members: try storedCandidates(wanted))
    }

    /// The number of the group's next message.
    func takeMessageNumber() throws -> Int64 {
        guard group != nil, let id = group?.takeMessageNumber() else {
            throw StoreError(path: db.name, message: "a message numbered outside a group")
        }
        return id
    }

    /// Where a message placed in `campaign` ends up once the group's merges are done.
    func finalCampaign(_ campaign: Int64) -> Int64 { group?.finalCampaign(campaign) ?? campaign }

    /// Sends what the group filed (under each message's final campaign), moves the identity sequences past the
    /// numbers it took (statements that let the server number rows continue after them), and stops answering
    /// from the snapshot.
    func endGroup() throws {
        defer { group = nil }
        try sendGroupBands()
        guard let group else { return }
        uncommittedSignatures = group.members.compactMap { id, member in
            id >= group.firstMessage ? member.signature.map { (id, $0) } : nil
        }
        if !group.filed.isEmpty {
            var keys: (kind: [String], value: [String], message: [Int64]) = ([], [], [])
            var recipients: (campaign: [Int64], address: [String]) = ([], [])
            var domains: (campaign: [Int64], domain: [String]) = ([], [])
            var counted: (campaign: [Int64], targeted: [Int64], date: [String?]) = ([], [], [])
            for entry in group.filed {
                let campaign = group.finalCampaign(entry.campaign)
                for key in entry.fingerprints {
                    keys.kind.append(key.kind.rawValue)
                    keys.value.append(key.value)
                    keys.message.append(entry.message)
                }
                recipients.campaign += repeatElement(campaign, count: entry.recipients.count)
                recipients.address += entry.recipients
                domains.campaign += repeatElement(campaign, count: entry.organizations.count)
                domains.domain += entry.organizations
                counted.campaign.append(campaign)
                counted.targeted.append(entry.targeted ? 1 : 0)
                counted.date.append(entry.date)
            }
            try db.send(Self.fileGroup, .texts(keys.kind), .texts(keys.value), .ints(keys.message),
                        .ints(recipients.campaign), .texts(recipients.address), .ints(domains.campaign), .texts(domains.domain),
                        .ints(counted.campaign), .ints(counted.targeted), .optTexts(counted.date))
        }
        if !group.similar.isEmpty {
            try db.send("""
                INSERT INTO "similar" (message_a, message_b, similarity)
                SELECT * FROM unnest($1::int8[], $2::int8[], $3::float8[]) ON CONFLICT DO NOTHING
                """, .ints(group.similar.map(\.a)), .ints(group.similar.map(\.b)), .doubles(group.similar.map(\.similarity)))
        }
        if group.nextMessage > group.firstMessage {
            try db.send("SELECT setval(pg_get_serial_sequence('messages', 'id'), $1)", .int(group.nextMessage - 1))
        }
        if group.nextCampaign > group.firstCampaign {
            try db.send("SELECT setval(pg_get_serial_sequence('campaigns', 'id'), $1)", .int(group.nextCampaign - 1))
        }
    }

    /// A group's filing in one statement: the fingerprints, the campaigns' new recipients and organisations, and
    /// every campaign's counters grown by its messages and by the rows actually inserted (exact because the write
    /// lock is held); a new campaign's row is inserted with them (each has the message that started it).
    static let fileGroup = """
        WITH f AS (
            INSERT INTO fingerprints (kind, value, message_id) SELECT * FROM unnest($1::text[], $2::text[], $3::int8[])
            ON CONFLICT DO NOTHING),
        r AS (
            INSERT INTO campaign_recipients (campaign_id, address) SELECT * FROM unnest($4::int8[], $5::text[])
            ON CONFLICT DO NOTHING RETURNING campaign_id),
        d AS (
            INSERT INTO campaign_domains (campaign_id, domain) SELECT * FROM unnest($6::int8[], $7::text[])
            ON CONFLICT DO NOTHING RETURNING campaign_id),
        rc AS (SELECT campaign_id, count(*) AS n FROM r GROUP BY campaign_id),
        dc AS (SELECT campaign_id, count(*) AS n FROM d GROUP BY campaign_id),
        grown AS (
            SELECT t.id, count(*) AS messages, sum(t.targeted) AS targeted, min(t.date COLLATE "C") AS first_seen,
                max(t.date COLLATE "C") AS last_seen
            FROM unnest($8::int8[], $9::int8[], $10::text[]) AS t(id, targeted, date) GROUP BY t.id)
        INSERT INTO campaigns AS k (id, messages, targeted_messages, distinct_recipients, distinct_domains, first_seen, last_seen)
        SELECT g.id, g.messages, g.targeted, coalesce(rc.n, 0), coalesce(dc.n, 0), g.first_seen, g.last_seen
        FROM grown g LEFT JOIN rc ON rc.campaign_id = g.id LEFT JOIN dc ON dc.campaign_id = g.id
        ON CONFLICT (id) DO UPDATE SET
            messages = k.messages + excluded.messages,
            targeted_messages = k.targeted_messages + excluded.targeted_messages,
            distinct_recipients = k.distinct_recipients + excluded.distinct_recipients,
            distinct_domains = k.distinct_domains + excluded.distinct_domains,
            first_seen = least(k.first_seen, excluded.first_seen),
            last_seen = greatest(k.last_seen, excluded.last_seen)
        """

    /// Forgets a group's snapshot without moving anything (its transaction failed).
    func abandonGroup() {
        group = nil
        uncommittedSignatures = []
    }

    /// The group that ended last is committed: its messages' numbers are theirs, and their signatures are kept.
    func groupCommitted() {
        for (id, signature) in uncommittedSignatures { remember(signature, of: id) }
        uncommittedSignatures = []
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

/// The band keys a group asks the server about, each with the text of the message it is for (the server leaves
/// out texts it holds already: their bands are not consulted).
struct BandQuestion {
    private var texts: [String] = []
    private var keys: [Int64] = []
    private var owners: [Int64] = []

    var isEmpty: Bool { keys.isEmpty }

    mutating func add(text: String?, keys more: [Int64]) {
        guard !more.isEmpty else { return }
        texts.append(text ?? "")
        keys += more
        owners += repeatElement(Int64(texts.count), count: more.count)
    }

    /// Each asked key's lowest-numbered members, at most `perBand`, as an array.
    func statement(perBand: Int) -> (sql: String, values: [PGValue]) {
        ("""
        WITH fresh AS MATERIALIZED (
            SELECT x.n FROM unnest($1::text[]) WITH ORDINALITY AS x(text, n)
            WHERE x.text = '' OR NOT EXISTS (SELECT 1 FROM fingerprints f WHERE f.kind = 'text' AND f.value = x.text)),
        k AS (SELECT DISTINCT t.key FROM unnest($2::int8[], $3::int8[]) AS t(key, owner) WHERE t.owner IN (SELECT n FROM fresh))
        SELECT k.key, ARRAY(SELECT message_id FROM minhash_bands WHERE band_key = k.key ORDER BY message_id LIMIT $4) FROM k
        """, [.texts(texts), .ints(keys), .ints(owners), .int(Int64(perBand))])
    }
}

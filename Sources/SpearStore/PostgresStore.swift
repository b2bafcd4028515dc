import Foundation
import SpearCampaigns
import SpearCore
public import SpearDomains
import SpearMIME

/// The PostgreSQL store: one database shared by several scanners (processes, machines). The tables and their
/// meaning are the SQLite store's (`PostgresSchema`). Each group of messages (`insert(group:)`) is stored in a
/// transaction of its own that first takes the store-wide advisory lock (`PostgresSchema.writeLock`): writers
/// from every process file groups and link campaigns one at a time, each seeing all earlier commits, so a campaign two scanners reach
/// from two sides is merged once, counters stay exact and a message (keyed by its raw SHA-256) is stored once.
/// Commits are asynchronous (`synchronous_commit=off`): a killed scanner loses nothing it committed; a crash of
/// the server itself can lose the last fraction of a second, which a rerun stores again.
public final class PostgresStore: ScanStore {
    public let location: PostgresLocation
    let db: PostgresDatabase
    private let organization: @Sendable (String) -> String
    private var organizations: [String: String] = [:]
    let campaignIndex: PostgresCampaignIndex
    private(set) lazy var linking = CampaignLinking(index: campaignIndex, organization: { [unowned self] in organizationalDomain($0) })
    /// Whether `failures` may hold a row for a message this run stores (else clearing it costs a statement for
    /// nothing on every message).
    private var mayHaveFailures = true
    private let wait: LockWait
    /// Messages stored since the last durable point (`commit`), and the connection's reconnections then.
    private var sinceDurable: [(message: StoredMessage, replacing: Bool)] = []
    private var removedSinceDurable = Set<String>()
    private var knownReconnections = 0

    /// Connects (waiting for a server that is starting, within `lockWait`'s limit) and creates or checks the
    /// schema. `mustExist`: a reading command does not create tables in an empty database.
    public init(location: PostgresLocation, psl: PublicSuffixList? = PublicSuffixList.system, lockWait: LockWait = LockWait(),
                mustExist: Bool = false) throws {
        self.location = location
        self.wait = lockWait
        db = try PostgresDatabase(location: location, wait: lockWait, settings: [("synchronous_commit", "off")])
        campaignIndex = PostgresCampaignIndex(db: db)
        organization = { domain in psl?.organizationalDomain(of: domain) ?? domain }
        try prepareSchema(mustExist: mustExist)
        mayHaveFailures = try db.scalar("SELECT count(*) FROM (SELECT 1 FROM failures LIMIT 1) f") ?? 0 > 0
    }

    public var files: [String] { [] }

    public var name: String { location.description }

    /// Creates the tables, or checks the version of the ones there, under the write lock: two scanners starting
    /// at once on an empty database create it once.
    private func prepareSchema(mustExist: Bool) throws {
        try write {
            let exists = try db.scalar("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'meta'") ?? 0 > 0
            if exists, let text = try stringMeta("schema_version") {
                guard let found = Int(text) else {
                    throw StoreError(path: name, message: "store schema version \"\(text)\" is not a number")
                }
                if found > PostgresSchema.version {
                    throw StoreError(path: name, message: "store schema version \(found) is newer than this spearscan's (\(PostgresSchema.version)); use a newer spearscan")
                }
                if found < PostgresSchema.version {
                    throw StoreError(path: name, message: "store schema version \(found) predates PostgreSQL stores (\(PostgresSchema.version))")
                }
                return
            }
            if mustExist {
                throw StoreError(path: name, message: "no spearscan store in this database (run `spearscan batch --db \(name) SPOOL` first)")
            }
            for statement in PostgresSchema.statements { try db.run(statement) }
            try db.run("INSERT INTO meta (key, value) VALUES ('schema_version', $1) ON CONFLICT (key) DO NOTHING",
                       .text(String(PostgresSchema.version)))
        }
    }

    // MARK: Transactions

    /// A writing transaction: takes the store-wide lock first (see the type's comment), replayed whole if the
    /// connection drops or the server restarts.
    func write<T>(_ body: () throws -> T) throws -> T {
        try db.transaction {
            try db.send("SELECT pg_advisory_xact_lock($1)", .int(PostgresSchema.writeLock))
            return try body()
        }
    }

    /// A reading transaction on one snapshot: several statements that must agree (campaigns, then their members)
    /// see the same store while other scanners write.
    func snapshot<T>(_ body: () throws -> T) throws -> T {
        try db.transaction {
            try db.send("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            return try body()
        }
    }

    func stringMeta(_ key: String) throws -> String? {
        try db.rows("SELECT value FROM meta WHERE key = $1", .text(key)).first?.text(0)
    }

    /// Makes everything stored so far durable. Messages commit one by one without waiting for the disk
    /// (`synchronous_commit=off`); this commit waits, and with it every earlier one is on disk. Messages stored
    /// since the last such point are kept until then: a connection lost and made again (a server that crashed
    /// may have lost the last of them) has them stored again, so a crash loses nothing, as with SQLite.
    public func commit() throws {
        while true {
            try replayIfReconnected()
            try db.transaction {
                try db.send("SET LOCAL synchronous_commit = on")
                try db.send("UPDATE meta SET value = value WHERE key = 'schema_version'")
            }
            // A reconnection during that commit: the replayed messages need a durable point of their own.
            if db.reconnections == knownReconnections { break }
        }
        sinceDurable.removeAll(keepingCapacity: true)
        removedSinceDurable.removeAll(keepingCapacity: true)
        // Another scanner may have recorded a failure for a file this one stores later.
        mayHaveFailures = try db.scalar("SELECT count(*) FROM (SELECT 1 FROM failures LIMIT 1) f") ?? 0 > 0
    }

    /// Stores again, after a reconnection, the messages since the last durable point that the server no longer has.
    private func replayIfReconnected() throws {
        while db.reconnections != knownReconnections {
            knownReconnections = db.reconnections
            // A crashed server may hand the ids of lost messages out again: what was cached by id is forgotten.
            campaignIndex.forgetAll()
            // A message stored again (a rescan) may be back in its old version if the crash lost both commits.
            for (message, replacing) in sinceDurable where replacing { try removeRows(sha256: message.campaign.sha256) }
            // Those the server still has are duplicates now.
            for start in stride(from: 0, to: sinceDurable.count, by: Self.groupLimit) {
                let part = sinceDurable[start..<min(sinceDurable.count, start + Self.groupLimit)].map(\.message)
                _ = try write { try insertRows(part) }
                campaignIndex.groupCommitted()
            }
        }
    }

    public func organizationalDomain(_ domain: String) -> String {
        if let known = organizations[domain] { return known }
        let value = organization(domain)
        if organizations.count > 100_000 { organizations.removeAll(keepingCapacity: true) }
        organizations[domain] = value
        return value
    }

    // MARK: Messages

    public func contains(sha256: String) throws -> Bool {
        try db.scalar("SELECT 1 FROM messages WHERE sha256 = $1", .text(sha256)) != nil
    }

    public func insert(_ message: StoredMessage) throws -> Bool {
        switch try insert(group: [message])[0] {
        case .stored: return true
        case .duplicate: return false
        case .rejected(let reason): throw MessageRejected(reason: reason)
        }
    }

    /// Stores a group in one transaction, under the write lock once: what linking needs is read in one round
    /// trip (`PostgresCampaignIndex.beginGroup`), every row is sent without waiting, and the commit is the second
    /// wait. Larger groups are stored `groupLimit` at a time. A message the server refuses aborts the transaction
    /// with it: the group is then stored one message at a time, to tell which.
    public func insert(group messages: [StoredMessage]) throws -> [InsertOutcome] {
        guard messages.count <= Self.groupLimit else {
            return try stride(from: 0, to: messages.count, by: Self.groupLimit).flatMap {
                try insert(group: Array(messages[$0..<min(messages.count, $0 + Self.groupLimit)]))
            }
        }
        try replayIfReconnected()
        let outcomes: [InsertOutcome]
        do {
            outcomes = try write { try insertRows(messages) }
            campaignIndex.groupCommitted()
        } catch let error as PostgresDatabase.ServerError where error.isAboutData {
            guard messages.count > 1 else { return [.rejected(reason: error.description)] }
            return try messages.flatMap { try insert(group: [$0]) }
        }
        for (message, outcome) in zip(messages, outcomes) where outcome == .stored {
            sinceDurable.append((message, removedSinceDurable.contains(message.campaign.sha256)))
        }
        try replayIfReconnected()
        return outcomes
    }

    /// Messages stored in one transaction at most (how long one scanner holds the write lock).
    static let groupLimit = 512

    /// Stores messages inside a write transaction: those stored already (by anyone, or earlier in the group) are
    /// duplicates.
    private func insertRows(_ messages: [StoredMessage]) throws -> [InsertOutcome] {
        let shas = messages.map(\.campaign.sha256)
        let answers: [[PGRow]]
        do {
            answers = try campaignIndex.beginGroup(messages.map(\.campaign), with: [
                ("SELECT sha256 FROM messages WHERE sha256 = ANY($1::text[])", [.texts(shas)]),
            ])
        } catch {
            campaignIndex.abandonGroup()
            throw error
        }
        var stored = Set(answers[0].compactMap { $0.text(0) })
        let new = messages.map { stored.insert($0.campaign.sha256).inserted }
        do {
            try campaignIndex.readCandidates(for: zip(messages, new).filter(\.1).map(\.0.campaign))
            var outcomes: [InsertOutcome] = []
            var placed: [(message: StoredMessage, id: Int64, campaign: Int64)] = []
            for (message, new) in zip(messages, new) {
                guard new else {
                    outcomes.append(.duplicate)
                    continue
                }
                let placement = try linking.place(message.campaign)
                let id = try campaignIndex.takeMessageNumber()
                try linking.file(id, message.campaign, at: placement)
                placed.append((message, id, placement.campaign))
                outcomes.append(.stored)
            }
            // Each message under the campaign it belongs to once the group's merges are done.
            var rows = PostgresMessageRows()
            let now = StoreTime.now()
            for (message, id, campaign) in placed {
                rows.append(message, id: id, campaign: campaignIndex.finalCampaign(campaign), scannedAt: now)
            }
            if rows.count > 0 { try db.send(PostgresMessageRows.statement, values: rows.values) }
            try campaignIndex.endGroup()
            return outcomes
        } catch {
            campaignIndex.abandonGroup()
            throw error
        }
    }

    func insertFindings(_ findings: [Finding], message id: Int64) throws {
        guard !findings.isEmpty else { return }
        try db.send("""
            INSERT INTO findings (message_id, finding_id, severity, evidence, kind)
            SELECT $1, f, s, e, k FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) WITH ORDINALITY AS t(f, s, e, k, n) ORDER BY n
            """, .int(id), .texts(findings.map(\.id.rawValue)), .texts(findings.map(\.severity.rawValue)),
            .texts(findings.map(\.evidence)), .texts(findings.map(\.kind.rawValue)))
    }

    /// A message's attachment tree, depth first (parents before their children, as SQLite's ids order them), each
    /// with its parent's position in the list.
    static func flatten(_ roots: [AttachmentReport]) -> [(file: AttachmentReport, parent: Int?, depth: Int)] {
        var flat: [(file: AttachmentReport, parent: Int?, depth: Int)] = []
        func walk(_ a: AttachmentReport, parent: Int?, depth: Int) {
            let index = flat.count
            flat.append((a, parent, depth))
            for child in a.children { walk(child, parent: index, depth: depth + 1) }
        }
        for root in roots { walk(root, parent: nil, depth: 0) }
        return flat
    }

    // MARK: Removal, failures, rebuild

    public func remove(sha256: String) throws {
        removedSinceDurable.insert(sha256)
        try removeRows(sha256: sha256)
    }

    private func removeRows(sha256: String) throws {
        try write {
            guard let row = try db.rows("SELECT id, campaign_id, minhash FROM messages WHERE sha256 = $1", .text(sha256)).first else { return }
            let id = row.int(0), campaign = row.optInt(1)
            try campaignIndex.recordRemoval()
            try db.send("DELETE FROM ppap_pairs WHERE archive_sha256 = $1", .text(sha256))
            try db.send("DELETE FROM ppap_tried WHERE archive_sha256 = $1", .text(sha256))
            for table in ["recipients", "attachments", "findings", "defects", "fingerprints", "password_notices",
                          "observations", "observation_orgs", "iocs"] {
                try db.send("DELETE FROM \(table) WHERE message_id = $1", .int(id))
            }
            if let hex = row.text(2), let signature = MinHash(hex: hex) {
                try db.send("DELETE FROM minhash_bands WHERE band_key = ANY($1::int8[]) AND message_id = $2", .ints(signature.bandKeys), .int(id))
            }
            try db.send("DELETE FROM \"similar\" WHERE message_a = $1 OR message_b = $1", .int(id))
            try db.send("DELETE FROM messages WHERE id = $1", .int(id))
            campaignIndex.forget(message: id)
            if let campaign { try recount(campaign: campaign) }
        }
    }

    /// Recomputes a campaign's counters from its remaining members after a removal (see `SQLiteStore.recount`).
    private func recount(campaign: Int64) throws {
        try db.send("DELETE FROM campaign_recipients WHERE campaign_id = $1", .int(campaign))
        try db.send("DELETE FROM campaign_domains WHERE campaign_id = $1", .int(campaign))
        guard try db.scalar("SELECT count(*) FROM messages WHERE campaign_id = $1", .int(campaign)) ?? 0 > 0 else {
            try db.run("DELETE FROM campaigns WHERE id = $1", .int(campaign))
            return
        }
        let addresses = try db.rows("""
            SELECT DISTINCT r.address FROM recipients r JOIN messages m ON m.id = r.message_id WHERE m.campaign_id = $1 ORDER BY 1
            """, .int(campaign)).map { $0.text(0) ?? "" }
        try db.send("INSERT INTO campaign_recipients (campaign_id, address) SELECT $1, a FROM unnest($2::text[]) AS t(a) ON CONFLICT DO NOTHING",
                    .int(campaign), .texts(addresses))
        try db.send("INSERT INTO campaign_domains (campaign_id, domain) SELECT $1, d FROM unnest($2::text[]) AS t(d) ON CONFLICT DO NOTHING",
                    .int(campaign), .texts(linking.organizations(of: addresses)))
        try db.run("""
            UPDATE campaigns SET
                messages = (SELECT count(*) FROM messages WHERE campaign_id = $1),
                targeted_messages = (SELECT count(*) FROM messages WHERE campaign_id = $1 AND targeted = 1),
                distinct_recipients = (SELECT count(*) FROM campaign_recipients WHERE campaign_id = $1),
                distinct_domains = (SELECT count(*) FROM campaign_domains WHERE campaign_id = $1),
                first_seen = (SELECT min(coalesce(date, received_date)) FROM messages WHERE campaign_id = $1),
                last_seen = (SELECT max(coalesce(date, received_date)) FROM messages WHERE campaign_id = $1)
            WHERE id = $1
            """, .int(campaign))
    }

    public func recordFailure(source: String, offset: Int?, reason: String) throws {
        mayHaveFailures = true
        try db.run("""
            INSERT INTO failures (source, "offset", reason, failed_at) VALUES ($1, $2, $3, $4)
            ON CONFLICT (source, "offset") DO UPDATE SET reason = excluded.reason, failed_at = excluded.failed_at
            """, .text(source), .int(Int64(offset ?? -1)), .text(reason), .text(StoreTime.now()))
    }

    public func clearFailure(source: String, offset: Int?) throws {
        guard mayHaveFailures else { return }
        try db.run("DELETE FROM failures WHERE source = $1 AND \"offset\" = $2", .text(source), .int(Int64(offset ?? -1)))
    }

    /// Links every message again, in store order, under the write lock (no scanner files a message meanwhile).
    public func rebuildCampaigns() throws {
        try write {
            try campaignIndex.recordRemoval()
            for table in ["campaign_recipients", "campaign_domains", "\"similar\"", "minhash_bands"] { try db.send("DELETE FROM \(table)") }
            try db.send("UPDATE messages SET campaign_id = NULL WHERE campaign_id IS NOT NULL")
            try db.send("DELETE FROM campaigns")
            let ids = try db.rows("SELECT id FROM messages ORDER BY id").map { $0.int(0) }
            for id in ids {
                guard let m = try campaignIndex.campaignMessage(id: id) else { continue }
                try db.send("DELETE FROM fingerprints WHERE message_id = $1", .int(id))
                try linking.link(id, m)
            }
        }
    }

    public func counts() throws -> StoreCounts {
        let row = try db.rows("SELECT (SELECT count(*) FROM messages), (SELECT count(*) FROM failures), (SELECT count(*) FROM campaigns)")
        return StoreCounts(messages: Int(row.first?.int(0) ?? 0), failed: Int(row.first?.int(1) ?? 0), campaigns: Int(row.first?.int(2) ?? 0))
    }

    /// Each worker's reader asks its own connection, but only for digests whose 64-bit prefix was stored when
    /// the batch started (read once): most messages of a batch are new. Messages other scanners store meanwhile
    /// are caught by `insert`.
    public func makeReader() throws -> any StoreReader {
        if knownPrefixes == nil {
            var prefixes = Set<UInt64>()
            for row in try db.rows("SELECT sha256 FROM messages") {
                if let prefix = row.text(0).flatMap(SQLiteStoreReader.prefix) { prefixes.insert(prefix) }
            }
            knownPrefixes = prefixes
        }
        return PostgresStoreReader(location: location, wait: wait, known: knownPrefixes ?? [])
    }

    private var knownPrefixes: Set<UInt64>?
}

/// One worker's view of what is stored (see `PostgresStore.makeReader`); connects on its first prefix match.
final class PostgresStoreReader: StoreReader {
    private let location: PostgresLocation
    private let wait: LockWait
    private let known: Set<UInt64>
    private var db: PostgresDatabase?

    init(location: PostgresLocation, wait: LockWait, known: Set<UInt64>) {
        self.location = location
        self.wait = wait
        self.known = known
    }

    func contains(sha256: String) throws -> Bool {
        guard let prefix = SQLiteStoreReader.prefix(sha256), known.contains(prefix) else { return false }
        if db == nil { db = try PostgresDatabase(location: location, wait: wait) }
        return try db?.scalar("SELECT 1 FROM messages WHERE sha256 = $1", .text(sha256)) != nil
    }
}

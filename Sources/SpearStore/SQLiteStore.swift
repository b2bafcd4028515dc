import Foundation
import SpearCampaigns
import SpearCore
public import SpearDomains
import SpearMIME

/// The SQLite store: one file, WAL journal, one writer. Messages are stored whole inside savepoints and
/// committed in groups, so a batch killed at any moment leaves only complete messages; campaigns are kept up to
/// date as messages arrive, each addition costing index lookups, not a scan of the store.
public final class SQLiteStore: ScanStore {
    public let path: String
    let db: SQLiteDatabase
    private var inTransaction = false
    private let organization: @Sendable (String) -> String
    /// Recipient domains repeat across a spool; the Public Suffix List lookup is done once per domain.
    private var organizations: [String: String] = [:]
    private var knownPrefixes: Set<UInt64>?
    let campaignIndex: SQLiteCampaignIndex
    /// Campaign linking's rules over this store's tables (the same rules as the in-memory index's).
    private(set) lazy var linking = CampaignLinking(index: campaignIndex, organization: { [unowned self] in organizationalDomain($0) })

    /// Opens (creating if needed) the store at `path`. `psl` gives recipients' organisational domains (distinct
    /// organisations for `--bulk-unit domain`); nil counts whole domains.
    public init(path: String, psl: PublicSuffixList? = PublicSuffixList.system, lockWait: LockWait = LockWait()) throws {
        self.path = path
        db = try SQLiteDatabase(path: path, lockWait: lockWait)
        campaignIndex = SQLiteCampaignIndex(db: db)
        organization = { domain in psl?.organizationalDomain(of: domain) ?? domain }
        // WAL with NORMAL sync: a commit survives a killed process, and only a power cut can lose the last ones.
        // A larger page cache and fewer checkpoints keep the index pages that every message touches in memory.
        try db.execute("""
            PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=OFF;
            PRAGMA cache_size=-65536; PRAGMA wal_autocheckpoint=8192; PRAGMA temp_store=MEMORY;
            """)
        try migrate()
        try db.execute("BEGIN IMMEDIATE;" + Schema.statements + "COMMIT;")
        try db.run("INSERT OR IGNORE INTO meta(key, value) VALUES ('schema_version', ?)", .text(String(Schema.version)))
    }

    /// The database and the journals SQLite keeps beside it.
    public var files: [String] { [path, path + "-wal", path + "-shm", path + "-journal"] }

    /// The organisational domain of a recipient's domain (distinct organisations for `--bulk-unit domain`).
    public func organizationalDomain(_ domain: String) -> String {
        if let known = organizations[domain] { return known }
        let value = organization(domain)
        if organizations.count > 100_000 { organizations.removeAll(keepingCapacity: true) }
        organizations[domain] = value
        return value
    }

    /// Brings an older store to `Schema.version`, one step per version (`Schema.migrations`), before the
    /// statements, which would index columns an old store lacks. Each step runs in a write transaction that
    /// reads the version again, so two processes opening one old store at once migrate it once, and a failure
    /// rolls that step back. A store written by a newer spearscan is refused, not downgraded.
    private func migrate() throws {
        guard try tableExists("meta"), let text = try stringMeta("schema_version") else { return }
        guard let found = Int(text) else {
            throw StoreError(path: path, message: "store schema version \"\(text)\" is not a number")
        }
        if found > Schema.version {
            throw StoreError(path: path, message: "store schema version \(found) is newer than this spearscan's (\(Schema.version)); use a newer spearscan")
        }
        for step in Schema.migrations where step.from >= found {
            try db.execute("BEGIN IMMEDIATE")
            do {
                if try stringMeta("schema_version") == String(step.from) {
                    try db.execute(step.sql)
                    try db.run("UPDATE meta SET value = ? WHERE key = 'schema_version'", .text(String(step.from + 1)))
                }
                try db.execute("COMMIT")
            } catch {
                try? db.execute("ROLLBACK")
                throw StoreError(path: path, message: "migrating the store from schema version \(step.from) failed: \(error)")
            }
        }
    }

    private func tableExists(_ name: String) throws -> Bool {
        var found = false
        try db.query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", .text(name)) { _ in found = true }
        return found
    }

    func stringMeta(_ key: String) throws -> String? {
        var value: String?
        try db.query("SELECT value FROM meta WHERE key = ?", .text(key)) { value = $0.text(0) }
        return value
    }

    func begin() throws {
        if !inTransaction {
            try db.execute("BEGIN IMMEDIATE")
            inTransaction = true
        }
    }

    public func commit() throws {
        if inTransaction {
            try db.execute("COMMIT")
            inTransaction = false
        }
    }

    public func contains(sha256: String) throws -> Bool {
        try db.scalar("SELECT 1 FROM messages WHERE sha256 = ?", .text(sha256)) != nil
    }

    public func insert(_ message: StoredMessage) throws -> Bool {
        try begin()
        if try contains(sha256: message.campaign.sha256) { return false }
        try db.run("SAVEPOINT message")
        do {
            try insertRows(message)
            try db.run("RELEASE message")
            return true
        } catch {
            try? db.execute("ROLLBACK TO message; RELEASE message")
            throw error
        }
    }

    private func insertRows(_ stored: StoredMessage) throws {
        let report = stored.report, m = stored.campaign
        let senderDomain = m.sender.flatMap(Address.domain(of:))
        // The campaign is found first, so the message row is written once, already in it.
        let placement = try linking.place(m)
        let campaign = placement.campaign
        try db.run("""
            INSERT INTO messages (sha256, source, offset, size, message_id, date, received_date, subject, sender,
                sender_domain, return_path, targeted, status, spoofed, sender_score, text_sha256, minhash, scanned_at,
                report_json, campaign_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            .text(m.sha256), .text(report.source), stored.offset.map { .int(Int64($0)) } ?? .null,
            .int(Int64(report.size)), opt(m.messageID), opt(report.message.date), opt(report.message.receivedDate),
            opt(m.subject), opt(m.sender), opt(senderDomain), opt(report.message.returnPath), .int(m.targeted ? 1 : 0),
            .text(report.verdict.status.rawValue), report.sender?.spoofed.map { .int($0 ? 1 : 0) } ?? .null, report.sender.map { .int(Int64($0.score)) } ?? .null,
            opt(m.fingerprints.text), opt(m.fingerprints.minhash), .text(StoreTime.now()), opt(stored.reportJSON), .int(campaign))
        let id = db.lastInsertRowID
        try db.insertMany("INSERT OR IGNORE INTO recipients (message_id, address, domain)", columns: 3,
                          values: m.recipients.flatMap { [.int(id), .text($0), .text(Address.domain(of: $0) ?? "")] })
        for attachment in report.attachments { try insertAttachment(attachment, message: id, parent: nil, depth: 0) }
        try insertFindings(report.findings, message: id)
        for defect in report.defects {
            try db.run("INSERT INTO defects (message_id, code, severity, location, detail) VALUES (?, ?, ?, ?, ?)",
                       .int(id), .text(defect.code.rawValue), .text(defect.severity.rawValue), .text(defect.where),
                       .text(defect.detail))
        }
        try db.insertMany("INSERT INTO iocs (message_id, type, value, location, context, obfuscated)", columns: 6,
                          // Files are in `attachments`, the From address in `messages.sender`.
                          values: report.iocs.filter { $0.type != .file && $0.location != "header From" }.flatMap {
                              [.int(id), .text($0.type.rawValue), .text($0.value), .text($0.location), .text($0.context.rawValue),
                               .int($0.obfuscated ? 1 : 0)]
                          })
        try db.insertMany("INSERT OR IGNORE INTO password_notices (message_id, value)", columns: 2,
                          values: stored.passwordNotice.flatMap { [.int(id), .text($0)] })
        if let observation = report.sender?.observation {
            try insertObservation(observation, message: id)
        }
        try linking.file(id, m, at: placement)
    }

    func insertFindings(_ findings: [Finding], message id: Int64) throws {
        for finding in findings {
            try db.run("INSERT INTO findings (message_id, finding_id, severity, evidence, kind) VALUES (?, ?, ?, ?, ?)",
                       .int(id), .text(finding.id.rawValue), .text(finding.severity.rawValue), .text(finding.evidence),
                       .text(finding.kind.rawValue))
        }
    }

    private func insertAttachment(_ a: AttachmentReport, message: Int64, parent: Int64?, depth: Int) throws {
        try db.run("""
            INSERT INTO attachments (message_id, parent_id, depth, mime_path, path, filename, content_type, size, md5,
                sha1, sha256, category, magic_mime, encrypted, complete, inline, origin)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            .int(message), parent.map { .int($0) } ?? .null, .int(Int64(depth)), .text(a.mimePath), opt(a.path),
            opt(a.filename), opt(a.contentType), .int(Int64(a.size)), .text(a.md5), .text(a.sha1), .text(a.sha256),
            opt(a.category?.rawValue), opt(a.magic?.mimeType), .int(a.encrypted ? 1 : 0), .int(a.complete ? 1 : 0),
            .int(a.inline ? 1 : 0), .text(a.origin.rawValue))
        let id = db.lastInsertRowID
        for child in a.children { try insertAttachment(child, message: message, parent: id, depth: depth + 1) }
    }

    // MARK: Removal, failures, rebuild

    public func remove(sha256: String) throws {
        try begin()
        guard let id = try db.scalar("SELECT id FROM messages WHERE sha256 = ?", .text(sha256)) else { return }
        let campaign = try db.scalar("SELECT campaign_id FROM messages WHERE id = ?", .int(id))
        // A pair is the archive's: stored again (PPAP opened it, or --rescan), it is paired again. A notice
        // stored again keeps its pairs.
        try db.run("DELETE FROM ppap_pairs WHERE archive_sha256 = ?", .text(sha256))
        try db.run("DELETE FROM ppap_tried WHERE archive_sha256 = ?", .text(sha256))
        for table in ["recipients", "attachments", "findings", "defects", "fingerprints", "password_notices",
                      "observations", "observation_orgs", "iocs"] {
            try db.run("DELETE FROM \(table) WHERE message_id = ?", .int(id))
        }
        // minhash_bands is keyed by band: its rows are found from the message's signature, not by a scan of the
        // table (which made each removal cost as much as the store's size: rescoring, PPAP, --rescan).
        var minhash: String?
        try db.query("SELECT minhash FROM messages WHERE id = ?", .int(id)) { minhash = $0.text(0) }
        if let hex = minhash, let signature = MinHash(hex: hex) {
            for key in signature.bandKeys {
                try db.run("DELETE FROM minhash_bands WHERE band_key = ? AND message_id = ?", .int(key), .int(id))
            }
        }
        try db.run("DELETE FROM similar WHERE message_a = ?1 OR message_b = ?1", .int(id))
        try db.run("DELETE FROM messages WHERE id = ?", .int(id))
        campaignIndex.forget(message: id)
        if let campaign { try recount(campaign: campaign) }
    }

    /// Recomputes a campaign's counters from its remaining members (after a removal), deleting it when none is
    /// left. The campaign stays as linked: a message that bridged two groups leaves them merged until
    /// `rebuildCampaigns` (which `batch --rescan` runs at its end) links everything again.
    private func recount(campaign: Int64) throws {
        try db.run("DELETE FROM campaign_recipients WHERE campaign_id = ?", .int(campaign))
        try db.run("DELETE FROM campaign_domains WHERE campaign_id = ?", .int(campaign))
        guard try db.scalar("SELECT count(*) FROM messages WHERE campaign_id = ?", .int(campaign)) ?? 0 > 0 else {
            try db.run("DELETE FROM campaigns WHERE id = ?", .int(campaign))
            return
        }
        var addresses: [String] = []
        try db.query("""
            SELECT DISTINCT r.address FROM recipients r JOIN messages m ON m.id = r.message_id WHERE m.campaign_id = ?
            """, .int(campaign)) { addresses.append($0.text(0) ?? "") }
        let organizations = linking.organizations(of: addresses)
        try db.insertMany("INSERT OR IGNORE INTO campaign_recipients (campaign_id, address)", columns: 2,
                          values: addresses.flatMap { [.int(campaign), .text($0)] })
        try db.insertMany("INSERT OR IGNORE INTO campaign_domains (campaign_id, domain)", columns: 2,
                          values: organizations.flatMap { [.int(campaign), .text($0)] })
        try db.run("""
            UPDATE campaigns SET
                messages = (SELECT count(*) FROM messages WHERE campaign_id = ?1),
                targeted_messages = (SELECT count(*) FROM messages WHERE campaign_id = ?1 AND targeted = 1),
                distinct_recipients = (SELECT count(*) FROM campaign_recipients WHERE campaign_id = ?1),
                distinct_domains = (SELECT count(*) FROM campaign_domains WHERE campaign_id = ?1),
                first_seen = (SELECT min(coalesce(date, received_date)) FROM messages WHERE campaign_id = ?1),
                last_seen = (SELECT max(coalesce(date, received_date)) FROM messages WHERE campaign_id = ?1)
            WHERE id = ?1
            """, .int(campaign))
    }

    public func recordFailure(source: String, offset: Int?, reason: String) throws {
        try begin()
        try db.run("INSERT OR REPLACE INTO failures (source, offset, reason, failed_at) VALUES (?, ?, ?, ?)",
                   .text(source), .int(Int64(offset ?? -1)), .text(reason), .text(StoreTime.now()))
    }

    public func clearFailure(source: String, offset: Int?) throws {
        try begin()
        try db.run("DELETE FROM failures WHERE source = ? AND offset = ?", .text(source), .int(Int64(offset ?? -1)))
    }

    public func rebuildCampaigns() throws {
        try begin()
        try db.execute("""
            DELETE FROM campaigns; DELETE FROM campaign_recipients; DELETE FROM campaign_domains;
            DELETE FROM similar; DELETE FROM minhash_bands; UPDATE messages SET campaign_id = NULL;
            """)
        var ids: [Int64] = []
        try db.query("SELECT id FROM messages ORDER BY id") { ids.append($0.int(0)) }
        for id in ids {
            guard let m = try campaignMessage(id: id) else { continue }
            try db.run("DELETE FROM fingerprints WHERE message_id = ?", .int(id))
            try linking.link(id, m)
        }
        try commit()
    }

    public func counts() throws -> StoreCounts {
        StoreCounts(messages: Int(try db.scalar("SELECT count(*) FROM messages") ?? 0),
                    failed: Int(try db.scalar("SELECT count(*) FROM failures") ?? 0),
                    campaigns: Int(try db.scalar("SELECT count(*) FROM campaigns") ?? 0))
    }

    /// Each worker's reader shares one set of the stored messages' digest prefixes, read once: most messages
    /// of a batch are new, and a set lookup tells so without touching SQLite, whose read transactions stall
    /// behind the writer's commits when every message asks.
    public func makeReader() throws -> any StoreReader {
        if knownPrefixes == nil {
            var prefixes = Set<UInt64>()
            try db.query("SELECT sha256 FROM messages") { row in
                if let prefix = row.text(0).flatMap(SQLiteStoreReader.prefix) { prefixes.insert(prefix) }
            }
            knownPrefixes = prefixes
        }
        return try SQLiteStoreReader(path: path, known: knownPrefixes ?? [])
    }

    // MARK: Helpers

    func campaignMessage(id: Int64) throws -> CampaignMessage? { try campaignIndex.campaignMessage(id: id) }

    private func opt(_ s: String?) -> SQLValue { s.map { .text($0) } ?? .null }

}

/// The clock of `messages.scanned_at`.
public enum StoreTime {
    /// The current UTC time as ISO 8601 (seconds). Formatted by hand: a date formatter costs more than storing
    /// a message's rows.
    public static func now() -> String {
        var t = time(nil)
        var parts = tm()
        gmtime_r(&t, &parts)
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
    }
}

/// One worker's view of what is stored: the digest prefixes known when the batch started, confirmed by its own
/// read connection only on a match (a rerun's known message, or a rare prefix collision).
final class SQLiteStoreReader: StoreReader {
    private let db: SQLiteDatabase
    private let known: Set<UInt64>

    init(path: String, known: Set<UInt64>) throws {
        // Readers wait only for a checkpoint or another writer's commit, never long: 30 s, as before.
        db = try SQLiteDatabase(path: path, readOnly: true, lockWait: LockWait(limit: 30))
        self.known = known
    }

    func contains(sha256: String) throws -> Bool {
        guard let prefix = Self.prefix(sha256), known.contains(prefix) else { return false }
        return try db.scalar("SELECT 1 FROM messages WHERE sha256 = ?", .text(sha256)) != nil
    }

    /// The first 64 bits of a hex digest.
    static func prefix(_ hex: String) -> UInt64? {
        UInt64(hex.utf8.prefix(16).reduce(into: "") { $0.append(Character(Unicode.Scalar($1))) }, radix: 16)
    }
}

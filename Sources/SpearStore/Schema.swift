/// The store's schema (documented in README for `sqlite3` users). Version 2: `messages.status` (the verdict's
/// three states) and `findings.kind` (evidence, or not inspected). Version 3: `password_notices`, `ppap_pairs` and
/// `ppap_tried` (PPAP archives opened with the password from another message). Version 4: `observations` and
/// `observation_orgs` (what each message tells about its sender and who delivered it) and the knowledge learned
/// from them: `learned_operators`, `correspondents`, `correspondent_names` (issue #14). Version 5: `iocs`, the
/// indicators of each message other than its files (which `attachments` holds), for `export` (issue #16).
enum Schema {
    static let version = 5

    /// One upgrade step: the SQL that turns a version-`from` store into version `from + 1`.
    struct Migration {
        var from: Int
        var sql: String
    }

    /// Every step from version 1 on, in order; `version` is one past the last step's `from`. A new column or
    /// table is a new step here, and the new version's `statements`.
    static let migrations = [Migration(from: 1, sql: fromVersion1), Migration(from: 2, sql: fromVersion2),
                             Migration(from: 3, sql: fromVersion3), Migration(from: 4, sql: fromVersion4)]

    /// From version 1: the columns version 2 added. A version-1 row had only `targeted`, so its status is what
    /// that said (`suspicious` or `clean`) until `batch --rescan` judges it again by today's rules.
    static let fromVersion1 = """
    ALTER TABLE messages ADD COLUMN status TEXT NOT NULL DEFAULT 'clean';
    UPDATE messages SET status = 'suspicious' WHERE targeted = 1;
    ALTER TABLE findings ADD COLUMN kind TEXT NOT NULL DEFAULT 'evidence';
    CREATE INDEX IF NOT EXISTS messages_status ON messages(status);
    """

    /// From version 2: two new tables, which `statements` creates; nothing to change in the old ones. Archives
    /// stored locked are paired by the next batch.
    static let fromVersion2 = ""

    /// From version 3: new tables only. Messages stored before have no observation until `batch --rescan`
    /// scans them again; learning uses the ones it has.
    static let fromVersion3 = ""

    /// From version 4: a new table. Messages stored before have no indicators until `batch --rescan` scans them
    /// again (which stores them anew, under a higher id); `meta.iocs_from_row` remembers the last of them, so that
    /// `export` can say how many it shares without.
    static let fromVersion4 = """
    INSERT OR REPLACE INTO meta(key, value) SELECT 'iocs_from_row', coalesce(max(id), 0) FROM messages;
    """

    static let statements = """
    CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS campaigns (
        id INTEGER PRIMARY KEY,
        messages INTEGER NOT NULL DEFAULT 0,
        targeted_messages INTEGER NOT NULL DEFAULT 0,
        distinct_recipients INTEGER NOT NULL DEFAULT 0,
        distinct_domains INTEGER NOT NULL DEFAULT 0,
        first_seen TEXT,
        last_seen TEXT
    );
    CREATE TABLE IF NOT EXISTS messages (
        id INTEGER PRIMARY KEY,
        sha256 TEXT NOT NULL UNIQUE,
        source TEXT NOT NULL,
        offset INTEGER,
        size INTEGER NOT NULL,
        message_id TEXT,
        date TEXT,
        received_date TEXT,
        subject TEXT,
        sender TEXT,
        sender_domain TEXT,
        return_path TEXT,
        targeted INTEGER NOT NULL,
        status TEXT NOT NULL DEFAULT 'clean',
        spoofed INTEGER,
        sender_score INTEGER,
        campaign_id INTEGER REFERENCES campaigns(id),
        text_sha256 TEXT,
        minhash TEXT,
        scanned_at TEXT NOT NULL,
        report_json TEXT
    );
    CREATE INDEX IF NOT EXISTS messages_campaign ON messages(campaign_id);
    CREATE INDEX IF NOT EXISTS messages_status ON messages(status);
    CREATE TABLE IF NOT EXISTS recipients (
        message_id INTEGER NOT NULL REFERENCES messages(id),
        address TEXT NOT NULL,
        domain TEXT NOT NULL,
        PRIMARY KEY (message_id, address)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS attachments (
        id INTEGER PRIMARY KEY,
        message_id INTEGER NOT NULL REFERENCES messages(id),
        parent_id INTEGER REFERENCES attachments(id),
        depth INTEGER NOT NULL,
        mime_path TEXT NOT NULL,
        path TEXT,
        filename TEXT,
        content_type TEXT,
        size INTEGER NOT NULL,
        md5 TEXT NOT NULL,
        sha1 TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        category TEXT,
        magic_mime TEXT,
        encrypted INTEGER NOT NULL,
        complete INTEGER NOT NULL,
        inline INTEGER NOT NULL,
        origin TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS attachments_message ON attachments(message_id);
    CREATE INDEX IF NOT EXISTS attachments_sha256 ON attachments(sha256);
    CREATE TABLE IF NOT EXISTS findings (
        message_id INTEGER NOT NULL REFERENCES messages(id),
        finding_id TEXT NOT NULL,
        severity TEXT NOT NULL,
        evidence TEXT NOT NULL,
        kind TEXT NOT NULL DEFAULT 'evidence'
    );
    CREATE INDEX IF NOT EXISTS findings_message ON findings(message_id);
    CREATE TABLE IF NOT EXISTS defects (
        message_id INTEGER NOT NULL REFERENCES messages(id),
        code TEXT NOT NULL,
        severity TEXT NOT NULL,
        location TEXT NOT NULL,
        detail TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS defects_message ON defects(message_id);
    CREATE TABLE IF NOT EXISTS fingerprints (
        kind TEXT NOT NULL,
        value TEXT NOT NULL,
        message_id INTEGER NOT NULL REFERENCES messages(id),
        PRIMARY KEY (kind, value, message_id)
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS fingerprints_message ON fingerprints(message_id);
    CREATE TABLE IF NOT EXISTS minhash_bands (
        band_key INTEGER NOT NULL,
        message_id INTEGER NOT NULL REFERENCES messages(id),
        PRIMARY KEY (band_key, message_id)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS similar (
        message_a INTEGER NOT NULL REFERENCES messages(id),
        message_b INTEGER NOT NULL REFERENCES messages(id),
        similarity REAL NOT NULL,
        PRIMARY KEY (message_a, message_b)
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS similar_b ON similar(message_b);
    CREATE TABLE IF NOT EXISTS campaign_recipients (
        campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
        address TEXT NOT NULL,
        PRIMARY KEY (campaign_id, address)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS campaign_domains (
        campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
        domain TEXT NOT NULL,
        PRIMARY KEY (campaign_id, domain)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS password_notices (
        message_id INTEGER NOT NULL REFERENCES messages(id),
        value TEXT NOT NULL,
        PRIMARY KEY (message_id, value)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS ppap_pairs (
        archive_sha256 TEXT PRIMARY KEY,
        password_sha256 TEXT NOT NULL,
        password TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS ppap_pairs_password ON ppap_pairs(password_sha256);
    CREATE TABLE IF NOT EXISTS ppap_tried (
        archive_sha256 TEXT NOT NULL,
        notice_sha256 TEXT NOT NULL,
        PRIMARY KEY (archive_sha256, notice_sha256)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS observations (
        message_id INTEGER PRIMARY KEY REFERENCES messages(id),
        recipient_orgs TEXT NOT NULL,
        primary_org TEXT,
        relay_org TEXT,
        relay_host TEXT,
        stamp TEXT,
        from_org TEXT,
        from_name TEXT,
        authenticated INTEGER NOT NULL,
        free_mail INTEGER NOT NULL,
        day TEXT,
        applied_operator TEXT,
        applied_match TEXT
    );
    CREATE TABLE IF NOT EXISTS observation_orgs (
        recipient_org TEXT NOT NULL,
        message_id INTEGER NOT NULL REFERENCES messages(id),
        PRIMARY KEY (recipient_org, message_id)
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS observation_orgs_message ON observation_orgs(message_id);
    CREATE TABLE IF NOT EXISTS learned_operators (
        recipient_org TEXT PRIMARY KEY,
        operator TEXT NOT NULL,
        messages INTEGER NOT NULL,
        total INTEGER NOT NULL,
        stamps TEXT NOT NULL,
        hosts TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS correspondents (
        recipient_org TEXT NOT NULL,
        sender_org TEXT NOT NULL,
        messages INTEGER NOT NULL,
        days INTEGER NOT NULL,
        first_seen TEXT NOT NULL,
        refused_as_lookalike_of TEXT,
        replies INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (recipient_org, sender_org)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS correspondent_names (
        recipient_org TEXT NOT NULL,
        sender_org TEXT NOT NULL,
        name TEXT NOT NULL,
        messages INTEGER NOT NULL,
        PRIMARY KEY (recipient_org, sender_org, name)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS iocs (
        message_id INTEGER NOT NULL REFERENCES messages(id),
        type TEXT NOT NULL,
        value TEXT NOT NULL,
        location TEXT NOT NULL,
        context TEXT NOT NULL,
        obfuscated INTEGER NOT NULL
    );
    CREATE INDEX IF NOT EXISTS iocs_message ON iocs(message_id);
    CREATE INDEX IF NOT EXISTS iocs_value ON iocs(value, type);
    CREATE TABLE IF NOT EXISTS failures (
        source TEXT NOT NULL,
        offset INTEGER NOT NULL,
        reason TEXT NOT NULL,
        failed_at TEXT NOT NULL,
        PRIMARY KEY (source, offset)
    ) WITHOUT ROWID;
    """
}

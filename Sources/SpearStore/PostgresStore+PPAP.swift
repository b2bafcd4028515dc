public import SpearCore

extension PostgresStore {
    /// Locked archives and the password notices near each, nearest first: the rules of
    /// `SQLiteStore.ppapCandidates`, in one statement. Times are compared as seconds since 1970 (`epoch`).
    public func ppapCandidates(window: Double) throws -> [PPAPCandidate] {
        var collector = PPAPCandidateCollector()
        for row in try db.rows("""
            SELECT a.sha256, a.source, a."offset", p.sha256, n.value, p.source, p."offset", abs(tp.t - ta.t) AS apart
            FROM messages a
            CROSS JOIN LATERAL (SELECT \(Self.epoch) AS t FROM (SELECT coalesce(a.date, a.received_date) AS x) d) ta
            JOIN messages p ON p.id <> a.id AND (p.sender = a.sender OR p.sender_domain = a.sender_domain)
            CROSS JOIN LATERAL (SELECT \(Self.epoch) AS t FROM (SELECT coalesce(p.date, p.received_date) AS x) d) tp
            JOIN password_notices n ON n.message_id = p.id
            WHERE abs(tp.t - ta.t) <= $1
                AND EXISTS (SELECT 1 FROM attachments t WHERE t.message_id = a.id AND t.encrypted = 1 AND t.complete = 0)
                AND NOT EXISTS (SELECT 1 FROM ppap_pairs x WHERE x.archive_sha256 = a.sha256)
                AND NOT EXISTS (SELECT 1 FROM ppap_tried y WHERE y.archive_sha256 = a.sha256 AND y.notice_sha256 = p.sha256)
                AND EXISTS (SELECT 1 FROM recipients r1 JOIN recipients r2 ON r2.address = r1.address
                            WHERE r1.message_id = a.id AND r2.message_id = p.id)
            ORDER BY a.id, apart, p.id, n.value
            """, .int(Int64(window.rounded()))) {
            collector.add(archive: row.text(0) ?? "", source: row.text(1) ?? "", offset: row.optInt(2).map { Int($0) },
                          notice: row.text(3) ?? "", password: row.text(4) ?? "", noticeSource: row.text(5) ?? "",
                          noticeOffset: row.optInt(6).map { Int($0) })
        }
        return collector.candidates
    }

    /// Seconds since 1970 of the date `x` (a stored Date or Received date: `MailDate.iso8601`,
    /// `2019-06-12T10:30:00+09:00` or `…Z`), NULL when it is not one; as SQLite's julianday reads it, which the
    /// SQLite store's query uses: fields in julianday's ranges (hour up to 24, zone up to 14 hours), a day past
    /// the month's end carried into the next month. Computed from the digits, never by a cast: a cast of a
    /// string the regular expression lets through (`2019-02-31`) would fail the whole statement. The year is
    /// shifted by 400 (a whole Gregorian cycle, 146097 days) so that make_date never sees year 0.
    static let epoch = """
        CASE WHEN x ~ '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-4]):[0-5][0-9]:[0-5][0-9](Z|[+-](0[0-9]|1[0-4]):[0-5][0-9])$'
        THEN ((make_date(substr(x, 1, 4)::int + 400, substr(x, 6, 2)::int, 1) - date '1970-01-01') - 146097 + substr(x, 9, 2)::int - 1)::int8 * 86400
            + substr(x, 12, 2)::int * 3600 + substr(x, 15, 2)::int * 60 + substr(x, 18, 2)::int
            - CASE WHEN length(x) = 20 THEN 0
                ELSE (CASE substr(x, 20, 1) WHEN '-' THEN -1 ELSE 1 END) * (substr(x, 21, 2)::int * 3600 + substr(x, 24, 2)::int * 60) END
        END
        """

    /// Records that a notice's password opened an archive (one pair per archive: a later one replaces it).
    public func recordPPAPPair(_ pair: PPAPPair) throws {
        try write {
            try db.send("""
                INSERT INTO ppap_pairs (archive_sha256, password_sha256, password) VALUES ($1, $2, $3)
                ON CONFLICT (archive_sha256) DO UPDATE SET password_sha256 = excluded.password_sha256, password = excluded.password
                """, .text(pair.archiveSHA256), .text(pair.passwordSHA256), .text(pair.password))
        }
    }

    public func recordPPAPTried(archiveSHA256: String, notices: [String]) throws {
        guard !notices.isEmpty else { return }
        try write {
            try db.send("""
                INSERT INTO ppap_tried (archive_sha256, notice_sha256) SELECT $1, n FROM unnest($2::text[]) AS t(n)
                ON CONFLICT DO NOTHING
                """, .text(archiveSHA256), .texts(notices))
        }
    }

    public func ppapPairs() throws -> [PPAPPair] {
        try db.rows("SELECT archive_sha256, password_sha256, password FROM ppap_pairs ORDER BY archive_sha256").map { row in
            PPAPPair(archiveSHA256: row.text(0) ?? "", passwordSHA256: row.text(1) ?? "", password: row.text(2) ?? "")
        }
    }
}

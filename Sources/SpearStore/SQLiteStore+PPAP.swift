public import SpearCore

extension SQLiteStore {
    /// Locked archives (a message with an encrypted attachment no password opened, whatever its verdict: a
    /// suspicious sender's archive is worth opening too) and the stored
    /// password notices near each: the same sender address or sender domain, a recipient address in common, dated
    /// within `window` seconds either side (Date, else the Received date), no pair yet, and not tried together
    /// before (a notice whose passwords did not open the archive is not tried again). Nearest notice first.
    public func ppapCandidates(window: Double) throws -> [PPAPCandidate] {
        var collector = PPAPCandidateCollector()
        try db.query("""
            SELECT a.sha256, a.source, a.offset, p.sha256, n.value,
                p.source, p.offset,
                abs(julianday(coalesce(p.date, p.received_date)) - julianday(coalesce(a.date, a.received_date))) AS apart
            FROM messages a
            JOIN messages p ON p.id != a.id
                AND (p.sender = a.sender OR p.sender_domain = a.sender_domain)
                AND abs(julianday(coalesce(p.date, p.received_date)) - julianday(coalesce(a.date, a.received_date))) * 86400.0 <= ?1
            JOIN password_notices n ON n.message_id = p.id
            WHERE EXISTS (SELECT 1 FROM attachments t WHERE t.message_id = a.id AND t.encrypted = 1 AND t.complete = 0)
                AND NOT EXISTS (SELECT 1 FROM ppap_pairs x WHERE x.archive_sha256 = a.sha256)
                AND NOT EXISTS (SELECT 1 FROM ppap_tried y WHERE y.archive_sha256 = a.sha256 AND y.notice_sha256 = p.sha256)
                AND EXISTS (SELECT 1 FROM recipients r1 JOIN recipients r2 ON r2.address = r1.address
                            WHERE r1.message_id = a.id AND r2.message_id = p.id)
            ORDER BY a.id, apart, p.id, n.value
            """, .int(Int64(window.rounded()))) { row in
            collector.add(archive: row.text(0) ?? "", source: row.text(1) ?? "", offset: row.isNull(2) ? nil : Int(row.int(2)),
                          notice: row.text(3) ?? "", password: row.text(4) ?? "", noticeSource: row.text(5) ?? "",
                          noticeOffset: row.isNull(6) ? nil : Int(row.int(6)))
        }
        return collector.candidates
    }

    public func recordPPAPPair(_ pair: PPAPPair) throws {
        try begin()
        try db.run("INSERT OR REPLACE INTO ppap_pairs (archive_sha256, password_sha256, password) VALUES (?, ?, ?)",
                   .text(pair.archiveSHA256), .text(pair.passwordSHA256), .text(pair.password))
    }

    public func recordPPAPTried(archiveSHA256: String, notices: [String]) throws {
        try begin()
        try db.insertMany("INSERT OR IGNORE INTO ppap_tried (archive_sha256, notice_sha256)", columns: 2,
                          values: notices.flatMap { [.text(archiveSHA256), .text($0)] })
    }

    public func ppapPairs() throws -> [PPAPPair] {
        var pairs: [PPAPPair] = []
        try db.query("SELECT archive_sha256, password_sha256, password FROM ppap_pairs ORDER BY archive_sha256") { row in
            pairs.append(PPAPPair(archiveSHA256: row.text(0) ?? "", passwordSHA256: row.text(1) ?? "", password: row.text(2) ?? ""))
        }
        return pairs
    }
}

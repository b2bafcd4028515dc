public import SpearCore

/// Which stored messages to share.
public struct SharedMessageQuery: Sendable {
    /// Only these messages (raw SHA-256); nil: any.
    public var sha256: Set<String>?
    /// First and last day (`YYYY-MM-DD`, inclusive) of the message's date (else its first Received hop's date).
    public var from: String?
    public var to: String?
    /// Only messages judged suspicious.
    public var suspiciousOnly: Bool
    /// List each message's recipients (left out by default: they are the sharing organisation's own people).
    public var withRecipients: Bool

    public init(sha256: Set<String>? = nil, from: String? = nil, to: String? = nil, suspiciousOnly: Bool = false,
                withRecipients: Bool = false) {
        self.sha256 = sha256
        self.from = from
        self.to = to
        self.suspiciousOnly = suspiciousOnly
        self.withRecipients = withRecipients
    }
}

extension SQLiteStore {
    /// The messages the query selects, in store order, with their files (members as children), indicators and
    /// finding ids: what `export` shares.
    public func sharedMessages(_ q: SharedMessageQuery) throws -> [SharedMessage] {
        var conditions: [String] = []
        var values: [SQLValue] = []
        if let from = q.from { conditions.append("substr(coalesce(date, received_date), 1, 10) >= ?"); values.append(.text(from)) }
        if let to = q.to { conditions.append("substr(coalesce(date, received_date), 1, 10) <= ?"); values.append(.text(to)) }
        if q.suspiciousOnly { conditions.append("status = 'suspicious'") }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        var out: [(Int64, SharedMessage)] = []
        // Messages up to this row were stored before the store kept indicators (schema 5).
        let before = try stringMeta("iocs_from_row").flatMap { Int64($0) } ?? 0
        try db.query("""
            SELECT id, sha256, message_id, coalesce(date, received_date), subject, sender, status FROM messages \(whereClause) ORDER BY id
            """, values: values) { row in
            let sha = row.text(1) ?? ""
            if let wanted = q.sha256, !wanted.contains(sha) { return }
            out.append((row.int(0), SharedMessage(sha256: sha, messageID: row.text(2), date: row.text(3), subject: row.text(4),
                                                  sender: row.text(5), recipients: [],
                                                  status: Verdict.Status(rawValue: row.text(6) ?? "") ?? .clean,
                                                  findingIDs: [], files: [], indicators: [])))
            if row.int(0) <= before { out[out.count - 1].1.indicatorsKnown = false }
        }
        for k in out.indices {
            let id = out[k].0
            if q.withRecipients {
                try db.query("SELECT address FROM recipients WHERE message_id = ? ORDER BY address", .int(id)) { row in
                    out[k].1.recipients.append(row.text(0) ?? "")
                }
            }
            try db.query("""
                SELECT finding_id FROM findings WHERE message_id = ?
                ORDER BY CASE severity WHEN 'high' THEN 0 WHEN 'medium' THEN 1 WHEN 'low' THEN 2 ELSE 3 END, rowid
                """, .int(id)) { row in
                if let f = row.text(0), !out[k].1.findingIDs.contains(f) { out[k].1.findingIDs.append(f) }
            }
            out[k].1.files = try sharedFiles(message: id)
            try db.query("SELECT type, value, location, context, obfuscated FROM iocs WHERE message_id = ? ORDER BY rowid", .int(id)) { row in
                guard let type = Indicator.Kind(rawValue: row.text(0) ?? ""), let context = Indicator.Context(rawValue: row.text(3) ?? "") else { return }
                out[k].1.indicators.append(Indicator(type: type, value: row.text(1) ?? "", location: row.text(2) ?? "", context: context,
                                                     obfuscated: row.int(4) != 0))
            }
        }
        return out.map(\.1)
    }

    /// A message's attachment tree (rows come parent before child: ids grow as they are inserted depth first).
    private func sharedFiles(message: Int64) throws -> [SharedFile] {
        var forest = AttachmentForest<SharedFile>()
        try db.query("""
            SELECT id, parent_id, filename, category, size, md5, sha1, sha256 FROM attachments WHERE message_id = ? ORDER BY id
            """, .int(message)) { row in
            forest.add(SharedFile(name: row.text(2), category: row.text(3), size: Int(row.int(4)), md5: row.text(5) ?? "",
                                  sha1: row.text(6) ?? "", sha256: row.text(7) ?? "", children: []),
                       id: row.int(0), message: message, parent: row.isNull(1) ? nil : row.int(1))
        }
        return forest.trees().map(\.tree)
    }
}

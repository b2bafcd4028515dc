public import SpearCore

extension PostgresStore {
    /// The messages the query selects, in store order, with their files (members as children), indicators and
    /// finding ids: what `export` shares, as `SQLiteStore.sharedMessages` gives it. One snapshot, so that a
    /// message removed or stored again by another scanner meanwhile is shared whole or not at all. The rows
    /// under the messages are read a batch of messages at a time (`message_id = ANY(…)`), not per message: each
    /// statement costs a round trip to the server.
    public func sharedMessages(_ q: SharedMessageQuery) throws -> [SharedMessage] {
        try snapshot {
            var conditions: [String] = []
            var values: [PGValue] = []
            if let from = q.from {
                values.append(.text(from))
                conditions.append("substr(coalesce(date, received_date), 1, 10) >= $\(values.count)")
            }
            if let to = q.to {
                values.append(.text(to))
                conditions.append("substr(coalesce(date, received_date), 1, 10) <= $\(values.count)")
            }
            // SQLite's store picks these in Swift while reading; the server can use the unique index instead.
            if let wanted = q.sha256 {
                values.append(.texts(wanted.sorted()))
                conditions.append("sha256 = ANY($\(values.count)::text[])")
            }
            if q.suspiciousOnly { conditions.append("status = 'suspicious'") }
            let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            // Messages up to this row were stored before the store kept indicators (`Schema.fromVersion4`): a store
            // copied from SQLite (`StoreCopy`) keeps its row ids and this mark; a store begun here has none.
            let before = try stringMeta("iocs_from_row").flatMap { Int64($0) } ?? 0
            var ids: [Int64] = []
            var out: [Int64: SharedMessage] = [:]
            for row in try db.rows("""
                SELECT id, sha256, message_id, coalesce(date, received_date), subject, sender, status FROM messages \(whereClause) ORDER BY id
                """, values: values) {
                let id = row.int(0)
                var message = SharedMessage(sha256: row.text(1) ?? "", messageID: row.text(2), date: row.text(3), subject: row.text(4),
                                            sender: row.text(5), recipients: [],
                                            status: Verdict.Status(rawValue: row.text(6) ?? "") ?? .clean,
                                            findingIDs: [], files: [], indicators: [])
                if id <= before { message.indicatorsKnown = false }
                ids.append(id)
                out[id] = message
            }
            var start = 0
            while start < ids.count {
                let batch = Array(ids[start..<min(start + Self.exportBatch, ids.count)])
                start += batch.count
                try addRows(to: &out, messages: batch, withRecipients: q.withRecipients)
            }
            return ids.compactMap { out[$0] }
        }
    }

    /// Messages whose rows one statement reads: large enough that a big export costs few round trips, small
    /// enough that one result stays a modest allocation.
    private static let exportBatch = 5_000

    /// Recipients (when asked for), finding ids (most severe first, each once), files and indicators of these
    /// messages, each table in one statement, ordered as the SQLite store orders one message's.
    private func addRows(to out: inout [Int64: SharedMessage], messages ids: [Int64], withRecipients: Bool) throws {
        if withRecipients {
            for row in try db.rows("SELECT message_id, address FROM recipients WHERE message_id = ANY($1::int8[]) ORDER BY message_id, address",
                                   .ints(ids)) {
                out[row.int(0)]?.recipients.append(row.text(1) ?? "")
            }
        }
        for row in try db.rows("""
            SELECT message_id, finding_id FROM findings WHERE message_id = ANY($1::int8[])
            ORDER BY message_id, CASE severity WHEN 'high' THEN 0 WHEN 'medium' THEN 1 WHEN 'low' THEN 2 ELSE 3 END, seq
            """, .ints(ids)) {
            if let f = row.text(1), out[row.int(0)]?.findingIDs.contains(f) == false { out[row.int(0)]?.findingIDs.append(f) }
        }
        var forest = AttachmentForest<SharedFile>()
        for row in try db.rows("""
            SELECT id, message_id, parent_id, filename, category, size, md5, sha1, sha256 FROM attachments
            WHERE message_id = ANY($1::int8[]) ORDER BY id
            """, .ints(ids)) {
            forest.add(SharedFile(name: row.text(3), category: row.text(4), size: Int(row.int(5)), md5: row.text(6) ?? "",
                                  sha1: row.text(7) ?? "", sha256: row.text(8) ?? "", children: []),
                       id: row.int(0), message: row.int(1), parent: row.optInt(2))
        }
        for (message, file) in forest.trees() { out[message]?.files.append(file) }
        for row in try db.rows("""
            SELECT message_id, type, value, location, context, obfuscated FROM iocs WHERE message_id = ANY($1::int8[]) ORDER BY message_id, seq
            """, .ints(ids)) {
            guard let type = Indicator.Kind(rawValue: row.text(1) ?? ""), let context = Indicator.Context(rawValue: row.text(4) ?? "") else { continue }
            out[row.int(0)]?.indicators.append(Indicator(type: type, value: row.text(2) ?? "", location: row.text(3) ?? "", context: context,
                                                         obfuscated: row.int(5) != 0))
        }
    }
}

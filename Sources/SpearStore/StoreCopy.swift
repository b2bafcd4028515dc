import Foundation

/// `spearscan store copy`: a SQLite store moved into an empty PostgreSQL store, every row with its id, so that
/// campaign numbers, reports and exports read the same afterwards. One transaction under the write lock: a copy
/// that fails leaves the PostgreSQL store empty. Rows travel as JSON arrays of 1,000 rows or 8 MB, whichever
/// comes first (`json_populate_recordset` matches columns by name and types them as the table does), not a
/// statement per row; each is waited for before the next is built. The SQLite side is read in one read
/// transaction: one consistent store, even while a batch writes to it.
public enum StoreCopy {
    /// What was copied: rows per table.
    public struct Result: Sendable, Equatable {
        public var rows: [String: Int]
        public var messages: Int { rows["messages"] ?? 0 }
    }

    /// Tables in copy order, and what SQLite's side selects (findings and iocs keep their order as `seq`).
    static let tables: [(name: String, select: String)] = [
        ("meta", "SELECT key, value FROM meta"),
        ("campaigns", "SELECT * FROM campaigns"),
        ("messages", "SELECT * FROM messages"),
        ("recipients", "SELECT * FROM recipients"),
        ("attachments", "SELECT * FROM attachments"),
        ("findings", "SELECT rowid AS seq, * FROM findings"),
        ("defects", "SELECT * FROM defects"),
        ("fingerprints", "SELECT * FROM fingerprints"),
        ("minhash_bands", "SELECT * FROM minhash_bands"),
        ("\"similar\"", "SELECT * FROM similar"),
        ("campaign_recipients", "SELECT * FROM campaign_recipients"),
        ("campaign_domains", "SELECT * FROM campaign_domains"),
        ("password_notices", "SELECT * FROM password_notices"),
        ("ppap_pairs", "SELECT * FROM ppap_pairs"),
        ("ppap_tried", "SELECT * FROM ppap_tried"),
        ("observations", "SELECT * FROM observations"),
        ("observation_orgs", "SELECT * FROM observation_orgs"),
        ("learned_operators", "SELECT * FROM learned_operators"),
        ("correspondents", "SELECT * FROM correspondents"),
        ("correspondent_names", "SELECT * FROM correspondent_names"),
        ("iocs", "SELECT rowid AS seq, * FROM iocs"),
        ("failures", "SELECT * FROM failures"),
    ]

    /// Copies `source` into `target`, which must hold no messages (a second copy would mix two stores' ids).
    public static func copy(from source: SQLiteStore, to target: PostgresStore) throws -> Result {
        var result = Result(rows: [:])
        try target.write {
            guard try target.db.scalar("SELECT count(*) FROM messages") == 0,
                  try target.db.scalar("SELECT count(*) FROM campaigns") == 0 else {
                throw StoreError(path: target.name, message: "the PostgreSQL store is not empty; copy into a new database")
            }
            try source.db.execute("BEGIN")
            defer { try? source.db.execute("COMMIT") }
            // The schema version row is the target's own (the same version: both stores are at `Schema.version`).
            try target.db.run("DELETE FROM meta")
            for (table, select) in tables {
                var batch: [[String: Any]] = []
                var count = 0, bytes = 0
                func flush() throws {
                    guard !batch.isEmpty else { return }
                    let data = try JSONSerialization.data(withJSONObject: batch)
                    let overriding = table == "findings" || table == "iocs" ? "OVERRIDING SYSTEM VALUE " : ""
                    try target.db.send("INSERT INTO \(table) \(overriding)SELECT * FROM json_populate_recordset(NULL::\(table), $1::json)",
                                       .text(String(decoding: data, as: UTF8.self)))
                    try target.db.flush()
                    count += batch.count
                    bytes = 0
                    batch.removeAll(keepingCapacity: true)
                }
                try source.db.query(select) { row in
                    let names = row.columnNames
                    var object: [String: Any] = [:]
                    for (i, name) in names.enumerated() {
                        let value = row.jsonValue(Int32(i))
                        if let text = value as? String { bytes += text.utf8.count }
                        object[name] = (value as? String).map(PostgresDatabase.clean) ?? value
                    }
                    batch.append(object)
                    if batch.count == 1_000 || bytes > 8 << 20 { try flush() }
                }
                try flush()
                result.rows[table.replacingOccurrences(of: "\"", with: "")] = count
            }
            try target.db.flush()
            // Identity columns continue after the copied ids.
            for (table, column) in [("campaigns", "id"), ("messages", "id"), ("attachments", "id"), ("findings", "seq"), ("iocs", "seq")] {
                try target.db.run("""
                    SELECT setval(pg_get_serial_sequence('\(table)', '\(column)'), coalesce((SELECT max(\(column)) FROM \(table)), 0) + 1, false)
                    """)
            }
        }
        return result
    }
}

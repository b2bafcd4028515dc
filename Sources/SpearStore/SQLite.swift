import CSQLite
import Foundation

/// A value bound to or read from a statement.
enum SQLValue {
    case null
    case int(Int64)
    case text(String)
}

/// Something went wrong in the store: names the database file and SQLite's message.
public struct StoreError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}

/// How a connection waits while another process holds the store's write lock (another batch, or an sqlite3 shell
/// in a transaction): it retries, tells the user once that it is waiting, and gives up after `limit` seconds with
/// SQLite's "database is locked". Nothing is written while it waits, so the store is never half-written.
public struct LockWait: Sendable {
    public var limit: Double
    public var noticeAfter: Double
    /// One line for the user, said once per wait, after `noticeAfter` seconds.
    public var notice: (@Sendable (String) -> Void)?

    public init(limit: Double = 300, noticeAfter: Double = 1, notice: (@Sendable (String) -> Void)? = nil) {
        self.limit = limit
        self.noticeAfter = noticeAfter
        self.notice = notice
    }
}

/// The state of one connection's waits; SQLite calls `retry` from the connection's own thread.
private final class BusyWait {
    let path: String
    let wait: LockWait
    private var start = 0.0
    private var noticed = false

    init(path: String, wait: LockWait) {
        self.path = path
        self.wait = wait
    }

    /// Called by SQLite with the number of earlier calls in this wait; true: try again.
    func retry(_ count: Int) -> Bool {
        let now = ProcessInfo.processInfo.systemUptime
        if count == 0 { start = now; noticed = false }
        let waited = now - start
        if waited >= wait.limit {
            if noticed { wait.notice?("\(path): gave up after waiting \(Int(waited)) s for the write lock") }
            return false
        }
        if waited >= wait.noticeAfter && !noticed {
            noticed = true
            wait.notice?("\(path): another process holds the store's write lock; waiting (at most \(Int(wait.limit)) s)")
        }
        usleep(UInt32(min(100_000, 2_000 * (count + 1))))
        return true
    }
}

/// One SQLite connection (the system library). The only file that touches the C API. Not thread-safe by design:
/// the writer owns one, each worker its own read connection.
final class SQLiteDatabase {
    let path: String
    private var handle: OpaquePointer?
    private var cache: [String: SQLiteStatement] = [:]
    /// Statements by the address of their (immortal, literal) text: hashing a few hundred bytes of SQL for every
    /// execution cost more than some of the statements themselves.
    private var literalCache: [LiteralKey: SQLiteStatement] = [:]
    /// Multi-row INSERT texts by row count and head (`insertMany`).
    private var manySQL: [String: String] = [:]

    private struct LiteralKey: Hashable {
        let address: UInt
        let count: Int
    }

    /// Process-wide settings, applied once before the first connection opens.
    private static let configured: Bool = {
        _ = spearscan_sqlite_disable_memstatus()
        return true
    }()

    private let busy: BusyWait

    init(path: String, readOnly: Bool = false, lockWait: LockWait = LockWait()) throws {
        _ = Self.configured
        self.path = path
        busy = BusyWait(path: path, wait: lockWait)
        let flags = readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        let rc = sqlite3_open_v2(path, &handle, flags | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, handle != nil else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            sqlite3_close(handle)
            throw StoreError(path: path, message: message)
        }
        // Readers wait for a writer's commit, and the writer for another process's, instead of failing at once
        // with SQLITE_BUSY. `busy` lives as long as the connection.
        sqlite3_busy_handler(handle, { context, count in
            guard let context else { return 0 }
            return Unmanaged<BusyWait>.fromOpaque(context).takeUnretainedValue().retry(Int(count)) ? 1 : 0
        }, Unmanaged.passUnretained(busy).toOpaque())
    }

    deinit {
        literalCache.removeAll()
        cache.removeAll()
        sqlite3_close_v2(handle)
    }

    func execute(_ sql: String) throws {
        var error: UnsafeMutablePointer<CChar>?
        if sqlite3_exec(handle, sql, nil, nil, &error) != SQLITE_OK {
            let message = error.map { String(cString: $0) } ?? "error"
            sqlite3_free(error)
            throw StoreError(path: path, message: message)
        }
    }

    /// A prepared statement, cached by its text: each statement is compiled once per connection.
    func statement(_ sql: String) throws -> SQLiteStatement {
        let literal = sql.utf8.withContiguousStorageIfAvailable { LiteralKey(address: UInt(bitPattern: $0.baseAddress), count: $0.count) }
        if let literal, let cached = literalCache[literal], cached.sql == sql { return cached }
        if let cached = cache[sql] {
            if let literal { literalCache[literal] = cached }
            return cached
        }
        var stmt: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &stmt, nil) == SQLITE_OK, let stmt else {
            throw StoreError(path: path, message: "\(String(cString: sqlite3_errmsg(handle))) in: \(sql.prefix(80))")
        }
        let prepared = SQLiteStatement(stmt, database: self, sql: sql)
        cache[sql] = prepared
        return prepared
    }

    /// Runs a statement to completion with the given parameters.
    func run(_ sql: String, _ values: SQLValue...) throws {
        try run(sql, values: values)
    }

    func run(_ sql: String, values: [SQLValue]) throws {
        let s = try statement(sql)
        try s.bind(values)
        defer { s.reset() }
        while try s.step() {}
    }

    /// Inserts rows of `columns` values each (`values` holds them one row after another) with one statement per
    /// 32 rows: `head` is the statement up to VALUES (`INSERT OR IGNORE INTO t (a, b)`). Returns the rows
    /// inserted (those ignored as duplicates not counted).
    @discardableResult
    func insertMany(_ head: String, columns: Int, values: [SQLValue]) throws -> Int {
        precondition(columns > 0 && values.count % columns == 0)
        var inserted = 0, start = 0
        while start < values.count {
            let rows = min(32, (values.count - start) / columns)
            let key = "\(rows)|" + head
            let sql: String
            if let known = manySQL[key] { sql = known } else {
                let row = "(" + Array(repeating: "?", count: columns).joined(separator: ", ") + ")"
                sql = head + " VALUES " + Array(repeating: row, count: rows).joined(separator: ", ")
                manySQL[key] = sql
            }
            try run(sql, values: Array(values[start..<(start + rows * columns)]))
            inserted += changes
            start += rows * columns
        }
        return inserted
    }

    /// Runs a query and hands each row to `row`.
    func query(_ sql: String, _ values: SQLValue..., row: (SQLiteStatement) throws -> Void) throws {
        try query(sql, values: values, row: row)
    }

    func query(_ sql: String, values: [SQLValue], row: (SQLiteStatement) throws -> Void) throws {
        let s = try statement(sql)
        try s.bind(values)
        defer { s.reset() }
        while try s.step() { try row(s) }
    }

    /// The first column of the first row, as an integer.
    func scalar(_ sql: String, _ values: SQLValue...) throws -> Int64? {
        let s = try statement(sql)
        try s.bind(values)
        defer { s.reset() }
        guard try s.step(), !s.isNull(0) else { return nil }
        return s.int(0)
    }

    var changes: Int { Int(sqlite3_changes(handle)) }
    var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    fileprivate func error() -> StoreError {
        StoreError(path: path, message: String(cString: sqlite3_errmsg(handle)))
    }
}

/// A compiled statement of one connection.
final class SQLiteStatement {
    private let stmt: OpaquePointer
    private unowned let database: SQLiteDatabase
    let sql: String

    fileprivate init(_ stmt: OpaquePointer, database: SQLiteDatabase, sql: String) {
        self.stmt = stmt
        self.database = database
        self.sql = sql
    }

    deinit { sqlite3_finalize(stmt) }

    func bind(_ values: [SQLValue]) throws {
        sqlite3_clear_bindings(stmt)
        for (i, value) in values.enumerated() {
            let index = Int32(i + 1)
            let rc: Int32
            switch value {
            case .null: rc = sqlite3_bind_null(stmt, index)
            case .int(let v): rc = sqlite3_bind_int64(stmt, index, v)
            case .text(let v):
                // Bound with its byte length: text holding a NUL (a decoded header can) is stored whole, not cut
                // at the NUL. withUTF8 lends a native string's own bytes.
                var text = v
                rc = text.withUTF8 { bytes in
                    bytes.withMemoryRebound(to: CChar.self) { chars in
                        chars.isEmpty ? sqlite3_bind_text(stmt, index, "", 0, spearscan_sqlite_transient())
                            : sqlite3_bind_text(stmt, index, chars.baseAddress, Int32(chars.count), spearscan_sqlite_transient())
                    }
                }
            }
            guard rc == SQLITE_OK else { throw database.error() }
        }
    }

    /// True while there is a row to read.
    func step() throws -> Bool {
        switch sqlite3_step(stmt) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let error = database.error()
            sqlite3_reset(stmt)
            throw error
        }
    }

    func reset() { sqlite3_reset(stmt) }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(stmt, column) == SQLITE_NULL }
    func int(_ column: Int32) -> Int64 { sqlite3_column_int64(stmt, column) }
    func text(_ column: Int32) -> String? {
        guard let p = sqlite3_column_text(stmt, column) else { return nil }
        return String(decoding: UnsafeBufferPointer(start: p, count: Int(sqlite3_column_bytes(stmt, column))), as: UTF8.self)
    }

    /// The statement's result columns, by name.
    var columnNames: [String] {
        (0..<sqlite3_column_count(stmt)).map { String(cString: sqlite3_column_name(stmt, $0)) }
    }

    /// A column's value as JSON takes it: NSNull, Int64, Double or String (a blob, which the store never
    /// writes, as its bytes read as UTF-8).
    func jsonValue(_ column: Int32) -> Any {
        switch sqlite3_column_type(stmt, column) {
        case SQLITE_NULL: NSNull()
        case SQLITE_INTEGER: int(column)
        case SQLITE_FLOAT: sqlite3_column_double(stmt, column)
        default: text(column) ?? ""
        }
    }
}

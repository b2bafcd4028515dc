import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO

/// A value bound to a PostgreSQL statement (always as a parameter, never spliced into the SQL text).
enum PGValue {
    case null
    case int(Int64)
    case text(String)
    case double(Double)
    case ints([Int64])
    case texts([String])
    /// Arrays whose nil elements are NULL.
    case optInts([Int64?])
    case optTexts([String?])
    case doubles([Double])

    static func opt(_ s: String?) -> PGValue { s.map { .text($0) } ?? .null }
    static func opt(_ i: Int?) -> PGValue { i.map { .int(Int64($0)) } ?? .null }
    static func flag(_ b: Bool) -> PGValue { .int(b ? 1 : 0) }
}

/// One row of a result, read by column position. Values arrive in binary form whatever the row description
/// says (a statement prepared by name describes its columns as text before the execution asks for binary), so
/// they are read by their type from the bytes.
struct PGRow {
    let row: PostgresRandomAccessRow

    func isNull(_ i: Int) -> Bool { row[i].bytes == nil }
    func int(_ i: Int) -> Int64 { optInt(i) ?? 0 }

    func optInt(_ i: Int) -> Int64? {
        guard var bytes = row[i].bytes else { return nil }
        switch (row[i].dataType, bytes.readableBytes) {
        case (.int8, 8): return bytes.readInteger(as: Int64.self)
        case (.int4, 4): return bytes.readInteger(as: Int32.self).map(Int64.init)
        case (.int2, 2): return bytes.readInteger(as: Int16.self).map(Int64.init)
        case (.bool, 1): return bytes.readInteger(as: UInt8.self).map(Int64.init)
        default: return nil
        }
    }

    /// A one-dimensional BIGINT array (NULL elements left out): PostgreSQL's binary array form, a header of
    /// dimensions, flags, element type and each dimension's length and lower bound, then each element's length
    /// and bytes.
    func ints(_ i: Int) -> [Int64] {
        guard var bytes = row[i].bytes, let dimensions = bytes.readInteger(as: Int32.self),
              bytes.readInteger(as: Int32.self) != nil, bytes.readInteger(as: UInt32.self) != nil else { return [] }
        guard dimensions == 1, let count = bytes.readInteger(as: Int32.self), count > 0,
              bytes.readInteger(as: Int32.self) != nil else { return [] }
        var values: [Int64] = []
        values.reserveCapacity(Int(count))
        for _ in 0..<count {
            guard let length = bytes.readInteger(as: Int32.self) else { break }
            if length == 8, let value = bytes.readInteger(as: Int64.self) {
                values.append(value)
            } else if length > 0 {
                bytes.moveReaderIndex(forwardBy: min(Int(length), bytes.readableBytes))
            }
        }
        return values
    }

    func text(_ i: Int) -> String? {
        guard var bytes = row[i].bytes else { return nil }
        return bytes.readString(length: bytes.readableBytes)
    }

    func double(_ i: Int) -> Double {
        guard var bytes = row[i].bytes else { return 0 }
        switch (row[i].dataType, bytes.readableBytes) {
        case (.float8, 8): return bytes.readInteger(as: UInt64.self).map { Double(bitPattern: $0) } ?? 0
        case (.float4, 4): return bytes.readInteger(as: UInt32.self).map { Double(Float(bitPattern: $0)) } ?? 0
        default: return optInt(i).map(Double.init) ?? 0
        }
    }
}

/// What went wrong with the server, sorted by what to do about it.
enum PGFailure {
    /// The connection is gone (server restarted, network): reconnect and replay the transaction.
    case connection
    /// A serialization failure or deadlock: roll back and replay on the same connection.
    case conflict
    /// Anything else (authentication, SQL, data): fail with the server's message.
    case fatal
}

/// One connection to a PostgreSQL server, used synchronously from one thread: the store's writer, a worker's
/// reader. The only file that touches PostgresNIO. A statement is sent on NIO's own event loop and waited for
/// with `EventLoopFuture.wait()` (never on Swift's cooperative pool, which a blocked caller would starve).
/// Statements that return nothing the caller needs are sent without waiting (`send`) and collected at the next
/// `flush`, so a message's child rows cost one wake-up of this thread, not one per statement.
final class PostgresDatabase {
    let location: PostgresLocation
    private let wait: LockWait
    private let applicationName: String
    private let settings: [(String, String)]
    private var connection: PostgresConnection?
    private var pending: [EventLoopFuture<[PostgresRow]>] = []
    /// How many times the connection was lost and made again: the store replays what a server crash may have
    /// lost since its last durable point (`PostgresStore.commit`).
    private(set) var reconnections = 0
    private var transactionDepth = 0
    /// Statements prepared on this connection, by their text.
    private var statements: [String: PreparedQuery] = [:]
    private var nextID = 0
    private let logger = Logger(label: "spearscan.store", factory: { _ in SwiftLogNoOpLogHandler() })

    /// `wait`: how long to keep trying to reach a server that is away (restarting), and whom to tell; `settings`
    /// are session settings sent at every (re)connect.
    init(location: PostgresLocation, wait: LockWait = LockWait(), settings: [(String, String)] = []) throws {
        self.location = location
        self.wait = wait
        self.applicationName = "spearscan"
        self.settings = settings
        try reconnect(firstAttempt: true)
    }

    deinit {
        if let connection { retire(connection) }
    }

    var name: String { location.description }

    // MARK: Statements

    /// Runs a statement and returns its rows.
    func rows(_ sql: String, _ values: PGValue...) throws -> [PGRow] {
        try rows(sql, values: values)
    }

    func rows(_ sql: String, values: [PGValue]) throws -> [PGRow] {
        try outsideTransactionReconnecting {
            try flush()
            let future = try start(sql, values)
            return try perform { try answer(future, on: $0) }.map { PGRow(row: $0.makeRandomAccess()) }
        }
    }

    /// Runs several lookups at once and returns each one's rows: one round trip for all of them. Statements sent
    /// before are answered first, and their error, if any, is the one thrown. Each lookup is planned with its
    /// values every time, not prepared: a prepared statement's generic plan for `= ANY($1)` or `id > $1`, chosen
    /// while the tables were small, scanned whole tables for the rest of a batch (a run at 15 s instead of 9).
    func lookups(_ batch: [(sql: String, values: [PGValue])]) throws -> [[PGRow]] {
        try outsideTransactionReconnecting {
            let futures = try batch.map { try start($0.sql, $0.values, prepared: false) }
            try flush()
            return try futures.map { future in try perform { try answer(future, on: $0) }.map { PGRow(row: $0.makeRandomAccess()) } }
        }
    }

    /// Runs a statement.
    func run(_ sql: String, _ values: PGValue...) throws {
        try outsideTransactionReconnecting {
            try flush()
            let future = try start(sql, values)
            _ = try perform { try answer(future, on: $0) }
        }
    }

    /// A statement outside a transaction whose connection was lost is sent again once on a new connection (within
    /// the wait's limit); inside one, `transaction` replays the whole of it.
    private func outsideTransactionReconnecting<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error where transactionDepth == 0 && Self.isLostConnection(error) {
            try reconnect(firstAttempt: false)
            return try body()
        }
    }

    private static func isLostConnection(_ error: any Error) -> Bool {
        error is Gone || (error as? ServerError)?.failure == .connection
    }

    /// The first column of the first row, as an integer.
    func scalar(_ sql: String, _ values: PGValue...) throws -> Int64? {
        try rows(sql, values: values).first.flatMap { $0.optInt(0) }
    }

    /// Sends a statement whose result nobody reads; its error, if any, is thrown by the next `flush` (or the next
    /// statement that waits). Only inside a transaction, which that error aborts.
    func send(_ sql: String, _ values: PGValue...) throws {
        try send(sql, values: values)
    }

    func send(_ sql: String, values: [PGValue]) throws {
        if statements[sql] == nil, !values.isEmpty { try flush() }
        pending.append(try start(sql, values))
        if pending.count >= 4_096 { try flush() }
    }

    /// Waits for every statement `send` sent.
    func flush() throws {
        guard !pending.isEmpty else { return }
        let sent = pending
        pending.removeAll(keepingCapacity: true)
        var first: (any Error)?
        for future in sent {
            do { _ = try perform { try answer(future, on: $0) } } catch { if first == nil { first = error } }
        }
        if let first { throw first }
    }

    /// Starts a statement. One with parameters is prepared on this connection the first time its text is seen and
    /// executed by name afterwards: the server parses and plans it once, not for each of a batch's messages (that
    /// was half of the server's work per message). Parameter types are the server's inference, so the schema's
    /// integers are all BIGINT (what an `.int` carries) and other parameters are cast where used.
    private func start(_ sql: String, _ values: [PGValue], prepared: Bool = true) throws -> EventLoopFuture<[PostgresRow]> {
        guard let connection else { throw Gone() }
        guard prepared, !values.isEmpty else {
            var binds = PostgresBindings(capacity: values.count)
            for value in values { binds.append(Self.data(value)) }
            return connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger).map(\.rows)
        }
        let prepared: PreparedQuery
        if let known = statements[sql] {
            prepared = known
        } else {
            prepared = try perform { try answer($0.prepare(query: sql), on: $0) }
            if statements.count >= 1_000 { statements.removeAll() }  // texts are the store's own: never reached
            statements[sql] = prepared
        }
        return prepared.execute(values.map(Self.data))
    }
    // MARK: Transactions

    /// Runs `body` in a transaction (READ COMMITTED) and commits it. A lost connection is re-established (within
    /// `wait`'s limit) and the whole transaction replayed; so is a deadlock or serialization failure. `body` must
    /// therefore be safe to run again from the start.
    func transaction<T>(_ body: () throws -> T) throws -> T {
        transactionDepth += 1
        defer { transactionDepth -= 1 }
        var attempt = 0
        while true {
            do {
                try send("BEGIN")
                let value = try body()
                try run("COMMIT")
                return value
            } catch let error as ServerError where error.failure != .fatal && attempt < 50 {
                attempt += 1
                pending.removeAll()
                if error.failure == .connection {
                    try reconnect(firstAttempt: false)
                } else {
                    _ = try? run("ROLLBACK")
                    usleep(UInt32(min(200_000, 1_000 << min(attempt, 8))))
                }
            } catch let gone as Gone {
                _ = gone
                attempt += 1
                pending.removeAll()
                try reconnect(firstAttempt: false)
            } catch {
                pending.removeAll()
                _ = try? run("ROLLBACK")
                throw error
            }
        }
    }

    // MARK: Connection

    /// Closes a connection given up on and waits until it is (PostgresNIO requires a connection closed before it
    /// is let go).
    private func retire(_ old: PostgresConnection) {
        let closing: EventLoopFuture<Void> = old.close()
        _ = try? answer(closing, on: old)
    }

    /// Waits for a request's answer. A connection the server closed (a fast shutdown) can leave a request queued
    /// behind the close unanswered for ever; the wait looks at the connection every second and gives the request
    /// up as lost once the connection has been closed for two looks.
    private func answer<T: Sendable>(_ future: EventLoopFuture<T>, on connection: PostgresConnection) throws -> T {
        let box = NIOLockedValueBox<Result<T, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        future.whenComplete { result in
            box.withLockedValue { $0 = result }
            done.signal()
        }
        var closedLooks = 0
        while done.wait(timeout: .now() + 1) == .timedOut {
            if connection.isClosed { closedLooks += 1 }
            if closedLooks >= 2 { throw ServerError(failure: .connection, sqlState: nil, message: "the server closed the connection without answering") }
        }
        return try box.withLockedValue { $0! }.get()
    }

    /// Runs one request, reconnecting once if the connection turned out to be gone and no transaction was open
    /// (the caller of `transaction` replays its own).
    private func perform<T>(_ request: (PostgresConnection) throws -> T) throws -> T {
        guard let connection else { throw Gone() }
        do {
            return try request(connection)
        } catch {
            let translated = translate(error)
            if let server = translated as? ServerError, server.failure == .connection {
                retire(connection)
                self.connection = nil
            }
            throw translated
        }
    }

    /// Connects, retrying with a bounded backoff while the server is unreachable or starting up; tells the user
    /// once that it waits, and gives up after `wait.limit` seconds with the last reason. The first connection
    /// waits at most 10 s of that: a server that was never there is more likely a wrong URL than a restart.
    private func reconnect(firstAttempt: Bool) throws {
        if let old = connection { retire(old) }
        connection = nil
        statements.removeAll()
        let start = ProcessInfo.processInfo.systemUptime
        let limit = firstAttempt ? min(wait.limit, Self.firstConnectLimit) : wait.limit
        var noticed = false, delay = 0.1
        while true {
            do {
                nextID += 1
                connection = try PostgresConnection.connect(on: MultiThreadedEventLoopGroup.singleton.any(),
                                                            configuration: try configuration(), id: nextID, logger: logger).wait()
                if noticed { wait.notice?("\(name): connected again") }
                if !firstAttempt { reconnections += 1 }
                return
            } catch {
                let translated = translate(error)
                let waited = ProcessInfo.processInfo.systemUptime - start
                // A server that refuses us (password, no such database) will not change its mind: fail at once.
                guard let server = translated as? ServerError, server.failure != .fatal, waited < limit else {
                    if noticed || !firstAttempt {
                        throw StoreError(path: name, message: "gave up after \(Int(waited)) s: \(translated)")
                    }
                    throw StoreError(path: name, message: "\(translated)")
                }
                if !noticed && waited >= wait.noticeAfter {
                    noticed = true
                    wait.notice?("\(name): the database is not reachable (\(translated)); retrying for at most \(Int(limit)) s")
                }
                usleep(UInt32(delay * 1_000_000))
                delay = min(delay * 2, 5)
            }
        }
    }

    static let firstConnectLimit = 10.0

    private func configuration() throws -> PostgresConnection.Configuration {
        var config: PostgresConnection.Configuration
        if location.host.hasPrefix("/") {
            config = .init(unixSocketPath: "\(location.host)/.s.PGSQL.\(location.port)", username: location.user,
                           password: location.password, database: location.database)
        } else {
            config = .init(host: location.host, port: location.port, username: location.user, password: location.password,
                           database: location.database, tls: try tls())
        }
        // A scanner that stops answering (suspended, cut off) must not hold the store's lock for hours: the server
        // ends a transaction left idle for a minute and probes a silent peer after 30 s.
        config.options.additionalStartupParameters = [("application_name", applicationName),
                                                      ("idle_in_transaction_session_timeout", "60000"),
                                                      ("tcp_keepalives_idle", "30"), ("tcp_keepalives_interval", "10"),
                                                      ("tcp_keepalives_count", "3")] + settings
        config.options.connectTimeout = .seconds(10)
        return config
    }

    /// libpq's sslmode: `disable` plain; `allow`/`prefer` TLS when the server offers it, unverified; `require`
    /// TLS or nothing, unverified unless a root certificate is known (then as `verify-ca`, as libpq does);
    /// `verify-ca` the chain against the root certificate (`sslrootcert`); `verify-full` the chain and the host
    /// name. The two verifying modes need a root certificate (`sslrootcert=system`: the system's roots, for
    /// `verify-full` only, since any public certificate would pass `verify-ca`).
    private func tls() throws -> PostgresConnection.Configuration.TLS {
        var tls = TLSConfiguration.makeClientConfiguration()
        let root = location.sslRootCert
        if let root, root != "system" { tls.trustRoots = .file(root) }
        func needRoot() throws {
            guard let root, root != "system" || location.sslMode == .verifyFull else {
                throw StoreError(path: name, message: "sslmode=\(location.sslMode.rawValue) needs the server's root certificate: sslrootcert=FILE "
                                 + "(or PGSSLROOTCERT, or ~/.postgresql/root.crt)" + (location.sslMode == .verifyCA ? "" : ", or sslrootcert=system"))
            }
            _ = root
        }
        switch location.sslMode {
        case .disable: return .disable
        case .allow, .prefer:
            tls.certificateVerification = .none
            return .prefer(try NIOSSLContext(configuration: tls))
        case .require:
            tls.certificateVerification = root == nil || root == "system" ? .none : .noHostnameVerification
            return .require(try NIOSSLContext(configuration: tls))
        case .verifyCA:
            try needRoot()
            tls.certificateVerification = .noHostnameVerification
            return .require(try NIOSSLContext(configuration: tls))
        case .verifyFull:
            try needRoot()
            tls.certificateVerification = .fullVerification
            return .require(try NIOSSLContext(configuration: tls))
        }
    }

    // MARK: Errors

    /// A server-side or connection error, with the server's own message and SQLSTATE (PostgresNIO's description
    /// of an error is deliberately generic).
    struct ServerError: Error, CustomStringConvertible {
        var failure: PGFailure
        var sqlState: String?
        var message: String

        var description: String { sqlState.map { "\(message) (SQLSTATE \($0))" } ?? message }

        /// The server refused the values (a value too long for an index, text it cannot hold), not the store:
        /// another message would be stored.
        var isAboutData: Bool {
            guard let sqlState else { return false }
            return sqlState.hasPrefix("22") || sqlState == "54000"
        }
    }

    /// A statement asked of a connection that is gone.
    struct Gone: Error, CustomStringConvertible {
        var description: String { "the connection to the database was lost" }
    }

    private func translate(_ error: any Error) -> any Error {
        if error is ServerError || error is Gone { return error }
        if let e = error as? PSQLError {
            if let state = e.serverInfo?[.sqlState] {
                return Self.server(state: state, message: e.serverInfo?[.message], detail: e.serverInfo?[.detail])
            }
            switch e.code {
            case .connectionError where e.underlying is NIOSSLError || e.underlying is NIOSSLExtraError:
                // A certificate refused or a handshake failed: retrying cannot change that.
                return ServerError(failure: .fatal, sqlState: nil,
                                   message: "TLS with the server failed (sslmode=\(location.sslMode.rawValue)): \(e.underlying.map { "\($0)" } ?? "")")
            case .connectionError, .serverClosedConnection, .uncleanShutdown, .clientClosedConnection:
                let why = e.underlying.map { "\($0)" } ?? "\(e.code)"
                return ServerError(failure: .connection, sqlState: nil, message: "connection failed: \(why)")
            case .sslUnsupported:
                return ServerError(failure: .fatal, sqlState: nil, message: "the server does not offer TLS (sslmode=\(location.sslMode.rawValue))")
            case .authMechanismRequiresPassword:
                return ServerError(failure: .fatal, sqlState: nil, message: "the server asks for a password and none was given (URL, PGPASSWORD or ~/.pgpass)")
            default:
                return ServerError(failure: .fatal, sqlState: nil, message: "\(e.code)")
            }
        }
        // What PostgresNIO's older entry points (statements prepared by name) throw.
        if let e = error as? PostgresError {
            switch e {
            case .server(let info):
                return Self.server(state: info.fields[.sqlState] ?? "XX000", message: info.fields[.message], detail: info.fields[.detail])
            case .connectionClosed:
                return ServerError(failure: .connection, sqlState: nil, message: "the connection was closed")
            case .protocol(let message):
                return ServerError(failure: .fatal, sqlState: nil, message: "protocol error: \(message)")
            }
        }
        if error is ChannelError || error is IOError || error is NIOConnectionError {
            return ServerError(failure: .connection, sqlState: nil, message: "connection failed: \(error)")
        }
        return ServerError(failure: .fatal, sqlState: nil, message: "\(error)")
    }

    /// A server's error by its SQLSTATE: a lost or restarting server (class 08, 57P01-03) is worth reconnecting
    /// for, a serialization failure or deadlock worth replaying, anything else is the message to show.
    private static func server(state: String, message: String?, detail: String?) -> ServerError {
        let failure: PGFailure
        switch state {
        case "40001", "40P01", "55P03": failure = .conflict
        case "57P01", "57P02", "57P03", "57P05", "25P03", "53300": failure = .connection
        case _ where state.hasPrefix("08"): failure = .connection
        default: failure = .fatal
        }
        var text = message ?? "server error"
        if state == "42501" { text += " (the user needs CREATE on the schema: PostgreSQL 15 no longer grants it to everyone)" }
        if let detail { text += ": \(detail)" }
        return ServerError(failure: failure, sqlState: state, message: text)
    }

    // MARK: Binding

    private static func data(_ value: PGValue) -> PostgresData {
        switch value {
        case .null: PostgresData(type: .text, value: nil)
        case .int(let v): PostgresData(int64: v)
        case .text(let v): PostgresData(string: clean(v))
        case .double(let v): PostgresData(double: v)
        case .ints(let v): array(v, of: .int8, .int8Array) { $0.writeInteger($1); return true }
        case .texts(let v): array(v, of: .text, .textArray) { $0.writeString(clean($1)); return true }
        case .optInts(let v): array(v, of: .int8, .int8Array) { value, element in element.map { value.writeInteger($0) } != nil }
        case .optTexts(let v): array(v, of: .text, .textArray) { value, element in element.map { value.writeString(clean($0)) } != nil }
        case .doubles(let v): array(v, of: .float8, .float8Array) { $0.writeInteger($1.bitPattern); return true }
        }
    }

    /// A one-dimensional array in PostgreSQL's binary form, written into one buffer (a group's columns hold
    /// hundreds of thousands of elements: one allocation each would cost more than the server's work): the
    /// header (dimensions, no-NULLs flag, element type, length, lower bound 1), then each element's length and
    /// bytes, or -1 for NULL (`write` answering false).
    private static func array<T>(_ elements: [T], of type: PostgresDataType, _ arrayType: PostgresDataType,
                                 _ write: (inout ByteBuffer, T) -> Bool) -> PostgresData {
        var buffer = ByteBufferAllocator().buffer(capacity: 20 + elements.count * 12)
        buffer.writeInteger(elements.isEmpty ? 0 : 1, as: Int32.self)
        buffer.writeInteger(0, as: Int32.self)
        buffer.writeInteger(Int32(bitPattern: type.rawValue))
        if !elements.isEmpty {
            buffer.writeInteger(Int32(elements.count))
            buffer.writeInteger(1, as: Int32.self)
        }
        for element in elements {
            let lengthAt = buffer.writerIndex
            buffer.writeInteger(0, as: Int32.self)
            let start = buffer.writerIndex
            let present = write(&buffer, element)
            buffer.setInteger(present ? Int32(buffer.writerIndex - start) : -1, at: lengthAt)
        }
        return PostgresData(type: arrayType, value: buffer)
    }

    /// PostgreSQL text cannot hold U+0000 (SQLite's can): a NUL from a decoded header or file name is stored as
    /// U+2400 SYMBOL FOR NULL, visible and never confused with the end of the text.
    static func clean(_ s: String) -> String {
        s.utf8.contains(0) ? s.replacingOccurrences(of: "\u{0}", with: "\u{2400}") : s
    }
}


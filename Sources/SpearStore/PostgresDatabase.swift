import Foundation
import Logging
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

    static func opt(_ s: String?) -> PGValue { s.map { .text($0) } ?? .null }
    static func opt(_ i: Int?) -> PGValue { i.map { .int(Int64($0)) } ?? .null }
    static func flag(_ b: Bool) -> PGValue { .int(b ? 1 : 0) }
}

/// One row of a result, read by column position.
struct PGRow {
    let row: PostgresRandomAccessRow

    func isNull(_ i: Int) -> Bool { row[i].bytes == nil }
    func int(_ i: Int) -> Int64 { (try? row[i].decode(Int64?.self)).flatMap { $0 } ?? 0 }
    func optInt(_ i: Int) -> Int64? { (try? row[i].decode(Int64?.self)).flatMap { $0 } }
    func text(_ i: Int) -> String? { (try? row[i].decode(String?.self)).flatMap { $0 } }
    func double(_ i: Int) -> Double { (try? row[i].decode(Double?.self)).flatMap { $0 } ?? 0 }
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
    private var pending: [EventLoopFuture<PostgresQueryResult>] = []
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
        if let connection { let closing: EventLoopFuture<Void> = connection.close(); try? closing.wait() }
    }

    var name: String { location.description }

    // MARK: Statements

    /// Runs a statement and returns its rows.
    func rows(_ sql: String, _ values: PGValue...) throws -> [PGRow] {
        try rows(sql, values: values)
    }

    func rows(_ sql: String, values: [PGValue]) throws -> [PGRow] {
        try flush()
        let result = try perform { try $0.query(Self.query(sql, values), logger: logger).wait() }
        return result.rows.map { PGRow(row: $0.makeRandomAccess()) }
    }

    /// Runs a statement; returns the rows it affected.
    @discardableResult
    func run(_ sql: String, _ values: PGValue...) throws -> Int {
        try flush()
        let result = try perform { try $0.query(Self.query(sql, values), logger: logger).wait() }
        return result.metadata.rows ?? 0
    }

    /// The first column of the first row, as an integer.
    func scalar(_ sql: String, _ values: PGValue...) throws -> Int64? {
        try rows(sql, values: values).first.flatMap { $0.optInt(0) }
    }

    /// Sends a statement whose result nobody reads; its error, if any, is thrown by the next `flush` (or the next
    /// statement that waits). Only inside a transaction, which that error aborts.
    func send(_ sql: String, _ values: PGValue...) throws {
        guard let connection else { throw PostgresDatabase.Gone() }
        pending.append(connection.query(Self.query(sql, values), logger: logger))
        if pending.count >= 64 { try flush() }
    }

    /// Waits for every statement `send` sent.
    func flush() throws {
        guard !pending.isEmpty else { return }
        let sent = pending
        pending.removeAll(keepingCapacity: true)
        var first: (any Error)?
        for future in sent {
            do { _ = try future.wait() } catch { if first == nil { first = error } }
        }
        if let first { throw translate(first) }
    }

    // MARK: Transactions

    /// Runs `body` in a transaction (READ COMMITTED) and commits it. A lost connection is re-established (within
    /// `wait`'s limit) and the whole transaction replayed; so is a deadlock or serialization failure. `body` must
    /// therefore be safe to run again from the start.
    func transaction<T>(_ body: () throws -> T) throws -> T {
        var attempt = 0
        while true {
            do {
                try run("BEGIN")
                let value = try body()
                try flush()
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

    /// Runs one request, reconnecting once if the connection turned out to be gone and no transaction was open
    /// (the caller of `transaction` replays its own).
    private func perform<T>(_ request: (PostgresConnection) throws -> T) throws -> T {
        guard let connection else { throw Gone() }
        do {
            return try request(connection)
        } catch {
            let translated = translate(error)
            if let server = translated as? ServerError, server.failure == .connection {
                self.connection = nil
            }
            throw translated
        }
    }

    /// Connects, retrying with a bounded backoff while the server is unreachable or starting up; tells the user
    /// once that it waits, and gives up after `wait.limit` seconds with the last reason. The first connection
    /// waits at most 10 s of that: a server that was never there is more likely a wrong URL than a restart.
    private func reconnect(firstAttempt: Bool) throws {
        if let old = connection { let closing: EventLoopFuture<Void> = old.close(); _ = closing; connection = nil }
        let start = ProcessInfo.processInfo.systemUptime
        let limit = firstAttempt ? min(wait.limit, Self.firstConnectLimit) : wait.limit
        var noticed = false, delay = 0.1
        while true {
            do {
                nextID += 1
                connection = try PostgresConnection.connect(on: MultiThreadedEventLoopGroup.singleton.any(),
                                                            configuration: try configuration(), id: nextID, logger: logger).wait()
                if noticed { wait.notice?("\(name): connected again") }
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
        config.options.additionalStartupParameters = [("application_name", applicationName)] + settings
        config.options.connectTimeout = .seconds(10)
        return config
    }

    /// libpq's sslmode: `disable` plain; `allow`/`prefer` TLS when the server offers it, unverified; `require`
    /// TLS or nothing, unverified (libpq's meaning without a root certificate); `verify-ca` the chain against the
    /// system's roots; `verify-full` the chain and the host name.
    private func tls() throws -> PostgresConnection.Configuration.TLS {
        var tls = TLSConfiguration.makeClientConfiguration()
        switch location.sslMode {
        case .disable: return .disable
        case .allow, .prefer:
            tls.certificateVerification = .none
            return .prefer(try NIOSSLContext(configuration: tls))
        case .require:
            tls.certificateVerification = .none
            return .require(try NIOSSLContext(configuration: tls))
        case .verifyCA:
            tls.certificateVerification = .noHostnameVerification
            return .require(try NIOSSLContext(configuration: tls))
        case .verifyFull:
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
    }

    /// A statement asked of a connection that is gone.
    struct Gone: Error, CustomStringConvertible {
        var description: String { "the connection to the database was lost" }
    }

    private func translate(_ error: any Error) -> any Error {
        if error is ServerError || error is Gone { return error }
        if let e = error as? PSQLError {
            if let state = e.serverInfo?[.sqlState] {
                let message = e.serverInfo?[.message] ?? "server error"
                let failure: PGFailure
                switch state {
                case "40001", "40P01", "55P03": failure = .conflict
                case "57P01", "57P02", "57P03": failure = .connection
                case _ where state.hasPrefix("08"): failure = .connection
                default: failure = .fatal
                }
                var text = message
                if state == "42501" { text += " (the user needs CREATE on the schema: PostgreSQL 15 no longer grants it to everyone)" }
                if let detail = e.serverInfo?[.detail] { text += ": \(detail)" }
                return ServerError(failure: failure, sqlState: state, message: text)
            }
            switch e.code {
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
        if error is ChannelError || error is IOError || error is NIOConnectionError {
            return ServerError(failure: .connection, sqlState: nil, message: "connection failed: \(error)")
        }
        return ServerError(failure: .fatal, sqlState: nil, message: "\(error)")
    }

    // MARK: Binding

    private static func query(_ sql: String, _ values: [PGValue]) -> PostgresQuery {
        var binds = PostgresBindings(capacity: values.count)
        for value in values {
            switch value {
            case .null: binds.appendNull()
            case .int(let v): binds.append(v)
            case .text(let v): binds.append(clean(v))
            case .double(let v): binds.append(v)
            case .ints(let v): binds.append(v)
            case .texts(let v): binds.append(v.map(clean))
            }
        }
        return PostgresQuery(unsafeSQL: sql, binds: binds)
    }

    /// PostgreSQL text cannot hold U+0000 (SQLite's can): a NUL from a decoded header or file name is stored as
    /// U+2400 SYMBOL FOR NULL, visible and never confused with the end of the text.
    static func clean(_ s: String) -> String {
        s.utf8.contains(0) ? s.replacingOccurrences(of: "\u{0}", with: "\u{2400}") : s
    }
}

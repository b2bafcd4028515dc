import Foundation
public import SpearDomains

/// Where a store is, as the user writes it with `--db`: a path (`spearscan.db`), `sqlite:PATH`
/// (`sqlite:///abs/path.db` also), or `postgres://…` / `postgresql://…` for a shared server.
public enum StoreLocation: Equatable, Sendable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(PostgresLocation)

    public init(_ text: String) throws {
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            self = .postgres(try PostgresLocation(text))
        } else if text.hasPrefix("sqlite:") {
            var rest = text.dropFirst("sqlite:".count)
            if rest.hasPrefix("//") { rest = rest.dropFirst(2) }
            guard !rest.isEmpty else { throw StoreError(path: text, message: "sqlite: needs a path (sqlite:PATH)") }
            self = .sqlite(path: String(rest))
        } else if let scheme = text.range(of: "://"), !text[..<scheme.lowerBound].contains("/") {
            throw StoreError(path: text, message: "unknown store scheme \"\(text[..<scheme.lowerBound])\" (a path, sqlite:PATH or postgres://…)")
        } else {
            guard !text.isEmpty else { throw StoreError(path: text, message: "empty store location") }
            self = .sqlite(path: text)
        }
    }

    /// How messages name a `--db` value: the location's description (a PostgreSQL URL without its password), or
    /// the text redacted when it does not parse.
    public static func named(_ text: String) -> String {
        (try? StoreLocation(text).description) ?? PostgresLocation.redacted(text)
    }

    public var description: String {
        switch self {
        case .sqlite(let path): path
        case .postgres(let location): location.description
        }
    }
}

/// Opens stores by location: the one place that knows which backend a location names.
public enum Stores {
    /// Opens the store, creating it unless `mustExist` (reading commands never create an empty one by mistake).
    /// `lockWait`: how long to wait for another process's write lock, and whom to tell.
    public static func open(_ location: StoreLocation, mustExist: Bool = false,
                            psl: PublicSuffixList? = PublicSuffixList.system, lockWait: LockWait = LockWait()) throws -> any ScanStore {
        switch location {
        case .sqlite(let path):
            if mustExist, !FileManager.default.fileExists(atPath: path) {
                throw StoreError(path: path, message: "no such store (run `spearscan batch --db \(path) SPOOL` first)")
            }
            return try SQLiteStore(path: path, psl: psl, lockWait: lockWait)
        case .postgres(let location):
            return try PostgresStore(location: location, psl: psl, lockWait: lockWait, mustExist: mustExist)
        }
    }
}

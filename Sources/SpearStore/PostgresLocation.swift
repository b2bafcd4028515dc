public import Foundation

/// A PostgreSQL store's address as libpq users write it — `postgres://user:password@host:port/db?sslmode=require`
/// (also `postgresql://`), with what the URL leaves out taken from the usual environment (`PGHOST`, `PGPORT`,
/// `PGUSER`, `PGPASSWORD`, `PGDATABASE`, `PGSSLMODE`, `PGPASSFILE`) and the password, when neither gives one,
/// from a password file (`~/.pgpass` format). The password is never part of its description: error lines and logs
/// name the store without it.
public struct PostgresLocation: Equatable, Sendable, CustomStringConvertible {
    public enum SSLMode: String, Sendable, CaseIterable {
        case disable, allow, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    public var host: String
    public var port: Int
    public var user: String
    public var database: String
    public var sslMode: SSLMode
    /// The root certificate to verify the server's against (`sslrootcert=`, `PGSSLROOTCERT`, else
    /// `~/.postgresql/root.crt` when it exists; `system`: the system's roots); nil: none.
    public var sslRootCert: String?
    /// From the URL, `PGPASSWORD` or the password file; nil: none (trust or peer authentication).
    public var password: String?
    /// Where the password came from (`URL`, `PGPASSWORD`, a file's path), for messages; never the password.
    public var passwordSource: String?

    /// Parses a `postgres://` or `postgresql://` URL. `environment` and `home` are the process's unless given
    /// (tests give their own).
    public init(_ url: String, environment: [String: String] = ProcessInfo.processInfo.environment,
                home: String = NSHomeDirectory()) throws {
        func fail(_ why: String) -> StoreError { StoreError(path: Self.redacted(url), message: why) }
        guard let schemeEnd = url.range(of: "://"), ["postgres", "postgresql"].contains(url[..<schemeEnd.lowerBound].lowercased()) else {
            throw fail("not a postgres:// URL")
        }
        var rest = Substring(url[schemeEnd.upperBound...])
        var query: [String: String] = [:]
        if let q = rest.firstIndex(of: "?") {
            for pair in rest[rest.index(after: q)...].split(separator: "&") where !pair.isEmpty {
                let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard kv.count == 2, let key = Self.decode(kv[0]), let value = Self.decode(kv[1]) else { throw fail("a query parameter is not key=value") }
                query[key] = value
            }
            rest = rest[..<q]
        }
        var path: Substring = ""
        if let slash = rest.firstIndex(of: "/") {
            path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
        }
        var userInfo: Substring?
        if let at = rest.lastIndex(of: "@") {
            userInfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
        }
        var urlUser: String?, urlPassword: String?
        if let info = userInfo {
            let parts = info.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            guard let u = Self.decode(parts[0]) else { throw fail("the user name is not valid percent-encoding") }
            urlUser = u.isEmpty ? nil : u
            if parts.count == 2 {
                guard let p = Self.decode(parts[1]) else { throw fail("the password is not valid percent-encoding") }
                urlPassword = p
            }
        }
        // host, host:port, [v6]:port
        var urlHost: String?, urlPort: String?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { throw fail("an IPv6 host needs its closing ]") }
            urlHost = String(rest[rest.index(after: rest.startIndex)..<close])
            let after = rest[rest.index(after: close)...]
            if after.hasPrefix(":") { urlPort = String(after.dropFirst()) } else if !after.isEmpty { throw fail("unexpected text after the host") }
        } else if let colon = rest.lastIndex(of: ":") {
            urlHost = String(rest[..<colon])
            urlPort = String(rest[rest.index(after: colon)...])
        } else if !rest.isEmpty {
            urlHost = String(rest)
        }
        if let h = urlHost, let decoded = Self.decode(Substring(h)) { urlHost = decoded.isEmpty ? nil : decoded }
        guard let database = Self.decode(path) else { throw fail("the database name is not valid percent-encoding") }

        let portText = query["port"] ?? urlPort.flatMap { $0.isEmpty ? nil : $0 } ?? environment["PGPORT"] ?? "5432"
        guard let port = Int(portText), (1...65_535).contains(port) else { throw fail("port \"\(portText)\" is not a port number") }
        self.port = port
        self.host = query["host"] ?? urlHost ?? environment["PGHOST"] ?? "localhost"
        self.user = query["user"] ?? urlUser ?? environment["PGUSER"] ?? environment["USER"] ?? "postgres"
        self.database = query["dbname"] ?? (database.isEmpty ? nil : database) ?? environment["PGDATABASE"] ?? self.user
        let mode = query["sslmode"] ?? environment["PGSSLMODE"] ?? "prefer"
        guard let sslMode = SSLMode(rawValue: mode) else {
            throw fail("sslmode \"\(mode)\" is not one of \(SSLMode.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self.sslMode = sslMode
        let defaultRoot = home + "/.postgresql/root.crt"
        sslRootCert = query["sslrootcert"] ?? environment["PGSSLROOTCERT"] ?? (FileManager.default.fileExists(atPath: defaultRoot) ? defaultRoot : nil)
        let known: Set<String> = ["host", "port", "user", "password", "dbname", "sslmode", "sslrootcert", "passfile", "application_name",
                                  "connect_timeout"]
        if let unknown = query.keys.sorted().first(where: { !known.contains($0) }) { throw fail("unknown parameter \"\(unknown)\"") }

        if let p = query["password"] ?? urlPassword {
            password = p
            passwordSource = "the URL"
        } else if let p = environment["PGPASSWORD"] {
            password = p
            passwordSource = "PGPASSWORD"
        } else {
            let file = query["passfile"] ?? environment["PGPASSFILE"] ?? home + "/.pgpass"
            password = try Self.passwordFromFile(file, host: host, port: port, database: self.database, user: user,
                                                 explicit: query["passfile"] != nil || environment["PGPASSFILE"] != nil)
            passwordSource = password == nil ? nil : file
        }
    }

    /// `postgres://user@host:port/database?sslmode=…`: everything but the password.
    public var description: String {
        let h = host.contains(":") ? "[\(host)]" : host
        return "postgres://\(Self.encode(user))@\(h):\(port)/\(Self.encode(database))?sslmode=\(sslMode.rawValue)"
    }

    /// A URL as the user wrote it, with any password replaced by `***`: for messages about a URL that did not parse.
    public static func redacted(_ url: String) -> String {
        var out = url
        if let schemeEnd = out.range(of: "://") {
            let afterScheme = out[schemeEnd.upperBound...]
            let authorityEnd = afterScheme.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? afterScheme.endIndex
            let authority = afterScheme[..<authorityEnd]
            if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
                out.replaceSubrange(authority.index(after: colon)..<at, with: "***")
            }
        }
        if let q = out.firstIndex(of: "?") {
            let head = out[..<q]
            let params = out[out.index(after: q)...].split(separator: "&", omittingEmptySubsequences: false).map { p in
                p.lowercased().hasPrefix("password=") ? "password=***" : String(p)
            }
            out = head + "?" + params.joined(separator: "&")
        }
        return out
    }

    /// The first matching line of a `.pgpass` file (`host:port:database:user:password`, `*` matches anything,
    /// `\:` and `\\` escape). Like libpq, a file others may read is not used; one named explicitly
    /// (`PGPASSFILE`, `passfile=`) that cannot be read is an error, the default one missing is not.
    static func passwordFromFile(_ path: String, host: String, port: Int, database: String, user: String, explicit: Bool) throws -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else {
            if explicit { throw StoreError(path: path, message: "the password file cannot be read") }
            return nil
        }
        guard info.st_mode & 0o077 == 0 else {
            throw StoreError(path: path, message: "the password file may be read by others (chmod 600 it): not used")
        }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw StoreError(path: path, message: "the password file cannot be read")
        }
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            var fields: [String] = []
            var field = ""
            var escaped = false
            for ch in line {
                if escaped { field.append(ch); escaped = false } else if ch == "\\" { escaped = true } else if ch == ":" && fields.count < 4 {
                    fields.append(field)
                    field = ""
                } else { field.append(ch) }
            }
            fields.append(field)
            guard fields.count == 5 else { continue }
            let wanted = [host, String(port), database, user]
            if zip(fields.prefix(4), wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
        }
        return nil
    }

    private static func decode(_ s: Substring) -> String? { String(s).removingPercentEncoding }

    private static func encode(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? s
    }
}

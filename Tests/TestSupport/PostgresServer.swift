public import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real PostgreSQL server for tests: Debian's `postgresql` binaries, a private cluster made with initdb in a
/// temporary directory, listening on 127.0.0.1 and a free port, trust authentication, fsync off. Started once per
/// test process (`shared`), stopped when the process exits; each test takes a database of its own
/// (`makeDatabase`). As root (CI), the cluster runs as the `postgres` user Debian's package creates: initdb
/// refuses root. Unavailable (tests skip with a message) when the binaries are missing.
public final class PostgresServer: @unchecked Sendable {
    public let port: UInt16
    public let directory: String
    let binaries: String
    let user: String?
    private var databases = 0
    private let lock = NSLock()

    /// The server binaries' folder (`/usr/lib/postgresql/N/bin`, the highest N), if installed.
    public static let binaryFolder: String? = {
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).compactMap(Int.init).sorted()
        return versions.reversed().map { "\(root)/\($0)/bin" }.first { FileManager.default.isExecutableFile(atPath: $0 + "/initdb") }
    }()

    public static var available: Bool { binaryFolder != nil && shared != nil }

    /// Why `available` is false, for the skip message.
    public nonisolated(unsafe) static var unavailableReason = "PostgreSQL server binaries not found (apt-get install postgresql)"

    /// The test process's server, started on first use; nil when it cannot be started (see `unavailableReason`).
    public static let shared: PostgresServer? = {
        guard binaryFolder != nil else { return nil }
        do {
            let server = try PostgresServer()
            started = server
            atexit { PostgresServer.started?.stop() }
            return server
        } catch {
            unavailableReason = "PostgreSQL could not be started: \(error)"
            return nil
        }
    }()

    private nonisolated(unsafe) static var started: PostgresServer?

    /// The role a TLS server (`init(tls: true)`) admits only over TLS and only with this password (SCRAM).
    public static let secureUser = "spear_secure"
    public static let securePassword = "pw-Hunter2-\(UUID().uuidString.prefix(8))"

    /// `tls`: a self-signed certificate (openssl), `ssl = on`, and the role `secureUser`, which may connect only
    /// over TLS with `securePassword` (every other role: trust, as always).
    public init(tls: Bool = false) throws {
        guard let binaries = Self.binaryFolder else { throw ChildProcess.Failure(description: Self.unavailableReason) }
        self.binaries = binaries
        user = geteuid() == 0 ? "postgres" : nil
        var template = Array("/tmp/spear-pg-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw ChildProcess.Failure(description: "mkdtemp failed") }
        directory = String(cString: made)
        let log = directory + "/setup.log"
        FileManager.default.createFile(atPath: log, contents: nil)
        if let user {
            guard let entry = getpwnam(user) else { throw ChildProcess.Failure(description: "running as root and there is no \(user) user to run PostgreSQL") }
            chown(directory, entry.pointee.pw_uid, entry.pointee.pw_gid)
            chown(log, entry.pointee.pw_uid, entry.pointee.pw_gid)
        }
        let data = directory + "/data"
        guard try ChildProcess.run(Self.asUser(user, [binaries + "/initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8",
                                                       "--locale=C.UTF-8", "--no-sync"]), stderrPath: log) == 0 else {
            throw ChildProcess.Failure(description: "initdb failed: \(Self.tail(log))")
        }
        if tls { try Self.secure(data: data, directory: directory, user: user, log: log) }
        var lastError = "no free port", started: UInt16?
        for _ in 0..<3 where started == nil {
            guard let port = DNSMasqServer.freePort() else { continue }
            do {
                try Self.pgctl(user, binaries, directory, port: port, ["start"])
                started = port
            } catch {
                lastError = "\(error)"
            }
        }
        guard let started else { throw ChildProcess.Failure(description: "pg_ctl start failed: \(lastError)") }
        port = started
        if tls { try psql("CREATE ROLE \(Self.secureUser) LOGIN CREATEDB PASSWORD '\(Self.securePassword)'") }
    }

    /// A self-signed certificate for `localhost`, TLS on, and `secureUser`'s rules first in pg_hba.conf.
    private static func secure(data: String, directory: String, user: String?, log: String) throws {
        let key = directory + "/server.key", certificate = directory + "/server.crt"
        guard try ChildProcess.run(["/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate,
                                    "-days", "2", "-subj", "/CN=localhost"], stderrPath: log) == 0 else {
            throw ChildProcess.Failure(description: "openssl failed: \(tail(log))")
        }
        chmod(key, 0o600)
        if let user, let entry = getpwnam(user) {
            for file in [key, certificate] { chown(file, entry.pointee.pw_uid, entry.pointee.pw_gid) }
        }
        let conf = data + "/postgresql.conf", hba = data + "/pg_hba.conf"
        let settings = "\nssl = on\nssl_cert_file = '\(certificate)'\nssl_key_file = '\(key)'\npassword_encryption = 'scram-sha-256'\n"
        try (try String(contentsOfFile: conf, encoding: .utf8) + settings).write(toFile: conf, atomically: false, encoding: .utf8)
        let rules = "hostnossl all \(secureUser) 127.0.0.1/32 reject\nhostssl all \(secureUser) 127.0.0.1/32 scram-sha-256\n"
        try (rules + (try String(contentsOfFile: hba, encoding: .utf8))).write(toFile: hba, atomically: false, encoding: .utf8)
    }

    /// pg_ctl with the cluster's options (its port, its socket folder, loopback only, fsync off: a test cluster).
    private static func pgctl(_ user: String?, _ binaries: String, _ directory: String, port: UInt16, mode: String = "fast",
                              _ action: [String]) throws {
        let options = "-p \(port) -k \(directory) -h 127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=300"
            + " -c shared_buffers=128MB"
        let status = try ChildProcess.run(asUser(user, [binaries + "/pg_ctl", "-D", directory + "/data", "-l", directory + "/server.log",
                                                        "-w", "-t", "30", "-m", mode, "-o", options] + action),
                                          stderrPath: directory + "/setup.log")
        guard status == 0 else {
            throw ChildProcess.Failure(description: "pg_ctl \(action.joined(separator: " ")): \(tail(directory + "/server.log"))")
        }
    }

    /// `postgres://postgres@127.0.0.1:PORT/NAME?sslmode=disable`.
    public func url(database: String) -> String {
        "postgres://postgres@127.0.0.1:\(port)/\(database)?sslmode=disable"
    }

    /// A new empty database; its URL. `owner`: a role to own it (the URL then names no user: the caller adds its own).
    /// In a spearscan store: counters kept as messages arrive equal a recount, every campaign has a member, every
    /// message a campaign, every raw SHA-256 once. The query prints 0 when all hold.
    public static let storeInvariantViolations = """
        SELECT (SELECT count(*) FROM campaigns c WHERE
                    c.messages <> (SELECT count(*) FROM messages m WHERE m.campaign_id = c.id)
                 OR c.targeted_messages <> (SELECT count(*) FROM messages m WHERE m.campaign_id = c.id AND m.targeted = 1)
                 OR c.distinct_recipients <> (SELECT count(DISTINCT r.address) FROM recipients r JOIN messages m ON m.id = r.message_id
                                              WHERE m.campaign_id = c.id)
                 OR c.distinct_domains <> (SELECT count(*) FROM campaign_domains d WHERE d.campaign_id = c.id)
                 OR c.first_seen IS DISTINCT FROM (SELECT min(coalesce(m.date, m.received_date)) FROM messages m WHERE m.campaign_id = c.id)
                 OR c.last_seen IS DISTINCT FROM (SELECT max(coalesce(m.date, m.received_date)) FROM messages m WHERE m.campaign_id = c.id))
             + (SELECT count(*) FROM messages m WHERE m.campaign_id IS NULL OR NOT EXISTS (SELECT 1 FROM campaigns c WHERE c.id = m.campaign_id))
             + (SELECT count(*) - count(DISTINCT sha256) FROM messages)
        """

    public func makeDatabase(prefix: String = "t", owner: String? = nil) throws -> String {
        lock.lock()
        databases += 1
        let name = "\(prefix)_\(getpid())_\(databases)"
        lock.unlock()
        try psql("CREATE DATABASE \(name)" + (owner.map { " OWNER \($0)" } ?? ""))
        return url(database: name)
    }

    /// Runs SQL as the superuser through psql (the SQL is the test's own) and returns what it printed, unaligned
    /// (`-At`: one row a line, columns separated by `|`), trimmed. `database`: a name or a URL `makeDatabase` gave.
    @discardableResult
    public func psql(_ sql: String, database: String = "postgres") throws -> String {
        let name = database.hasPrefix("postgres://") ? String(database.split(separator: "/").last?.split(separator: "?").first ?? "") : database
        let log = directory + "/psql-\(UUID().uuidString).log", out = log + ".out"
        FileManager.default.createFile(atPath: log, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: log); try? FileManager.default.removeItem(atPath: out) }
        let status = try ChildProcess.run([binaries + "/psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", String(port),
                                           "-U", "postgres", "-d", name, "-o", out, "-c", sql], stderrPath: log)
        guard status == 0 else { throw ChildProcess.Failure(description: "psql failed: \(Self.tail(log))") }
        return ((try? String(contentsOfFile: out, encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `pg_ctl restart` (`fast`, or `immediate`: a crash): the server goes away and comes back, as in a failover.
    public func restart(mode: String = "fast") throws {
        try Self.pgctl(user, binaries, directory, port: port, mode: mode, ["restart"])
    }

    /// Stops the server, keeping its data (`start` brings it back on the same port).
    public func pause(mode: String = "fast") throws {
        try Self.pgctl(user, binaries, directory, port: port, mode: mode, ["stop"])
    }

    public func start() throws {
        try Self.pgctl(user, binaries, directory, port: port, ["start"])
    }

    public func stop() {
        _ = try? ChildProcess.run(Self.asUser(user, [binaries + "/pg_ctl", "-D", directory + "/data", "-m", "immediate", "-w", "stop"]),
                                  stderrPath: "/dev/null")
        try? FileManager.default.removeItem(atPath: directory)
    }

    private static func asUser(_ user: String?, _ arguments: [String]) -> [String] {
        guard let user else { return arguments }
        return ["/usr/sbin/runuser", "-u", user, "--"] + arguments
    }

    private static func tail(_ path: String) -> String {
        String(((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").suffix(600))
    }
}

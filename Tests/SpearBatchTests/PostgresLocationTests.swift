import Foundation
import SpearStore
import Testing

/// `--db postgres://…` as libpq users write it (issue #17): URL, PG* environment, password file; never printed
/// with its password.
@Suite("Store location: postgres URLs, the PG environment, password files, redaction")
struct PostgresLocationTests {
    let none: [String: String] = [:]

    @Test("A full URL: user, password, host, port, database, sslmode; percent-encoding; IPv6 hosts")
    func full() throws {
        let l = try PostgresLocation("postgresql://scan%40ner:p%3As%2Fs@db.example.jp:6543/mail%20store?sslmode=require", environment: none, home: "/nonexistent")
        #expect(l.user == "scan@ner" && l.password == "p:s/s" && l.host == "db.example.jp" && l.port == 6543)
        #expect(l.database == "mail store" && l.sslMode == .require && l.passwordSource == "the URL")
        let v6 = try PostgresLocation("postgres://u@[2001:db8::5]:5433/d", environment: none, home: "/nonexistent")
        #expect(v6.host == "2001:db8::5" && v6.port == 5433)
        #expect(v6.description == "postgres://u@[2001:db8::5]:5433/d?sslmode=prefer")
    }

    @Test("What the URL leaves out comes from PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE, PGSSLMODE; then defaults")
    func environment() throws {
        let env = ["PGHOST": "10.0.0.5", "PGPORT": "5499", "PGUSER": "csirt", "PGPASSWORD": "from-env", "PGDATABASE": "spool", "PGSSLMODE": "verify-full"]
        let l = try PostgresLocation("postgres://", environment: env, home: "/nonexistent")
        #expect(l.host == "10.0.0.5" && l.port == 5499 && l.user == "csirt" && l.database == "spool" && l.sslMode == .verifyFull)
        #expect(l.password == "from-env" && l.passwordSource == "PGPASSWORD")
        let url = try PostgresLocation("postgres://other@h/db", environment: env, home: "/nonexistent")
        #expect(url.user == "other" && url.host == "h" && url.database == "db" && url.port == 5499)
        let bare = try PostgresLocation("postgres://h", environment: ["USER": "analyst"], home: "/nonexistent")
        #expect(bare.user == "analyst" && bare.database == "analyst" && bare.port == 5432 && bare.password == nil && bare.sslMode == .prefer)
    }

    @Test("A password file: first matching line, * wildcards, escaped colons; refused when others may read it")
    func passwordFile() throws {
        let dir = TestMail.directory()
        let file = dir + "/pgpass"
        try "# comment\nother:5432:*:u:wrong\n*:5432:mail:u:s\\:ecret\\\\x\n*:*:*:*:fallback\n".write(toFile: file, atomically: true, encoding: .utf8)
        chmod(file, 0o600)
        let l = try PostgresLocation("postgres://u@db.example.jp/mail?passfile=\(file)", environment: none, home: "/nonexistent")
        #expect(l.password == "s:ecret\\x" && l.passwordSource == file)
        let other = try PostgresLocation("postgres://v@db.example.jp/x", environment: ["PGPASSFILE": file], home: "/nonexistent")
        #expect(other.password == "fallback")
        // The default ~/.pgpass is read too.
        try FileManager.default.copyItem(atPath: file, toPath: dir + "/.pgpass")
        chmod(dir + "/.pgpass", 0o600)
        #expect(try PostgresLocation("postgres://u@h/mail", environment: none, home: dir).password == "s:ecret\\x")
        chmod(file, 0o644)
        #expect(throws: StoreError.self) { try PostgresLocation("postgres://u@h/mail?passfile=\(file)", environment: none, home: "/nonexistent") }
        #expect(throws: StoreError.self) { try PostgresLocation("postgres://u@h/mail", environment: ["PGPASSFILE": dir + "/missing"], home: "/nonexistent") }
    }

    @Test("Bad ports, sslmodes and parameters are refused, and the message never holds the password")
    func refusals() {
        for bad in ["postgres://u:hunter2@h:99999/d", "postgres://u:hunter2@h/d?sslmode=always", "postgres://u:hunter2@h/d?frobnicate=1",
                    "postgres://u:hunter2@[::1/d"] {
            do {
                _ = try PostgresLocation(bad, environment: none, home: "/nonexistent")
                Issue.record("\(bad) was accepted")
            } catch {
                #expect(!"\(error)".contains("hunter2") && "\(error)".contains("***"), "\(error)")
            }
        }
        #expect(PostgresLocation.redacted("postgres://u:pw@h/d?password=pw2&sslmode=require") == "postgres://u:***@h/d?password=***&sslmode=require")
    }

    @Test("Opening names the store without its password")
    func openingRedacts() throws {
        do {
            _ = try Stores.open(try StoreLocation("postgres://u:hunter2@h/d"), lockWait: LockWait(limit: 1))
            Issue.record("opened")
        } catch {
            #expect(!"\(error)".contains("hunter2") && "\(error)".contains("postgres://u@h:5432/d"), "\(error)")
        }
    }
}

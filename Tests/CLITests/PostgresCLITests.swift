import Foundation
import Testing
import TestSupport

/// Several scanners, one PostgreSQL store (issue #17), through the real command line against a private server.
@Suite("CLI: several scanners writing into one PostgreSQL store", .serialized)
struct PostgresCLITests {
    static var available: Bool { PostgresServer.available && LinkerParityCLITests.available }

    /// Campaigns as compared across stores: numbers are each store's own, so a campaign is named by its members;
    /// everything else (counters, labels, dates) compared as is. Near-identical relatives (`similar_campaign_ids`)
    /// depend on the order messages were stored in (a band consults its 16 first members, 8 are confirmed), so
    /// scanners storing in another order may find other relatives: left out here; exact campaigns must agree.
    static func campaignShapes(_ json: [String: Any]) -> [String] {
        let campaigns = json["campaigns"] as? [[String: Any]] ?? []
        var names: [String: String] = [:]
        for c in campaigns {
            names[c["id"] as? String ?? ""] = ((c["message_sha256"] as? [String]) ?? []).sorted().joined(separator: ",")
        }
        return campaigns.map { c -> String in
            var c = c
            c["id"] = names[c["id"] as? String ?? ""]
            c["similar_campaign_ids"] = nil
            let data = try? JSONSerialization.data(withJSONObject: c, options: [.sortedKeys])
            return String(decoding: data ?? Data(), as: UTF8.self)
        }.sorted()
    }

    /// Four `spearscan batch` processes at once, over four overlapping parts of one generated spool (a third of
    /// the messages in all four parts, the rest in one), into one database: every message stored once, and the
    /// campaigns, their counters and the period report equal those of one SQLite batch over the whole spool.
    @Test(.enabled(if: available, "needs a PostgreSQL server (TestSupport.PostgresServer) and /usr/bin/python3"), .timeLimit(.minutes(10)))
    func fourScannersOnOverlappingSpoolsEqualOneSQLiteBatch() throws {
        let server = try #require(PostgresServer.shared)
        let scratch = try Scratch()
        defer { scratch.remove() }
        let spool = scratch.path + "/spool"
        let files = try Self.generatedSpool(at: spool, count: 600, seed: 11)
        for part in 0..<4 {
            let dir = scratch.path + "/part\(part)"
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            for (i, name) in files.enumerated() where i % 3 == 0 || (i / 25) % 4 == part {
                try FileManager.default.linkItem(atPath: spool + "/eml/" + name, toPath: dir + "/" + name.replacingOccurrences(of: "/", with: "-"))
            }
        }
        let url = try server.makeDatabase(prefix: "four")
        // PPAP pairing and learning run at the end of each process and are compared elsewhere; here: storing and linking.
        let common = ["batch", "--no-learn", "--ppap-window", "0", "--jobs", "1"]
        let results = LockedBox<[Int: CLI.Result]>([:])
        DispatchQueue.concurrentPerform(iterations: 4) { part in
            let result = try? CLI.run(common + ["--db", url, scratch.path + "/part\(part)"], timeout: 400)
            results.update { $0[part] = result }
        }
        for part in 0..<4 {
            let result = try #require(results.value[part], "scanner \(part) did not finish")
            #expect(result.status == 0 || result.status == 1, "scanner \(part): \(result.err)")
        }
        let sqlite = scratch.path + "/union.db"
        let single = try CLI.run(common + ["--db", sqlite, spool + "/eml"], timeout: 400)
        #expect(single.status == 0 || single.status == 1, "\(single.err)")

        #expect(try server.psql("SELECT count(*) FROM messages", database: url) == "600")
        #expect(try server.psql(PostgresServer.storeInvariantViolations, database: url) == "0")
        for variant in [["--all"], ["--bulk-unit", "domain", "--all"]] {
            let shared = try CLI.run(["campaigns", "--db", url, "--format", "json"] + variant)
            let union = try CLI.run(["campaigns", "--db", sqlite, "--format", "json"] + variant)
            #expect(shared.status == 0 && union.status == 0, "\(shared.err) \(union.err)")
            let a = Self.campaignShapes(try shared.json()), b = Self.campaignShapes(try union.json())
            #expect(a.count == b.count && a == b, "campaigns \(variant.joined(separator: " ")) differ: \(a.count) vs \(b.count)")
        }
        let sharedReport = try CLI.run(["report", "--db", url, "--format", "json"])
        let unionReport = try CLI.run(["report", "--db", sqlite, "--format", "json"])
        #expect(sharedReport.status == 0 && sharedReport.out == unionReport.out, "\(sharedReport.err)")
    }

    /// A generated spool (Benchmarks/spool/make_spool.py: campaigns, bulk-type lures, families, benign mail) and
    /// its message files, relative to `dir/eml`, sorted.
    static func generatedSpool(at dir: String, count: Int, seed: Int) throws -> [String] {
        let generator = Process()
        generator.executableURL = URL(fileURLWithPath: LinkerParityCLITests.python)
        generator.arguments = [LinkerParityCLITests.generator.path, "--count", String(count), "--seed", String(seed), "--formats", "eml", "--out", dir]
        generator.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        generator.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try generator.run()
        generator.waitUntilExit()
        try #require(generator.terminationStatus == 0, "make_spool.py failed")
        let files = (FileManager.default.subpaths(atPath: dir + "/eml") ?? []).filter { $0.hasSuffix(".eml") }.sorted()
        try #require(files.count == count)
        return files
    }

    /// Counts rows as the test goes, from its own server.
    static func messages(_ server: PostgresServer, _ url: String) -> Int {
        Int((try? server.psql("SELECT count(*) FROM messages", database: url)) ?? "") ?? -1
    }

    /// Scanners killed with SIGKILL mid-work while another keeps writing, a server that crashes and restarts under
    /// a running batch, and one stopped for longer than the batch waits: every rerun resumes, nothing is stored
    /// twice or half, and the campaigns end equal to one SQLite batch's.
    @Test(.enabled(if: PostgresServer.binaryFolder != nil && LinkerParityCLITests.available, "needs PostgreSQL's binaries and /usr/bin/python3"),
          .timeLimit(.minutes(10)))
    func killedScannersAndAServerThatGoesAway() throws {
        let server = try PostgresServer()  // its own cluster: this test restarts and stops it
        defer { server.stop() }
        let scratch = try Scratch()
        defer { scratch.remove() }
        let spool = scratch.path + "/spool"
        _ = try Self.generatedSpool(at: spool, count: 600, seed: 5)
        let common = ["batch", "--offline", "--no-learn", "--ppap-window", "0", "--jobs", "1"]
        let sqlite = scratch.path + "/reference.db"
        let reference = try CLI.run(common + ["--db", sqlite, spool + "/eml"], timeout: 300)
        #expect(reference.status == 0 || reference.status == 1, "\(reference.err)")
        func expectEqualToReference(_ url: String, _ what: String) throws {
            #expect(Self.messages(server, url) == 600, "\(what)")
            #expect(try server.psql(PostgresServer.storeInvariantViolations, database: url) == "0", "\(what)")
            let a = try CLI.run(["campaigns", "--all", "--format", "json", "--db", url]), b = try CLI.run(["campaigns", "--all", "--format", "json", "--db", sqlite])
            #expect(Self.campaignShapes(try a.json()) == Self.campaignShapes(try b.json()), "\(what): campaigns differ")
        }

        // 1. One scanner runs to the end while another is killed three times at growing counts and rerun.
        let killed = try server.makeDatabase(prefix: "killed")
        let steady = LockedBox<CLI.Result?>(nil)
        let steadyDone = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            steady.update { $0 = try? CLI.run(common + ["--db", killed, spool + "/eml"], timeout: 300) }
            steadyDone.signal()
        }
        for target in [60, 200, 350] {
            let process = try FaultCLITests.start(common + ["--db", killed, spool + "/eml"])
            while process.isRunning && Self.messages(server, killed) < target { usleep(5_000) }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            #expect(try server.psql(PostgresServer.storeInvariantViolations, database: killed) == "0", "after the kill at \(target)")
        }
        steadyDone.wait()
        #expect(steady.value?.status == 0 || steady.value?.status == 1, "\(steady.value?.err ?? "no result")")
        let rerun = try CLI.run(common + ["--db", killed, spool + "/eml"], timeout: 300)
        #expect(rerun.status == 0 || rerun.status == 1, "\(rerun.err)")
        try expectEqualToReference(killed, "after kills")

        // 2. The server crashes and restarts (immediate) under a running batch: it waits, reconnects, finishes.
        let restarted = try server.makeDatabase(prefix: "restarted")
        let running = try FaultCLITests.start(common + ["--db", restarted, spool + "/eml"], stderr: scratch.path + "/restart.err")
        while running.isRunning && Self.messages(server, restarted) < 60 { usleep(5_000) }
        try server.restart(mode: "immediate")
        running.waitUntilExit()
        let said = (try? String(contentsOfFile: scratch.path + "/restart.err", encoding: .utf8)) ?? ""
        #expect(running.terminationStatus == 0 || running.terminationStatus == 1, "\(said)")
        try expectEqualToReference(restarted, "after a restart")

        // 3. The server stays away longer than --db-wait: the batch fails with one clear line; nothing half-stored;
        //    with the server back, a rerun completes the spool.
        let away = try server.makeDatabase(prefix: "away")
        let waiting = try FaultCLITests.start(common + ["--db-wait", "3", "--db", away, spool + "/eml"], stderr: scratch.path + "/away.err")
        while waiting.isRunning && Self.messages(server, away) < 60 { usleep(5_000) }
        try server.pause()
        waiting.waitUntilExit()
        try server.start()
        let gaveUp = (try? String(contentsOfFile: scratch.path + "/away.err", encoding: .utf8)) ?? ""
        #expect(waiting.terminationStatus == 2, "\(gaveUp)")
        #expect(gaveUp.contains("gave up after") && gaveUp.contains("postgres://postgres@127.0.0.1:\(server.port)/"), "\(gaveUp)")
        #expect(try server.psql(PostgresServer.storeInvariantViolations, database: away) == "0")
        let resumed = try CLI.run(common + ["--db", away, spool + "/eml"], timeout: 300)
        #expect(resumed.status == 0 || resumed.status == 1, "\(resumed.err)")
        try expectEqualToReference(away, "after the server was away")
    }

    /// One scanner, everything on (PPAP pairing, learning, rescoring): the PostgreSQL store learns what the SQLite
    /// store learns from the same spool and answers `trust`, `report`, `campaigns` and `export` alike; `rescore`
    /// then finds the same (nothing) to do in both.
    @Test(.enabled(if: available, "needs a PostgreSQL server and /usr/bin/python3"), .timeLimit(.minutes(8)))
    func learningAndPPAPAsWithSQLite() throws {
        let server = try #require(PostgresServer.shared)
        let scratch = try Scratch()
        defer { scratch.remove() }
        let spool = scratch.path + "/spool"
        _ = try Self.generatedSpool(at: spool, count: 600, seed: 3)
        let url = try server.makeDatabase(prefix: "learn"), sqlite = scratch.path + "/s.db"
        let intoPostgres = try CLI.run(["batch", "--db", url, spool + "/eml"], timeout: 300)
        let intoSQLite = try CLI.run(["batch", "--db", sqlite, spool + "/eml"], timeout: 300)
        #expect(intoPostgres.status == intoSQLite.status, "\(intoPostgres.err)")
        // The summaries agree but for the store's name.
        #expect(intoPostgres.out.replacingOccurrences(of: url, with: "STORE").split(separator: "\n").filter { !$0.contains("MB/s") }
                == intoSQLite.out.replacingOccurrences(of: sqlite, with: "STORE").split(separator: "\n").filter { !$0.contains("MB/s") })
        let learned = try CLI.run(["trust", "--format", "json", "--db", url])
        #expect(learned.out == (try CLI.run(["trust", "--format", "json", "--db", sqlite])).out && learned.out.contains("recipient_org"),
                "\(learned.out.prefix(300))")
        for command in [["report", "--format", "json"], ["report", "--scope", "all", "--link-similar", "--format", "json"],
                        ["export", "--format", "misp"]] {
            #expect(try CLI.run(command + ["--db", url]).out == (try CLI.run(command + ["--db", sqlite])).out, "\(command.joined(separator: " "))")
        }
        let a = try CLI.run(["campaigns", "--all", "--format", "json", "--db", url]), b = try CLI.run(["campaigns", "--all", "--format", "json", "--db", sqlite])
        #expect(Self.campaignShapes(try a.json()) == Self.campaignShapes(try b.json()))
        let rescoredPostgres = try CLI.run(["rescore", "--db", url], timeout: 120), rescoredSQLite = try CLI.run(["rescore", "--db", sqlite], timeout: 120)
        #expect(rescoredPostgres.status == rescoredSQLite.status, "\(rescoredPostgres.err)")
        #expect(rescoredPostgres.out.replacingOccurrences(of: url, with: "STORE") == rescoredSQLite.out.replacingOccurrences(of: sqlite, with: "STORE"))
    }

    /// `--claim`: three scanners share one spool through the database in chunks; one is killed mid-chunk and its
    /// chunk is taken over once its lease runs out. Every chunk ends done once, every message is stored once, the
    /// campaigns equal one SQLite batch's, and a scanner started afterwards finds nothing left to do.
    @Test(.enabled(if: available, "needs a PostgreSQL server and /usr/bin/python3"), .timeLimit(.minutes(8)))
    func claimedChunksSurviveADeadScanner() throws {
        let server = try #require(PostgresServer.shared)
        let scratch = try Scratch()
        defer { scratch.remove() }
        let spool = scratch.path + "/spool"
        _ = try Self.generatedSpool(at: spool, count: 600, seed: 21)
        let url = try server.makeDatabase(prefix: "claim")
        let claim = ["batch", "--offline", "--no-learn", "--ppap-window", "0", "--jobs", "1", "--claim", "--claim-chunk", "40",
                     "--claim-lease", "3", "--db", url, spool + "/eml"]
        let victim = try FaultCLITests.start(claim)
        // Killed once it holds a chunk with part of it stored.
        while victim.isRunning && Self.messages(server, url) < 60 { usleep(5_000) }
        kill(victim.processIdentifier, SIGKILL)
        victim.waitUntilExit()
        let held = try server.psql("SELECT count(*) FROM claim_chunks WHERE state = 'todo' AND owner IS NOT NULL", database: url)
        #expect(held == "1", "the killed scanner held \(held) chunks")
        let results = LockedBox<[Int: CLI.Result]>([:])
        DispatchQueue.concurrentPerform(iterations: 2) { k in
            let result = try? CLI.run(claim, timeout: 300)
            results.update { $0[k] = result }
        }
        for k in 0..<2 {
            let result = try #require(results.value[k])
            #expect(result.status == 0 || result.status == 1, "\(result.err)")
            #expect(result.out.contains("chunks scanned here"), "\(result.out)")
        }
        #expect(try server.psql("SELECT count(*), count(*) FILTER (WHERE state = 'done'), max(attempts) >= 2 FROM claim_chunks", database: url) == "15|15|t")
        #expect(Self.messages(server, url) == 600)
        #expect(try server.psql(PostgresServer.storeInvariantViolations, database: url) == "0")
        let sqlite = scratch.path + "/reference.db"
        _ = try CLI.run(["batch", "--no-learn", "--ppap-window", "0", "--db", sqlite, spool + "/eml"], timeout: 300)
        let a = try CLI.run(["campaigns", "--all", "--format", "json", "--db", url]), b = try CLI.run(["campaigns", "--all", "--format", "json", "--db", sqlite])
        #expect(Self.campaignShapes(try a.json()) == Self.campaignShapes(try b.json()))
        let late = try CLI.run(claim, timeout: 60)
        #expect(late.status == 0 && late.out.contains("claim: 0 chunks scanned here"), "\(late.out) \(late.err)")
        // The next day: new mail in the spool is added to the run as new chunks; the old is not scanned again.
        for k in 0..<5 {
            _ = try scratch.write("spool/eml/zz-new-\(k).eml", crlf(["From: a\(k)@example.org", "To: b@example.net", "Subject: new \(k)",
                                                                       "Message-ID: <new-\(k)@example.org>", "", "hello \(k)", ""]))
        }
        let nextDay = try CLI.run(claim, timeout: 60)
        #expect(nextDay.status == 0 && nextDay.out.contains("claim: 1 chunks scanned here") && nextDay.out.contains("scanned 5,"),
                "\(nextDay.out) \(nextDay.err)")
        #expect(Self.messages(server, url) == 605)
        let refused = try CLI.run(["batch", "--claim", "--db", scratch.path + "/x.db", spool + "/eml"])
        #expect(refused.status == 64 && refused.err.contains("PostgreSQL"), "\(refused.err)")
    }

    /// Credentials and TLS: a role the server admits only over TLS with a password. `sslmode=require` with the
    /// password in the URL, in a password file (`passfile=`), works; the password appears in no output, not even
    /// when it is wrong; `sslmode=disable` is refused by the server, `verify-full` refuses the self-signed
    /// certificate, and `require` against a server without TLS says so.
    @Test(.enabled(if: PostgresServer.available && FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl"),
                   "needs a PostgreSQL server and openssl"), .timeLimit(.minutes(5)))
    func tlsAndPasswordsNeverPrinted() throws {
        let server = try PostgresServer(tls: true)
        defer { server.stop() }
        let scratch = try Scratch()
        defer { scratch.remove() }
        let name = String(try server.makeDatabase(prefix: "tls", owner: PostgresServer.secureUser).split(separator: "/").last!.split(separator: "?")[0])
        let user = PostgresServer.secureUser, password = PostgresServer.securePassword
        func url(_ mode: String, password: String? = password, extra: String = "") -> String {
            "postgres://\(user)\(password.map { ":" + $0 } ?? "")@127.0.0.1:\(server.port)/\(name)?sslmode=\(mode)\(extra)"
        }
        let mail = CLI.sample("order-confirmation-lure.eml")
        func expectNoPassword(_ result: CLI.Result, _ what: String) {
            #expect(!result.out.contains(password) && !result.err.contains(password), "\(what) printed the password")
        }

        let stored = try CLI.run(["batch", "--db", url("require"), mail])
        #expect(stored.status == 1, "\(stored.err)")
        #expect(stored.out.contains("store postgres://\(user)@127.0.0.1:\(server.port)/\(name)?sslmode=require: 1 messages"), "\(stored.out)")
        expectNoPassword(stored, "batch")
        let listed = try CLI.run(["campaigns", "--all", "--db", url("require")])
        #expect(listed.status == 0, "\(listed.err)")
        expectNoPassword(listed, "campaigns")

        // The password from a password file named in the URL (libpq's passfile=), mode 0600.
        let passfile = try scratch.write("pgpass", "127.0.0.1:\(server.port):\(name):\(user):\(password)\n")
        chmod(passfile, 0o600)
        let fromFile = try CLI.run(["campaigns", "--all", "--db", url("require", password: nil, extra: "&passfile=" + passfile)])
        #expect(fromFile.status == 0, "\(fromFile.err)")

        let wrong = try CLI.run(["campaigns", "--db", url("require", password: "not-" + password)])
        #expect(wrong.status == 2 && wrong.errorLines.count == 1 && wrong.err.contains("password authentication failed"), "\(wrong.err)")
        #expect(!wrong.err.contains("not-" + password))
        let plain = try CLI.run(["campaigns", "--db", url("disable")])
        #expect(plain.status == 2 && plain.err.contains("no encryption"), "\(plain.err)")
        expectNoPassword(plain, "a refused plain connection")
        let verified = try CLI.run(["campaigns", "--db", url("verify-full", extra: "&sslrootcert=system")])
        #expect(verified.status == 2 && verified.errorLines.count == 1, "\(verified.err)")
        expectNoPassword(verified, "a refused certificate")
        // With the server's certificate as the root: verify-ca passes; verify-full passes for the name in it
        // (localhost) and not for another (127.0.0.1); verify-ca without a root says what it needs.
        let root = server.directory + "/server.crt"
        #expect(try CLI.run(["campaigns", "--db", url("verify-ca", extra: "&sslrootcert=" + root)]).status == 0)
        let byName = url("verify-full", extra: "&sslrootcert=" + root).replacingOccurrences(of: "@127.0.0.1:", with: "@localhost:")
        let named = try CLI.run(["campaigns", "--db", byName])
        #expect(named.status == 0, "\(named.err)")
        let byAddress = try CLI.run(["campaigns", "--db", url("verify-full", extra: "&sslrootcert=" + root)])
        #expect(byAddress.status == 2 && byAddress.err.contains("TLS"), "\(byAddress.err)")
        let rootless = try CLI.run(["campaigns", "--db", url("verify-ca")])
        #expect(rootless.status == 2 && rootless.err.contains("sslrootcert"), "\(rootless.err)")
        let shared = try #require(PostgresServer.shared)
        let noTLS = try CLI.run(["campaigns", "--db", shared.url(database: "postgres").replacingOccurrences(of: "sslmode=disable", with: "sslmode=require")])
        #expect(noTLS.status == 2 && noTLS.err.contains("does not offer TLS"), "\(noTLS.err)")
    }

    /// A milter and a batch storing into one PostgreSQL store at the same time (issue #18 with #17): every message
    /// the milter analysed is stored (logged stored or stored before, none not stored), every file of the batch too,
    /// the store's counters and campaigns consistent, each raw message once.
    @Test(.enabled(if: PostgresServer.available && MilterCLITests.available, "needs a PostgreSQL server and .venv with miltertest"),
          .timeLimit(.minutes(5)))
    func milterAndBatchIntoOneStore() throws {
        let server = try #require(PostgresServer.shared)
        let scratch = try Scratch()
        defer { scratch.remove() }
        let spool = scratch.path + "/spool"
        let files = try Self.generatedSpool(at: spool, count: 300, seed: 7)
        let url = try server.makeDatabase(prefix: "milter")
        let milter = try MilterCLITests.start(["--db", url], in: scratch)
        let samples = ["lzh-sjis.eml", "newsletter-dkim.eml", "zip-with-script.eml", "macro-document.eml"].map { CLI.sample($0) }
        let batch = try FaultCLITests.start(["batch", "--offline", "--no-learn", "--ppap-window", "0", "--db", url, spool + "/eml"])
        for _ in 0..<3 { _ = try MilterCLITests.mta(milter, "messages", samples) }
        batch.waitUntilExit()
        #expect(batch.terminationStatus == 1)
        #expect(try milter.stop() == 0)
        let lines = milter.logText.split(separator: "\n")
        #expect(lines.filter { $0.hasSuffix("] stored") }.count == 4, "\(milter.logText.suffix(1200))")
        #expect(lines.filter { $0.hasSuffix("] stored before") }.count == 8)
        #expect(!milter.logText.contains("not stored"))
        #expect(try server.psql("SELECT count(*) FROM messages WHERE source LIKE 'milter:%'", database: url) == "4")
        #expect(try server.psql("SELECT count(*) FROM messages WHERE source NOT LIKE 'milter:%'", database: url) == "\(files.count)")
        #expect(try server.psql(PostgresServer.storeInvariantViolations, database: url) == "0")
    }

    /// `store copy` moves a SQLite store into PostgreSQL with its ids: campaigns, the report and the STIX export read
    /// byte for byte the same from both; a second copy into the now full store is refused and changes nothing.
    @Test(.enabled(if: PostgresServer.available, "needs a PostgreSQL server (TestSupport.PostgresServer)"), .timeLimit(.minutes(5)))
    func storeCopyKeepsEveryAnswer() throws {
        let server = try #require(PostgresServer.shared)
        let scratch = try Scratch()
        defer { scratch.remove() }
        let sqlite = scratch.path + "/s.db"
        // The samples folder also holds a README and a script: stored as failures, which are copied too.
        let batch = try CLI.run(["batch", "--db", sqlite, CLI.samples.path], timeout: 120)
        #expect(batch.status == 2 && batch.err.isEmpty, "\(batch.err)")
        let url = try server.makeDatabase(prefix: "copy")
        let copy = try CLI.run(["store", "copy", "--from", sqlite, "--to", url])
        #expect(copy.status == 0, "\(copy.err)")
        #expect(copy.out.contains("messages") && !copy.out.contains("password"))
        #expect(try server.psql(PostgresServer.storeInvariantViolations, database: url) == "0")
        for command in [["campaigns", "--all", "--format", "json"], ["campaigns", "--link-similar", "--format", "json"],
                        ["report", "--format", "json"], ["report", "--scope", "all", "--format", "csv"], ["trust", "--format", "json"],
                        ["export", "--format", "stix", "--all-messages"], ["export", "--format", "misp"]] {
            let fromSQLite = try CLI.run(command + ["--db", sqlite]), fromPostgres = try CLI.run(command + ["--db", url])
            #expect(fromSQLite.status == fromPostgres.status && fromSQLite.out == fromPostgres.out,
                    "\(command.joined(separator: " ")) differs after the copy: \(fromPostgres.err)")
            #expect(!fromSQLite.out.isEmpty)
        }
        let again = try CLI.run(["store", "copy", "--from", sqlite, "--to", url])
        #expect(again.status == 2 && again.err.contains("not empty"), "\(again.err)")
        // Ids continue after the copied ones: a new message stored after the copy gets a new id, not a copied one.
        let more = try CLI.run(["batch", "--rescan", "--db", url, CLI.samples.path + "/" + "order-confirmation-lure.eml"], timeout: 60)
        #expect(more.status == 0 || more.status == 1, "\(more.err)")
        #expect(try server.psql("SELECT count(*) - count(DISTINCT id) FROM messages", database: url) == "0")
    }
}

/// A value shared by threads of one test.
final class LockedBox<Value>: @unchecked Sendable {
    private var stored: Value
    private let lock = NSLock()

    init(_ value: Value) { stored = value }

    var value: Value { lock.withLock { stored } }

    func update(_ change: (inout Value) -> Void) { lock.withLock { change(&stored) } }
}

import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The batch's promises under faults, with the real CLI: killed at random moments, a store whose disk fills up, a
/// store another process keeps locked. After each, the store is whole, and a rerun ends with exactly the store a
/// clean run makes, row by row.
@Suite("CLI: the batch under faults (SIGKILL, a full disk, a held write lock)")
struct FaultCLITests {
    /// A Maildir of `count` messages in 40 campaigns (text, recipients and dates vary).
    static func maildir(_ root: String, count: Int) throws -> String {
        let spool = root + "/Maildir"
        for sub in ["cur", "new", "tmp"] { try FileManager.default.createDirectory(atPath: spool + "/" + sub, withIntermediateDirectories: true) }
        for i in 0..<count {
            let campaign = i % 40
            let message = crlf([
                "From: sender\(campaign)@outside.example", "To: user\(i)@corp\(i % 13).example.co.jp",
                "Subject: Notice \(campaign)", "Message-ID: <fault-\(i)@test>", "Date: Mon, 04 Mar 2019 10:\(String(format: "%02d", i % 60)):00 +0900",
                "Content-Type: text/plain; charset=utf-8", "",
                "Campaign \(campaign): please review the attached notice and confirm by Friday, reference \(campaign * 31).",
                "Copy \(i % 7 == 0 ? "A" : "B") of the notice.", "",
            ])
            try Data(message.utf8).write(to: URL(fileURLWithPath: String(format: "%@/cur/%05d:2,S", spool, i)))
        }
        return spool
    }

    /// Every table's rows, every column but the times a run stamps (scanned_at, failed_at), sorted: two stores
    /// with the same dump hold the same answers.
    static func dump(_ db: String) throws -> String {
        var out = ""
        for table in try sqlite(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").split(separator: "\n") {
            let columns = try sqlite(db, "SELECT name FROM pragma_table_info('\(table)')").split(separator: "\n")
                .filter { $0 != "scanned_at" && $0 != "failed_at" }
            out += "== \(table)\n" + (try sqlite(db, "SELECT \(columns.joined(separator: ", ")) FROM \(table) ORDER BY \(columns.joined(separator: ", "))")) + "\n"
        }
        return out
    }

    static func sqlite(_ db: String, _ query: String) throws -> String { try sqlite3(db, query) }

    static func start(_ arguments: [String], stderr: String? = nil) throws -> Process {
        let process = Process()
        process.executableURL = try #require(CLI.binary)
        process.arguments = arguments
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        if let stderr { FileManager.default.createFile(atPath: stderr, contents: nil) }
        process.standardError = FileHandle(forWritingAtPath: stderr ?? "/dev/null")
        try process.run()
        return process
    }

    @Test("SIGKILL at 20 random moments of one batch, rerun each time: the final store equals a clean run's, row by row",
          .timeLimit(.minutes(6)))
    func killedTwentyTimes() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let spool = try Self.maildir(scratch.path, count: 3_000)
        // Small transactions, so that a kill almost anywhere leaves part of the spool stored and part to redo.
        let arguments = ["batch", "--offline", "--no-sender", "--jobs", "2", "--commit-every", "100"]
        let clean = scratch.path + "/clean.db"
        let cleanRun = try CLI.run(arguments + ["--db", clean, spool], timeout: 240)
        #expect(cleanRun.status == 0 || cleanRun.status == 1, "\(cleanRun.err)")

        let db = scratch.path + "/killed.db"
        var generator = SystemRandomNumberGenerator()
        var moments: [Int] = []
        var partial = 0
        var counts: [Int] = []
        for round in 0..<20 {
            // Random moments, drawn two ways: every fourth kill at a random time early in the run (while the
            // store opens and the first messages are scanned), the others once the store holds a random number of
            // messages more than now, whatever the machine's speed (with --commit-every 100 that is mid-work).
            let before = counts.last ?? 0
            // Once everything is stored, a kill can only land while the run opens the store and skips.
            let early = round % 4 == 0 || before >= 3_000
            let ms = Int.random(in: 10...max(20, Int(cleanRun.seconds * 300)), using: &generator)
            let target = early ? 0 : Int.random(in: (before + 1)...3_000, using: &generator)
            moments.append(early ? ms : -target)
            let process = try Self.start(arguments + ["--db", db, spool])
            if early {
                usleep(UInt32(ms) * 1000)
            } else {
                while process.isRunning {
                    if FileManager.default.fileExists(atPath: db), let n = Int(try Self.sqlite(db, "SELECT count(*) FROM messages")), n >= target { break }
                    usleep(2_000)
                }
            }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            #expect(try Self.sqlite(db, "PRAGMA integrity_check") == "ok" || !FileManager.default.fileExists(atPath: db),
                    "store damaged after kill \(round)")
            let stored = FileManager.default.fileExists(atPath: db) ? Int(try Self.sqlite(db, "SELECT count(*) FROM messages")) ?? 0 : 0
            if stored > 0 && stored < 3_000 { partial += 1 }
            counts.append(stored)
        }
        // Some kills landed between commits, with part of the spool stored: the reruns resumed, not restarted.
        // (moments: milliseconds, or -N: once N messages were stored)
        #expect(partial > 0, "killed at \(moments), leaving \(counts) messages")
        let finished = try CLI.run(arguments + ["--db", db, spool], timeout: 240)
        #expect(finished.status == 0 || finished.status == 1, "\(finished.err)")
        #expect(try Self.sqlite(db, "SELECT count(*), count(DISTINCT sha256) FROM messages") == "3000|3000")
        let (resumed, reference) = (try Self.dump(db), try Self.dump(clean))
        let firstDifference = zip(resumed.split(separator: "\n"), reference.split(separator: "\n")).first { $0 != $1 }
        #expect(resumed == reference, "killed at \(moments); first difference: \(firstDifference.map { "\($0.0) vs \($0.1)" } ?? "in length")")
    }

    @Test("another process holds the write lock for 30 s: the batch says it waits, then stores everything",
          .timeLimit(.minutes(3)))
    func writeLockHeld() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let spool = try Self.maildir(scratch.path, count: 200)
        let db = scratch.path + "/locked.db"
        let first = try CLI.run(["batch", "--no-sender", "--db", db, CLI.samples.path], timeout: 120)
        #expect(first.status != 64, "\(first.err)")
        // An sqlite3 shell in a write transaction for 30 s, as an analyst might leave one open.
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        holder.arguments = [db]
        let input = Pipe(), output = Pipe()
        holder.standardInput = input
        holder.standardOutput = output
        try holder.run()
        // The batch starts only once the shell says it holds the lock (.bail: had BEGIN failed, it would stop).
        input.fileHandleForWriting.write(Data(".bail on\nBEGIN IMMEDIATE;\nUPDATE meta SET value = value;\n.print locked\n.shell sleep 30\nCOMMIT;\n.quit\n".utf8))
        var said = Data()
        while !String(decoding: said, as: UTF8.self).contains("locked") {
            let chunk = output.fileHandleForReading.availableData
            try #require(!chunk.isEmpty, "the sqlite3 shell ended without taking the lock")
            said += chunk
        }
        let batch = try CLI.run(["batch", "--no-sender", "--db", db, spool], timeout: 150)
        holder.waitUntilExit()
        #expect(batch.status == 0 || batch.status == 1, "\(batch.err)")
        #expect(batch.seconds > 20, "the batch waited for the lock (\(batch.seconds) s)")
        #expect(batch.errorLines.contains { $0.contains("\(db): another process holds the store's write lock; waiting") }, "\(batch.err)")
        #expect(try Self.sqlite(db, "PRAGMA integrity_check") == "ok")
        #expect(try Self.sqlite(db, "SELECT count(*) FROM messages WHERE source LIKE '%/Maildir/%'") == "200")
    }

    /// Root, and this machine lets it mount a tmpfs (a container may not).
    static let canMount: Bool = {
        guard geteuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/mount") else { return false }
        let probe = FileManager.default.temporaryDirectory.appendingPathComponent("spearscan-mount-probe-\(getpid())").path
        guard (try? FileManager.default.createDirectory(atPath: probe, withIntermediateDirectories: false)) != nil else { return false }
        defer { try? FileManager.default.removeItem(atPath: probe) }
        guard shell(["/usr/bin/mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", probe]) == 0 else { return false }
        return shell(["/usr/bin/umount", probe]) == 0
    }()

    @Test("the store's disk fills up: one clear line, exit 2, a whole store; with space again, the rerun equals a clean run",
          .enabled(if: canMount, "needs root to mount a small tmpfs"), .timeLimit(.minutes(4)))
    func diskFull() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let spool = try Self.maildir(scratch.path, count: 1_500)
        let clean = scratch.path + "/clean.db"
        _ = try CLI.run(["batch", "--no-sender", "--store-json", "--db", clean, spool], timeout: 240)
        let mountPoint = scratch.path + "/small"
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: false)
        try #require(Self.shell(["/usr/bin/mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mountPoint]) == 0)
        defer { _ = Self.shell(["/usr/bin/umount", mountPoint]) }
        let db = mountPoint + "/full.db"

        let full = try CLI.run(["batch", "--no-sender", "--store-json", "--db", db, spool], timeout: 240)
        #expect(full.status == 2)
        #expect(full.errorLines == ["spearscan: \(db): database or disk is full"], "\(full.err)")
        #expect(try Self.sqlite(db, "PRAGMA integrity_check") == "ok")

        try #require(Self.shell(["/usr/bin/mount", "-o", "remount,size=256m", mountPoint]) == 0)
        let rerun = try CLI.run(["batch", "--no-sender", "--store-json", "--db", db, spool], timeout: 240)
        #expect(rerun.status == 0 || rerun.status == 1, "\(rerun.err)")
        #expect(try Self.sqlite(db, "SELECT count(*), count(DISTINCT sha256) FROM messages") == "1500|1500")
        #expect(try Self.dump(db) == Self.dump(clean))
    }

    @Test("files that vanish while the batch runs are recorded as failed with the reason; the batch goes on",
          .timeLimit(.minutes(4)))
    func filesVanish() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let total = 5_000
        let spool = try Self.maildir(scratch.path, count: total)
        // Not mail at all: a FIFO (never opened, so the batch cannot block on it) and a dangling symbolic link.
        #expect(mkfifo(spool + "/cur/fifo:2,S", 0o600) == 0)
        try FileManager.default.createSymbolicLink(atPath: spool + "/cur/link:2,S", withDestinationPath: scratch.path + "/gone")
        let db = scratch.path + "/vanish.db"
        let process = try Self.start(["batch", "--offline", "--no-sender", "--jobs", "2", "--db", db, spool])
        // Once the first messages are committed, the directory was listed long ago: delete the last 500 files.
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            if FileManager.default.fileExists(atPath: db), let n = Int(try Self.sqlite(db, "SELECT count(*) FROM messages")), n > 0 { break }
            usleep(5_000)
        }
        let deleted = (total - 500)..<total
        for i in deleted { try FileManager.default.removeItem(atPath: String(format: "%@/cur/%05d:2,S", spool, i)) }
        process.waitUntilExit()
        #expect(process.terminationStatus == 2, "some messages failed: exit 2")
        let stored = Int(try Self.sqlite(db, "SELECT count(*) FROM messages")) ?? -1
        let vanished = try Self.sqlite(db, "SELECT count(*) FROM failures WHERE source LIKE '%/cur/0%' AND (reason LIKE 'vanished%' OR reason LIKE 'cannot open%')")
        // Every file is either stored or recorded as failed; the deleted ones that had not been read yet failed.
        #expect(stored + (Int(vanished) ?? 0) == total, "\(stored) stored, \(vanished) vanished")
        #expect((Int(vanished) ?? 0) > 0, "the deletions came before the reader reached those files")
        #expect(try Self.sqlite(db, "SELECT reason FROM failures WHERE source LIKE '%fifo%'") == "not a regular file (device, FIFO or socket)")
        #expect(try Self.sqlite(db, "SELECT reason FROM failures WHERE source LIKE '%link%'") == "symbolic link not followed")
        #expect(try Self.sqlite(db, "PRAGMA integrity_check") == "ok")
    }

    @Test("a file the batch may not read is recorded as failed (permission denied); the others are stored",
          .timeLimit(.minutes(2)))
    func unreadableFile() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let spool = try Self.maildir(scratch.path, count: 20)
        let locked = spool + "/cur/00007:2,S"
        #expect(chmod(locked, 0) == 0)
        // Root reads any file: as root, the batch runs as nobody (setpriv), which may not.
        var command = [try #require(CLI.binary).path, "batch", "--offline", "--no-sender", "--db", scratch.path + "/u.db", spool]
        if geteuid() == 0 {
            try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"))
            #expect(chmod(scratch.path, 0o777) == 0)
            command = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] + command
        }
        #expect(Self.shell(command) == 2, "some messages failed: exit 2")
        #expect(try Self.sqlite(scratch.path + "/u.db", "SELECT reason FROM failures WHERE source = '\(locked)'") == "cannot open: Permission denied")
        #expect(try Self.sqlite(scratch.path + "/u.db", "SELECT count(*) FROM messages") == "19")
    }

    static func shell(_ arguments: [String]) -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: arguments[0])
        p.arguments = Array(arguments.dropFirst())
        p.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        p.standardError = FileHandle(forWritingAtPath: "/dev/null")
        guard (try? p.run()) != nil else { return -1 }
        p.waitUntilExit()
        return p.terminationStatus
    }
}

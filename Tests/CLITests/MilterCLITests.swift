import Foundation
import Testing
import TestSupport

/// `spearscan milter` driven by a real milter client (PyPI `miltertest`, from the checkout's `.venv`, which
/// `.ci/run` makes) acting as the MTA: negotiation, macros, a message aborted mid-body then two more on the same
/// connection, a 10 MB body in 64 KB chunks, hostile packets, 200 sessions at once, the time and size limits, and
/// a clean stop on SIGTERM.
@Suite(.serialized) struct MilterCLITests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let python = root.appendingPathComponent(".venv/bin/python3").path
    static let driver = root.appendingPathComponent("Tests/CLITests/Milter/mta.py").path
    static let samples = root.appendingPathComponent("Samples").path

    static let available: Bool = {
        guard FileManager.default.isExecutableFile(atPath: python) else { return false }
        return (try? Self.exec(python, ["-c", "import miltertest"]).status) == 0
    }()
    static let missing = Comment(rawValue: "no .venv with miltertest (python3 -m venv .venv && .venv/bin/pip install miltertest; .ci/run makes it)")

    /// A running `spearscan milter` on a free port, its standard error in `log`.
    struct Milter {
        var process: Process
        var port: Int
        var log: String
        var out: String

        /// The port `--metrics inet:0@…` took, as the milter printed it.
        var metricsPort: Int? {
            let text = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
            return text.split(separator: "\n").first { $0.hasPrefix("metrics on port ") }.flatMap { Int($0.dropFirst("metrics on port ".count)) }
        }

        func stop() throws -> Int32 {
            process.terminate()
            let deadline = Date().addingTimeInterval(20)
            while process.isRunning && Date() < deadline { usleep(20_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            return process.terminationStatus
        }

        var logText: String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }
    }

    /// `listen`: inet:0@127.0.0.1 (the port it took is `port`), or unix:PATH (`port` 0).
    static func start(_ extra: [String] = [], offline: Bool = true, listen: String = "inet:0@127.0.0.1", in scratch: Scratch) throws -> Milter {
        let out = scratch.path + "/milter-\(UUID().uuidString).out", log = out + ".log"
        FileManager.default.createFile(atPath: out, contents: nil)
        FileManager.default.createFile(atPath: log, contents: nil)
        let process = Process()
        process.executableURL = try #require(CLI.binary)
        process.arguments = ["milter", "--listen", listen, "--jobs", "2"] + (offline ? ["--offline"] : []) + extra
        process.standardOutput = FileHandle(forWritingAtPath: out)
        process.standardError = FileHandle(forWritingAtPath: log)
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let text = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("listening on ") }) {
                return Milter(process: process, port: Int(line.dropFirst("listening on port ".count)) ?? 0, log: log, out: out)
            }
            if !process.isRunning { break }
            usleep(20_000)
        }
        process.terminate()
        throw CLI.TimedOut(arguments: process.arguments ?? [], seconds: 30, pid: process.processIdentifier)
    }

    static func exec(_ tool: String, _ arguments: [String]) throws -> (status: Int32, out: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("mta-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: out) }
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        process.waitUntilExit()
        return (process.terminationStatus, (try? String(contentsOf: out, encoding: .utf8)) ?? "")
    }

    /// The MTA side of one scenario (`Milter/mta.py`), its JSON answer.
    static func mta(_ milter: Milter, _ scenario: String, _ files: [String] = []) throws -> [String: Any] {
        let (status, out) = try exec(python, [driver, String(milter.port), scenario] + files)
        #expect(status == 0, "mta.py \(scenario) failed: \(out.prefix(500)); milter log: \(milter.logText.suffix(800))")
        return try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any], "mta.py: \(out.prefix(300))")
    }

    /// The headers a message's end-of-message answer adds, by name (values trimmed), and its final command.
    static func answer(_ replies: Any?) -> (headers: [String: String], final: String?) {
        var headers: [String: String] = [:]
        var final: String?
        for reply in replies as? [[Any]] ?? [] {
            guard let command = reply.first as? String else { continue }
            if command == "h", let args = reply.last as? [String: Any], let name = args["name"] as? String {
                headers[name] = (args["value"] as? String)?.trimmingCharacters(in: .whitespaces)
            }
            final = command
        }
        return (headers, final)
    }

    /// The answer to the first of `files` sent on one connection (the "messages" scenario).
    static func first(_ milter: Milter, _ files: [String]) throws -> (headers: [String: String], final: String?) {
        answer((try mta(milter, "messages", files)["replies"] as? [Any])?.first)
    }

    @Test("messages on one connection, after one aborted mid-body: each answered with its verdict's headers and accepted",
          .enabled(if: available, missing), .timeLimit(.minutes(3)))
    func messagesOnOneConnection() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let milter = try Self.start(in: scratch)
        let result = try Self.mta(milter, "messages", [Self.samples + "/lzh-sjis.eml", Self.samples + "/newsletter-dkim.eml"])
        let replies = try #require(result["replies"] as? [Any])
        #expect(replies.count == 2)
        let lure = Self.answer(replies.first)
        #expect(lure.headers["X-Spearscan-Status"] == "suspicious")
        // Negotiated with leading-space values: the added header's value starts with its space, once.
        let lureReplies = (replies.first as? [[Any]]) ?? []
        let added = lureReplies.compactMap { $0.last as? [String: Any] }.first { $0["name"] as? String == "X-Spearscan-Status" }
        #expect(added?["value"] as? String == " suspicious")
        // Spearscan's Authentication-Results comes first, inserted at the top (offline: no DNS, so no SPF or DMARC).
        let inserted = lureReplies.first
        #expect(inserted?.first as? String == "i", "\(lureReplies)")
        let ar = inserted?.last as? [String: Any]
        #expect(ar?["name"] as? String == "Authentication-Results" && ar?["index"] as? Int == 0)
        #expect((ar?["value"] as? String)?.hasSuffix("; dkim=none") == true || (ar?["value"] as? String)?.hasSuffix(";\n\tdkim=none") == true, "\(ar ?? [:])")
        #expect(lure.headers["X-Spearscan-Reasons"]?.contains("script_in_archive") == true, "\(lure.headers)")
        #expect(lure.final == "a")
        let newsletter = Self.answer(replies.last)
        #expect(newsletter.headers["X-Spearscan-Status"] != nil && newsletter.headers["X-Spearscan-Status"] != "suspicious",
                "\(newsletter.headers)")
        #expect(newsletter.final == "a")
        #expect(try milter.stop() == 0)
        let log = milter.logText
        #expect(log.contains("queue_id=Q0") && log.contains("status=suspicious"), "\(log)")
        #expect(!log.contains("ABORTED"), "the aborted message was scanned: \(log)")
        #expect(log.contains("stopped"))
    }

    @Test("an MTA without leading-space header values gets values without it; one that does not allow headers gets none",
          .enabled(if: available, missing), .timeLimit(.minutes(3)))
    func whatTheMTAOffers() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let milter = try Self.start(in: scratch)
        let result = try Self.mta(milter, "offers", [Self.samples + "/lzh-sjis.eml"])
        let plain = try #require(result["no-leading-space"] as? [[Any]])
        let status = plain.compactMap { $0.last as? [String: Any] }.first { $0["name"] as? String == "X-Spearscan-Status" }
        #expect(status?["value"] as? String == "suspicious", "\(plain)")
        #expect((plain.first?.last as? [String: Any]).map { ($0["value"] as? String)?.hasPrefix(" ") == false } == true, "\(plain)")
        #expect(plain.last?.first as? String == "a")
        let bare = try #require(result["no-headers"] as? [[Any]])
        #expect(bare.map { $0.first as? String } == ["a"], "\(bare)")
        #expect(try milter.stop() == 0)
    }

    @Test("an MTA that asks for no answers but the last streams two messages: only their answers come back, the same as a waiting MTA's",
          .enabled(if: available, missing), .timeLimit(.minutes(3)))
    func streamedWithoutReplies() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let milter = try Self.start(in: scratch)
        let files = [Self.samples + "/lzh-sjis.eml", Self.samples + "/newsletter-dkim.eml"]
        let streamed = try Self.mta(milter, "streamed", files)
        let waited = try Self.mta(milter, "messages", files)
        // Every no-reply step the MTA offered was taken (SMFIP_NR_*: 0xFF080 of the flags).
        #expect(((streamed["flags"] as? Int) ?? 0) & 0xFF080 == 0xFF080, "\(streamed["flags"] ?? "")")
        let answers = try #require(streamed["replies"] as? [Any])
        #expect(answers.count == 2)
        // No stray "continue" before an answer: each ends in accept, its packets are the headers and the accept.
        for (s, w) in zip(answers, try #require(waited["replies"] as? [Any])) {
            #expect((s as? [[Any]])?.map { $0.first as? String } == (w as? [[Any]])?.map { $0.first as? String }, "\(s)")
            #expect(Self.answer(s).headers["X-Spearscan-Status"] == Self.answer(w).headers["X-Spearscan-Status"])
        }
        #expect(Self.answer(answers.first).headers["X-Spearscan-Status"] == "suspicious")
        #expect(try milter.stop() == 0)
    }

    @Test("a 10 MB body in 64 KB chunks, hostile packets, and 200 sessions at once: every message answered, the process alive",
          .enabled(if: available, missing), .timeLimit(.minutes(5)))
    func largeHostileAndMany() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let milter = try Self.start(in: scratch)
        let big = try Self.mta(milter, "big")
        #expect(Self.answer(big["replies"]).final == "a")
        #expect(Self.answer(big["replies"]).headers["X-Spearscan-Status"] != nil)
        let garbage = try Self.mta(milter, "garbage")
        for name in ["absurd", "zero", "unknown", "early", "short-optneg"] {
            #expect(garbage[name] as? Bool == true, "the milter kept a connection open after \(name) packets")
        }
        #expect(Self.answer(garbage["after"]).final == "a", "no answer on a clean connection after the hostile ones")
        let many = try Self.mta(milter, "many", [Self.samples + "/zip-with-script.eml"])
        let all = try #require(many["replies"] as? [Any])
        #expect(all.count == 200)
        let answered = all.filter { Self.answer($0).final == "a" && Self.answer($0).headers["X-Spearscan-Status"] == "suspicious" }
        #expect(answered.count == 200, "\(all.first { Self.answer($0).final != "a" } ?? "")")
        #expect(milter.process.isRunning)
        #expect(try milter.stop() == 0)
    }

    @Test("out of time, too large, or tempfail by choice: mail is never held back",
          .enabled(if: available, missing), .timeLimit(.minutes(3)))
    func limits() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let lure = [Self.samples + "/lzh-sjis.eml"]

        let late = try Self.start(["--time-limit", "0.000001"], in: scratch)
        let timed = try Self.first(late, lure)
        #expect(timed.headers["X-Spearscan-Status"] == "not_inspected" && timed.headers["X-Spearscan-Reasons"] == "time_limit", "\(timed)")
        #expect(timed.final == "a")
        #expect(try late.stop() == 0)

        let strict = try Self.start(["--time-limit", "0.000001", "--on-error", "tempfail"], in: scratch)
        let retried = try Self.first(strict, lure)
        #expect(retried.final == "t" && retried.headers.isEmpty, "\(retried)")
        #expect(try strict.stop() == 0)

        // The lure is 1,011 bytes: 300 of them are its headers and the start of its body. (Without the sender
        // analysis: the envelope sender the MTA gives is not the From domain, which alone would make it suspicious.)
        let small = try Self.start(["--max-body", "300", "--no-sender"], in: scratch)
        let cut = try Self.first(small, lure)
        #expect(cut.headers["X-Spearscan-Status"] == "not_inspected", "\(cut)")
        #expect(cut.final == "a")
        #expect(try small.stop() == 0)
    }

    @Test("a message that meets the connections' bound on held bytes is answered by --on-error without a scan; the holder is scanned",
          .enabled(if: available, missing), .timeLimit(.minutes(3)))
    func heldBytesBound() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let lure = [Self.samples + "/lzh-sjis.eml"]
        let bounded = ["--max-held", "65536", "--max-body", "65536", "--metrics", "inet:0@127.0.0.1"]
        let milter = try Self.start(bounded, in: scratch)
        let held = try Self.mta(milter, "held", lure)
        let second = Self.answer(held["second"])
        #expect(second.headers["X-Spearscan-Status"] == "not_inspected" && second.headers["X-Spearscan-Reasons"] == "held_bytes", "\(second)")
        #expect(second.final == "a")
        #expect(Self.answer(held["first"]).final == "a" && Self.answer(held["first"]).headers["X-Spearscan-Status"] != nil)
        let metrics = try Self.scrape(try #require(milter.metricsPort)).body
        #expect(Self.sample(metrics, #"spearscan_milter_errors_total{kind="held_bytes"}"#) == 1, "\(metrics)")
        #expect(Self.sample(metrics, "spearscan_milter_held_bytes") == 0)
        // Nothing is held once both are answered: the same message alone is scanned.
        #expect(try Self.first(milter, lure).headers["X-Spearscan-Status"] == "suspicious")
        #expect(try milter.stop() == 0)
        #expect(milter.logText.contains("held_limit=true"))

        let strict = try Self.start(bounded + ["--on-error", "tempfail"], in: scratch)
        let retried = Self.answer(try Self.mta(strict, "held", lure)["second"])
        #expect(retried.final == "t" && retried.headers.isEmpty, "\(retried)")
        #expect(try strict.stop() == 0)
    }

    @Test("a policy rejects by finding id and quarantines by status; what no rule names is accepted with the headers",
          .enabled(if: available, missing), .timeLimit(.minutes(3)))
    func policy() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let policy = scratch.path + "/policy.yaml"
        try """
            rules:
              - finding: script_in_archive
                action: reject
                reply: "550 5.7.1 Refused by spearscan: a script inside an archive"
            """.write(toFile: policy, atomically: true, encoding: .utf8)
        let strict = try Self.start(["--policy", policy], in: scratch)
        let result = try Self.mta(strict, "messages", [Self.samples + "/lzh-sjis.eml", Self.samples + "/newsletter-dkim.eml"])
        let replies = try #require(result["replies"] as? [Any])
        let refused = try #require((replies.first as? [[Any]])?.last)
        #expect(refused.first as? String == "y")
        let code = refused.last as? [String: Any]
        #expect(code?["smtpcode"] as? String == "550" && (code?["text"] as? String)?.hasPrefix("5.7.1 Refused by spearscan") == true, "\(refused)")
        #expect(Self.answer(replies.last).final == "a" && Self.answer(replies.last).headers["X-Spearscan-Status"] == "clean")
        #expect(try strict.stop() == 0)
        #expect(strict.logText.contains("action=reject"))

        try """
            rules:
              - status: suspicious
                action: quarantine
                reason: held by spearscan
            """.write(toFile: policy, atomically: true, encoding: .utf8)
        let holding = try Self.start(["--policy", policy], in: scratch)
        let held = try #require((try Self.mta(holding, "messages", [Self.samples + "/lzh-sjis.eml"])["replies"] as? [Any])?.first as? [[Any]])
        #expect(held.map { $0.first as? String } == ["i", "h", "h", "q", "a"], "\(held)")
        #expect((held[3].last as? [String: Any])?["reason"] as? String == "held by spearscan")
        #expect(try holding.stop() == 0)

        // A policy that cannot be read stops the milter before it listens: one line, exit 2.
        try "rules: [{action: explode}]".write(toFile: policy, atomically: true, encoding: .utf8)
        let wrong = try CLI.run(["milter", "--listen", "inet:0@127.0.0.1", "--policy", policy], timeout: 30)
        #expect(wrong.status == 2 && wrong.err.contains("rule 1: action must be"), "\(wrong.err)")
    }

    /// GET on the metrics endpoint through Python's urllib: the status and the body.
    static func scrape(_ port: Int, _ path: String = "/metrics") throws -> (status: Int, body: String) {
        let script = """
            import sys, urllib.request, urllib.error
            try:
                r = urllib.request.urlopen(sys.argv[1], timeout=10)
                print(r.status); print(r.read().decode())
            except urllib.error.HTTPError as e:
                print(e.code)
            """
        let (_, out) = try exec("/usr/bin/python3", ["-c", script, "http://127.0.0.1:\(port)\(path)"])
        let lines = out.split(separator: "\n", maxSplits: 1)
        return (Int(lines.first ?? "") ?? 0, lines.count > 1 ? String(lines[1]) : "")
    }

    /// The value of one sample line of a Prometheus exposition (`name{labels} value`), nil when absent.
    static func sample(_ exposition: String, _ series: String) -> Double? {
        exposition.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") }
    }

    @Test("--metrics serves Prometheus counters by status, finding, action and error, the reply latency and the gauges",
          .enabled(if: available, missing), .timeLimit(.minutes(3)))
    func prometheusMetrics() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let milter = try Self.start(["--metrics", "inet:0@127.0.0.1"], in: scratch)
        let port = try #require(milter.metricsPort, "no metrics port printed")
        let before = try Self.scrape(port)
        #expect(before.status == 200)
        #expect(Self.sample(before.body, "spearscan_milter_connections") == 0, "\(before.body)")
        _ = try Self.mta(milter, "messages", [Self.samples + "/lzh-sjis.eml", Self.samples + "/newsletter-dkim.eml"])
        _ = try Self.mta(milter, "garbage")
        let after = try Self.scrape(port)
        let body = after.body
        #expect(Self.sample(body, #"spearscan_milter_messages_total{status="suspicious"}"#) == 1, "\(body)")
        // The newsletter, and the garbage scenario's clean connection after the hostile ones.
        #expect(Self.sample(body, #"spearscan_milter_messages_total{status="clean"}"#) == 2)
        #expect(Self.sample(body, #"spearscan_milter_findings_total{finding="script_in_archive"}"#) == 1)
        #expect(Self.sample(body, #"spearscan_milter_actions_total{action="accept"}"#) == 3)
        #expect((Self.sample(body, #"spearscan_milter_errors_total{kind="protocol"}"#) ?? 0) >= 4)
        #expect(Self.sample(body, "spearscan_milter_reply_seconds_count") == 3)
        #expect(Self.sample(body, #"spearscan_milter_reply_seconds_bucket{le="+Inf"}"#) == 3)
        #expect(Self.sample(body, "spearscan_milter_messages_in_flight") == 0)
        #expect(Self.sample(body, "spearscan_milter_held_bytes") == 0)
        #expect(body.contains("# TYPE spearscan_milter_reply_seconds histogram"))
        #expect(try Self.scrape(port, "/").status == 404)
        #expect(try milter.stop() == 0)
        // An address that is not inet: is a usage error before anything listens.
        let wrong = try CLI.run(["milter", "--listen", "inet:0@127.0.0.1", "--metrics", "unix:/tmp/x"], timeout: 30)
        #expect(wrong.status == 64 && wrong.err.contains("--metrics takes inet:PORT@HOST"), "\(wrong.err)")
    }

    @Test("what the store learned is applied to arriving mail; SIGHUP reads it again; --no-learn leaves it out",
          .enabled(if: available, missing), .timeLimit(.minutes(4)))
    func learnedKnowledgeAtArrival() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        // 24 messages to ひばり企画 through its provider, from a correspondent whose mail passes DMARC there.
        try FileManager.default.createDirectory(atPath: scratch.path + "/spool", withIntermediateDirectories: true)
        for k in 2..<26 {
            try scratch.write("spool/\(k).eml", Array(LearningCLITests.hosted(k, from: "yamamoto@aoba-kensetsu.co.jp", dmarc: "pass").utf8))
        }
        let db = scratch.path + "/learned.db"
        let batch = try CLI.run(["batch", "--offline", "--no-learn", "--db", db, scratch.path + "/spool"], timeout: 120)
        #expect(batch.status == 0, "\(batch.err)")
        // The correspondent's name on mail the provider stamped dmarc=fail: a spoof once the provider is trusted.
        let probe = try scratch.write("probe.eml", Array(("Return-Path: <yamamoto@aoba-kensetsu.co.jp>\r\n"
            + LearningCLITests.hosted(0, from: "yamamoto@aoba-kensetsu.co.jp", dmarc: "fail")).utf8))

        let milter = try Self.start(["--db", db], in: scratch)
        func status() throws -> String? {
            try Self.first(milter, [probe]).headers["X-Spearscan-Status"]
        }
        #expect(try status() == "clean", "nothing learned yet: \(milter.logText.suffix(600))")
        // A rescore beside the running milter learns the provider; SIGHUP makes the milter read it.
        let rescore = try CLI.run(["rescore", "--offline", "--db", db], timeout: 120)
        #expect(rescore.status == 0, "\(rescore.err)")
        #expect(try sqlite3(db, "SELECT count(*) FROM learned_operators") != "0")
        kill(milter.process.processIdentifier, SIGHUP)
        let deadline = Date().addingTimeInterval(20)
        func reloaded() -> Bool { milter.logText.split(separator: "\n").contains { $0.contains("operators=1") && $0.hasSuffix("knowledge reloaded") } }
        while !reloaded() && Date() < deadline { usleep(50_000) }
        #expect(reloaded(), "\(milter.logText.suffix(800))")
        #expect(try status() == "suspicious", "\(milter.logText.suffix(800))")
        #expect(try milter.stop() == 0)

        // Started on the store now: applied from the first message; with --no-learn, not at all.
        let learned = try Self.start(["--db", db], in: scratch)
        #expect(try Self.first(learned, [probe]).headers["X-Spearscan-Status"] == "suspicious")
        #expect(try learned.stop() == 0)
        let plain = try Self.start(["--db", db, "--no-learn"], in: scratch)
        #expect(try Self.first(plain, [probe]).headers["X-Spearscan-Status"] == "clean")
        #expect(try plain.stop() == 0)
    }

    @Test("on a unix socket: the MTA's user may write to it (--socket-mode), a second milter does not take it over, it goes at SIGTERM",
          .enabled(if: available, missing), .timeLimit(.minutes(3)))
    func unixSocket() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let path = scratch.path + "/spearscan.sock"
        let milter = try Self.start(["--socket-mode", "666"], listen: "unix:" + path, in: scratch)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o666, "\(attributes)")
        let (status, answer) = try Self.exec(Self.python, [Self.driver, path, "messages", Self.samples + "/lzh-sjis.eml"])
        #expect(status == 0, "\(answer)")
        let replies = (try JSONSerialization.jsonObject(with: Data(answer.utf8)) as? [String: Any])?["replies"] as? [Any]
        #expect(Self.answer(replies?.first).headers["X-Spearscan-Status"] == "suspicious")
        let second = try CLI.run(["milter", "--listen", "unix:" + path, "--offline"], timeout: 30)
        #expect(second.status == 2 && second.err.contains("in use by a running milter"), "\(second.err)")
        #expect(try milter.stop() == 0)
        #expect(!FileManager.default.fileExists(atPath: path), "the socket file outlived the milter")
        let mode = try CLI.run(["milter", "--listen", "unix:" + path, "--socket-mode", "999"], timeout: 30)
        #expect(mode.status == 64 && mode.err.contains("--socket-mode takes octal"), "\(mode.err)")
    }

    @Test("with --db every analysed message is stored as a batch would store it; a repeat is stored once",
          .enabled(if: available, missing), .timeLimit(.minutes(3)))
    func storesWhatItAnalyses() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let db = scratch.path + "/arrivals.db"
        let milter = try Self.start(["--db", db], in: scratch)
        let lure = Self.samples + "/zip-with-script.eml"
        _ = try Self.mta(milter, "messages", [lure, Self.samples + "/newsletter-dkim.eml"])
        _ = try Self.mta(milter, "messages", [lure])
        #expect(try milter.stop() == 0)
        #expect(try sqlite3(db, "SELECT count(*), count(DISTINCT sha256) FROM messages") == "2|2")
        #expect(try sqlite3(db, "SELECT status FROM messages WHERE subject LIKE '%' ORDER BY id") == "suspicious\nclean")
        // The batch's own rows: attachments, findings, a campaign each, the same verdict as `spearscan scan`.
        #expect(try sqlite3(db, "SELECT count(*) > 0 FROM attachments") == "1")
        #expect(try sqlite3(db, "SELECT count(*) FROM messages WHERE campaign_id IS NULL") == "0")
        let log = milter.logText
        let lines = log.split(separator: "\n")
        #expect(lines.filter { $0.hasSuffix("] stored") }.count == 2, "\(log)")
        #expect(lines.filter { $0.hasSuffix("] stored before") }.count == 1, "the repeat: \(log)")
        #expect(!log.contains("not stored"), "\(log)")
    }
}

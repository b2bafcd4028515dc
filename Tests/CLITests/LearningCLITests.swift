import Foundation
import Testing

/// Spool learning through the command (issue #14): the batch learns a filtering provider in front of an
/// organisation and its correspondents, rescoring what that changes; `trust` shows it; `rescore` is idempotent;
/// `--no-learn` turns it off; an attacker's volume buys no trust.
@Suite("CLI: spool learning, trust and rescore")
struct LearningCLITests {
    static func day(_ k: Int) -> String {
        // 1 March 2019 was a Friday; the weekday name is not checked by the parser.
        "Fri, \(String(format: "%02d", 1 + k % 28)) Mar 2019 10:\(String(format: "%02d", k % 60)):00 +0900"
    }

    /// A message to ひばり企画, whose mail reaches its mailbox through the provider mailshield-cloud.jp.
    static func hosted(_ k: Int, from: String, dmarc: String) -> String {
        let domain = from.split(separator: "@").last.map(String.init) ?? ""
        return """
            Received: from filter3.mailshield-cloud.jp (filter3.mailshield-cloud.jp [10.20.0.3]) by store1.mailshield-cloud.jp with LMTP for <sato@hibari-kikaku.co.jp>; \(day(k))
            Authentication-Results: mx.mailshield-cloud.jp; spf=\(dmarc) smtp.mailfrom=\(domain); dmarc=\(dmarc) header.from=\(domain)
            Received: from mail.\(domain) (mail.\(domain) [198.51.100.\(k % 200 + 1)]) by mx01.mailshield-cloud.jp with ESMTPS for <sato@hibari-kikaku.co.jp>; \(day(k))
            From: 山本 一郎 <\(from)>
            To: sato@hibari-kikaku.co.jp
            Subject: 打合せの件 \(k)
            Date: \(day(k))
            Message-ID: <h\(k)@\(domain)>
            MIME-Version: 1.0
            Content-Type: text/plain; charset=utf-8

            いつもお世話になっております。打合せの日程について、ご連絡いたします。(\(k))

            """.replacingOccurrences(of: "\n", with: "\r\n")
    }

    /// A message to 港商事, whose own border MX stamps its results above its own Received. `forged` puts an
    /// Authentication-Results claiming a pass below the entry hop (where the sender wrote it) instead.
    static func minato(_ k: Int, from: String, dmarc: String?, forged: Bool = false, dated: Int? = nil) -> String {
        let domain = from.split(separator: "@").last.map(String.init) ?? ""
        let ar = "Authentication-Results: mx1.minato-shoji.co.jp; spf=pass smtp.mailfrom=\(domain); dmarc=\(dmarc ?? "pass") header.from=\(domain)"
        return """
            Received: from mx1.minato-shoji.co.jp (mx1.minato-shoji.co.jp [192.0.2.25]) by mbox.minato-shoji.co.jp with LMTP for <k-ito@minato-shoji.co.jp>; \(day(k))
            \(dmarc != nil && !forged ? ar + "\n" : "")Received: from mail.\(domain) (mail.\(domain) [203.0.113.\(k % 200 + 1)]) by mx1.minato-shoji.co.jp with ESMTPS for <k-ito@minato-shoji.co.jp>; \(day(k))
            \(forged ? ar.replacingOccurrences(of: "mx1.minato-shoji.co.jp", with: "mx.mailshield-cloud.jp") + "\n" : "")From: 営業部 <eigyo@\(domain)>
            To: k-ito@minato-shoji.co.jp
            Subject: ご請求書の件 \(k)
            Date: \(day(dated ?? k))
            Message-ID: <m\(k)@\(domain)>
            MIME-Version: 1.0
            Content-Type: text/plain; charset=utf-8

            ご請求書をお送りします。ご確認ください。(\(k))

            """.replacingOccurrences(of: "\n", with: "\r\n")
    }

    func spool(_ scratch: Scratch, _ messages: [String]) throws -> String {
        try FileManager.default.createDirectory(atPath: scratch.path + "/spool", withIntermediateDirectories: true)
        for (k, m) in messages.enumerated() { _ = try scratch.write("spool/\(String(format: "%05d", k)).eml", m) }
        return scratch.path + "/spool"
    }

    func row(_ db: String, _ subject: String) throws -> String {
        try sqlite3(db, "SELECT status || ' ' || coalesce(spoofed, 'null') FROM messages WHERE subject = '\(subject)'")
    }

    @Test("the batch learns the provider and the correspondents, rescores the spoofs they reveal; trust shows it; rescore finds nothing more")
    func learnsAndRescores() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        // The spoofs come first: learning at the end of the batch rescores them.
        var messages = [Self.hosted(0, from: "yamamoto@aoba-kensetsu.co.jp", dmarc: "fail"),
                        Self.hosted(1, from: "yamamoto@aoba-kensetsv.co.jp", dmarc: "pass")]
        messages += (2..<26).map { Self.hosted($0, from: "yamamoto@aoba-kensetsu.co.jp", dmarc: "pass") }
        let path = try spool(scratch, messages)

        let plain = scratch.path + "/plain.db"
        _ = try CLI.run(["batch", "--offline", "--no-learn", "--db", plain, path])
        #expect(try row(plain, "打合せの件 0") == "clean null")
        #expect(try row(plain, "打合せの件 1") == "clean null")
        #expect(try sqlite3(plain, "SELECT count(*) FROM learned_operators") == "0")

        let db = scratch.path + "/s.db"
        let batch = try CLI.run(["batch", "--offline", "--db", db, path])
        #expect(batch.status == 1, "\(batch.err)")
        #expect(batch.out.contains("learning: 1 MX operators (1 a provider in front of the organisation), 1 correspondents (0 refused as lookalikes), 1 names; rescored 26 stored messages (2 now suspicious, 0 no longer)"), "\(batch.out)")
        #expect(batch.out.contains("trusted by position: hibari-kikaku.co.jp <- mailshield-cloud.jp (stamps mx.mailshield-cloud.jp)"), "\(batch.out)")
        // The run's counts are those after rescoring.
        #expect(batch.out.contains("suspicious 2, not inspected 0"), "\(batch.out)")
        #expect(try row(db, "打合せの件 0") == "suspicious 1")
        #expect(try row(db, "打合せの件 1") == "suspicious 1")
        #expect(try row(db, "打合せの件 2") == "clean 0")
        #expect(try sqlite3(db, "SELECT finding_id FROM findings f JOIN messages m ON m.id = f.message_id WHERE m.subject = '打合せの件 1' AND finding_id = 'sender_spoofed'") == "sender_spoofed")
        // Rescoring replaces verdicts in place: no rows of old selves, the messages keep their campaigns' links.
        #expect(try sqlite3(db, "SELECT count(*) FROM minhash_bands") != "0")
        #expect(try sqlite3(db, "SELECT count(*) FROM similar WHERE message_a NOT IN (SELECT id FROM messages) OR message_b NOT IN (SELECT id FROM messages)") == "0")
        #expect(try sqlite3(db, "SELECT sum(targeted_messages) FROM campaigns") == sqlite3(db, "SELECT count(*) FROM messages WHERE targeted = 1 AND campaign_id IS NOT NULL"))
        for table in ["minhash_bands", "fingerprints", "observations", "observation_orgs", "findings", "recipients", "attachments",
                      "defects", "password_notices"] {
            #expect(try sqlite3(db, "SELECT count(*) FROM \(table) WHERE message_id NOT IN (SELECT id FROM messages)") == "0", "\(table)")
        }

        let trust = try CLI.run(["trust", "--db", db])
        #expect(trust.status == 0)
        #expect(trust.out.contains("hibari-kikaku.co.jp <- mailshield-cloud.jp (a provider in front of it"), "\(trust.out)")
        #expect(trust.out.contains("stamps: mx.mailshield-cloud.jp (26)"), "\(trust.out)")
        #expect(trust.out.contains("aoba-kensetsu.co.jp: 24 messages on 24 days"), "\(trust.out)")
        let json = try CLI.run(["trust", "--db", db, "--format", "json"]).json()
        #expect((json["operators"] as? [[String: Any]])?.first?["operator"] as? String == "mailshield-cloud.jp")

        // Idempotent: nothing learned anew, nothing rescored, the same rows.
        let before = try sqlite3(db, "SELECT sha256, status, spoofed FROM messages ORDER BY sha256")
        let rescore = try CLI.run(["rescore", "--offline", "--db", db])
        #expect(rescore.status == 0, "\(rescore.err)")
        #expect(rescore.out.contains("rescored 0 stored messages"), "\(rescore.out)")
        let again = try CLI.run(["batch", "--offline", "--db", db, path])
        #expect(again.out.contains("skipped 26") && again.out.contains("rescored 0 stored messages"), "\(again.out)")
        #expect(try sqlite3(db, "SELECT sha256, status, spoofed FROM messages ORDER BY sha256") == before)
    }

    @Test("an attacker's volume buys no trust: 1,000 forged results from the wrong position, 300 authenticated lookalike messages on two days")
    func volumeDoesNotPoison() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        var messages: [String] = []
        // Forged passes below the entry hop, claiming the provider's authserv-id, from a lookalike of the partner.
        messages += (0..<1_000).map { Self.minato($0, from: "eigyo@aoba-kensetsv.co.jp", dmarc: "pass", forged: true) }
        // The attacker's own lookalike domain, authenticated for real by the MX, 300 messages on two days.
        // Their Date headers spread over 28 days; the delivering server's Received says two: history is what it says.
        messages += (0..<300).map { Self.minato($0 % 2, from: "eigyo@aoba-kensetzu.co.jp", dmarc: "pass", dated: $0 % 28).replacingOccurrences(of: "ご請求書の件 \($0 % 2)", with: "ご請求書の件 z\($0)").replacingOccurrences(of: "(\($0 % 2))", with: "(z\($0))").replacingOccurrences(of: "<m\($0 % 2)@", with: "<z\($0)@") }
        // The real partner: five authenticated messages on five days.
        messages += (10..<15).map { Self.minato($0, from: "eigyo@aoba-kensetsu.co.jp", dmarc: "pass") }
        let path = try spool(scratch, messages)
        let db = scratch.path + "/s.db"
        let batch = try CLI.run(["batch", "--offline", "--db", db, path], timeout: 300)
        #expect(batch.status == 1, "\(batch.err)")
        // The border is minato's own MX; the forged authserv-id from the wrong position was never trusted.
        #expect(try sqlite3(db, "SELECT recipient_org || ' ' || operator FROM learned_operators") == "minato-shoji.co.jp minato-shoji.co.jp")
        #expect(try sqlite3(db, "SELECT count(*) FROM observations WHERE stamp = 'mx.mailshield-cloud.jp'") == "0")
        // The partner is the correspondent; the authenticated lookalike with more messages but fewer days is refused.
        #expect(try sqlite3(db, "SELECT sender_org || ' ' || coalesce(refused_as_lookalike_of, '-') FROM correspondents ORDER BY sender_org")
                == "aoba-kensetsu.co.jp -\naoba-kensetzu.co.jp aoba-kensetsu.co.jp")
        // Every attacker message is now a spoof of the partner; the partner's are clean.
        #expect(try sqlite3(db, "SELECT count(*) FROM messages WHERE spoofed = 1 AND status = 'suspicious'") == "1300")
        #expect(try sqlite3(db, "SELECT count(*) FROM messages WHERE sender_domain = 'aoba-kensetsu.co.jp' AND status = 'clean'") == "5")
        let trust = try CLI.run(["trust", "--db", db])
        #expect(trust.out.contains("aoba-kensetzu.co.jp writing to minato-shoji.co.jp imitates aoba-kensetsu.co.jp: 300 messages on 2 days"), "\(trust.out)")
    }

    /// The answers of a store keyed by message, not by row (rescoring stores messages again under new rows).
    static func answers(_ db: String) throws -> String {
        try [
            "SELECT sha256, status, coalesce(spoofed, 'null'), coalesce(sender_score, 'null'), targeted FROM messages ORDER BY sha256",
            "SELECT m.sha256, f.finding_id, f.evidence FROM findings f JOIN messages m ON m.id = f.message_id ORDER BY 1, 2, 3",
            "SELECT m.sha256, coalesce(o.applied_operator, '-'), coalesce(o.applied_match, '-'), o.authenticated FROM observations o JOIN messages m ON m.id = o.message_id ORDER BY 1",
            "SELECT messages, targeted_messages, distinct_recipients FROM campaigns ORDER BY 1, 2, 3",
            "SELECT * FROM learned_operators", "SELECT * FROM correspondents ORDER BY 1, 2",
        ].map { try sqlite3(db, $0) }.joined(separator: "\n==\n")
    }

    @Test("rescore killed at random moments and run again ends with the same answers as one clean rescore", .timeLimit(.minutes(5)))
    func rescoreKilled() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        var messages = (0..<40).map { Self.hosted($0, from: "yamamoto@aoba-kensetsu.co.jp", dmarc: "fail") }
        messages += (40..<1_200).map { Self.hosted($0, from: "yamamoto@aoba-kensetsu.co.jp", dmarc: "pass") }
        let path = try spool(scratch, messages)
        let db = scratch.path + "/killed.db", clean = scratch.path + "/clean.db", pristine = scratch.path + "/pristine.db"
        let first = try CLI.run(["batch", "--offline", "--no-learn", "--db", db, path], timeout: 240)
        #expect(first.status == 0, "\(first.err)")
        try FileManager.default.copyItem(atPath: db, toPath: clean)
        try FileManager.default.copyItem(atPath: db, toPath: pristine)
        let started = Date()
        let reference = try CLI.run(["rescore", "--offline", "--db", clean], timeout: 240)
        let duration = Date().timeIntervalSince(started)
        #expect(reference.out.contains("rescored 1200 stored messages (40 now suspicious"), "\(reference.out)")

        // Kills at random moments of a run as long as the clean one, until two have landed between commits (rows
        // rescored, not all of them), each taken up again by the next run. A run that ends before its kill (a busy
        // machine can make one shorter than the clean one) without any kill having landed yet starts again from the
        // store before any rescore; one that ends after a landed kill has taken the store up again: enough.
        func rescored() throws -> Int {
            Int(try sqlite3(db, "SELECT count(*) FROM observations WHERE applied_operator IS NOT NULL")) ?? 0
        }
        var partial = 0
        for attempt in 0..<12 where partial < 2 {
            let process = try FaultCLITests.start(["rescore", "--offline", "--db", db])
            usleep(UInt32(Double.random(in: 0.15...0.85) * duration / Double(1 + attempt / 4) * 1e6))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            #expect(try sqlite3(db, "PRAGMA integrity_check") == "ok")
            #expect(try sqlite3(db, "SELECT count(*), count(DISTINCT sha256) FROM messages") == "1200|1200")
            let now = try rescored()
            if now > 0 && now < 1_200 { partial += 1 }
            if now == 1_200 {
                if partial > 0 { break }
                try FileManager.default.removeItem(atPath: db)
                for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: db + suffix) }
                try FileManager.default.copyItem(atPath: pristine, toPath: db)
            }
        }
        #expect(partial > 0)
        let last = try CLI.run(["rescore", "--offline", "--db", db], timeout: 240)
        #expect(last.status == 0, "\(last.err)")
        #expect(try Self.answers(db) == Self.answers(clean))
        let idle = try CLI.run(["rescore", "--offline", "--db", db])
        #expect(idle.out.contains("rescored 0 stored messages"), "\(idle.out)")
    }

    @Test("a display name hiding a NUL or a zero-width character is the same name, and rescoring settles")
    func hiddenCharactersInName() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        var messages = (2..<26).map { Self.hosted($0, from: "yamamoto@aoba-kensetsu.co.jp", dmarc: "pass") }
        for (k, name) in ["山本\u{0} 一郎", "山本\u{200B}一郎"].enumerated() {
            let encoded = "=?UTF-8?B?" + Data(name.utf8).base64EncodedString() + "?="
            messages.append(Self.hosted(30 + k, from: "ichiro.yamamoto\(k)@gmail.com", dmarc: "pass")
                .replacingOccurrences(of: "From: 山本 一郎 <", with: "From: \(encoded) <"))
        }
        let path = try spool(scratch, messages)
        let db = scratch.path + "/s.db"
        let batch = try CLI.run(["batch", "--offline", "--db", db, path])
        #expect(batch.status == 1, "\(batch.err)")
        #expect(try sqlite3(db, "SELECT count(*) FROM messages WHERE sender_domain = 'gmail.com' AND status = 'suspicious'") == "2", "\(batch.out)")
        let again = try CLI.run(["rescore", "--offline", "--db", db])
        #expect(again.out.contains("rescored 0 stored messages"), "\(again.out)")
    }
}

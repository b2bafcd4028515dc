import Dispatch
import Foundation
import NIOConcurrencyHelpers
import SpearCore
@testable import SpearMilter
import SpearScan
import Testing

@Suite struct MilterFrameTests {
    @Test func packetsAreCutFromAStreamAndBoundsHold() {
        let two = MilterFrame.encode(UInt8(ascii: "H"), Array("mx.example\0".utf8)) + MilterFrame.encode(UInt8(ascii: "N"))
        guard case .packet(let command, let data, let consumed) = MilterFrame.parse(two) else {
            Issue.record("no packet")
            return
        }
        #expect(command == UInt8(ascii: "H") && Array(data) == Array("mx.example\0".utf8) && consumed == 16)
        guard case .packet(let next, let empty, _) = MilterFrame.parse(two, from: consumed) else {
            Issue.record("no second packet")
            return
        }
        #expect(next == UInt8(ascii: "N") && empty.isEmpty)
        #expect(MilterFrame.parse(Array(two.prefix(3))) == .needMore)
        #expect(MilterFrame.parse(Array(two.prefix(10))) == .needMore)
        // A zero length and an absurd one are refused before anything is allocated for them.
        guard case .invalid = MilterFrame.parse([0, 0, 0, 0, 0x41]), case .invalid = MilterFrame.parse([0x7F, 0xFF, 0xFF, 0xFF]) else {
            Issue.record("a zero or absurd length was accepted")
            return
        }
    }

    @Test func commandsDecodeAndMalformedOnesThrow() throws {
        func decode(_ command: Character, _ data: [UInt8]) throws -> MilterCommand {
            try MilterCommand.decode(command: UInt8(ascii: command.unicodeScalars.first!), data: data[...])
        }
        #expect(try decode("O", [0, 0, 0, 6, 0, 0, 1, 0xFF, 0, 0x1F, 0xFF, 0xFF]) == .negotiate(version: 6, actions: 0x1FF, protocolFlags: 0x1FFFFF))
        #expect(try decode("C", Array("mail.example\0".utf8) + [UInt8(ascii: "4"), 0x30, 0x39] + Array("192.0.2.7\0".utf8))
                == .connect(hostname: "mail.example", family: UInt8(ascii: "4"), port: 12_345, address: "192.0.2.7"))
        #expect(try decode("C", Array("localhost\0U".utf8)) == .connect(hostname: "localhost", family: UInt8(ascii: "U"), port: 0, address: ""))
        #expect(try decode("D", Array("Mi\0ABC123\0{auth_type}\0\0".utf8)) == .macros(stage: UInt8(ascii: "M"), ["i": "ABC123", "{auth_type}": ""]))
        #expect(try decode("M", Array("<a@example.com>\0SIZE=100\0".utf8)) == .mailFrom(["<a@example.com>", "SIZE=100"]))
        #expect(try decode("L", Array("Subject\0 注文内容の確認\0".utf8)) == .header(name: Array("Subject".utf8), value: Array(" 注文内容の確認".utf8)))
        #expect(try decode("L", Array("X-Empty\0\0".utf8)) == .header(name: Array("X-Empty".utf8), value: []))
        // Shift_JIS bytes in a header stay bytes.
        #expect(try decode("L", [0x53, 0x3A, 0] + [0x20, 0x8E, 0x91, 0x97, 0xBF] + [0]) == .header(name: [0x53, 0x3A], value: [0x20, 0x8E, 0x91, 0x97, 0xBF]))
        #expect(try decode("B", [1, 2, 0, 3]) == .body([1, 2, 0, 3]))
        #expect(throws: MilterCommand.Malformed.self) { try decode("O", [0, 0, 0, 6]) }
        #expect(throws: MilterCommand.Malformed.self) { try decode("L", Array("Subject".utf8)) }
        #expect(throws: MilterCommand.Malformed.self) { try decode("C", Array("host".utf8)) }
        #expect(throws: MilterCommand.Malformed.self) { try decode("Z", []) }
    }

    @Test func repliesEncodeAsTheProtocolSays() {
        #expect(MilterReply.accept.bytes == [0, 0, 0, 1, UInt8(ascii: "a")])
        #expect(MilterReply.addHeader(name: "X-A", value: " b").bytes == [0, 0, 0, 8, UInt8(ascii: "h")] + Array("X-A\0 b\0".utf8))
        #expect(MilterReply.insertHeader(index: 0, name: "A", value: " b").bytes
                == [0, 0, 0, 10, UInt8(ascii: "i"), 0, 0, 0, 0] + Array("A\0 b\0".utf8))
        #expect(MilterReply.changeHeader(index: 2, name: "A", value: "").bytes
                == [0, 0, 0, 8, UInt8(ascii: "m"), 0, 0, 0, 2] + Array("A\0\0".utf8))
        #expect(MilterReply.negotiate(version: 6, actions: 0x21, protocolFlags: 0x100300).bytes
                == [0, 0, 0, 13, UInt8(ascii: "O"), 0, 0, 0, 6, 0, 0, 0, 0x21, 0, 0x10, 0x03, 0x00])
    }
}

@Suite struct MilterSessionTests {
    static let offer = MilterCommand.negotiate(version: 6, actions: 0x1FF, protocolFlags: 0x1FFFFF)

    @Test func stepsTheMTAWaitsForNotAreAnsweredOnlyWhenItWaits() {
        var streamed = MilterSession(maxMessageBytes: 1 << 20)
        _ = streamed.handle(.negotiate(version: 6, actions: 0x01, protocolFlags: MilterFlags.noReplies))
        var waiting = MilterSession(maxMessageBytes: 1 << 20)
        _ = waiting.handle(.negotiate(version: 6, actions: 0x01, protocolFlags: 0))
        let steps: [MilterCommand] = [
            .connect(hostname: "h", family: UInt8(ascii: "4"), port: 25, address: "192.0.2.1"), .helo("h"), .mailFrom(["<a@b.example>"]),
            .recipient(["<c@d.example>"]), .data, .unknown("XYZ"), .header(name: Array("Subject".utf8), value: Array(" x".utf8)),
            .endOfHeaders, .body(Array("b".utf8)),
        ]
        for step in steps {
            #expect(streamed.handle(step) == .silent, "\(step)")
            #expect(waiting.handle(step) == .reply([.continue]), "\(step)")
        }
        guard case .endOfMessage = streamed.handle(.endOfMessage([])) else {
            Issue.record("the end of the message is always answered")
            return
        }
    }

    @Test func nothingButNegotiationFirst() {
        var session = MilterSession(maxMessageBytes: 1 << 20)
        #expect(session.handle(.header(name: Array("Subject".utf8), value: Array("x".utf8))) == .close)
    }

    @Test func negotiationAsksOnlyForWhatWasOffered() {
        var session = MilterSession(maxMessageBytes: 1 << 20)
        #expect(session.handle(.negotiate(version: 6, actions: 0x01, protocolFlags: 0x200)) ==
                .reply([.negotiate(version: 6, actions: 0x01, protocolFlags: 0x200)]))
        #expect(!session.leadingSpace)
        var full = MilterSession(maxMessageBytes: 1 << 20)
        // Add headers, change (delete) headers, quarantine.
        // ... and every step without an answer but the end of the message (SMFIP_NR_*).
        #expect(full.handle(Self.offer) == .reply([.negotiate(version: 6, actions: 0x31, protocolFlags: 0x1FF380)]))
        #expect(full.canChangeHeaders && full.canAddHeaders && full.canQuarantine)
        #expect(full.leadingSpace)
        var old = MilterSession(maxMessageBytes: 1 << 20)
        #expect(old.handle(.negotiate(version: 1, actions: 0, protocolFlags: 0)) == .close)
    }

    /// Two messages on one connection, the first aborted mid-body: the second is rebuilt from its own events
    /// only, with its envelope.
    @Test func messagesAreRebuiltOneAfterAnother() {
        var session = MilterSession(maxMessageBytes: 1 << 20)
        _ = session.handle(Self.offer)
        _ = session.handle(.macros(stage: UInt8(ascii: "C"), ["j": "mx.example.jp"]))
        // Offered every no-reply step: nothing is answered before the end of the message.
        #expect(session.handle(.connect(hostname: "mail.example.com", family: UInt8(ascii: "4"), port: 25, address: "192.0.2.7")) == .silent)
        _ = session.handle(.helo("mail.example.com"))
        _ = session.handle(.mailFrom(["<first@example.com>"]))
        _ = session.handle(.header(name: Array("Subject".utf8), value: Array(" aborted".utf8)))
        _ = session.handle(.endOfHeaders)
        _ = session.handle(.body(Array("half a body".utf8)))
        #expect(session.handle(.abort) == .silent)
        _ = session.handle(.macros(stage: UInt8(ascii: "M"), ["i": "4XyZ1"]))
        _ = session.handle(.mailFrom(["<sender@example.com>", "SIZE=300"]))
        _ = session.handle(.recipient(["<a@corp.example.jp>"]))
        _ = session.handle(.recipient(["<b@corp.example.jp>"]))
        _ = session.handle(.header(name: Array("Subject".utf8), value: Array(" 注文内容の確認".utf8)))
        _ = session.handle(.header(name: Array("X-Folded".utf8), value: Array(" one\n\ttwo".utf8)))
        _ = session.handle(.endOfHeaders)
        _ = session.handle(.body(Array("line 1\r\n".utf8)))
        guard case .endOfMessage(let m) = session.handle(.endOfMessage(Array("line 2\r\n".utf8))) else {
            Issue.record("no message at the end")
            return
        }
        #expect(String(decoding: m.bytes, as: UTF8.self) == "Subject: 注文内容の確認\r\nX-Folded: one\r\n\ttwo\r\n\r\nline 1\r\nline 2\r\n")
        #expect(m.truncatedFrom == nil)
        #expect(m.envelope.clientAddress == "192.0.2.7" && m.envelope.helo == "mail.example.com")
        #expect(m.envelope.mailFrom == "sender@example.com" && m.envelope.recipients == ["a@corp.example.jp", "b@corp.example.jp"])
        #expect(m.envelope.queueID == "4XyZ1")
        #expect(session.handle(.quit) == .close)
    }

    /// RFC 8601 §5: an arriving Authentication-Results claiming spearscan's authserv-id (by default the MTA's host
    /// name, macro `j`) is a forgery: left out of what is analysed, and its place among those headers kept for deleting.
    @Test func forgedAuthenticationResultsAreLeftOutAndCounted() {
        func arrive(_ session: inout MilterSession) -> ArrivedMessage? {
            _ = session.handle(Self.offer)
            _ = session.handle(.macros(stage: UInt8(ascii: "C"), ["j": "mx.example.jp"]))
            _ = session.handle(.connect(hostname: "mail.example.com", family: UInt8(ascii: "4"), port: 25, address: "192.0.2.7"))
            _ = session.handle(.macros(stage: UInt8(ascii: "M"), ["{auth_authen}": "alice"]))
            _ = session.handle(.mailFrom(["<alice@example.jp>"]))
            for value in [" mx.example.jp; spf=pass", " other.example; dkim=pass", " MX.EXAMPLE.JP;dmarc=pass"] {
                _ = session.handle(.header(name: Array("Authentication-Results".utf8), value: Array(value.utf8)))
            }
            _ = session.handle(.header(name: Array("Subject".utf8), value: Array(" hi".utf8)))
            _ = session.handle(.endOfHeaders)
            guard case .endOfMessage(let m) = session.handle(.endOfMessage(Array("body\r\n".utf8))) else { return nil }
            return m
        }
        var session = MilterSession(maxMessageBytes: 1 << 20)
        let m = arrive(&session)
        #expect(m?.authservID == "mx.example.jp")
        #expect(m?.forgedAuthResults == [1, 3])
        #expect(m.map { String(decoding: $0.bytes, as: UTF8.self) } == "Authentication-Results: other.example; dkim=pass\r\nSubject: hi\r\n\r\nbody\r\n")
        #expect(m?.arrival.authenticated == true && m?.arrival.clientAddress == "192.0.2.7" && m?.arrival.mailFrom == "alice@example.jp")
        // Claims behind comments or in quotes are claims all the same (RFC 8601 §2.2 allows both).
        for value in [" (note) mx.example.jp; spf=pass", " (a (nested\\) one)) mx.example.jp;dkim=pass", " \"mx.example.jp\"; dmarc=pass",
                      "\t\"mx.\\example.jp\" (c); spf=pass", "mx.example.jp (v1); spf=pass"] {
            #expect(MilterSession.authservID(of: Array(value.utf8)) == "mx.example.jp", "\(value)")
        }
        #expect(MilterSession.authservID(of: Array(" (only a comment)".utf8)) == nil)
        #expect(MilterSession.authservID(of: Array(" mx.example.jp.evil; spf=pass".utf8)) == "mx.example.jp.evil")
        // A configured authserv-id wins over the MTA's name: then none of these claims it.
        var configured = MilterSession(maxMessageBytes: 1 << 20, authservID: "filter.example.jp")
        let kept = arrive(&configured)
        #expect(kept?.authservID == "filter.example.jp" && kept?.forgedAuthResults == [])
        #expect(kept.map { String(decoding: $0.bytes, as: UTF8.self).components(separatedBy: "Authentication-Results").count } == 4)
    }

    /// `K`: the MTA reuses the connection for another SMTP session; nothing of the last one carries over.
    @Test func aNewSMTPSessionOnTheSameConnectionStartsClean() {
        var session = MilterSession(maxMessageBytes: 1 << 20)
        _ = session.handle(Self.offer)
        _ = session.handle(.connect(hostname: "a.example", family: UInt8(ascii: "4"), port: 25, address: "192.0.2.1"))
        _ = session.handle(.mailFrom(["<a@example.com>"]))
        _ = session.handle(.recipient(["<r@corp.example.jp>"]))
        _ = session.handle(.header(name: Array("Subject".utf8), value: Array(" left over".utf8)))
        #expect(session.handle(.quitNewConnection) == .silent)
        _ = session.handle(.connect(hostname: "b.example", family: UInt8(ascii: "6"), port: 25, address: "2001:db8::2"))
        _ = session.handle(.mailFrom(["<b@example.com>"]))
        _ = session.handle(.header(name: [0x53, 0x75, 0x62, 0x6A, 0x65, 0x63, 0x74], value: [0x20, 0x8E, 0x91, 0x97, 0xBF]))
        _ = session.handle(.endOfHeaders)
        guard case .endOfMessage(let m) = session.handle(.endOfMessage([])) else {
            Issue.record("no message at the end")
            return
        }
        #expect(m.bytes == Array("Subject: ".utf8) + [0x8E, 0x91, 0x97, 0xBF] + Array("\r\n\r\n".utf8), "the Shift_JIS bytes kept as they came")
        #expect(m.envelope.clientAddress == "2001:db8::2" && m.envelope.mailFrom == "b@example.com" && m.envelope.recipients.isEmpty)
    }

    /// Connections share one bound on the bytes they hold: what one holds, another cannot take; a message that
    /// meets the bound keeps a prefix (never bytes after a gap) and says so; aborted or closed, bytes come back.
    @Test func connectionsShareOneBoundOnHeldBytes() {
        let held = HeldBytes(limit: 100)
        func start(_ session: inout MilterSession, _ body: Int) {
            _ = session.handle(Self.offer)
            _ = session.handle(.mailFrom(["<s@example.com>"]))
            _ = session.handle(.endOfHeaders)  // 2 bytes
            _ = session.handle(.body([UInt8](repeating: 0x61, count: body)))
        }
        var first = MilterSession(maxMessageBytes: 1 << 20, held: held)
        var second = MilterSession(maxMessageBytes: 1 << 20, held: held)
        start(&first, 68)
        #expect(held.current == 70)
        start(&second, 50)
        #expect(held.current == 100)
        // Room again now, but the second message was cut already: nothing after the gap is kept.
        _ = first.handle(.abort)
        #expect(held.current == 30)
        _ = second.handle(.body(Array("tail".utf8)))
        guard case .endOfMessage(let cut) = second.handle(.endOfMessage([])) else {
            Issue.record("no message at the end")
            return
        }
        #expect(cut.bytes.count == 30 && cut.heldLimited && cut.heldBytes == 30 && cut.truncatedFrom == 56)
        #expect(!cut.bytes.contains(UInt8(ascii: "t")))
        // The ended message's bytes stay counted until the server gives them back after its scan.
        #expect(held.current == 30)
        held.release(cut.heldBytes)
        #expect(held.current == 0)
        start(&first, 10)
        #expect(held.current == 12)
        first.releaseHeld()  // the connection closed mid-message
        #expect(held.current == 0)
    }

    @Test func aLargeMessageIsKeptUpToItsLimitAndItsSizeCounted() {
        var session = MilterSession(maxMessageBytes: 100)
        _ = session.handle(Self.offer)
        _ = session.handle(.mailFrom(["<s@example.com>"]))
        _ = session.handle(.header(name: Array("Subject".utf8), value: Array(" big".utf8)))
        _ = session.handle(.endOfHeaders)
        for _ in 0..<10 { _ = session.handle(.body([UInt8](repeating: 0x41, count: 1_000))) }
        guard case .endOfMessage(let m) = session.handle(.endOfMessage([])) else {
            Issue.record("no message at the end")
            return
        }
        #expect(m.bytes.count == 100)
        #expect(m.truncatedFrom == 10_000 + "Subject: big\r\n\r\n".utf8.count)
    }

    @Test func verdictHeaders() {
        let suspicious = Verdict(findings: [Finding(id: .scriptInArchive, severity: .high, evidence: "hello.js in 資料.zip")])
        let replies = MilterVerdict.replies(for: suspicious, leadingSpace: true)
        #expect(replies.first == .addHeader(name: "X-Spearscan-Status", value: " suspicious"))
        guard case .addHeader("X-Spearscan-Reasons", let reasons)? = replies.last else {
            Issue.record("no reasons header: \(replies)")
            return
        }
        // The finding's id, not its evidence (the sender's own file name, in any script, with any bytes).
        #expect(reasons == " script_in_archive")
        #expect(MilterVerdict.replies(for: Verdict(findings: []), leadingSpace: false) == [.addHeader(name: "X-Spearscan-Status", value: "clean")])
        #expect(MilterVerdict.notInspected("time_limit", leadingSpace: false)
                == [.addHeader(name: "X-Spearscan-Status", value: "not_inspected"), .addHeader(name: "X-Spearscan-Reasons", value: "time_limit")])
    }
}

@Suite struct MilterPolicyTests {
    static func file(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("policy-\(UUID().uuidString).yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static let lure = Verdict(findings: [Finding(id: .scriptInArchive, severity: .high, evidence: "hello.js in 資料.zip")])
    static let macro = Verdict(findings: [Finding(id: "macro_document", severity: .high, evidence: "invoice.docm")])
    static let clean = Verdict(findings: [])

    @Test func firstMatchingRuleDecidesAndTheDefaultAccepts() throws {
        let policy = try MilterPolicy.load(path: Self.file("""
            rules:
              - finding: script_in_archive
                action: reject
                reply: "550 5.7.1 Refused: a script inside an archive"
              - status: suspicious
                action: quarantine
                reason: held by spearscan
              - status: clean
                finding: script_in_archive
                action: tempfail
            """))
        #expect(policy.action(for: Self.lure) == .reject(reply: "550 5.7.1 Refused: a script inside an archive"))
        #expect(policy.action(for: Self.macro) == .quarantine(reason: "held by spearscan"))
        #expect(policy.action(for: Self.clean) == .accept)
        #expect(MilterPolicy().action(for: Self.lure) == .accept, "the default policy never rejects")
    }

    @Test(arguments: [
        ("rules: [{action: explode}]", "action must be"),
        ("rules: [{status: bad, action: accept}]", "status must be"),
        ("rules: [{action: reject, reply: \"250 ok\"}]", "reply must read like"),
        ("rules: [{action: tempfail, reply: \"550 5.7.1 no\"}]", "reply must read like"),
        ("rules: [{action: reject, reply: \"550 5.7.1 line\\r\\nX-Injected: yes\"}]", "printable ASCII"),
        ("rules: [{finding: \"a b\", action: accept}]", "finding must be"),
        ("rules: [{action: accept, when: always}]", "unknown key when"),
        ("policy: []", "expected a mapping"),
        ("rules: [{status: clean}]", "no action"),
    ])
    func mistakesAreOneLineNamingFileAndRule(yaml: String, expected: String) throws {
        let path = try Self.file(yaml)
        do {
            _ = try MilterPolicy.load(path: path)
            Issue.record("accepted: \(yaml)")
        } catch let error as MilterPolicy.Invalid {
            #expect(error.description.hasPrefix(path) && error.description.contains(expected), "\(error)")
            #expect(!error.description.contains("\n"))
        }
    }
}

@Suite struct ScanWorkersTests {
    /// A message answered by its time limit while it waited is not scanned afterwards (the workers would spend
    /// themselves on answered mail while new mail waits).
    @Test func anAnsweredMessageIsDroppedFromTheQueue() throws {
        let workers = ScanWorkers(scanner: MessageScanner(), count: 1, capacity: 4, byteCapacity: 1 << 20)
        defer { workers.stop(waiting: 5) }
        let message = ArrivedMessage(bytes: Array("Subject: x\r\n\r\nhello\r\n".utf8), truncatedFrom: nil, envelope: Envelope())
        let scanned = NIOLockedValueBox<[String]>([])
        let done = DispatchSemaphore(value: 0)
        let answered = ScanWorkers.Ticket()
        answered.cancel()
        #expect(workers.submit(message, ticket: answered) { _ in scanned.withLockedValue { $0.append("answered") } })
        #expect(workers.submit(message, ticket: ScanWorkers.Ticket()) { _ in
            scanned.withLockedValue { $0.append("waiting") }
            done.signal()
        })
        #expect(done.wait(timeout: .now() + 30) == .success)
        #expect(scanned.withLockedValue { $0 } == ["waiting"])
        // Full by count: refused at once.
        let busy = ScanWorkers(scanner: MessageScanner(), count: 1, capacity: 0, byteCapacity: 1 << 20)
        defer { busy.stop(waiting: 5) }
        #expect(!busy.submit(message, ticket: ScanWorkers.Ticket()) { _ in })
    }
}

@Suite struct AuthResultsWriterTests {
    static func report(dkim: [DKIMResult], spf: SPFResult?, dmarc: DMARCResult?) -> SenderReport {
        let axis = SenderReport.AxisVerdict(indicators: [], axis: .domain, decidable: false)
        var report = SenderReport(spoofed: nil, score: 0, domain: axis, name: axis, indicators: [], dkim: dkim,
                                  authResults: AuthResultsSummary(trusted: false, spf: nil, dkim: nil, dmarc: nil, dmarcPolicy: nil, headers: []),
                                  spf: spf)
        report.dmarc = dmarc
        return report
    }

    @Test func eachMethodOnItsLineWithItsProperties() {
        var spf = SPFResult(result: .fail, domain: "bank.example", ip: "192.0.2.66", explanation: "-all", lookups: 1,
                            atArrival: true, helo: "evil.test")
        let value = AuthResultsWriter.value(authservID: "mx.example.jp", sender: Self.report(
            dkim: [DKIMResult(result: "pass", domain: "news.example.net", selector: "s1", algorithm: "rsa-sha256"),
                   DKIMResult(result: "fail", reason: "body hash (bh=) mismatch", domain: "bank.example", selector: "k(1)")],
            spf: spf,
            dmarc: DMARCResult(result: .fail, fromDomain: "bank.example", policy: "reject", dkimAligned: false, spfAligned: false, atArrival: true)))
        #expect(value == """
            mx.example.jp;
            \tdkim=pass header.d=news.example.net header.s=s1 header.a=rsa-sha256;
            \tdkim=fail (body hash bh= mismatch) header.d=bank.example header.s="k(1)";
            \tspf=fail smtp.mailfrom=bank.example;
            \tdmarc=fail (p=reject) header.from=bank.example
            """)
        // A null sender: SPF checked the HELO name.
        spf.identity = "helo"
        spf.domain = "evil.test"
        #expect(AuthResultsWriter.value(authservID: "mx.example.jp", sender: Self.report(dkim: [], spf: spf, dmarc: nil))
                == "mx.example.jp;\n\tdkim=none;\n\tspf=fail smtp.helo=evil.test")
        // SPF taken from the Received headers (an internal client), and DMARC from it or without SPF (a submission):
        // not this MTA's evaluation of the arrival, so not said under its name.
        spf.atArrival = false
        let fromHeaders = DMARCResult(result: .fail, fromDomain: "bank.example", policy: "reject", dkimAligned: false, spfAligned: false,
                                      atArrival: false)
        #expect(AuthResultsWriter.value(authservID: "mx.example.jp", sender: Self.report(dkim: [], spf: spf, dmarc: fromHeaders))
                == "mx.example.jp;\n\tdkim=none")
    }

    @Test func valuesThatAreNotAtomsAreQuotedAndControlsDropped() {
        #expect(AuthResultsWriter.pvalue("news.example.net") == "news.example.net")
        #expect(AuthResultsWriter.pvalue("a b\"c@example.com") == "\"a b\\\"c@example.com\"")
        #expect(AuthResultsWriter.pvalue("x\r\ny;z") == "\"xy;z\"")
    }
}

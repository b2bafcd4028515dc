import Testing
import TestSupport
@testable import SpearDNS

@Suite("Reply parser")
struct DNSReplyParserTests {
    static let qname = "sel._domainkey.example.com"
    let question: DNSName
    let id: UInt16 = 0x1234

    init() throws {
        question = try DNSName.parse(Self.qname).get()
    }

    func reply(flags: UInt16 = 0x8180, anCount: UInt16 = 0, name: String = qname) -> PacketBuilder {
        PacketBuilder(id: id, flags: flags, name: name, anCount: anCount)
    }

    func parse(_ packet: PacketBuilder) -> DNSReply { parse(packet.bytes) }
    func parse(_ bytes: [UInt8]) -> DNSReply { DNSReplyParser.parse(bytes, id: id, question: question) }

    func isMalformed(_ reply: DNSReply) -> Bool {
        if case .malformed = reply { return true }
        return false
    }

    func isUnrelated(_ reply: DNSReply) -> Bool {
        if case .unrelated = reply { return true }
        return false
    }

    // MARK: Query

    @Test func queryWireFormat() throws {
        let name = try DNSName.parse("_dmarc.Example.com.").get()
        let expected: [UInt8] = [0xBE, 0xEF, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]
            + [6] + Array("_dmarc".utf8) + [7] + Array("example".utf8) + [3] + Array("com".utf8) + [0]
            + [0, 16, 0, 1]
        #expect(DNSWire.query(id: 0xBEEF, name: name) == expected)
    }

    // MARK: Answers

    @Test func concatenatesCharacterStringsPerRecord() {
        var p = reply(anCount: 2)
        p.txt(["v=DKIM1; ", "k=rsa; ", "p=MIIB"])
        p.txt(["second"])
        #expect(parse(p) == .answer(.records(["v=DKIM1; k=rsa; p=MIIB", "second"])))
    }

    @Test func emptyAndNonUTF8Strings() {
        var p = reply(anCount: 2)
        p.txt([""])
        p.pointer(12)
        p.rrHeader(type: 16, rdLength: 3)
        p.bytes += [2, 0x61, 0xFF]
        #expect(parse(p) == .answer(.records(["", "a\u{FFFD}"])))
    }

    @Test func ownerAndQuestionCompareCaseInsensitively() {
        var p = reply(anCount: 1, name: "SEL._DomainKey.EXAMPLE.com")
        p.txt(["k"])
        #expect(parse(p) == .answer(.records(["k"])))
    }

    @Test func rcodes() {
        #expect(parse(reply(flags: 0x8183)) == .answer(.nxdomain))
        #expect(parse(reply(flags: 0x8182)) == .serverFailure("SERVFAIL"))
        #expect(parse(reply(flags: 0x8185)) == .serverFailure("REFUSED"))
        #expect(parse(reply(flags: 0x818B)) == .serverFailure("RCODE 11"))
        // Error replies without the question.
        #expect(parse(PacketBuilder(id: id, flags: 0x8101, name: "", qdCount: 0)) == .serverFailure("FORMERR"))
        #expect(isMalformed(parse(PacketBuilder(id: id, flags: 0x8180, name: "", qdCount: 0))))
    }

    @Test func noData() {
        #expect(parse(reply()) == .answer(.noData))
        // Records for another owner, of another type, or of another class do not count.
        var p = reply(anCount: 3)
        p.name("other.example.com")
        p.rrHeader(type: 16, rdLength: 2)
        p.bytes += [1, 0x78]
        p.pointer(12)
        p.rrHeader(type: 1, rdLength: 4)
        p.bytes += [127, 0, 0, 1]
        p.pointer(12)
        p.rrHeader(type: 16, rdLength: 2, rrClass: 3)
        p.bytes += [1, 0x78]
        #expect(parse(p) == .answer(.noData))
    }

    @Test func truncated() {
        #expect(parse(reply(flags: 0x8380)) == .truncated)
    }

    @Test func followsCNAMEs() {
        var p = reply(anCount: 3)
        let first = p.cname(target: "a.example.net")
        let second = p.cname(owner: first, target: "b.example.org")
        p.txt(owner: second, ["key"])
        #expect(parse(p) == .answer(.records(["key"])))
    }

    @Test func cnameWithoutTargetRecordsIsNoData() {
        var p = reply(anCount: 1)
        p.cname(target: "a.example.net")
        #expect(parse(p) == .answer(.noData))
    }

    @Test func cnameLoopIsBounded() {
        var p = reply(anCount: 2)
        let a = p.cname(target: "a.example.net")
        p.cname(owner: a, target: Self.qname)
        #expect(isMalformed(parse(p)))
    }

    @Test func txtForTheAliasItselfWins() {
        // RFC-wise odd, but the owner matches the question: take it.
        var p = reply(anCount: 2)
        p.txt(["direct"])
        p.cname(target: "a.example.net")
        #expect(parse(p) == .answer(.records(["direct"])))
    }

    // MARK: Not ours

    @Test func unrelatedReplies() {
        #expect(isUnrelated(parse(PacketBuilder(id: id &+ 1, name: Self.qname))))
        #expect(isUnrelated(parse(reply(flags: 0x0180))))  // QR clear
        #expect(isUnrelated(parse(reply(name: "other._domainkey.example.com"))))
        #expect(isUnrelated(parse(PacketBuilder(id: id, name: Self.qname, qtype: 1))))
        #expect(isUnrelated(parse(PacketBuilder(id: id, name: Self.qname, qclass: 3))))
        #expect(isUnrelated(parse([0x12, 0x34, 0x81])))
        #expect(isUnrelated(parse([])))
    }

    // MARK: Malformed

    @Test func malformedAnswers() {
        // ANCOUNT larger than the records present.
        var p = reply(anCount: 2)
        p.txt(["one"])
        #expect(isMalformed(parse(p)))

        // RDLENGTH past the end.
        p = reply(anCount: 1)
        p.pointer(12)
        p.rrHeader(type: 16, rdLength: 50)
        p.bytes += [3, 0x61, 0x62, 0x63]
        #expect(isMalformed(parse(p)))

        // A character-string longer than its record.
        p = reply(anCount: 1)
        p.pointer(12)
        p.rrHeader(type: 16, rdLength: 4)
        p.bytes += [9, 0x61, 0x62, 0x63, 0x64, 0x65]
        #expect(isMalformed(parse(p)))

        // CNAME RDATA longer than its name.
        p = reply(anCount: 1)
        p.pointer(12)
        p.rrHeader(type: 5, rdLength: 4)
        p.bytes += [1, 0x61, 0, 0]
        #expect(isMalformed(parse(p)))

        // A non-zero opcode.
        #expect(isMalformed(parse(reply(flags: 0x8980))))
    }

    @Test func compressionPointersMustPointBack() {
        // A pointer to itself.
        var p = reply(anCount: 1)
        p.pointer(p.bytes.count)
        p.rrHeader(type: 16, rdLength: 2)
        p.bytes += [1, 0x61]
        #expect(isMalformed(parse(p)))

        // A pointer forward.
        p = reply(anCount: 1)
        p.pointer(p.bytes.count + 2)
        p.name("x.example.com")
        #expect(isMalformed(parse(p)))

        // A loop through a label: "a" then a pointer back to the "a".
        p = reply(anCount: 1)
        let start = p.bytes.count
        p.bytes += [1, 0x61]
        p.pointer(start)
        p.rrHeader(type: 16, rdLength: 2)
        p.bytes += [1, 0x61]
        #expect(isMalformed(parse(p)))

        // Pointer past the end, and a pointer cut in half.
        #expect(isMalformed(parse(reply(anCount: 1).bytes + [0xC0])))
        #expect(isMalformed(parse(reply(anCount: 1).bytes + [0xFF, 0xFF])))

        // Reserved label types (0x40, 0x80).
        #expect(isMalformed(parse(reply(anCount: 1).bytes + [0x41, 0])))
        #expect(isMalformed(parse(reply(anCount: 1).bytes + [0x81, 0])))
    }

    @Test func namesLongerThan255BytesAreRefused() {
        // A chain of backward pointers each adding a 63-byte label: valid steps, too long a name.
        var p = reply(anCount: 1)
        var previous = 12
        for _ in 0..<5 {
            let here = p.bytes.count
            p.bytes.append(63)
            p.bytes += [UInt8](repeating: 0x62, count: 63)
            p.pointer(previous)
            previous = here
        }
        p.pointer(previous)
        p.rrHeader(type: 16, rdLength: 2)
        p.bytes += [1, 0x61]
        #expect(isMalformed(parse(p)))
    }

    // MARK: Fuzz

    /// Thousands of random and mutated replies (fixed seed): the parser always returns, never traps, and what
    /// it returns is consistent with the input.
    @Test func fuzzedRepliesNeverCrash() throws {
        var seeds: [[UInt8]] = []
        var p = reply(anCount: 2)
        p.txt(["v=DKIM1; ", "k=rsa; ", "p=MIIB"])
        p.txt([String(repeating: "x", count: 255), "tail"])
        seeds.append(p.bytes)
        p = reply(anCount: 3)
        let a = p.cname(target: "a.example.net")
        let b = p.cname(owner: a, target: "b.example.org")
        p.txt(owner: b, ["key"])
        seeds.append(p.bytes)
        seeds.append(reply(flags: 0x8183).bytes)
        seeds.append(reply(flags: 0x8380).bytes)
        p = reply(anCount: 2)
        p.pointer(12)
        p.rrHeader(type: 1, rdLength: 4)
        p.bytes += [10, 0, 0, 1]
        p.txt([""])
        seeds.append(p.bytes)

        var rng = SplitMix64(seed: 0x5EED_D0D0_CAFE_F00D)
        var counts: [String: Int] = [:]
        let iterations = 30_000
        for i in 0..<iterations {
            var packet: [UInt8]
            switch i % 6 {
            case 0:
                // Random bytes behind a header that passes the id and QR checks.
                let length = Int.random(in: 12...700, using: &rng)
                packet = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
                packet[0] = 0x12
                packet[1] = 0x34
                packet[2] |= 0x80
            case 1:
                // A seed with a few random bytes changed.
                packet = seeds[Int.random(in: 0..<seeds.count, using: &rng)]
                for _ in 0..<Int.random(in: 1...8, using: &rng) {
                    packet[Int.random(in: 0..<packet.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
                }
            case 2:
                // A seed cut short.
                let seed = seeds[Int.random(in: 0..<seeds.count, using: &rng)]
                packet = Array(seed.prefix(Int.random(in: 0...seed.count, using: &rng)))
            case 3:
                // Compression pointers planted anywhere.
                packet = seeds[Int.random(in: 0..<seeds.count, using: &rng)]
                for _ in 0..<Int.random(in: 1...4, using: &rng) {
                    let at = Int.random(in: 12..<(packet.count - 1), using: &rng)
                    packet[at] = 0xC0 | UInt8.random(in: 0...1, using: &rng)
                    packet[at + 1] = UInt8.random(in: 0...255, using: &rng)
                }
            case 4:
                // Huge or wrong counts and lengths.
                packet = seeds[Int.random(in: 0..<seeds.count, using: &rng)]
                packet[6] = UInt8.random(in: 0...255, using: &rng)
                packet[7] = UInt8.random(in: 0...255, using: &rng)
                if packet.count > 40 {
                    let at = Int.random(in: 30..<packet.count, using: &rng)
                    packet[at] = 0xFF
                }
            default:
                // Junk spliced into the middle, or a piece duplicated.
                packet = seeds[Int.random(in: 0..<seeds.count, using: &rng)]
                let at = Int.random(in: 0...packet.count, using: &rng)
                if Bool.random(using: &rng) {
                    packet.insert(contentsOf: (0..<Int.random(in: 1...40, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }, at: at)
                } else {
                    packet.insert(contentsOf: packet[..<at].suffix(Int.random(in: 1...60, using: &rng)), at: at)
                }
            }

            let result = DNSReplyParser.parse(packet, id: id, question: question)
            let key: String
            switch result {
            case .answer(.records(let records)):
                key = "records"
                // Lossy UTF-8 turns one byte into at most three; nothing can come from outside the packet.
                #expect(records.reduce(0) { $0 + $1.utf8.count } <= packet.count * 3)
            case .answer(.nxdomain): key = "nxdomain"
            case .answer(.noData): key = "noData"
            case .answer(.failure): key = "failure"
            case .truncated: key = "truncated"
            case .serverFailure: key = "serverFailure"
            case .malformed: key = "malformed"
            case .unrelated: key = "unrelated"
            }
            counts[key, default: 0] += 1
        }
        #expect(counts.values.reduce(0, +) == iterations)
        #expect(counts["failure"] == nil)  // the parser reports failures as serverFailure/malformed
        for key in ["records", "noData", "nxdomain", "malformed", "unrelated", "truncated", "serverFailure"] {
            #expect((counts[key] ?? 0) > 0, "fuzzing never produced \(key): \(counts)")
        }
    }
}

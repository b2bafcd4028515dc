import TestSupport
import Testing
@testable import SpearDNS

/// A, AAAA and MX replies (for SPF): their text forms, wrong RDATA sizes, and hostile packets.
@Suite("A, AAAA and MX replies")
struct DNSAddressRecordTests {
    static let qname = "host.example.com"
    let question: DNSName
    let id: UInt16 = 0x4321

    init() throws { question = try DNSName.parse(Self.qname).get() }

    func reply(_ type: DNSRecordType, anCount: UInt16 = 1) -> PacketBuilder {
        PacketBuilder(id: id, name: Self.qname, qtype: type.rawValue, anCount: anCount)
    }

    func parse(_ p: PacketBuilder, _ type: DNSRecordType) -> DNSReply {
        DNSReplyParser.parse(p.bytes, id: id, question: question, type: type)
    }

    func isMalformed(_ reply: DNSReply) -> Bool {
        if case .malformed = reply { return true }
        return false
    }

    @Test func queryCarriesTheType() {
        let q = DNSWire.query(id: 1, name: question, type: .mx)
        #expect(Array(q.suffix(4)) == [0, 15, 0, 1])
        #expect(Array(DNSWire.query(id: 1, name: question, type: .aaaa).suffix(4)) == [0, 28, 0, 1])
    }

    @Test func addresses() {
        var p = reply(.a, anCount: 2)
        p.pointer(12); p.rrHeader(type: 1, rdLength: 4); p.bytes += [192, 0, 2, 1]
        p.pointer(12); p.rrHeader(type: 1, rdLength: 4); p.bytes += [10, 255, 0, 9]
        #expect(parse(p, .a) == .answer(.records(["192.0.2.1", "10.255.0.9"])))

        var q = reply(.aaaa)
        q.pointer(12); q.rrHeader(type: 28, rdLength: 16); q.bytes += [0x20, 0x01, 0x0d, 0xb8] + [UInt8](repeating: 0, count: 11) + [1]
        #expect(parse(q, .aaaa) == .answer(.records(["2001:db8::1"])))
    }

    @Test func wrongAddressLengthsAreMalformed() {
        var p = reply(.a)
        p.pointer(12); p.rrHeader(type: 1, rdLength: 5); p.bytes += [192, 0, 2, 1, 7]
        #expect(isMalformed(parse(p, .a)))
        var q = reply(.aaaa)
        q.pointer(12); q.rrHeader(type: 28, rdLength: 4); q.bytes += [192, 0, 2, 1]
        #expect(isMalformed(parse(q, .aaaa)))
    }

    @Test func otherTypesInTheAnswerAreIgnored() {
        // An A record in a reply to an AAAA question is not an answer to it.
        var p = reply(.aaaa)
        p.pointer(12); p.rrHeader(type: 1, rdLength: 4); p.bytes += [192, 0, 2, 1]
        #expect(parse(p, .aaaa) == .answer(.noData))
        // A reply to the TXT question is not a reply to the A question.
        guard case .unrelated = DNSReplyParser.parse(PacketBuilder(id: id, name: Self.qname).bytes, id: id, question: question, type: .a) else {
            Issue.record("a TXT reply was taken for an A reply")
            return
        }
    }

    @Test func mxWithCompressedExchangeAndNullMX() {
        var p = reply(.mx, anCount: 2)
        p.pointer(12); p.rrHeader(type: 15, rdLength: 2 + 5 + 2); p.u16(10)
        p.bytes += [4] + Array("mail".utf8); p.pointer(12 + 1 + 4)  // mail + "example.com" from the question
        p.pointer(12); p.rrHeader(type: 15, rdLength: 3); p.u16(0); p.bytes += [0]
        #expect(parse(p, .mx) == .answer(.records(["10 mail.example.com", "0 ."])))
    }

    @Test func mxLengthMismatchIsMalformed() {
        var p = reply(.mx)
        p.pointer(12); p.rrHeader(type: 15, rdLength: 6); p.u16(10); p.bytes += [1, 0x61, 0, 0]
        #expect(isMalformed(parse(p, .mx)))
        var q = reply(.mx)
        q.pointer(12); q.rrHeader(type: 15, rdLength: 1); q.bytes += [0]
        #expect(isMalformed(parse(q, .mx)))
    }

    @Test("fuzzed A, AAAA and MX replies never trap and never invent bytes")
    func fuzz() {
        var seeds: [(DNSRecordType, [UInt8])] = []
        var p = reply(.a, anCount: 2)
        p.pointer(12); p.rrHeader(type: 1, rdLength: 4); p.bytes += [192, 0, 2, 1]
        p.cname(target: "a.example.net")
        seeds.append((.a, p.bytes))
        p = reply(.aaaa)
        p.pointer(12); p.rrHeader(type: 28, rdLength: 16); p.bytes += [UInt8](repeating: 0xAB, count: 16)
        seeds.append((.aaaa, p.bytes))
        p = reply(.mx, anCount: 2)
        p.pointer(12); p.rrHeader(type: 15, rdLength: 9); p.u16(10); p.bytes += [4] + Array("mail".utf8); p.pointer(17)
        p.pointer(12); p.rrHeader(type: 15, rdLength: 3); p.u16(0); p.bytes += [0]
        seeds.append((.mx, p.bytes))

        var rng = SplitMix64(seed: 0xA11_AAAA_0015)
        var kinds = Set<String>()
        for i in 0..<20_000 {
            let (type, seed) = seeds[i % seeds.count]
            var packet = seed
            switch i % 3 {
            case 0:
                for _ in 0..<Int.random(in: 1...6, using: &rng) {
                    packet[Int.random(in: 12..<packet.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
                }
            case 1:
                packet = Array(packet.prefix(Int.random(in: 0...packet.count, using: &rng)))
            default:
                packet.insert(contentsOf: (0..<Int.random(in: 1...20, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) },
                              at: Int.random(in: 12...packet.count, using: &rng))
            }
            let result = DNSReplyParser.parse(packet, id: id, question: question, type: type)
            switch result {
            case .answer(.records(let records)):
                kinds.insert("records")
                // Presentation text grows at most ~4x per byte (an A byte "255." ; lossy UTF-8 3x).
                #expect(records.reduce(0) { $0 + $1.utf8.count } <= packet.count * 4)
                if type == .a { #expect(records.allSatisfy { $0.split(separator: ".").count == 4 }) }
            case .answer: kinds.insert("answer")
            case .malformed: kinds.insert("malformed")
            default: kinds.insert("other")
            }
        }
        #expect(kinds.isSuperset(of: ["records", "malformed"]), "\(kinds)")
    }
}

/// The same types from a real server.
@Suite("A, AAAA and MX against dnsmasq", .enabled(if: DNSMasqServer.available))
struct DNSAddressResolverTests {
    @Test func lookups() throws {
        let server = try DNSMasqServer(records: [
            "--local=/example.test/",
            "--host-record=dual.example.test,192.0.2.10,2001:db8::10",
            "--mx-host=example.test,mx1.example.test,10",
            "--mx-host=example.test,mx2.example.test,20",
            "--txt-record=txtonly.example.test,hello",
        ])
        let resolver = server.resolver()
        #expect(resolver.lookup("dual.example.test", type: .a) == .records(["192.0.2.10"]))
        #expect(resolver.lookup("DUAL.example.test.", type: .aaaa) == .records(["2001:db8::10"]))
        guard case .records(let mx) = resolver.lookup("example.test", type: .mx) else {
            Issue.record("no MX records")
            return
        }
        #expect(mx.sorted() == ["10 mx1.example.test", "20 mx2.example.test"])
        #expect(resolver.lookup("nothing.example.test", type: .a) == .nxdomain)
        let txtOnly = resolver.lookup("txtonly.example.test", type: .a)
        #expect(txtOnly == .noData || txtOnly == .nxdomain, "\(txtOnly)")
        #expect(resolver.lookup("dual.example.test", type: .txt) == .noData)

        // The cache keeps types apart and asks each (name, type) once.
        let cache = DNSCache(resolver: resolver)
        #expect(cache.lookup("dual.example.test", type: .a) == .records(["192.0.2.10"]))
        #expect(cache.lookup("dual.example.test", type: .aaaa) == .records(["2001:db8::10"]))
        #expect(cache.lookup("Dual.Example.Test", type: .a) == .records(["192.0.2.10"]))
        #expect(cache.lookups == 2)
    }
}

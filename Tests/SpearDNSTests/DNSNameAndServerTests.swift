import Testing
import TestSupport
@testable import SpearDNS

@Suite("Query names")
struct DNSNameTests {
    @Test func normalises() throws {
        #expect(try DNSName.parse("Sel._DomainKey.Example.COM.").get().text == "sel._domainkey.example.com")
        #expect(try DNSName.parse("_dmarc.example.com").get().labels.count == 3)
        #expect(try DNSName.parse("com").get().wire == [3, 0x63, 0x6F, 0x6D, 0])
    }

    @Test func limits() {
        let label63 = String(repeating: "a", count: 63)
        #expect((try? DNSName.parse(label63 + ".com").get()) != nil)
        #expect(DNSName.parse(String(repeating: "a", count: 64) + ".com") == .failure(.labelTooLong))
        // 253 characters is the most; one more is refused (with or without a trailing dot).
        let name253 = [label63, label63, label63, String(repeating: "b", count: 61)].joined(separator: ".")
        #expect(name253.count == 253)
        #expect((try? DNSName.parse(name253).get())?.wire.count == 255)
        #expect((try? DNSName.parse(name253 + ".").get()) != nil)
        #expect(DNSName.parse(name253 + "b") == .failure(.tooLong))
    }

    @Test func rejects() {
        #expect(DNSName.parse("") == .failure(.empty))
        #expect(DNSName.parse(".") == .failure(.empty))
        #expect(DNSName.parse("..") == .failure(.emptyLabel))
        #expect(DNSName.parse(".example.com") == .failure(.emptyLabel))
        #expect(DNSName.parse("a..b") == .failure(.emptyLabel))
        #expect(DNSName.parse("a b.com") == .failure(.badCharacter))
        #expect(DNSName.parse("a\u{0}.com") == .failure(.badCharacter))
        #expect(DNSName.parse("a\n.com") == .failure(.badCharacter))
        #expect(DNSName.parse("a\u{7F}.com") == .failure(.badCharacter))
        #expect(DNSName.parse("bücher.example") == .failure(.badCharacter))
    }

    @Test func wireFormIsAlwaysWellFormed() {
        // Whatever is accepted encodes to length-prefixed labels of 1–63 bytes, 255 bytes at most.
        var rng = SplitMix64(seed: 42)
        let alphabet = Array("aZ09-_.\\\"%*@ \u{0}\u{7F}é".unicodeScalars)
        for _ in 0..<5_000 {
            let text = String(String.UnicodeScalarView((0..<Int.random(in: 0...300, using: &rng)).map { _ in
                alphabet[Int.random(in: 0..<alphabet.count, using: &rng)]
            }))
            guard case .success(let name) = DNSName.parse(text) else { continue }
            let wire = name.wire
            #expect(wire.count <= 255)
            var pos = 0
            while wire[pos] != 0 {
                #expect((1...63).contains(Int(wire[pos])))
                pos += Int(wire[pos]) + 1
            }
            #expect(pos == wire.count - 1)
        }
    }
}

@Suite("Server addresses")
struct DNSServerTests {
    @Test func parsesForms() {
        #expect(DNSServer("192.0.2.1")?.description == "192.0.2.1:53")
        #expect(DNSServer(" 192.0.2.1:5353 ")?.description == "192.0.2.1:5353")
        #expect(DNSServer("[2001:db8::1]:5353")?.description == "[2001:db8::1]:5353")
        #expect(DNSServer("[::1]")?.description == "[::1]:53")
        #expect(DNSServer("::1")?.description == "[::1]:53")
        #expect(DNSServer("2001:db8::53")?.family == .v6)
        #expect(DNSServer("fe80::1%1")?.scopeID == 1)
    }

    @Test func rejectsOthers() {
        for bad in ["", "localhost", "1.2.3", "1.2.3.4:0", "1.2.3.4:65536", "1.2.3.4:x", "[::1", "[::1]x",
                    "[::1]:", "1.2.3.4.5", "::1::2", "example.com:53", "[1.2.3.4]:53x"] {
            #expect(DNSServer(bad) == nil, "\(bad)")
        }
    }

    @Test func resolvConf() {
        let text = """
            # comment
            search example.com
            nameserver 10.0.0.1
            nameserver   bogus
            ;nameserver 10.0.0.9
            nameserver\t::1
            nameserver 10.0.0.1
            nameserver 10.0.0.2 # trailing
            nameserver 10.0.0.3
            options edns0
            """
        #expect(DNSServer.fromResolvConf(text).map(\.description) == ["10.0.0.1:53", "[::1]:53", "10.0.0.2:53"])
        #expect(DNSServer.fromResolvConf("").isEmpty)
    }

    @Test func resolverServers() {
        #expect(DNSResolver(servers: ["127.0.0.1:5300", "junk", "127.0.0.1:5300", "[::1]:53"]).serverDescriptions
            == ["127.0.0.1:5300", "[::1]:53"])
        // From /etc/resolv.conf: at least one server (127.0.0.1 if it names none), at most three.
        #expect((1...3).contains(DNSResolver().serverDescriptions.count))
    }
}

import Foundation
import Testing
@testable import SpearDNS

/// Lookups against a real DNS server (dnsmasq started by the suite, one instance per test).
@Suite(
    "Resolver against dnsmasq",
    .serialized,
    .enabled(if: DNSMasq.available, "needs /usr/sbin/dnsmasq (apt-get install dnsmasq-base); skipped")
)
final class DNSMasqResolverTests {
    let dns: DNSMasq

    init() throws {
        dns = try DNSMasq()
    }

    @Test func dkimKey() {
        #expect(dns.resolver().txt("sel._domainkey.example.com") == .records([DNSMasq.dkim]))
    }

    @Test func dmarcPolicyWithMixedCaseAndTrailingDot() {
        #expect(dns.resolver().txt("_DMARC.Example.COM.") == .records([DNSMasq.dmarc]))
    }

    @Test func severalRecords() {
        guard case .records(let records) = dns.resolver().txt("multi.example.com") else {
            Issue.record("expected records")
            return
        }
        #expect(records.sorted() == ["first record", "second record"])
    }

    @Test func longRecordIsTruncatedOverUDPAndReadOverTCP() throws {
        let name = try DNSName.parse("long.example.com").get()
        let server = try #require(DNSServer(dns.server))
        let id: UInt16 = 0x4242
        let query = DNSWire.query(id: id, name: name)
        // dnsmasq sets TC: 600 bytes do not fit in 512 …
        #expect(DNSTransport.udp(query, id: id, question: name, server: server, timeout: 1) == .reply(.truncated))
        // … and answers over TCP with the record split into 255 + 255 + 90 byte strings, concatenated back.
        #expect(DNSTransport.tcp(query, id: id, question: name, server: server, timeout: 1)
            == .reply(.answer(.records([DNSMasq.long]))))
        // The resolver does both.
        #expect(dns.resolver().txt("long.example.com") == .records([DNSMasq.long]))
    }

    @Test func nxdomain() {
        #expect(dns.resolver().txt("missing.example.com") == .nxdomain)
        #expect(dns.resolver().txt("sel._domainkey.missing.example.com") == .nxdomain)
    }

    @Test func noDataForANameWithOnlyAnAddress() {
        #expect(dns.resolver().txt("a-only.example.com") == .noData)
    }

    @Test func followsCNAMEChains() {
        #expect(dns.resolver().txt("alias.example.com") == .records([DNSMasq.dkim]))
        #expect(dns.resolver().txt("alias2.example.com") == .records([DNSMasq.dkim]))
    }

    @Test func refusedOutsideItsZone() {
        // --no-resolv and no upstream: dnsmasq refuses what it cannot answer.
        #expect(dns.resolver().txt("_dmarc.elsewhere.test") == .failure("REFUSED"))
    }

    @Test func invalidNamesAreNotSent() {
        let resolver = dns.resolver()
        #expect(resolver.txt("") == .failure("invalid name: empty name"))
        #expect(resolver.txt("a..example.com") == .failure("invalid name: empty label"))
        #expect(resolver.txt("bad name.example.com") == .failure("invalid name: name has a character outside printable ASCII"))
        #expect(resolver.txt(String(repeating: "a", count: 64) + ".example.com") == .failure("invalid name: label longer than 63 bytes"))
    }

    @Test func cacheAsksEachNameOnce() {
        let cache = DNSCache(resolver: dns.resolver())
        for _ in 0..<3 {
            #expect(cache.txt("sel._domainkey.example.com") == .records([DNSMasq.dkim]))
            #expect(cache.txt("SEL._domainkey.example.com.") == .records([DNSMasq.dkim]))
            #expect(cache.txt("missing.example.com") == .nxdomain)
            #expect(cache.txt("a-only.example.com") == .noData)
        }
        #expect(cache.txt("bad name") == .failure("invalid name: name has a character outside printable ASCII"))
        #expect(cache.lookups == 3)
    }

    @Test func cacheFromManyThreads() {
        let cache = DNSCache(resolver: dns.resolver())
        let expected: [(String, DNSAnswer)] = [
            ("sel._domainkey.example.com", .records([DNSMasq.dkim])),
            ("_dmarc.example.com", .records([DNSMasq.dmarc])),
            ("long.example.com", .records([DNSMasq.long])),
            ("alias.example.com", .records([DNSMasq.dkim])),
            ("missing.example.com", .nxdomain),
            ("a-only.example.com", .noData),
        ]
        let wrong = Counter()
        DispatchQueue.concurrentPerform(iterations: 96) { i in
            let (name, answer) = expected[i % expected.count]
            if cache.txt(name) != answer { wrong.increment() }
        }
        #expect(wrong.value == 0)
        #expect(cache.lookups == expected.count)
    }
}

/// Network behaviour without dnsmasq: timeouts, refused ports, spoofed and hostile replies, IPv6.
@Suite("Resolver network behaviour", .serialized)
struct ResolverNetworkTests {
    @Test func timesOutAgainstASilentServer() throws {
        let silent = try #require(SilentUDPServer())
        let resolver = DNSResolver(servers: ["127.0.0.1:\(silent.port)"], timeout: 0.3, attempts: 2)
        let start = Date()
        let answer = resolver.txt("_dmarc.example.com")
        let elapsed = Date().timeIntervalSince(start)
        guard case .failure(let reason) = answer else {
            Issue.record("expected a failure, got \(answer)")
            return
        }
        #expect(reason.hasPrefix("timeout"), "\(reason)")
        #expect(elapsed >= 0.55 && elapsed < 1.5, "took \(elapsed) s")
    }

    @Test func failsFastOnAClosedPort() throws {
        let port = try #require(TestNet.freePort())
        let resolver = DNSResolver(servers: ["127.0.0.1:\(port)"], timeout: 1, attempts: 2)
        let start = Date()
        let answer = resolver.txt("_dmarc.example.com")
        #expect(Date().timeIntervalSince(start) < 1.5)
        guard case .failure = answer else {
            Issue.record("expected a failure, got \(answer)")
            return
        }
    }

    @Test func noUsableServer() {
        #expect(DNSResolver(servers: ["not an address", "1.2.3.4:99999"]).txt("example.com") == .failure("no DNS server"))
        #expect(DNSResolver(servers: []).txt("example.com") == .failure("no DNS server"))
    }

    @Test func ignoresSpoofedAndUnrelatedDatagrams() throws {
        let server = try #require(ScriptedUDPServer(family: .v4) { query in
            guard let q = ParsedQuery(query) else { return [] }
            let other = PacketBuilder(id: q.id, name: "other.example.com")
            return [
                q.reply(id: q.id &+ 1, anCount: 1, answers: txtRR(["wrong id"])),
                q.reply(flags: 0x0100, anCount: 1, answers: txtRR(["not a response"])),
                other.bytes,
                [0xDE, 0xAD],
                q.reply(anCount: 1, answers: txtRR(["v=spf1 ", "-all"])),
            ]
        })
        let resolver = DNSResolver(servers: ["127.0.0.1:\(server.port)"], timeout: 1, attempts: 1)
        #expect(resolver.txt("example.com") == .records(["v=spf1 -all"]))
    }

    @Test func servfailIsNotRetriedOnTheSameServer() throws {
        let server = try #require(ScriptedUDPServer(family: .v4) { query in
            guard let q = ParsedQuery(query) else { return [] }
            return [q.reply(flags: 0x8182)]
        })
        let resolver = DNSResolver(servers: ["127.0.0.1:\(server.port)"], timeout: 1, attempts: 3)
        #expect(resolver.txt("example.com") == .failure("SERVFAIL"))
        #expect(server.queriesReceived == 1)
    }

    @Test func malformedReplyIsAFailure() throws {
        let server = try #require(ScriptedUDPServer(family: .v4) { query in
            guard let q = ParsedQuery(query) else { return [] }
            // A TXT whose string claims more bytes than the record has.
            var rr = txtRR(["abc"])
            rr[12] = 200
            return [q.reply(anCount: 1, answers: rr)]
        })
        let resolver = DNSResolver(servers: ["127.0.0.1:\(server.port)"], timeout: 1, attempts: 1)
        guard case .failure(let reason) = resolver.txt("example.com") else {
            Issue.record("expected a failure")
            return
        }
        #expect(reason.hasPrefix("malformed reply from 127.0.0.1:\(server.port)"), "\(reason)")
    }

    @Test func nextServerWhenTheFirstIsSilent() throws {
        let silent = try #require(SilentUDPServer())
        let good = try #require(ScriptedUDPServer(family: .v4) { query in
            guard let q = ParsedQuery(query) else { return [] }
            return [q.reply(anCount: 1, answers: txtRR(["second"]))]
        })
        let resolver = DNSResolver(servers: ["127.0.0.1:\(silent.port)", "127.0.0.1:\(good.port)"], timeout: 0.2, attempts: 2)
        #expect(resolver.txt("example.com") == .records(["second"]))
    }

    @Test(.enabled(if: TestNet.ipv6LoopbackAvailable, "no IPv6 loopback"))
    func ipv6Server() throws {
        let server = try #require(ScriptedUDPServer(family: .v6) { query in
            guard let q = ParsedQuery(query), q.flags & 0x0100 != 0 else { return [] }  // RD must be set
            return [q.reply(anCount: 1, answers: txtRR(["over IPv6"]))]
        })
        let resolver = DNSResolver(servers: ["[::1]:\(server.port)"], timeout: 1, attempts: 1)
        #expect(resolver.txt("example.com") == .records(["over IPv6"]))
    }

    @Test func cacheKeepsFailures() throws {
        let silent = try #require(SilentUDPServer())
        let cache = DNSCache(resolver: DNSResolver(servers: ["127.0.0.1:\(silent.port)"], timeout: 0.1, attempts: 1))
        let first = cache.txt("example.com")
        guard case .failure = first else {
            Issue.record("expected a failure, got \(first)")
            return
        }
        #expect(cache.txt("EXAMPLE.com") == first)
        #expect(cache.lookups == 1)
    }
}

/// A thread-safe counter for the concurrency test.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() {
        lock.lock()
        count += 1
        lock.unlock()
    }
    var value: Int {
        lock.lock()
        defer { lock.unlock() }
        return count
    }
}

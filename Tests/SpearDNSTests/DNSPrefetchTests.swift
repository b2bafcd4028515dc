import Foundation
import TestSupport
@testable import SpearDNS
import Testing

/// Asking ahead (issue #15): lookups sent concurrently from the pump's thread, hundreds in flight, with the
/// answers — and failures — a blocking lookup would have got, and never a second query for a name.
@Suite("DNS cache: lookups asked ahead, concurrently", .serialized,
       .enabled(if: DNSMasq.available, "needs /usr/sbin/dnsmasq (apt-get install dnsmasq-base); skipped"))
struct DNSPrefetchTests {
    /// Polls until `done` or two seconds have passed (answers arrive on the pump's thread).
    private func eventually(_ done: () -> Bool) {
        let start = Date()
        while !done(), Date().timeIntervalSince(start) < 2 { usleep(2_000) }
    }

    @Test("300 names asked at once: 256 in flight, each asked once, each answer the blocking one")
    func hundredsInFlight() throws {
        let records = (0..<300).map { "--txt-record=n\($0).bulk.test,value \($0)" }
        let server = try DNSMasqServer(records: ["--local=/bulk.test/"] + records)
        let resolver = DNSResolver(servers: ["127.0.0.1:\(server.port)"], timeout: 1, attempts: 2)
        let cache = DNSCache(resolver: resolver)
        cache.prefetch((0..<300).map { DNSPrefetch("n\($0).bulk.test", .txt) } + [DNSPrefetch("missing.bulk.test", .txt)])
        for k in 0..<300 {
            #expect(cache.txt("n\(k).bulk.test") == .records(["value \(k)"]), "n\(k)")
        }
        #expect(cache.txt("missing.bulk.test") == resolver.txt("missing.bulk.test"))
        #expect(cache.lookups == 301, "no name asked twice")
        let stats = cache.prefetchStats
        #expect(stats.prefetched == 301)
        #expect(stats.peakInFlight == 256, "the first 256 go out together")
        // Asking again sends nothing.
        cache.prefetch([DNSPrefetch("n0.bulk.test", .txt)])
        #expect(cache.lookups == 301)
    }

    @Test("the same answers as a blocking lookup: records, NXDOMAIN, no data, CNAME chains, a reply only TCP carries")
    func sameAnswers() throws {
        let dns = try DNSMasq()
        let names: [(String, DNSRecordType)] = [
            ("sel._domainkey.example.com", .txt), ("nothing.example.com", .txt), ("a-only.example.com", .txt),
            ("a-only.example.com", .a), ("alias2.example.com", .txt), ("long.example.com", .txt), ("multi.example.com", .txt),
        ]
        let cache = DNSCache(resolver: dns.resolver())
        cache.prefetch(names.map { DNSPrefetch($0.0, $0.1) })
        for (name, type) in names {
            #expect(cache.lookup(name, type: type) == dns.resolver().lookup(name, type: type), "\(name) \(type)")
        }
        #expect(cache.lookup("long.example.com", type: .txt) == .records([DNSMasq.long]))
        #expect(cache.lookups == names.count)
    }

    @Test("an answer leads to the next lookup (an SPF include), asked ahead too")
    func followUps() throws {
        let server = try DNSMasqServer(records: [
            "--local=/chain.test/", "--txt-record=a.chain.test,v=spf1 include:b.chain.test -all",
            "--txt-record=b.chain.test,v=spf1 ip4:192.0.2.1 -all",
        ])
        let cache = DNSCache(resolver: DNSResolver(servers: ["127.0.0.1:\(server.port)"], timeout: 1, attempts: 2))
        cache.prefetch([DNSPrefetch("a.chain.test", .txt, then: { answer in
            guard case .records(let r) = answer, r.first?.contains("include:b.chain.test") == true else { return [] }
            return [DNSPrefetch("b.chain.test", .txt)]
        })])
        eventually { cache.prefetchStats.prefetched == 2 }
        #expect(cache.txt("b.chain.test") == .records(["v=spf1 ip4:192.0.2.1 -all"]))
        #expect(cache.prefetchStats.prefetched == 2, "b was asked by the pump, not by the lookup")
        #expect(cache.lookups == 2)
    }

    @Test("failures read as a blocking lookup's: a refused port, a silent server (and the outage it starts)")
    func sameFailures() throws {
        let closed = try #require(TestNet.freePort())
        let refusing = DNSResolver(servers: ["127.0.0.1:\(closed)"], timeout: 0.2, attempts: 2)
        let refusedCache = DNSCache(resolver: refusing)
        refusedCache.prefetch([DNSPrefetch("x.example", .txt)])
        #expect(refusedCache.txt("x.example") == refusing.txt("x.example"))

        let silent = try #require(SilentUDPServer())
        let quiet = DNSResolver(servers: ["127.0.0.1:\(silent.port)"], timeout: 0.05, attempts: 2)
        let cache = DNSCache(resolver: quiet, unavailableAfter: 3, probeInterval: 3_600)
        cache.prefetch((0..<50).map { DNSPrefetch("q\($0).example", .txt) })
        let expected = quiet.txt("other.example")
        guard case .failure(let timeout) = expected else { Issue.record("expected a timeout, got \(expected)"); return }
        let answers = (0..<50).map { cache.txt("q\($0).example") }
        // The three timeouts that notice the outage read as a blocking lookup's; the others, in flight with them,
        // say what the run found.
        #expect(answers.filter { $0 == expected }.count == 3)
        #expect(answers.filter { $0 == .failure("DNS unavailable: 3 lookups in a row timed out (\(timeout))") }.count == 47)
        #expect(cache.prefetchStats.peakInFlight == 50, "the 50 time out together, not one after another")
        #expect(cache.unavailableNotice?.hasPrefix("DNS unavailable: 3 lookups in a row timed out") == true)
        // Once unavailable, asking ahead sends nothing; the lookup itself says so at once.
        cache.prefetch([DNSPrefetch("later.example", .txt)])
        #expect(cache.lookups == 50)
        if case .failure(let reason) = cache.txt("later.example") { #expect(reason.hasPrefix("DNS unavailable")) } else { Issue.record("expected a failure") }
    }
}

import Foundation
@testable import SpearDNS
import Testing

/// A resolver that does not answer is noticed once (issue #15): after three lookups in a row time out, the cache
/// stops sending queries and says "DNS unavailable" at once, and the run's notice says how many it spared.
@Suite("DNS cache: an unanswering resolver is noticed once", .serialized)
struct DNSOutageTests {
    @Test("three timeouts in a row, then every other lookup fails at once without a query")
    func noticedOnce() throws {
        let silent = try #require(SilentUDPServer())
        let cache = DNSCache(resolver: DNSResolver(servers: ["127.0.0.1:\(silent.port)"], timeout: 0.05, attempts: 1),
                             unavailableAfter: 3, probeInterval: 3_600)
        for k in 0..<100 {
            let answer = cache.txt("_dmarc.sender\(k).example")
            guard case .failure(let reason) = answer else {
                Issue.record("expected a failure, got \(answer)")
                return
            }
            #expect(reason.hasPrefix(k < 3 ? "timeout" : "DNS unavailable: 3 lookups in a row timed out"), "\(k): \(reason)")
        }
        #expect(cache.lookups == 3)
        let notice = try #require(cache.unavailableNotice)
        #expect(notice.hasPrefix("DNS unavailable: 3 lookups in a row timed out") && notice.hasSuffix("97 lookups not sent"), "\(notice)")
    }

    @Test("a probe goes out every probe interval, and an answer ends the outage")
    func probesAndRecovers() throws {
        let silent = try #require(SilentUDPServer())
        let cache = DNSCache(resolver: DNSResolver(servers: ["127.0.0.1:\(silent.port)"], timeout: 0.05, attempts: 1),
                             unavailableAfter: 2, probeInterval: 0)
        for k in 0..<5 { _ = cache.txt("n\(k).example") }
        // With a zero interval every lookup is a probe: all five were sent, none spared.
        #expect(cache.lookups == 5)
        #expect(cache.unavailableNotice?.hasSuffix("0 lookups not sent") == true)
        // An invalid name fails without a query and does not count as an answer or a timeout.
        #expect(cache.txt("bad..name").failureReason?.hasPrefix("invalid name") == true)
    }

    @Test("a resolver that answers is never called unavailable")
    func answeringResolver() throws {
        let port = try #require(TestNet.freePort())
        let cache = DNSCache(resolver: DNSResolver(servers: ["127.0.0.1:\(port)"], timeout: 0.2, attempts: 1))
        // A closed port refuses at once: a failure, but not a timeout, so no outage.
        for k in 0..<5 { _ = cache.txt("n\(k).example") }
        #expect(cache.lookups == 5)
        #expect(cache.unavailableNotice == nil)
    }
}

private extension DNSAnswer {
    var failureReason: String? {
        if case .failure(let reason) = self { return reason }
        return nil
    }
}

import Foundation

/// Per-run cache (thread-safe), so a batch asks each name (and type) once.
///
/// Names are normalised before lookup (`Example.COM.` and `example.com` are one entry). Every answer is kept
/// for the life of the cache, failures included, so a batch does not wait for the same unreachable server
/// twice. When several threads ask for the same name at once, one queries and the others wait for its answer.
/// Invalid names fail without a query and are not counted.
///
/// A resolver that does not answer is noticed once, not paid for per message: after `unavailableAfter` lookups
/// in a row that timed out (no answer of any kind in between), the cache calls DNS unavailable, and every lookup
/// fails at once with "DNS unavailable: …" (not remembered, so the name is asked again once DNS is back). One
/// lookup every `probeInterval` seconds still goes out as a probe; an answer ends the outage.
public final class DNSCache: @unchecked Sendable {
    private enum Entry {
        case pending
        case done(DNSAnswer)
    }

    private let resolver: DNSResolver
    /// Guards `entries` and `count`; waiters on a pending entry sleep on it.
    private let condition = NSCondition()
    private struct Key: Hashable {
        let name: DNSName
        let type: DNSRecordType
    }

    private var entries: [Key: Entry] = [:]
    private var count = 0
    private var timeoutsInARow = 0
    private var outage: (since: Date, lastProbe: Date, reason: String)?
    private var skippedLookups = 0
    private var firstOutage: String?
    let unavailableAfter: Int
    let probeInterval: Double

    public init(resolver: DNSResolver, unavailableAfter: Int = 3, probeInterval: Double = 30) {
        self.resolver = resolver
        self.unavailableAfter = max(1, unavailableAfter)
        self.probeInterval = probeInterval
    }

    /// Set once DNS was found unavailable during the run: what happened, and how many lookups it spared, for a
    /// summary line. nil when the resolver always answered.
    public var unavailableNotice: String? {
        condition.lock()
        defer { condition.unlock() }
        guard let firstOutage else { return nil }
        return "\(firstOutage); \(skippedLookups) lookups not sent" + (outage == nil ? " (DNS answered again later)" : "")
    }

    /// The TXT records of `name`, from the cache or (once per name) from the resolver.
    public func txt(_ name: String) -> DNSAnswer { lookup(name, type: .txt) }

    /// The records of `type` at `name`, from the cache or (once per name and type) from the resolver.
    public func lookup(_ name: String, type: DNSRecordType) -> DNSAnswer {
        let key: Key
        switch DNSName.parse(name) {
        case .success(let parsed): key = Key(name: parsed, type: type)
        case .failure(let invalid): return .failure("invalid name: \(invalid)")
        }

        condition.lock()
        while true {
            switch entries[key] {
            case .done(let answer)?:
                condition.unlock()
                return answer
            case .pending?:
                condition.wait()
            case nil:
                if let down = outage {
                    let now = Date()
                    if now.timeIntervalSince(down.lastProbe) < probeInterval {
                        skippedLookups += 1
                        condition.unlock()
                        return .failure("DNS unavailable: \(down.reason)")
                    }
                    outage?.lastProbe = now  // this lookup is the probe
                }
                entries[key] = .pending
                count += 1
                condition.unlock()
                let answer = resolver.lookup(key.name, type: key.type)
                condition.lock()
                var timedOut = false
                if case .failure(let reason) = answer, reason.hasPrefix("timeout") { timedOut = true }
                if timedOut {
                    timeoutsInARow += 1
                    if outage == nil, timeoutsInARow >= unavailableAfter, case .failure(let reason) = answer {
                        let since = Date()
                        outage = (since, since, "\(timeoutsInARow) lookups in a row timed out (\(reason))")
                        if firstOutage == nil { firstOutage = "DNS unavailable: \(timeoutsInARow) lookups in a row timed out (\(reason))" }
                    }
                } else {
                    timeoutsInARow = 0
                    outage = nil
                }
                // Kept, timeouts too: a name whose servers do not answer is not waited for twice.
                entries[key] = .done(answer)
                condition.broadcast()
                condition.unlock()
                return answer
            }
        }
    }

    /// How many queries actually went to the network (one per distinct valid name and type asked).
    public var lookups: Int {
        condition.lock()
        defer { condition.unlock() }
        return count
    }
}

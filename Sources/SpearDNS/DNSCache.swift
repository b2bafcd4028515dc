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
    private var prefetched = 0
    private var waited = 0
    private var followUps: [Key: @Sendable (DNSAnswer) -> [DNSPrefetch]] = [:]
    let unavailableAfter: Int
    let probeInterval: Double
    /// Set once in init; its callback holds the cache weakly.
    private var pump: DNSPump!

    /// `maxInFlight`: how many lookups asked ahead (`prefetch`) may be out at once.
    public init(resolver: DNSResolver, unavailableAfter: Int = 3, probeInterval: Double = 30, maxInFlight: Int = 256) {
        self.resolver = resolver
        self.unavailableAfter = max(1, unavailableAfter)
        self.probeInterval = probeInterval
        pump = DNSPump(resolver: resolver, maxInFlight: maxInFlight) { [weak self] request, answer in
            self?.pumped(request, answer)
        }
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
        var waitedNow = false
        while true {
            switch entries[key] {
            case .done(let answer)?:
                condition.unlock()
                return answer
            case .pending?:
                if !waitedNow { waited += 1; waitedNow = true }
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
                let stored = settle(key, answer)
                condition.unlock()
                return stored
            }
        }
    }

    /// Records the answer to a lookup that was pending, and returns it as recorded; `condition` is held.
    @discardableResult
    private func settle(_ key: Key, _ answer: DNSAnswer) -> DNSAnswer {
        var answer = answer
        var timedOut = false
        if case .failure(let reason) = answer, reason.hasPrefix("timeout") { timedOut = true }
        if timedOut, let down = outage {
            // Sent before the outage was noticed (asked ahead, or by another thread) and timed out since: the
            // message's evidence says what the run found.
            answer = .failure("DNS unavailable: \(down.reason)")
        } else if timedOut {
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
        return answer
    }

    // MARK: - Asking ahead

    /// Asks for these records now, concurrently, on the pump's thread (up to `maxInFlight` at once), so that
    /// the `lookup` a scanning thread makes later finds the answer in the cache, or waits only for what is left
    /// of its round trip. Names asked already (answered or on their way) and invalid names are skipped; while
    /// DNS is unavailable nothing is sent (the lookups themselves probe, as without asking ahead). When an answer
    /// comes, the request's `then` gives the records it leads to (an SPF record's includes), asked the same way.
    /// The answers are the ones `lookup` would have got: prefetching changes when a query is sent, never what
    /// is found.
    public func prefetch(_ requests: [DNSPrefetch]) {
        var out: [DNSPump.Request] = []
        condition.lock()
        for request in requests {
            guard case .success(let name) = DNSName.parse(request.name) else { continue }
            let key = Key(name: name, type: request.type)
            guard entries[key] == nil, outage == nil else { continue }
            entries[key] = .pending
            count += 1
            prefetched += 1
            if let then = request.then { followUps[key] = then }
            out.append(DNSPump.Request(name: name, type: request.type))
        }
        condition.unlock()
        pump.submit(out)
    }

    /// Whether `name` and `type` were asked for already (answered, or on their way).
    public func isKnown(_ name: String, type: DNSRecordType) -> Bool {
        guard case .success(let parsed) = DNSName.parse(name) else { return false }
        condition.lock()
        defer { condition.unlock() }
        return entries[Key(name: parsed, type: type)] != nil
    }

    /// An answer from the pump.
    private func pumped(_ request: DNSPump.Request, _ answer: DNSAnswer) {
        let key = Key(name: request.name, type: request.type)
        condition.lock()
        settle(key, answer)
        let then = followUps.removeValue(forKey: key)
        condition.unlock()
        if let then { prefetch(then(answer)) }
    }

    /// How the asking ahead went: lookups sent by the pump, lookups that found their answer still on its way
    /// (the scanning thread waited), and the most that were in flight at once.
    public var prefetchStats: (prefetched: Int, waited: Int, peakInFlight: Int) {
        condition.lock()
        defer { condition.unlock() }
        return (prefetched, waited, pump.peakInFlight)
    }

    /// How many queries actually went to the network (one per distinct valid name and type asked).
    public var lookups: Int {
        condition.lock()
        defer { condition.unlock() }
        return count
    }
}

/// A record to ask for ahead of need (`DNSCache.prefetch`), and what its answer leads to.
public struct DNSPrefetch: Sendable {
    public let name: String
    public let type: DNSRecordType
    public let then: (@Sendable (DNSAnswer) -> [DNSPrefetch])?

    public init(_ name: String, _ type: DNSRecordType, then: (@Sendable (DNSAnswer) -> [DNSPrefetch])? = nil) {
        self.name = name
        self.type = type
        self.then = then
    }
}

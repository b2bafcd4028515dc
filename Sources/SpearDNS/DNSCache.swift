import Foundation

/// Per-run cache (thread-safe), so a batch asks each name (and type) once.
///
/// Names are normalised before lookup (`Example.COM.` and `example.com` are one entry). Every answer is kept
/// for the life of the cache, failures included, so a batch does not wait for the same unreachable server
/// twice. When several threads ask for the same name at once, one queries and the others wait for its answer.
/// Invalid names fail without a query and are not counted.
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

    public init(resolver: DNSResolver) {
        self.resolver = resolver
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
                entries[key] = .pending
                count += 1
                condition.unlock()
                let answer = resolver.lookup(key.name, type: key.type)
                condition.lock()
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

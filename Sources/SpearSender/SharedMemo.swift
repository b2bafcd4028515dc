import Foundation

/// A bounded memo shared by the scanning threads of one analyzer: the answers depend only on the key (a
/// domain's organisation, a domain's lookalike verdict), and a spool asks for the same few keys again and
/// again. Emptied when it reaches its bound, so memory stays flat whatever the spool's size.
final class SharedMemo<Key: Hashable & Sendable, Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [Key: Value] = [:]
    private let limit: Int

    init(limit: Int = 50_000) { self.limit = limit }

    /// The remembered value, if any.
    func cached(_ key: Key) -> Value? { lock.withLock { entries[key] } }

    func remember(_ key: Key, _ value: Value) {
        lock.withLock {
            if entries.count >= limit { entries.removeAll(keepingCapacity: true) }
            entries[key] = value
        }
    }

    /// The remembered value, else `compute()` (outside the lock), remembered.
    func value(for key: Key, compute: () -> Value) -> Value {
        if let known = lock.withLock({ entries[key] }) { return known }
        let value = compute()
        lock.withLock {
            if entries.count >= limit { entries.removeAll(keepingCapacity: true) }
            entries[key] = value
        }
        return value
    }
}

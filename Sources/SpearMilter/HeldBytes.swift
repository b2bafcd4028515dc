import NIOConcurrencyHelpers

/// The bytes of arriving messages all connections hold together — being received, waiting for a scanning thread,
/// being scanned — kept under one bound (`--max-held`), so that many connections each sending a large message
/// cannot take the machine's memory. A message that meets the bound keeps what it was granted (a prefix, never
/// bytes after a gap) and is answered without a scan by the `--on-error` rule (accepted as not inspected with the
/// reason `held_bytes`, or tempfailed); the log and the `errors_total{kind="held_bytes"}` counter say so.
public final class HeldBytes: Sendable {
    public let limit: Int
    private let held = NIOLockedValueBox(0)

    public init(limit: Int) {
        self.limit = limit
    }

    /// Grants up to `bytes` (fewer, maybe none, when the bound is near).
    public func reserve(_ bytes: Int) -> Int {
        held.withLockedValue { held in
            let granted = max(0, min(bytes, limit - held))
            held += granted
            return granted
        }
    }

    public func release(_ bytes: Int) {
        guard bytes > 0 else { return }
        held.withLockedValue { $0 = max(0, $0 - bytes) }
    }

    public var current: Int { held.withLockedValue { $0 } }
}

/// Collects one message's bytes up to a limit and keeps counting past it, so an oversized message is cut
/// (its true size still known) instead of being buffered whole.
struct MessageBuffer {
    private(set) var bytes: [UInt8] = []
    /// Bytes the message would have had without the cut.
    private(set) var total = 0
    let limit: Int
    /// The last two bytes appended (older one in the high byte), kept past the cut too: the parser gives back
    /// the line break before a From_ line, and must know whether it was LF or CRLF even when it was not stored.
    private var lastTwo: UInt16 = 0

    init(limit: Int) { self.limit = max(limit, 0) }

    @inline(__always)
    mutating func append(_ p: UnsafePointer<UInt8>, _ n: Int) {
        total += n
        if n >= 2 {
            lastTwo = UInt16(p[n - 2]) << 8 | UInt16(p[n - 1])
        } else if n == 1 {
            lastTwo = lastTwo << 8 | UInt16(p[0])
        }
        let room = limit - bytes.count
        if room > 0 { bytes.append(contentsOf: UnsafeBufferPointer(start: p, count: min(n, room))) }
    }

    mutating func append(_ chunk: UnsafeBufferPointer<UInt8>) {
        guard let base = chunk.baseAddress else { return }
        append(base, chunk.count)
    }

    mutating func append(_ array: [UInt8]) {
        array.withUnsafeBufferPointer { append($0) }
    }

    /// Removes the last `n` bytes; only valid while nothing has been cut.
    mutating func removeLast(_ n: Int) {
        precondition(total == bytes.count && n <= total)
        bytes.removeLast(n)
        total -= n
        let count = bytes.count
        lastTwo = (count >= 2 ? UInt16(bytes[count - 2]) << 8 : 0) | (count >= 1 ? UInt16(bytes[count - 1]) : 0)
    }

    /// Goes back to an earlier ``total`` (from before some appends), whether or not the message was cut since.
    /// The message must be finished afterwards: ``trailingLineBreak`` is no longer known.
    mutating func rewind(toTotal newTotal: Int) {
        precondition(newTotal >= 0 && newTotal <= total)
        bytes.removeLast(bytes.count - min(newTotal, limit))
        total = newTotal
        lastTwo = 0
    }

    /// Length of the line break the bytes appended so far end with: 2 for CRLF, 1 for LF, 0 for none.
    var trailingLineBreak: Int {
        guard lastTwo & 0xFF == 0x0A, total > 0 else { return 0 }
        return lastTwo >> 8 == 0x0D && total > 1 ? 2 : 1
    }

    var originalSize: Int? { total > bytes.count ? total : nil }
}

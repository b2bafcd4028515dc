/// Collects one message's bytes up to a limit and keeps counting past it, so an oversized message is cut
/// (its true size still known) instead of being buffered whole.
struct MessageBuffer {
    private(set) var bytes: [UInt8] = []
    /// Bytes the message would have had without the cut.
    private(set) var total = 0
    let limit: Int

    init(limit: Int) { self.limit = max(limit, 0) }

    @inline(__always)
    mutating func append(_ p: UnsafePointer<UInt8>, _ n: Int) {
        total += n
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
    }

    var originalSize: Int? { total > bytes.count ? total : nil }
}

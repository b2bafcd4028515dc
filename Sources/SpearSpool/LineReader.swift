#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Splits a ``ByteSource`` into lines inside one fixed buffer, so memory stays bounded whatever the file.
///
/// A line longer than the buffer comes out in buffer-sized pieces (``LineView/endsLine`` false) instead of
/// growing the buffer: a file made of one gigantic line costs no more memory than any other. The mbox
/// parser only looks at line starts (`From `, `>From `, headers), which always fit in the first piece.
/// ``pushBack(_:)`` lets the parser re-read a body whose `Content-Length:` turned out to be wrong.
final class LineReader {
    private let source: any ByteSource
    let capacity: Int
    private let buffer: UnsafeMutablePointer<UInt8>
    private var start = 0
    private var end = 0
    /// Bytes after `start` already searched for `\n` without success.
    private var scanned = 0
    private var sourceEOF = false
    private var pending: [UInt8] = []
    private var pendingPosition = 0
    /// Stream offset of `buffer[start]`, i.e. of the next byte handed out.
    private(set) var offset = 0

    /// The smallest buffer; also how far ``peek(_:)`` can always see.
    static let minimumCapacity = 64

    init(source: any ByteSource, capacity: Int) {
        self.source = source
        self.capacity = max(capacity, Self.minimumCapacity)
        buffer = .allocate(capacity: self.capacity)
    }

    deinit { buffer.deallocate() }

    /// Moves unconsumed bytes to the front and adds more; false when nothing more will ever come.
    private func refill() throws -> Bool {
        if start > 0 {
            let n = end - start
            if n > 0 { memmove(buffer, buffer + start, n) }
            start = 0
            end = n
        }
        if end == capacity { return true }
        if pendingPosition < pending.count {
            let n = min(capacity - end, pending.count - pendingPosition)
            pending.withUnsafeBufferPointer { p in
                (buffer + end).update(from: p.baseAddress! + pendingPosition, count: n)
            }
            pendingPosition += n
            end += n
            if pendingPosition == pending.count {
                pending = []
                pendingPosition = 0
            }
            return true
        }
        if sourceEOF { return false }
        let n = try source.read(into: UnsafeMutableRawBufferPointer(start: buffer + end, count: capacity - end))
        if n == 0 {
            sourceEOF = true
            return false
        }
        end += n
        return true
    }

    private func take(_ n: Int, endsLine: Bool) -> LineView {
        let view = LineView(base: UnsafePointer(buffer + start), count: n, endsLine: endsLine, offset: offset)
        start += n
        offset += n
        scanned = 0
        return view
    }

    /// The next line including its `\n`, or the next piece of a line longer than the buffer; `nil` at the end.
    func nextLine() throws -> LineView? {
        while true {
            let available = end - start
            if available > scanned {
                if let hit = memchr(buffer + start + scanned, 0x0A, available - scanned) {
                    let length = hit.assumingMemoryBound(to: UInt8.self) - (buffer + start) + 1
                    return take(length, endsLine: true)
                }
                scanned = available
            }
            if available == capacity { return take(available, endsLine: false) }
            if try !refill() {
                return available > 0 ? take(available, endsLine: true) : nil
            }
        }
    }

    /// Up to `limit` raw bytes, ignoring line structure (for `Content-Length:` bodies); empty at the end.
    func readRaw(limit: Int) throws -> UnsafeBufferPointer<UInt8> {
        if start == end {
            guard try refill() else { return UnsafeBufferPointer(start: nil, count: 0) }
        }
        let n = min(limit, end - start)
        let view = UnsafeBufferPointer(start: UnsafePointer(buffer + start), count: n)
        start += n
        offset += n
        scanned = 0
        return view
    }

    /// The next `count` bytes without consuming them (fewer only at the end of the stream).
    func peek(_ count: Int) throws -> UnsafeBufferPointer<UInt8> {
        precondition(count <= capacity)
        while end - start < count {
            if try !refill() { break }
        }
        return UnsafeBufferPointer(start: UnsafePointer(buffer + start), count: min(count, end - start))
    }

    /// Consumes `count` bytes already seen with ``peek(_:)``.
    func skip(_ count: Int) {
        precondition(count <= end - start)
        start += count
        offset += count
        scanned = 0
    }

    /// Makes `bytes` (just consumed) the next bytes to read again, and rewinds ``offset`` accordingly.
    func pushBack(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        var again = bytes
        again.append(contentsOf: UnsafeBufferPointer(start: buffer + start, count: end - start))
        if pendingPosition < pending.count { again.append(contentsOf: pending[pendingPosition...]) }
        pending = again
        pendingPosition = 0
        offset -= bytes.count
        start = 0
        end = 0
        scanned = 0
    }
}

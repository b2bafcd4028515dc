/// A bounded, forward-only little-endian reader over part of a TNEF stream.
///
/// Every read checks the window's end first and answers nil instead of trapping, so a length or count that lies
/// becomes a reported problem. Positions are indices into the whole input, which lets values be kept as ranges
/// (no copy until an attachment is produced) and problems name the offset where they are.
struct TNEFByteWindow {
    let bytes: [UInt8]
    /// Where this window ends (exclusive): the end of one attribute's data, or of the input.
    let end: Int
    private(set) var offset: Int

    init(_ bytes: [UInt8], range: Range<Int>) {
        self.bytes = bytes
        end = min(range.upperBound, bytes.count)
        offset = min(max(0, range.lowerBound), end)
    }

    var remaining: Int { end - offset }
    var isAtEnd: Bool { offset >= end }

    mutating func u16() -> UInt16? {
        guard remaining >= 2 else { return nil }
        defer { offset += 2 }
        return TNEFByteWindow.u16(bytes, at: offset)
    }

    mutating func u32() -> UInt32? {
        guard remaining >= 4 else { return nil }
        defer { offset += 4 }
        return TNEFByteWindow.u32(bytes, at: offset)
    }

    /// The next `count` bytes as a range, or nil (and nothing consumed) when fewer are left.
    mutating func take(_ count: Int) -> Range<Int>? {
        guard count >= 0, remaining >= count else { return nil }
        defer { offset += count }
        return offset..<(offset + count)
    }

    /// Skips up to `count` bytes; answers how many were really skipped.
    @discardableResult
    mutating func skip(upTo count: Int) -> Int {
        let n = max(0, min(count, remaining))
        offset += n
        return n
    }

    /// Little-endian 16-bit value at `i`; the caller has checked `i + 2 <= bytes.count`.
    static func u16(_ bytes: [UInt8], at i: Int) -> UInt16 {
        UInt16(bytes[i]) | UInt16(bytes[i + 1]) << 8
    }

    /// Little-endian 32-bit value at `i`; the caller has checked `i + 4 <= bytes.count`.
    static func u32(_ bytes: [UInt8], at i: Int) -> UInt32 {
        UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24
    }
}

/// Values padded to a 4-byte boundary inside MAPI property lists.
@inline(__always)
func tnefPadding(_ length: Int) -> Int { (4 - (length & 3)) & 3 }

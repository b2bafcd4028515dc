/// A line (or, for a line longer than the read buffer, one piece of it) seen in place in the
/// ``LineReader``'s buffer: no copy, no allocation. Valid only until the next call on the reader.
struct LineView {
    var base: UnsafePointer<UInt8>
    var count: Int
    /// True when the view ends with `\n` or is the last piece of the stream; false for a piece of a line
    /// longer than the buffer (more of the same line follows).
    var endsLine: Bool
    /// Stream offset of the first byte.
    var offset: Int

    /// An empty line, LF or CRLF: the mbox separator candidate.
    var isBlank: Bool {
        endsLine && ((count == 1 && base[0] == 0x0A) || (count == 2 && base[0] == 0x0D && base[1] == 0x0A))
    }

    /// Starts with `From ` (the mbox From_ line marker).
    var startsWithFrom: Bool { ByteMatch.isFrom(base, count) }
}

/// Byte comparisons shared by the parser; kept tiny and allocation-free.
enum ByteMatch {
    /// `From ` at `p`, given `count` readable bytes.
    @inline(__always)
    static func isFrom(_ p: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        count >= 5 && p[0] == 0x46 && p[1] == 0x72 && p[2] == 0x6F && p[3] == 0x6D && p[4] == 0x20
    }

    /// Case-insensitive ASCII prefix test; `lowercasePrefix` must be lower case.
    static func hasPrefixIgnoringCase(_ p: UnsafePointer<UInt8>, _ count: Int, _ lowercasePrefix: [UInt8]) -> Bool {
        guard count >= lowercasePrefix.count else { return false }
        for i in 0..<lowercasePrefix.count {
            var b = p[i]
            if b >= 0x41 && b <= 0x5A { b |= 0x20 }
            if b != lowercasePrefix[i] { return false }
        }
        return true
    }
}

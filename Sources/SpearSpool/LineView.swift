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

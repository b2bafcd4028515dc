/// Quoted-printable (RFC 2045 §6.7), lenient: soft line breaks (also with trailing white space after `=`),
/// lower-case hex accepted, malformed escapes kept literally and counted (`==` read as one `=`, as Python's email
/// package does), trailing white space on a line dropped, the last line included (rule 3: it is transport padding).
public enum QuotedPrintable {
    /// What a hard line break becomes.
    public enum LineBreaks: Sendable {
        /// CRLF, the canonical form RFC 2045 §6.7 defines a hard line break to stand for (mime4j does this).
        case canonical
        /// The line ending as stored (GMime and MimeKit do this).
        case preserve
    }

    public struct Result: Sendable {
        public var bytes: [UInt8]
        public var invalidEscapes = 0
    }

    public static func decode(_ input: some Collection<UInt8>, lineBreaks: LineBreaks = .canonical) -> Result {
        if let r = input.withContiguousStorageIfAvailable({ decode(UnsafeRawBufferPointer($0), lineBreaks: lineBreaks) }) { return r }
        return Array(input).withUnsafeBytes { decode($0, lineBreaks: lineBreaks) }
    }

    public static func decode(_ input: UnsafeRawBufferPointer, lineBreaks: LineBreaks = .canonical) -> Result {
        let canonical = lineBreaks == .canonical
        // The last line has no line break (the one before a boundary belongs to the boundary), but its trailing
        // white space is transport padding all the same: it is left out here, so the loop below needs no state
        // after its end (an `=` before it is then a soft break at the end, as it was before the blanks).
        let n = lengthWithoutTrailingBlanks(input)
        var invalid = 0
        // A lone LF grows to CRLF, so the output may be up to twice the input.
        let bytes = [UInt8](unsafeUninitializedCapacity: n * 2) { buffer, initialized in
            let o = buffer.baseAddress!
            var w = 0
            var i = 0
            // Index in the output where trailing white space of the current line began, if any.
            var wsStart = -1
            while i < n {
                let b = input[i]
                switch b {
                case 0x3D:  // '='
                    if i + 2 < n, let h = Hex.value(input[i + 1]), let l = Hex.value(input[i + 2]) {
                        o[w] = h << 4 | l; w += 1; i += 3; wsStart = -1
                        continue
                    }
                    // Soft line break: '=' then optional white space then the end of the line.
                    var j = i + 1
                    while j < n, input[j] == ASCII.space || input[j] == ASCII.tab { j += 1 }
                    if j == n { i = n; continue }
                    if input[j] == ASCII.lf { i = j + 1; wsStart = -1; continue }
                    if input[j] == ASCII.cr, j + 1 < n, input[j + 1] == ASCII.lf { i = j + 2; wsStart = -1; continue }
                    if input[j] == ASCII.cr, j + 1 == n { i = n; continue }
                    invalid += 1
                    o[w] = b; w += 1; wsStart = -1
                    // `==` stands for one '=' (old encoders wrote it so): Python's binascii, and so every tool
                    // built on Python's email package, reads it that way; the following byte is not re-read.
                    i += j == i + 1 && input[j] == ASCII.equals ? 2 : 1
                case ASCII.space, ASCII.tab:
                    if wsStart < 0 { wsStart = w }
                    o[w] = b; w += 1; i += 1
                case ASCII.lf:
                    if wsStart >= 0 { w = wsStart; wsStart = -1 }
                    if canonical { o[w] = ASCII.cr; w += 1 }
                    o[w] = ASCII.lf; w += 1; i += 1
                case ASCII.cr where i + 1 < n && input[i + 1] == ASCII.lf:
                    if wsStart >= 0 { w = wsStart; wsStart = -1 }
                    o[w] = ASCII.cr; o[w + 1] = ASCII.lf; w += 2; i += 2
                default:
                    wsStart = -1
                    o[w] = b; w += 1; i += 1
                }
            }
            initialized = w
        }
        return Result(bytes: bytes, invalidEscapes: invalid)
    }

    private static func lengthWithoutTrailingBlanks(_ input: UnsafeRawBufferPointer) -> Int {
        var n = input.count
        while n > 0, input[n - 1] == ASCII.space || input[n - 1] == ASCII.tab { n -= 1 }
        return n
    }
}

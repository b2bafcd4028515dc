/// Quoted-printable (RFC 2045 §6.7), lenient: soft line breaks (also with trailing white space after `=`),
/// lower-case hex accepted, malformed escapes kept literally and counted, trailing white space on a line dropped
/// (rule 3: it is transport padding). Line breaks are kept as written.
public enum QuotedPrintable {
    public struct Result: Sendable {
        public var bytes: [UInt8]
        public var invalidEscapes = 0
    }

    public static func decode(_ input: some Collection<UInt8>) -> Result {
        if let r = input.withContiguousStorageIfAvailable({ decode(UnsafeRawBufferPointer($0)) }) { return r }
        return Array(input).withUnsafeBytes { decode($0) }
    }

    public static func decode(_ input: UnsafeRawBufferPointer) -> Result {
        let n = input.count
        var invalid = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: n) { buffer, initialized in
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
                    o[w] = b; w += 1; i += 1; wsStart = -1
                case ASCII.space, ASCII.tab:
                    if wsStart < 0 { wsStart = w }
                    o[w] = b; w += 1; i += 1
                case ASCII.cr, ASCII.lf:
                    if wsStart >= 0 { w = wsStart; wsStart = -1 }
                    o[w] = b; w += 1; i += 1
                default:
                    wsStart = -1
                    o[w] = b; w += 1; i += 1
                }
            }
            initialized = w
        }
        return Result(bytes: bytes, invalidEscapes: invalid)
    }
}

/// Byte helpers for header values read as UTF-8 bytes: their delimiters and folding white space are ASCII and
/// never occur inside a multi-byte sequence.
enum ASCIIBytes {
    @inline(__always)
    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A }

    /// The slice without leading and trailing ASCII white space (space, tab, CR, LF).
    static func trimmed(_ slice: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var s = slice
        while let f = s.first, isSpace(f) { s = s.dropFirst() }
        while let l = s.last, isSpace(l) { s = s.dropLast() }
        return s
    }

    /// The bytes with ASCII letters lower-cased (other bytes as they are).
    static func lowercased(_ bytes: [UInt8]) -> [UInt8] {
        bytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
    }

    /// Whether `bytes` contain the ASCII `word` (byte-exact).
    static func contains(_ bytes: [UInt8], _ word: StaticString) -> Bool {
        word.withUTF8Buffer { w in
            guard w.count > 0, bytes.count >= w.count else { return false }
            return (0...(bytes.count - w.count)).contains { k in (0..<w.count).allSatisfy { bytes[k + $0] == w[$0] } }
        }
    }
}

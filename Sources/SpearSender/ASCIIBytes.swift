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

    /// The first occurrence of `needle` in `haystack` (byte-exact).
    static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard let first = needle.first, haystack.count >= needle.count else { return nil }
        var k = 0
        while k <= haystack.count - needle.count {
            if haystack[k] == first, haystack[k..<(k + needle.count)].elementsEqual(needle) { return k }
            k += 1
        }
        return nil
    }
}

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

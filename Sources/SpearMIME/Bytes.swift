#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte-level helpers shared by the parsers. Mail is bytes with a charset label that may lie: everything here
/// works on `UInt8` and ASCII, never on `Character`.
enum ASCII {
    static let cr: UInt8 = 0x0D, lf: UInt8 = 0x0A, space: UInt8 = 0x20, tab: UInt8 = 0x09
    static let colon: UInt8 = 0x3A, semicolon: UInt8 = 0x3B, equals: UInt8 = 0x3D, quote: UInt8 = 0x22
    static let backslash: UInt8 = 0x5C, dash: UInt8 = 0x2D, question: UInt8 = 0x3F

    @inline(__always) static func isWSP(_ b: UInt8) -> Bool { b == space || b == tab }
    @inline(__always) static func isSpace(_ b: UInt8) -> Bool { b == space || b == tab || b == cr || b == lf }
    @inline(__always) static func lower(_ b: UInt8) -> UInt8 { (b >= 0x41 && b <= 0x5A) ? b | 0x20 : b }

    /// Case-insensitive comparison of bytes with an ASCII literal.
    static func equalsIgnoringCase(_ bytes: some Collection<UInt8>, _ literal: StaticString) -> Bool {
        guard bytes.count == literal.utf8CodeUnitCount else { return false }
        var p = literal.utf8Start
        for b in bytes {
            if lower(b) != lower(p.pointee) { return false }
            p += 1
        }
        return true
    }

    static func lowercasedString(_ bytes: some Collection<UInt8>) -> String {
        String(decoding: bytes.map(lower), as: UTF8.self)
    }

    static func trimmed(_ s: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var lo = s.startIndex, hi = s.endIndex
        while lo < hi, isSpace(s[lo]) { lo += 1 }
        while hi > lo, isSpace(s[hi - 1]) { hi -= 1 }
        return s[lo..<hi]
    }
}

/// Finds the next LF at or after `from` before `end`, using memchr.
@inline(__always)
func findLF(_ base: UnsafePointer<UInt8>, from: Int, end: Int) -> Int? {
    guard from < end else { return nil }
    guard let p = memchr(base + from, Int32(ASCII.lf), end - from) else { return nil }
    return base.distance(to: p.assumingMemoryBound(to: UInt8.self))
}

/// Text as binary formats store it: UTF-16 of either order, Latin-1, and ASCII strings inside binary data.
enum TextBytes {
    static func utf16LE(_ b: ArraySlice<UInt8>) -> String {
        var units: [UInt16] = []
        units.reserveCapacity(b.count / 2)
        var i = b.startIndex
        while i + 1 < b.endIndex {
            let u = UInt16(b[i]) | UInt16(b[i + 1]) << 8
            if u == 0 { break }
            units.append(u)
            i += 2
        }
        return String(decoding: units, as: UTF16.self)
    }

    static func utf16BE(_ b: ArraySlice<UInt8>) -> String {
        var units: [UInt16] = []
        var i = b.startIndex
        while i + 1 < b.endIndex {
            units.append(UInt16(b[i]) << 8 | UInt16(b[i + 1]))
            i += 2
        }
        return String(decoding: units, as: UTF16.self)
    }

    /// UTF-8 when the bytes are valid UTF-8, else Latin-1 (PDFDocEncoding and ANSI code pages agree with it on
    /// everything a URL or a path is made of).
    static func utf8OrLatin1(_ b: ArraySlice<UInt8>) -> String {
        if let s = String(validating: b, as: UTF8.self) { return s }
        return String(b.map { Character(Unicode.Scalar($0)) })
    }

    /// A NUL-terminated single-byte string at `offset`, at most `max` bytes.
    static func cString(_ b: [UInt8], at offset: Int, max: Int = 4_096) -> (String, end: Int)? {
        guard offset >= 0, offset < b.count else { return nil }
        var end = offset
        while end < b.count, end - offset < max, b[end] != 0 { end += 1 }
        return (utf8OrLatin1(b[offset..<end]), end + 1)
    }

    /// A NUL-terminated UTF-16LE string at `offset`.
    static func wideCString(_ b: [UInt8], at offset: Int, max: Int = 8_192) -> String? {
        guard offset >= 0, offset < b.count else { return nil }
        var end = offset
        while end + 1 < b.count, end - offset < max, b[end] != 0 || b[end + 1] != 0 { end += 2 }
        return utf16LE(b[offset..<min(end, b.count)])
    }

    /// The printable ASCII of UTF-16LE text in binary data (one alignment), every other byte blanked: so that the
    /// URL scanner finds wide strings such as a URL moniker's.
    static func narrowed(_ b: [UInt8], alignment: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0x20, count: max(0, (b.count - alignment) / 2))
        var i = alignment
        var k = 0
        while i + 1 < b.count {
            if b[i + 1] == 0, b[i] >= 0x21, b[i] < 0x7F { out[k] = b[i] }
            i += 2
            k += 1
        }
        return out
    }

    /// Where `needle` first occurs in `b` at or after `from`.
    static func find(_ needle: [UInt8], in b: [UInt8], from: Int = 0) -> Int? {
        guard let first = needle.first, needle.count <= b.count else { return nil }
        var i = max(0, from)
        while i + needle.count <= b.count {
            if b[i] == first, b[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }

    /// The same for an ASCII word, in any case.
    static func find(ignoringCase word: String, in b: [UInt8], from: Int = 0) -> Int? {
        let w = Array(word.utf8).map { $0 | 0x20 }
        guard let first = w.first, w.count <= b.count else { return nil }
        var i = max(0, from)
        while i + w.count <= b.count {
            if b[i] | 0x20 == first {
                var k = 1
                while k < w.count, b[i + k] | 0x20 == w[k] { k += 1 }
                if k == w.count { return i }
            }
            i += 1
        }
        return nil
    }

    /// The value of a hexadecimal digit.
    static func hexDigit(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x41...0x46: return c - 0x37
        case 0x61...0x66: return c - 0x57
        default: return nil
        }
    }
}

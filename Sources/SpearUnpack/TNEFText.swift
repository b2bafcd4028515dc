import SpearCharsets

/// Text inside a TNEF stream: 8-bit strings in the stream's code page (attOemCodepage) and UTF-16LE strings.
///
/// Names are turned into `String` here, once; the raw bytes are kept when they were not UTF-8 so a report can
/// show what was really written.
enum TNEFText {
    /// The decoder for a Windows code page number; nil for one nothing here decodes.
    static func charset(codepage: UInt32) -> Charset? {
        switch codepage {
        case 65001: return .utf8
        case 20127: return .ascii
        case 1252, 28591: return .windows1252
        case 932: return .cp932
        case 20932, 51932: return .eucJP
        case 50220, 50221, 50222: return .iso2022jp
        case 1200: return Charset.resolve(label: "utf-16le")
        case 1201: return Charset.resolve(label: "utf-16be")
        case 20866: return Charset.resolve(label: "koi8-r")
        case 21866: return Charset.resolve(label: "koi8-u")
        case 10000: return Charset.resolve(label: "macintosh")
        case 54936: return Charset.resolve(label: "gb18030")
        case 28592...28599, 28603, 28605: return Charset.resolve(label: "iso-8859-\(codepage - 28590)")
        case 1...9999: return Charset.resolve(label: "cp\(codepage)")
        default: return nil
        }
    }

    /// A decoded name, with its bytes when they were not UTF-8 and a problem when decoding was lossy.
    struct Decoded {
        var string: String
        var raw: [UInt8]?
        var problem: String?
    }

    /// An 8-bit string (PT_STRING8, attAttachTitle) in `charset`; trailing NULs (the terminator) dropped.
    ///
    /// Bytes that are not valid in the code page are decoded by guess (UTF-8, then CP932 …): some writers put
    /// UTF-8 in 8-bit properties whatever the code page says. Both cases are reported.
    static func eightBit(_ bytes: [UInt8], _ range: Range<Int>, charset: Charset) -> Decoded {
        var end = range.upperBound
        while end > range.lowerBound && bytes[end - 1] == 0 { end -= 1 }
        let raw = Array(bytes[range.lowerBound..<end])
        let ascii = raw.allSatisfy { $0 < 0x80 }
        let decoded = CharsetDecoder.decode(raw, charset: charset)
        if decoded.replacements == 0 && !decoded.mislabelled {
            return Decoded(string: decoded.string, raw: ascii || charset == .utf8 ? nil : raw)
        }
        let guessed = CharsetDecoder.guess(raw)
        let isUTF8 = guessed.charset == .utf8 && guessed.replacements == 0
        return Decoded(string: guessed.string, raw: isUTF8 ? nil : raw,
                       problem: "name is not valid \(charset.name) (decoded as \(guessed.charset.name))")
    }

    /// A UTF-16LE string (PT_UNICODE, string names of named properties); trailing U+0000 dropped, unpaired
    /// surrogates replaced (and reported).
    static func utf16LE(_ bytes: [UInt8], _ range: Range<Int>) -> Decoded {
        var units: [UInt16] = []
        units.reserveCapacity(range.count / 2)
        var i = range.lowerBound
        while i + 1 < range.upperBound {
            units.append(UInt16(bytes[i]) | UInt16(bytes[i + 1]) << 8)
            i += 2
        }
        while units.last == 0 { units.removeLast() }
        var problem: String? = range.count % 2 == 1 ? "UTF-16 name has an odd byte count (\(range.count))" : nil
        var scalars = String.UnicodeScalarView()
        var replaced = 0
        var iterator = units.makeIterator()
        var decoder = UTF16()
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let s): scalars.append(s)
            case .error: scalars.append("\u{FFFD}"); replaced += 1
            case .emptyInput: break loop
            }
        }
        if replaced > 0 { problem = "UTF-16 name has \(replaced) invalid code unit(s)" }
        return Decoded(string: String(scalars), raw: problem == nil ? nil : Array(bytes[range]), problem: problem)
    }
}

/// windows-1252, used for every ISO-8859-1 label as browsers do: mail labelled Latin-1 routinely carries 1252's
/// curly quotes and dashes in 0x80–0x9F, where true ISO-8859-1 has only invisible C1 controls.
enum Windows1252 {
    /// Unicode scalars for 0x80–0x9F; the five bytes 1252 leaves undefined map to the C1 control of the same value.
    private static let high: [UInt32] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]

    static func decode(_ input: UnsafeRawBufferPointer) -> String {
        var utf8 = [UInt8]()
        utf8.reserveCapacity(input.count + input.count / 4)
        for b in input {
            if b < 0x80 {
                utf8.append(b)
                continue
            }
            let scalar = (b >= 0x80 && b <= 0x9F) ? high[Int(b - 0x80)] : UInt32(b)
            UTF8Encoding.append(scalar, to: &utf8)
        }
        return String(decoding: utf8, as: UTF8.self)
    }
}

enum UTF8Encoding {
    static func append(_ scalar: UInt32, to out: inout [UInt8]) {
        switch scalar {
        case ..<0x80: out.append(UInt8(scalar))
        case ..<0x800:
            out.append(UInt8(0xC0 | (scalar >> 6))); out.append(UInt8(0x80 | (scalar & 0x3F)))
        case ..<0x10000:
            out.append(UInt8(0xE0 | (scalar >> 12))); out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        default:
            out.append(UInt8(0xF0 | (scalar >> 18))); out.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F))); out.append(UInt8(0x80 | (scalar & 0x3F)))
        }
    }

    /// Whether the bytes are well-formed UTF-8.
    static func isValid(_ input: UnsafeRawBufferPointer) -> Bool {
        String(validating: input, as: UTF8.self) != nil
    }

    static func isASCII(_ input: UnsafeRawBufferPointer) -> Bool {
        var i = 0
        let n = input.count
        // Eight bytes at a time: any high bit set means non-ASCII.
        while i + 8 <= n {
            if input.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
            i += 8
        }
        while i < n {
            if input[i] >= 0x80 { return false }
            i += 1
        }
        return true
    }
}

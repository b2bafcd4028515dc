/// HTML character references (`&amp;`, `&#12354;`, `&#x3042;`), read from bytes: what the campaign fingerprints
/// (visible text) and the indicators (link targets and their shown text) both decode.
package enum HTMLCharacterReference {
    private static let named: [String: Unicode.Scalar] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": " ", "copy": "©", "reg": "®",
        "yen": "¥", "hellip": "…", "mdash": "—", "ndash": "–", "laquo": "«", "raquo": "»",
    ]

    /// The reference starting at `at` (an `&`): its scalar and its length; nil when it is not one.
    package static func scalar(_ b: [UInt8], at: Int) -> (Unicode.Scalar, Int)? {
        var i = at + 1
        let limit = min(b.count, at + 12)
        while i < limit, b[i] != UInt8(ascii: ";") { i += 1 }
        guard i < limit else { return nil }
        let body = String(decoding: b[(at + 1)..<i], as: UTF8.self)
        if body.hasPrefix("#") {
            let digits = body.dropFirst()
            let value = digits.hasPrefix("x") || digits.hasPrefix("X") ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits)
            guard let value, let scalar = Unicode.Scalar(value) else { return nil }
            return (scalar, i - at + 1)
        }
        return named[body.lowercased()].map { ($0, i - at + 1) }
    }

    /// `text` with every reference decoded (an `&` that starts none is kept).
    package static func decode(_ text: String) -> String {
        text.utf8.contains(UInt8(ascii: "&")) ? String(decoding: decode(Array(text.utf8)), as: UTF8.self) : text
    }

    /// The same, on bytes.
    package static func decode(_ b: [UInt8]) -> [UInt8] {
        guard b.contains(UInt8(ascii: "&")) else { return b }
        var out: [UInt8] = []
        out.reserveCapacity(b.count)
        var i = 0
        while i < b.count {
            if b[i] == UInt8(ascii: "&"), let (scalar, length) = scalar(b, at: i) {
                out.append(contentsOf: String(Character(scalar)).utf8)
                i += length
            } else {
                out.append(b[i])
                i += 1
            }
        }
        return out
    }
}

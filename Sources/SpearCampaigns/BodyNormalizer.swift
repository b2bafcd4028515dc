import Foundation

/// Reduces a message body to the text an analyst would call "the same text": decoded already (any charset and
/// transfer encoding), HTML reduced to text, Unicode NFKC, line endings and whitespace runs unified, quoted replies
/// dropped. Two copies of one lure sent as ISO-2022-JP plain text and as UTF-8 HTML normalise to the same string.
/// Works on Unicode scalars in one pass (no Character segmentation): it runs on every message of a batch.
public enum BodyNormalizer {
    /// Bodies with fewer letters and digits than this are boilerplate ("see attached", a signature) and never
    /// link messages.
    public static let minimumSignificantCharacters = 30

    /// The normalised text, or nil when what is left is too short to identify a message.
    public static func normalize(_ text: String, isHTML: Bool) -> String? {
        let plain = isHTML ? HTMLText.reduce(text) : text
        // NFKC leaves ASCII as it is; skip it for the many messages that are pure ASCII.
        let composed = plain.utf8.allSatisfy { $0 < 0x80 } ? plain : plain.precomposedStringWithCompatibilityMapping
        var out = String.UnicodeScalarView()
        var line = String.UnicodeScalarView()
        var significant = 0, lineSignificant = 0
        var pendingSpace = false

        /// Ends the current line; false when the rest of the text is a quoted reply.
        func finishLine() -> Bool {
            defer { line = String.UnicodeScalarView(); lineSignificant = 0; pendingSpace = false }
            guard let first = line.first else { return true }
            if first == ">" { return true }
            if isQuoteIntroduction(Substring(String(line))) { return false }
            if !out.isEmpty { out.append("\n") }
            out.append(contentsOf: line)
            significant += lineSignificant
            return true
        }
        for u in composed.unicodeScalars {
            if isNewline(u) {
                if !finishLine() { line = String.UnicodeScalarView(); break }
                continue
            }
            if isSpace(u) {
                pendingSpace = !line.isEmpty
                continue
            }
            if pendingSpace { line.append(" "); pendingSpace = false }
            line.append(u)
            if isSignificant(u) { lineSignificant += 1 }
        }
        _ = finishLine()
        guard significant >= minimumSignificantCharacters else { return nil }
        return String(out)
    }

    /// "On Mon, 1 Jan 2024, Alice <a@b> wrote:" and its Japanese forms introduce a quoted reply.
    static func isQuoteIntroduction(_ line: Substring) -> Bool {
        (line.hasSuffix("wrote:") && line.hasPrefix("On ")) || line.hasSuffix("書きました:") || line.hasSuffix("wrote :")
            || line == "-----Original Message-----"
    }

    @inline(__always)
    static func isNewline(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x0A, 0x0B, 0x0C, 0x0D, 0x85, 0x2028, 0x2029: true
        default: false
        }
    }

    /// Unicode White_Space other than line breaks, by value (a property lookup per Japanese character was a
    /// third of the normaliser's time).
    @inline(__always)
    static func isSpace(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x20, 0x09, 0xA0, 0x1680, 0x2000...0x200A, 0x202F, 0x205F, 0x3000: true
        default: false
        }
    }

    /// Letters and digits (what makes a body more than boilerplate).
    @inline(__always)
    static func isSignificant(_ u: Unicode.Scalar) -> Bool {
        let value = u.value
        if value < 0x80 {
            let v = value | 0x20
            return (v >= 0x61 && v <= 0x7A) || (value >= 0x30 && value <= 0x39)
        }
        // Kana, CJK ideographs and Hangul are letters; full-width letters and digits too (before NFKC).
        switch value {
        case 0x3041...0x30FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xAC00...0xD7A3, 0xFF10...0xFF19, 0xFF21...0xFF3A,
             0xFF41...0xFF5A, 0xFF66...0xFF9F:
            return true
        case 0x3000...0x303F, 0xFF00...0xFF0F:
            return false  // CJK punctuation
        default:
            return u.properties.isAlphabetic || u.properties.numericType != nil
        }
    }
}

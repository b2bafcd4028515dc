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

    @inline(__always)
    static func isSpace(_ u: Unicode.Scalar) -> Bool {
        u.value < 0x80 ? (u == " " || u == "\t") : u.properties.isWhitespace
    }

    /// Letters and digits (what makes a body more than boilerplate).
    @inline(__always)
    static func isSignificant(_ u: Unicode.Scalar) -> Bool {
        if u.value < 0x80 {
            let v = u.value | 0x20
            return (v >= 0x61 && v <= 0x7A) || (u.value >= 0x30 && u.value <= 0x39)
        }
        return u.properties.isAlphabetic || u.properties.numericType != nil
    }
}

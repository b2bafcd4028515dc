import Foundation

/// Reduces a message body to the text an analyst would call "the same text": decoded already (any charset and
/// transfer encoding), HTML reduced to text, Unicode NFKC, line endings and whitespace runs unified, quoted replies
/// dropped. Two copies of one lure sent as ISO-2022-JP plain text and as UTF-8 HTML normalise to the same string.
public enum BodyNormalizer {
    /// Bodies with fewer letters and digits than this are boilerplate ("see attached", a signature) and never
    /// link messages.
    public static let minimumSignificantCharacters = 30

    /// The normalised text, or nil when what is left is too short to identify a message.
    public static func normalize(_ text: String, isHTML: Bool) -> String? {
        let plain = isHTML ? HTMLText.reduce(text) : text
        let composed = plain.precomposedStringWithCompatibilityMapping
        var lines: [Substring] = []
        var significant = 0
        for rawLine in composed.split(omittingEmptySubsequences: true, whereSeparator: { $0.isNewline }) {
            let line = collapseWhitespace(rawLine)
            if line.isEmpty { continue }
            if line.hasPrefix(">") { continue }
            // What follows a reply's introduction is the quoted message, with or without `>`.
            if isQuoteIntroduction(line) { break }
            lines.append(line)
            significant += line.unicodeScalars.reduce(0) { $0 + (CharacterSet.alphanumerics.contains($1) ? 1 : 0) }
        }
        guard significant >= minimumSignificantCharacters else { return nil }
        return lines.joined(separator: "\n")
    }

    /// "On Mon, 1 Jan 2024, Alice <a@b> wrote:" and its Japanese forms introduce a quoted reply.
    static func isQuoteIntroduction(_ line: Substring) -> Bool {
        (line.hasSuffix("wrote:") && line.hasPrefix("On ")) || line.hasSuffix("書きました:") || line.hasSuffix("wrote :")
            || line == "-----Original Message-----"
    }

    /// Trims the line and turns every run of white space (including U+3000 and NBSP after NFKC) into one space.
    static func collapseWhitespace(_ line: Substring) -> Substring {
        var out = ""
        out.reserveCapacity(line.utf8.count)
        var pendingSpace = false
        for ch in line {
            if ch.isWhitespace {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(" "); pendingSpace = false }
                out.append(ch)
            }
        }
        return Substring(out)
    }
}

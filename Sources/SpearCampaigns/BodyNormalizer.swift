import Foundation
import SpearCore

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
        // NFKC leaves ASCII as it is; skip it for the many messages that are pure ASCII, and fold the common
        // Japanese case (kana, kanji, full-width ASCII) without Foundation, whose NFKC was a third of this.
        var composed = NFKC.of(plain)
        return composed.withUTF8 { normalize(utf8: $0) }
    }

    /// The normaliser proper, over UTF-8 bytes (valid: they come from a String): each line is written straight
    /// into the output and taken back if it turns out to be a quote, so no line is allocated on its own.
    static func normalize(utf8 bytes: UnsafeBufferPointer<UInt8>) -> String? {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var lineMark = 0, lineBegin = 0  // where the current line's separator and its text start in `out`
        var lineSignificant = 0, significant = 0
        var pendingSpace = false

        /// Ends the current line; false when the rest of the text is a quoted reply.
        func finishLine() -> Bool {
            defer { lineMark = out.count; lineBegin = out.count; lineSignificant = 0; pendingSpace = false }
            guard out.count > lineBegin else { return true }
            let line = out[lineBegin...]
            let quoted = line.first == UInt8(ascii: ">")
            let introduction = !quoted && isQuoteIntroduction(line)
            if quoted || introduction {
                out.removeSubrange(lineMark...)
                return !introduction
            }
            significant += lineSignificant
            return true
        }
        var i = 0
        while i < bytes.count {
            let lead = bytes[i]
            let length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
            let u: Unicode.Scalar
            if length == 1 {
                u = Unicode.Scalar(lead)
            } else {
                var value = UInt32(lead) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
                for k in 1..<length { value = value << 6 | UInt32(bytes[i + k] & 0x3F) }
                u = Unicode.Scalar(value) ?? "\u{FFFD}"
            }
            defer { i += length }
            if isNewline(u) {
                if !finishLine() { break }
                continue
            }
            if isSpace(u) {
                pendingSpace = out.count > lineBegin
                continue
            }
            if out.count == lineBegin, lineMark > 0 {  // the line's first character: separate it from the last line
                out.append(UInt8(ascii: "\n"))
                lineBegin += 1
            }
            if pendingSpace { out.append(UInt8(ascii: " ")); pendingSpace = false }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[i..<(i + length)]))
            if isSignificant(u) { lineSignificant += 1 }
        }
        _ = finishLine()
        guard significant >= minimumSignificantCharacters else { return nil }
        return String(decoding: out, as: UTF8.self)
    }

    /// "On Mon, 1 Jan 2024, Alice <a@b> wrote:" and its Japanese forms introduce a quoted reply.
    static func isQuoteIntroduction(_ line: ArraySlice<UInt8>) -> Bool {
        func ends(_ suffix: String) -> Bool { line.count >= suffix.utf8.count && line.suffix(suffix.utf8.count).elementsEqual(suffix.utf8) }
        return (ends("wrote:") && line.starts(with: "On ".utf8)) || ends("書きました:") || ends("wrote :")
            || line.elementsEqual("-----Original Message-----".utf8)
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

import Foundation

/// Unicode NFKC, quickly for the text mail is mostly made of: ASCII (unchanged) and Japanese (kana, kanji, their
/// brackets and stops unchanged; full-width ASCII to ASCII; the ideographic space to a space) need no tables,
/// since none of those characters composes with another, so mapping them one by one is NFKC. Anything else goes
/// to Foundation, whose NFKC cost a third of body normalisation and a tenth of sender scoring.
public enum NFKC {
    /// `text` in NFKC.
    public static func of(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return text }
        return simple(text) ?? text.precomposedStringWithCompatibilityMapping
    }

    /// NFKC of a text made only of the characters above; nil for any other text.
    public static func simple(_ text: String) -> String? {
        var folds = 0
        for u in text.unicodeScalars {
            switch u.value {
            case 0xFF01...0xFF5E, 0x3000: folds += 1
            default: guard isStable(u) else { return nil }
            }
        }
        if folds == 0 { return text }  // already NFKC: no copy
        var out = String.UnicodeScalarView()
        for u in text.unicodeScalars {
            switch u.value {
            case 0xFF01...0xFF5E: out.append(Unicode.Scalar(u.value - 0xFEE0)!)
            case 0x3000: out.append(" ")
            default: out.append(u)
            }
        }
        return String(out)
    }

    /// Characters NFKC leaves as they are and that compose with nothing around them (kana with voiced sound
    /// marks do compose, so the combining marks U+3099/U+309A are not here).
    @inline(__always)
    static func isStable(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x00...0x7F, 0x3001...0x3002, 0x3005, 0x300C...0x3011, 0x3041...0x3096, 0x309D...0x309E, 0x30A1...0x30FE,
             0x4E00...0x9FFF:
            true
        default:
            false
        }
    }
}

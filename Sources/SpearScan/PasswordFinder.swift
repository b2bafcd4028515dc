import Foundation
public import SpearUnpack

/// Finds archive passwords written in the message's own text, as Japanese mail does (「パスワード：abc123」,
/// 「解凍パスワードは abc123 です」) and English mail too ("PW: abc123", "the password is abc123").
///
/// Full-width letters, digits and colons are folded to ASCII first. A candidate is the run of printable ASCII
/// after a keyword and its separators, or alone on the next line when the keyword line ends there.
public enum PasswordFinder {
    static let keywords = ["パスワード", "ﾊﾟｽﾜｰﾄﾞ", "暗証番号", "解凍キー", "password", "passwd", "passcode", "pass", "pwd", "pw"]
    /// What may stand between a keyword and the password.
    static let fillers: Set<Unicode.Scalar> = [":", "=", " ", "\t", "は", "「", "『", "【", "\"", "'", "(", "（", "：", "＝", "→", "-", "＞", ">", "―", "ー"]
    static let fillerWords = ["is", "は", "です", "for", "to"]

    public static func candidates(in texts: [(location: String, text: String)]) -> [PasswordCandidate] {
        candidates(folded: texts.map { ($0.location, fold($0.text)) })
    }

    /// `candidates(in:)` of texts already through `fold`.
    static func candidates(folded texts: [(location: String, text: String)]) -> [PasswordCandidate] {
        var found: [PasswordCandidate] = []
        var seen = Set<String>()
        for (location, folded) in texts {
            guard mayHoldKeyword(folded) else { continue }
            // "\r\n" is one Character in Swift: test each separator form, not just the scalars.
            let lines = folded.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
            for (index, line) in lines.enumerated() where mayHoldKeyword(line) {
                let lower = line.lowercased()
                for keyword in keywords {
                    var searchFrom = lower.startIndex
                    while let range = lower.range(of: keyword, range: searchFrom..<lower.endIndex) {
                        searchFrom = range.upperBound
                        // "pass" and "pw" only as words of their own (not "passport", "pwned").
                        if keyword.allSatisfy(\.isASCII) {
                            if range.lowerBound > lower.startIndex, lower[lower.index(before: range.lowerBound)].isLetter { continue }
                        }
                        var rest = Substring(lower[range.upperBound...])
                        let original = line[line.index(line.startIndex, offsetBy: lower.distance(from: lower.startIndex, to: range.upperBound))...]
                        var restOriginal = Substring(original)
                        if keyword.allSatisfy(\.isASCII), let next = rest.first, next.isLetter, keyword != "password" && keyword != "passcode" {
                            continue
                        }
                        // Skip separators and filler words.
                        var moved = true
                        while moved {
                            moved = false
                            while let f = rest.unicodeScalars.first, fillers.contains(f) {
                                rest = rest.dropFirst(); restOriginal = restOriginal.dropFirst(); moved = true
                            }
                            for w in fillerWords where rest.hasPrefix(w + " ") || rest.hasPrefix(w + ":") || (w == "は" && rest.hasPrefix(w)) {
                                rest = rest.dropFirst(w.count); restOriginal = restOriginal.dropFirst(w.count); moved = true
                            }
                        }
                        var token = takeToken(restOriginal)
                        if token == nil { token = below(lines, index, keywordEndsLine: rest.isEmpty) }
                        if let token, seen.insert(token).inserted {
                            found.append(PasswordCandidate(value: token, source: "body:\(location)"))
                        }
                    }
                }
            }
        }
        return found
    }

    /// False only when no keyword can be in `s`: a fast test on its UTF-8 bytes before the lowercasing and the
    /// Foundation searches, which cost a fifth of a batch's CPU when run on every line of every short message.
    /// Foundation's search is not literal (canonically equivalent forms match: パ as ハ + U+309A), so the test looks
    /// for two characters every form of a keyword holds side by side, neither with a decomposition: "pass" or
    /// "pw" in either case (lowercasing makes those letters only from their capitals), スワ, ｽﾜ, 証番, 凍キ — or
    /// any CJK compatibility ideograph (each decomposes to a unified one, which could be a keyword's). Single
    /// katakana would not do: ス and キ are in every other Japanese line. `keywordWitnessesCoverKeywords` tests
    /// that every keyword, in every form, passes.
    static func mayHoldKeyword(_ s: some StringProtocol) -> Bool {
        if let hit = s.utf8.withContiguousStorageIfAvailable({ mayHoldKeyword(bytes: $0) }) { return hit }
        return Array(s.utf8).withUnsafeBufferPointer { mayHoldKeyword(bytes: $0) }
    }

    private static let witnesses: [[UInt8]] = [
        [0xE3, 0x82, 0xB9, 0xE3, 0x83, 0xAF],  // スワ (パスワード)
        [0xEF, 0xBD, 0xBD, 0xEF, 0xBE, 0x9C],  // ｽﾜ (ﾊﾟｽﾜｰﾄﾞ)
        [0xE8, 0xA8, 0xBC, 0xE7, 0x95, 0xAA],  // 証番 (暗証番号)
        [0xE5, 0x87, 0x8D, 0xE3, 0x82, 0xAD],  // 凍キ (解凍キー)
    ]

    static func mayHoldKeyword(bytes b: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = b.count
        var i = 0
        while i < n {
            let c = b[i]
            switch c {
            case UInt8(ascii: "p"), UInt8(ascii: "P"):
                if i + 1 < n, b[i + 1] | 0x20 == UInt8(ascii: "w") { return true }
                if i + 3 < n, b[i + 1] | 0x20 == UInt8(ascii: "a"), b[i + 2] | 0x20 == UInt8(ascii: "s"), b[i + 3] | 0x20 == UInt8(ascii: "s") { return true }
            case 0xE3, 0xE5, 0xE8, 0xEF:
                // U+F900–U+FAFF: EF A4 80 – EF AB BF
                if c == 0xEF, i + 1 < n, (0xA4...0xAB).contains(b[i + 1]) { return true }
                if i + 5 < n {
                    for w in witnesses where w[0] == c && b[i + 1] == w[1] && b[i + 2] == w[2] && b[i + 3] == w[3] && b[i + 4] == w[4] && b[i + 5] == w[5] {
                        return true
                    }
                }
            case 0xF0:  // U+2F800–U+2FA1F F0 AF A0 80 – F0 AF A8 9F
                if i + 1 < n, b[i + 1] == 0xAF { return true }
            default:
                break
            }
            i += 1
        }
        return false
    }

    /// The password on a line of its own below the keyword's line, past up to two blank lines: after a line that
    /// ends with the keyword ("【パスワード】"), the token that starts the next line; after one that goes on in words
    /// ("パスワードは以下のとおりです。"), only a line that is one token and nothing else.
    static func below(_ lines: [Substring], _ index: Int, keywordEndsLine: Bool) -> String? {
        var k = index + 1
        while k < lines.count, k <= index + 3 {
            let next = lines[k].drop { $0 == " " || $0 == "\t" }
            if next.allSatisfy({ $0 == " " || $0 == "\t" }) {
                k += 1
                continue
            }
            guard let token = takeToken(next) else { return nil }
            if keywordEndsLine { return token }
            return next.trimmingTrailingBlanks() == token ? token : nil
        }
        return nil
    }

    /// What a short message without attachments gives as passwords: the password notice of a PPAP pair
    /// (「パスワードのお知らせ」). Its keyword candidates, or, when it names none, each line that is only a
    /// password-like token (6 to 32 characters, letters with digits or symbols, or 6 digits or more), with
    /// source `body-token:<mime path>`. Empty for longer mail, which is not a notice.
    public static func notice(in texts: [(location: String, text: String)]) -> [PasswordCandidate] {
        guard texts.reduce(0, { $0 + $1.text.utf8.count }) <= 8_192 else { return [] }
        let folded = texts.map { ($0.location, fold($0.text)) }
        let found = candidates(folded: folded)
        if !found.isEmpty { return found }
        var tokens: [PasswordCandidate] = []
        var seen = Set<String>()
        for (location, text) in folded {
            guard let lines = shortLines(text, atMost: 20) else { continue }
            for line in lines where passwordLike(line) && seen.insert(line).inserted {
                tokens.append(PasswordCandidate(value: line, source: "body-token:\(location)"))
            }
        }
        return tokens
    }

    /// The lines of `text` that hold something other than spaces and tabs, those trimmed off both ends; nil when
    /// there are more than `limit`. Split on CR and LF bytes, which is where Swift's Characters split too (CR LF is
    /// one Character, and nothing combines with a line end); only all-ASCII lines can be password-like, and for
    /// those bytes and Characters are the same.
    static func shortLines(_ text: String, atMost limit: Int) -> [String]? {
        var text = text
        return text.withUTF8 { b -> [String]? in
            var lines: [String] = []
            var i = 0
            let n = b.count
            while i < n {
                var end = i
                while end < n, b[end] != 0x0A, b[end] != 0x0D { end += 1 }
                var start = i, stop = end
                while start < stop, b[start] == 0x20 || b[start] == 0x09 { start += 1 }
                while stop > start, b[stop - 1] == 0x20 || b[stop - 1] == 0x09 { stop -= 1 }
                if start < stop {
                    if lines.count == limit { return nil }
                    lines.append(String(decoding: UnsafeBufferPointer(rebasing: b[start..<stop]), as: UTF8.self))
                }
                i = end + 1
            }
            return lines
        }
    }

    /// One token that looks generated: 6 to 32 printable ASCII characters without spaces, letters with digits or
    /// symbols, or only digits (at least 6); not an address, a URL or a date.
    static func passwordLike(_ s: String) -> Bool {
        // Printable ASCII only, so bytes are characters.
        let b = Array(s.utf8)
        guard (6...32).contains(b.count), b.allSatisfy({ $0 > 0x20 && $0 < 0x7F }), !b.contains(0x40),
              ASCIIText.find("://", in: b) == nil, !s.hasPrefix("www.") else { return false }
        func isLetter(_ c: UInt8) -> Bool { (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A }
        let digits = b.filter { $0 >= 0x30 && $0 <= 0x39 }.count, letters = b.filter(isLetter).count
        let others = b.count - digits - letters
        if digits == b.count { return true }
        if b.contains(0x2F) || b.contains(0x3A) { return false }  // dates, times, paths
        return letters > 0 && (digits > 0 || others > 0) && !(others > 0 && digits == 0 && b.allSatisfy { isLetter($0) || $0 == 0x2D || $0 == 0x2E })
    }

    /// Printable ASCII up to white space or a closing bracket/Japanese punctuation; 3 to 64 characters.
    static func takeToken(_ s: Substring) -> String? {
        var token = ""
        for ch in s {
            guard let a = ch.asciiValue, a > 0x20, a < 0x7F else { break }
            token.append(ch)
        }
        while let last = token.last, ".,;)]}>\"'".contains(last) { token.removeLast() }
        guard token.count >= 3, token.count <= 64 else { return nil }
        return token
    }

    /// Full-width ASCII (U+FF01–U+FF5E) and the ideographic space folded to ASCII.
    static func fold(_ s: String) -> String {
        // Both are three bytes: U+FF01–U+FF5E EF BC 81 – EF BD 9E, U+3000 E3 80 80. Most text has neither.
        var s = s
        let plain = s.withUTF8 { b in
            var i = 0
            while i + 2 < b.count {
                if (b[i] == 0xEF && (b[i + 1] == 0xBC || b[i + 1] == 0xBD)) || (b[i] == 0xE3 && b[i + 1] == 0x80 && b[i + 2] == 0x80) { return false }
                i += 1
            }
            return true
        }
        if plain { return s }
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars {
            if u.value >= 0xFF01 && u.value <= 0xFF5E, let a = Unicode.Scalar(u.value - 0xFEE0) { out.append(a) }
            else if u.value == 0x3000 { out.append(" ") }
            else { out.append(u) }
        }
        return String(out)
    }
}

/// Byte searches in ASCII text.
enum ASCIIText {
    static func find(_ needle: String, in haystack: [UInt8]) -> Int? {
        let n = Array(needle.utf8)
        guard !n.isEmpty, haystack.count >= n.count else { return nil }
        for i in 0...(haystack.count - n.count) where haystack[i] == n[0] && haystack[i..<(i + n.count)].elementsEqual(n) { return i }
        return nil
    }
}

extension StringProtocol {
    /// Without the spaces and tabs at its end.
    func trimmingTrailingBlanks() -> String {
        var end = endIndex
        while end > startIndex, let last = self[..<end].last, last == " " || last == "\t" { end = index(before: end) }
        return String(self[..<end])
    }
}

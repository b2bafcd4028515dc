public import SpearCore
import SpearMIME

/// Which lines of a text body are a signature or a newsletter footer: a link there is the sender's own site or an
/// unsubscribe page, not what the message is about. The indicator is still listed, marked, so an analyst can tell a
/// lure's link from a company's signature at a glance.
enum TextContext {
    /// Words of an unsubscribe line, in English and Japanese.
    static let footerWords = ["unsubscribe", "opt-out", "opt out", "配信停止", "配信解除", "配信の停止", "登録解除",
                              "購読解除", "配信を停止", "メール配信の変更"]
    /// Characters a signature box line is drawn with (a line of at least eight of them, nothing else).
    private static let ruleCharacters: Set<Character> = ["-", "=", "_", "*", "~", "─", "━", "＝", "＿", "＊", "～", "■", "□",
                                                         "◆", "◇", "・", "‐", "-", "‥", "…", "+", "#"]

    /// The footer words as bytes, ASCII ones lower case.
    private static let footerKeys: [[UInt8]] = footerWords.map { Array($0.utf8) }

    /// The context of each line of `text` (lines end at LF bytes, as `URLScanner` counts them). Reads bytes; a
    /// line is made a String only when it may be a rule line.
    static func lines(of text: [UInt8]) -> [Indicator.Context] {
        var starts = [0]
        for (k, c) in text.enumerated() where c == 0x0A { starts.append(k + 1) }
        var contexts = [Indicator.Context](repeating: .content, count: starts.count)
        func line(_ k: Int) -> ArraySlice<UInt8> {
            var end = k + 1 < starts.count ? starts[k + 1] - 1 : text.count
            if end > starts[k], text[end - 1] == 0x0D { end -= 1 }
            return text[starts[k]..<end]
        }
        // The signature starts at the last delimiter in the second half of the text.
        if let start = (starts.count / 2..<starts.count).reversed().first(where: { isDelimiter(line($0)) }) {
            for k in start..<starts.count { contexts[k] = .signature }
        }
        if mentionsUnsubscribe(text[...]) {
            for k in 0..<starts.count where mentionsUnsubscribe(line(k)) {
                for j in max(0, k - 2)...min(starts.count - 1, k + 2) { contexts[j] = .footer }
            }
        }
        return contexts
    }

    /// Whether the bytes hold a footer word (ASCII ones in any case), without making a String.
    static func mentionsUnsubscribe(_ b: ArraySlice<UInt8>) -> Bool {
        guard b.count >= 6 else { return false }
        for i in b.indices {
            let c = b[i] | (b[i] >= 0x41 && b[i] <= 0x5A ? 0x20 : 0)
            for key in footerKeys where key[0] == c && i + key.count <= b.endIndex {
                var k = 1
                while k < key.count {
                    let x = b[i + k]
                    if (x >= 0x41 && x <= 0x5A ? x | 0x20 : x) != key[k] { break }
                    k += 1
                }
                if k == key.count { return true }
            }
        }
        return false
    }

    /// `-- `, or a line of at least eight rule characters and nothing else.
    private static func isDelimiter(_ line: ArraySlice<UInt8>) -> Bool {
        if line.elementsEqual("-- ".utf8) || line.elementsEqual("--".utf8) { return true }
        // Rule characters start with one of these bytes; anything else cannot be a rule line.
        guard let first = line.first(where: { $0 != 0x20 && $0 != 0x09 }), line.count >= 8,
              [0x2D, 0x3D, 0x5F, 0x2A, 0x7E, 0x2B, 0x23, 0xE2, 0xE3, 0xEF].contains(first) else { return false }
        let trimmed = String(decoding: line, as: UTF8.self).trimmingCharacters(in: HTMLLinks.blanks)
        return trimmed.count >= 8 && trimmed.allSatisfy { ruleCharacters.contains($0) }
    }
}

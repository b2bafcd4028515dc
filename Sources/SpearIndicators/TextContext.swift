public import SpearCore

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

    /// The context of each line of `text` (lines end at LF bytes, as `URLScanner` counts them).
    static func lines(of text: String) -> [Indicator.Context] {
        let lines = text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).map { Substring($0) }
        var contexts = [Indicator.Context](repeating: .content, count: lines.count)
        // The signature starts at the last delimiter in the second half of the text.
        if let start = lines.indices.last(where: { $0 >= lines.count / 2 && isDelimiter(lines[$0]) }) {
            for k in start..<lines.count { contexts[k] = .signature }
        }
        for (k, line) in lines.enumerated() where mentionsUnsubscribe(line) {
            for j in max(0, k - 2)...min(lines.count - 1, k + 2) { contexts[j] = .footer }
        }
        return contexts
    }

    static func mentionsUnsubscribe(_ text: some StringProtocol) -> Bool {
        let lower = text.lowercased()
        return footerWords.contains { lower.contains($0) }
    }

    private static func isDelimiter(_ line: Substring) -> Bool {
        let t = line.utf8.last == 0x0D ? Substring(line.utf8.dropLast()) : line
        if t == "-- " || t == "--" { return true }
        let trimmed = t.trimmingSpaces
        return trimmed.count >= 8 && trimmed.allSatisfy { ruleCharacters.contains($0) }
    }
}

extension StringProtocol {
    var trimmingSpaces: SubSequence {
        var s = self[...]
        while let f = s.first, f == " " || f == "\t" || f == "\u{3000}" || f == "\r" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\u{3000}" || l == "\r" { s = s.dropLast() }
        return s
    }
}

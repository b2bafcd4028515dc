/// `tag=value; tag=value` lists (DKIM-Signature, DKIM key records, DMARC records), RFC 6376 §3.2.
enum TagList {
    /// Tags in order; names lower-cased, values with surrounding white space trimmed. Nil for a syntax error.
    static func parse(_ text: String) -> [(String, String)]? {
        var result: [(String, String)] = []
        for piece in text.split(separator: ";", omittingEmptySubsequences: false) {
            let trimmed = piece.trimmingWhitespace()
            if trimmed.isEmpty { continue }
            guard let eq = trimmed.firstIndex(of: "=") else { return nil }
            let name = trimmed[..<eq].trimmingWhitespace().lowercased()
            let value = trimmed[trimmed.index(after: eq)...].trimmingWhitespace()
            guard !name.isEmpty else { return nil }
            result.append((name, String(value)))
        }
        return result
    }

    static func dictionary(_ text: String) -> [String: String]? {
        guard let list = parse(text) else { return nil }
        var d: [String: String] = [:]
        for (k, v) in list where d[k] == nil { d[k] = v }
        return d
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> Substring {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\r" || f == "\n" || f == "\r\n" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" || l == "\n" || l == "\r\n" { s = s.dropLast() }
        return s
    }

    /// The value with all white space removed (base64 tag values may be folded). By UTF-8 byte: a Character
    /// filter was 7 % of sender scoring (callgrind); base64 is ASCII, and other bytes are kept as they are.
    var withoutWhitespace: String {
        String(decoding: utf8.filter { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D && $0 != 0x0A }, as: UTF8.self)
    }
}

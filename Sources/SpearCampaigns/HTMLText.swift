import SpearCore

/// HTML reduced to its visible text, enough for fingerprinting: tags become line breaks or spaces, script, style,
/// head and comments vanish, character references are decoded. Not a renderer; bounded linear scan.
enum HTMLText {
    static func reduce(_ html: String) -> String {
        let bytes = Array(html.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count / 2)
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b == UInt8(ascii: "<") {
                if hasPrefix(bytes, i, "<!--") {
                    i = find(bytes, from: i + 4, "-->").map { $0 + 3 } ?? n
                    continue
                }
                let name = tagName(bytes, i + 1)
                let close = bytes[i + 1 < n ? i + 1 : i] == UInt8(ascii: "/")
                guard let gt = bytes[i...].firstIndex(of: UInt8(ascii: ">")) else { break }
                i = gt + 1
                if !close, ["script", "style", "head", "title"].contains(name) {
                    // Skip to the matching end tag.
                    i = find(bytes, from: i, "</" + name, caseInsensitive: true).map { e in
                        (bytes[e...].firstIndex(of: UInt8(ascii: ">")) ?? n - 1) + 1
                    } ?? n
                    continue
                }
                out.append(blockTags.contains(name) ? UInt8(ascii: "\n") : UInt8(ascii: " "))
                continue
            }
            if b == UInt8(ascii: "&"), let (scalar, length) = HTMLCharacterReference.scalar(bytes, at: i) {
                out.append(contentsOf: Array(String(Character(scalar)).utf8))
                i += length
                continue
            }
            out.append(b == UInt8(ascii: "\r") || b == UInt8(ascii: "\n") ? UInt8(ascii: " ") : b)
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static let blockTags: Set<String> = [
        "br", "p", "div", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "blockquote", "pre", "hr",
    ]

    private static func tagName(_ b: [UInt8], _ start: Int) -> String {
        var i = start
        if i < b.count, b[i] == UInt8(ascii: "/") { i += 1 }
        let s = i
        while i < b.count {
            let lower = b[i] | 0x20
            let letter = lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "z")
            let digit = i > s && b[i] >= UInt8(ascii: "0") && b[i] <= UInt8(ascii: "9")
            guard letter || digit else { break }
            i += 1
        }
        return String(decoding: b[s..<i], as: UTF8.self).lowercased()
    }

    private static func hasPrefix(_ b: [UInt8], _ at: Int, _ p: String) -> Bool {
        let u = Array(p.utf8)
        return at + u.count <= b.count && Array(b[at..<at + u.count]) == u
    }

    private static func find(_ b: [UInt8], from: Int, _ needle: String, caseInsensitive: Bool = false) -> Int? {
        let u = Array(needle.utf8)
        guard !u.isEmpty, from + u.count <= b.count else { return nil }
        var i = from
        while i + u.count <= b.count {
            var k = 0
            while k < u.count, (caseInsensitive ? (b[i + k] | 0x20) == (u[k] | 0x20) : b[i + k] == u[k]) { k += 1 }
            if k == u.count { return i }
            i += 1
        }
        return nil
    }
}

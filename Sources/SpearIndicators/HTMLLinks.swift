import SpearCore
import SpearMIME

/// The links of an HTML body: `href` of `<a>` and `<area>` with the text shown for them, `src` of images,
/// scripts and frames, `action` of forms. Read from the bytes with a small tag scanner (no DOM): only absolute
/// http(s) and ftp targets, and protocol-relative ones (`//host/…`), are kept.
struct HTMLLinks {
    struct Link: Equatable {
        var url: String
        var host: String
        /// `href`, `src` or `action`.
        var attribute: String
        /// The text shown for an `<a>` link, tags removed and white space collapsed (nil for other attributes).
        var shown: String?
        /// Byte offset of the tag, for its context.
        var offset: Int
    }

    /// What a target and a link's text are trimmed of: ASCII blanks and the ideographic space.
    static let blanks = " \t\r\n\u{3000}"

    /// The tags that link, and the attribute that holds the target.
    private static let linking: [(name: [UInt8], attribute: String)] = [
        ("a", "href"), ("img", "src"), ("area", "href"), ("script", "src"), ("iframe", "src"), ("frame", "src"),
        ("embed", "src"), ("form", "action"), ("link", "href"),
    ].map { (Array($0.0.utf8), $0.1) }

    private static func sameName(_ bytes: ArraySlice<UInt8>, _ name: [UInt8]) -> Bool {
        bytes.count == name.count && zip(bytes, name).allSatisfy { $0 | 0x20 == $1 }
    }

    /// At most `limit` links, in order; `more` when there were more.
    static func find(in b: [UInt8], limit: Int) -> (links: [Link], more: Bool) {
        var links: [Link] = []
        var i = 0
        while i < b.count {
            guard let lt = b[i...].firstIndex(of: 0x3C) else { break }
            let nameStart = lt + 1
            var nameEnd = nameStart
            while nameEnd < b.count, isNameByte(b[nameEnd]) { nameEnd += 1 }
            guard let gt = tagEnd(b, from: nameEnd) else { break }
            if let (name, attribute) = linking.first(where: { sameName(b[nameStart..<nameEnd], $0.name) }),
               let raw = value(of: attribute, in: b[nameEnd..<gt]) {
                let target = HTMLCharacterReference.decode(raw).trimmingCharacters(in: Self.blanks)
                if let (url, host) = absolute(target) {
                    if links.count == limit { return (links, true) }
                    var shown: String?
                    if name == [0x61] { shown = linkText(b, from: gt + 1) }
                    links.append(Link(url: url, host: host, attribute: attribute, shown: shown, offset: lt))
                }
            }
            i = gt + 1
        }
        return (links, false)
    }

    /// The text a reader sees, for URLs written out rather than linked: tags removed (each leaves a space), the text
    /// of links left out (it is judged against the link's target instead), the few entities decoded.
    static func visibleText(_ b: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(b.count / 2)
        var inAnchor = false
        var i = 0
        while i < b.count {
            guard b[i] == 0x3C else {
                if !inAnchor { out.append(b[i]) }
                i += 1
                continue
            }
            guard let gt = tagEnd(b, from: i + 1) else { break }
            var k = i + 1
            let closing = k < gt && b[k] == 0x2F
            if closing { k += 1 }
            if k < gt, b[k] | 0x20 == 0x61, k + 1 == gt || !isNameByte(b[k + 1]) { inAnchor = !closing }
            out.append(0x20)
            i = gt + 1
        }
        return HTMLCharacterReference.decode(out)
    }

    /// The URL and host of an absolute or protocol-relative target.
    private static func absolute(_ target: String) -> (String, String)? {
        var url = target
        if url.hasPrefix("//") { url = "http:" + url }
        let lower = url.lowercased()
        guard let scheme = ["https://", "http://", "ftp://"].first(where: { lower.hasPrefix($0) }) else { return nil }
        let bytes = Array(url.utf8.prefix { URLScanner.isURLByte($0) })
        guard let host = URLScanner.host(of: bytes, schemeLength: scheme.utf8.count) else { return nil }
        return (String(decoding: bytes, as: UTF8.self), host)
    }

    /// The index of the `>` that closes a tag, quotes respected.
    private static func tagEnd(_ b: [UInt8], from: Int) -> Int? {
        var quote: UInt8?
        var k = from
        while k < b.count {
            let c = b[k]
            if let q = quote { if c == q { quote = nil } } else if c == 0x22 || c == 0x27 { quote = c } else if c == 0x3E { return k }
            k += 1
        }
        return nil
    }

    /// The value of `name` among a tag's attributes (quoted or not).
    private static func value(of name: String, in tag: ArraySlice<UInt8>) -> String? {
        let key = Array(name.utf8)
        var k = tag.startIndex
        while k < tag.endIndex {
            // At an attribute name: compare, then skip to its value.
            while k < tag.endIndex, !isNameByte(tag[k]) { k += 1 }
            let start = k
            while k < tag.endIndex, isNameByte(tag[k]) { k += 1 }
            let matched = k - start == key.count && zip(tag[start..<k], key).allSatisfy { $0 | 0x20 == $1 }
            var j = k
            while j < tag.endIndex, tag[j] == 0x20 || tag[j] == 0x09 || tag[j] == 0x0A || tag[j] == 0x0D { j += 1 }
            guard j < tag.endIndex, tag[j] == 0x3D else { continue }
            j += 1
            while j < tag.endIndex, tag[j] == 0x20 || tag[j] == 0x09 || tag[j] == 0x0A || tag[j] == 0x0D { j += 1 }
            guard j < tag.endIndex else { return nil }
            let valueStart: Int
            let valueEnd: Int
            if tag[j] == 0x22 || tag[j] == 0x27 {
                let q = tag[j]
                valueStart = j + 1
                valueEnd = tag[valueStart...].firstIndex(of: q) ?? tag.endIndex
                k = min(tag.endIndex, valueEnd + 1)
            } else {
                valueStart = j
                var e = j
                while e < tag.endIndex, tag[e] != 0x20, tag[e] != 0x09, tag[e] != 0x0A, tag[e] != 0x0D { e += 1 }
                valueEnd = e
                k = e
            }
            if matched { return String(decoding: tag[valueStart..<valueEnd], as: UTF8.self) }
        }
        return nil
    }

    /// The text of an `<a>` element up to its `</a>`, tags removed, white space collapsed (at most 300 bytes read).
    private static func linkText(_ b: [UInt8], from: Int) -> String {
        var out: [UInt8] = []
        var k = from
        var inTag = false
        let end = min(b.count, from + 4096)
        while k < end, out.count < 300 {
            let c = b[k]
            if c == 0x3C {
                if k + 3 < b.count, b[k + 1] == 0x2F, b[k + 2] | 0x20 == 0x61, !isNameByte(b[k + 3]) { break }
                inTag = true
            } else if c == 0x3E, inTag {
                inTag = false
            } else if !inTag {
                let space = c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D
                if !(space && (out.isEmpty || out.last == 0x20)) { out.append(space ? 0x20 : c) }
            }
            k += 1
        }
        return HTMLCharacterReference.decode(String(decoding: out, as: UTF8.self)).trimmingCharacters(in: Self.blanks)
    }

    private static func isNameByte(_ c: UInt8) -> Bool {
        (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39) || c == 0x2D || c == 0x5F || c == 0x3A
    }
}

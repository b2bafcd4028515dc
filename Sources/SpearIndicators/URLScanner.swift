/// Finds URLs in text as people write them in mail: `https://…` and `www.…`, in full-width characters
/// (ｈｔｔｐｓ：／／), obfuscated so as not to be clickable (`hxxp://`, `example[.]com`, `[:]`), inside 「」 or angle
/// brackets that may span lines, and cut by a line wrap. Works on the text's UTF-8 bytes; a URL ends at white space,
/// quotes, angle brackets or the first non-ASCII character (Japanese text runs on after a URL without a space).
struct URLScanner {
    struct Found: Equatable {
        var url: String
        /// The host, lower case (no port, no user).
        var host: String
        var obfuscated: Bool
        /// The line the URL starts on (0-based), for its context.
        var line: Int
    }

    /// Lines a wrapped URL is joined over only when the line it starts on is at least this long.
    static let wrapWidth = 70

    /// At most `limit` URLs, in order; `more` when there were more.
    static func find(in text: String, limit: Int) -> (found: [Found], more: Bool) {
        find(in: Array(text.utf8), limit: limit)
    }

    static func find(in text: [UInt8], limit: Int) -> (found: [Found], more: Bool) {
        let (b, obf) = needsPreparing(text) ? prepare(text) : (text, nil)
        var found: [Found] = []
        var line = 0
        var lineStart = 0
        var i = 0
        let n = b.count
        while i < n {
            let c = b[i]
            if c == 0x0A { line += 1; lineStart = i + 1; i += 1; continue }
            guard c | 0x20 == 0x68 || c | 0x20 == 0x77 || c | 0x20 == 0x66, i == 0 || !isWordByte(b[i - 1]),
                  let prefix = schemePrefix(b, i) else { i += 1; continue }
            var (urlBytes, end) = extend(b, from: i, lineStart: lineStart)
            trimTrailing(&urlBytes)
            if let host = host(of: urlBytes, schemeLength: prefix) {
                if found.count == limit { return (found, true) }
                var url = String(decoding: urlBytes, as: UTF8.self)
                if prefix == 0 { url = "http://" + url }
                let obfuscated = obf.map { flags in flags[i..<min(end, flags.count)].contains(true) } ?? false
                found.append(Found(url: url, host: host, obfuscated: obfuscated, line: line))
            }
            // Lines crossed by a joined URL still count.
            for k in i..<end where b[k] == 0x0A { line += 1; lineStart = k + 1 }
            i = max(end, i + 1)
        }
        return (found, false)
    }

    /// Whether the text has full-width characters or brackets or an `h` that defanging may have made; most mail
    /// has neither brackets nor full-width URLs, and is scanned as it is.
    private static func needsPreparing(_ s: [UInt8]) -> Bool {
        var i = 0
        while i < s.count {
            let c = s[i]
            if c == 0xEF || c == 0x5B || c == 0x28 || c == 0x7B { return true }
            if c | 0x20 == 0x68, i + 1 < s.count, s[i + 1] | 0x20 == 0x78 || s[i + 1] == 0x2A { return true }
            i += 1
        }
        return false
    }

    /// Full-width ASCII folded to ASCII and defanging undone, in one pass; the flags mark bytes that came from
    /// defanging (nil when there was none).
    static func prepare(_ s: [UInt8]) -> ([UInt8], [Bool]?) {
        var out: [UInt8] = []
        out.reserveCapacity(s.count)
        var flags: [Bool]?
        func mark(_ from: Int) {
            if flags == nil { flags = [Bool](repeating: false, count: from) }
            while flags!.count < out.count { flags!.append(true) }
        }
        func plain() { if flags != nil { while flags!.count < out.count { flags!.append(false) } } }
        var i = 0
        let n = s.count
        while i < n {
            let c = s[i]
            // U+FF01…U+FF5E (full-width ASCII) are EF BC 81…BF and EF BD 80…9E.
            if c == 0xEF, i + 2 < n, (s[i + 1] == 0xBC && s[i + 2] >= 0x81) || (s[i + 1] == 0xBD && s[i + 2] <= 0x9E) {
                let cp = (Int(s[i + 1] & 0x3F) << 6) | Int(s[i + 2] & 0x3F)  // low 12 bits of U+FFxx
                out.append(UInt8(0x21 + (cp - 0xF01)))
                plain()
                i += 3
                continue
            }
            if c == 0x5B || c == 0x28 || c == 0x7B {  // [ ( {
                if let (replacement, length) = defangBracket(s, i) {
                    let start = out.count
                    out.append(contentsOf: replacement)
                    mark(start)
                    i += length
                    continue
                }
            } else if c | 0x20 == 0x68, i + 3 < n, s[i + 3] | 0x20 == 0x70,
                      (s[i + 1] | 0x20 == 0x78 && s[i + 2] | 0x20 == 0x78) || (s[i + 1] == 0x2A && s[i + 2] == 0x2A) {
                // hxxp, hXXp, h**p
                let start = out.count
                out.append(contentsOf: [0x68, 0x74, 0x74, 0x70])
                mark(start)
                i += 4
                continue
            }
            out.append(c)
            plain()
            i += 1
        }
        plain()
        return (out, flags)
    }

    /// `[.]`, `(.)`, `{.}`, `[dot]`, `(dot)`, `[:]`, `[://]`, `[@]` at `i`: what they stand for, and their length.
    private static func defangBracket(_ s: [UInt8], _ i: Int) -> ([UInt8], Int)? {
        let close: UInt8 = s[i] == 0x5B ? 0x5D : s[i] == 0x28 ? 0x29 : 0x7D
        var j = i + 1
        while j < s.count, j - i <= 5, s[j] != close { j += 1 }
        guard j < s.count, s[j] == close else { return nil }
        let inner = s[(i + 1)..<j].map { $0 | 0x20 }
        switch inner {
        case [0x2E], Array("dot".utf8): return ([0x2E], j - i + 1)
        case [0x3A | 0x20]: return ([0x3A], j - i + 1)
        case Array("://".utf8).map({ $0 | 0x20 }): return (Array("://".utf8), j - i + 1)
        case [0x40 | 0x20]: return ([0x40], j - i + 1)
        default: return nil
        }
    }

    /// The scheme's length with `://` (`https://` 8), 0 for `www.`, nil when neither starts at `i`.
    private static func schemePrefix(_ b: [UInt8], _ i: Int) -> Int? {
        for scheme in ["https://", "http://", "ftp://", "www."] where matches(b, i, scheme) {
            if scheme == "www." { return i + 4 < b.count && isHostByte(b[i + 4]) ? 0 : nil }
            return scheme.utf8.count
        }
        return nil
    }

    private static func matches(_ b: [UInt8], _ i: Int, _ word: String) -> Bool {
        var k = i
        for w in word.utf8 {
            guard k < b.count, b[k] | (w >= 0x61 && w <= 0x7A ? 0x20 : 0) == w else { return false }
            k += 1
        }
        return true
    }

    /// The URL's bytes from `start`, joined over line breaks inside <…> or 「…」, or when a full line was
    /// wrapped in the middle of it; the index where scanning goes on.
    private static func extend(_ b: [UInt8], from start: Int, lineStart: Int) -> ([UInt8], Int) {
        let angle = start > 0 && b[start - 1] == 0x3C
        let kagi = start >= 3 && b[start - 3] == 0xE3 && b[start - 2] == 0x80 && b[start - 1] == 0x8C
        var out: [UInt8] = []
        var j = start
        var currentLineStart = lineStart
        while true {
            while j < b.count, isURLByte(b[j]) { out.append(b[j]); j += 1 }
            guard j < b.count, b[j] == 0x0D || b[j] == 0x0A else { break }
            // At a line break: go on inside brackets, or after a full line whose next line goes on with URL text.
            var k = j
            if b[k] == 0x0D { k += 1 }
            guard k < b.count, b[k] == 0x0A else { break }
            k += 1
            if angle || kagi {
                while k < b.count, b[k] == 0x20 || b[k] == 0x09 { k += 1 }
                guard k < b.count, isURLByte(b[k]) else { break }
            } else {
                guard j - currentLineStart >= wrapWidth, continuesURL(b, k) else { break }
            }
            currentLineStart = k
            j = k
        }
        return (out, j)
    }

    /// Whether the line at `k` starts with a run of URL characters that looks like the rest of a URL (a path,
    /// query or digits), not a word of prose.
    private static func continuesURL(_ b: [UInt8], _ k: Int) -> Bool {
        var j = k
        var urlish = false
        while j < b.count, isURLByte(b[j]) {
            let c = b[j]
            if c == 0x2F || c == 0x3F || c == 0x3D || c == 0x26 || c == 0x25 || c == 0x23 || c == 0x5F || (c >= 0x30 && c <= 0x39) { urlish = true }
            j += 1
        }
        guard j > k, urlish else { return false }
        return j == b.count || b[j] == 0x0D || b[j] == 0x0A || b[j] == 0x20 || b[j] == 0x09 || b[j] >= 0x80
    }

    /// Punctuation that ends a sentence, not the URL; a closing bracket without its opening one.
    private static func trimTrailing(_ u: inout [UInt8]) {
        while let last = u.last {
            switch last {
            case 0x2E, 0x2C, 0x3B, 0x3A, 0x21, 0x3F: u.removeLast()
            case 0x29 where u.filter({ $0 == 0x28 }).count < u.filter({ $0 == 0x29 }).count: u.removeLast()
            case 0x5D where u.filter({ $0 == 0x5B }).count < u.filter({ $0 == 0x5D }).count: u.removeLast()
            default: return
            }
        }
    }

    /// The host of a URL, lower case, when it is a plausible one: labels of letters, digits and hyphens with a dot,
    /// an IPv4 address, or a bracketed IPv6 address.
    static func host(of url: [UInt8], schemeLength: Int) -> String? {
        var h = url[schemeLength...]
        if let end = h.firstIndex(where: { $0 == 0x2F || $0 == 0x3F || $0 == 0x23 }) { h = h[..<end] }
        if let at = h.lastIndex(of: 0x40) { h = h[(at + 1)...] }
        if h.first == 0x5B {
            guard let close = h.firstIndex(of: 0x5D), close > h.startIndex + 2 else { return nil }
            let inner = h[(h.startIndex + 1)..<close]
            guard inner.allSatisfy({ isHexByte($0) || $0 == 0x3A || $0 == 0x2E }), inner.contains(0x3A) else { return nil }
            return "[" + String(decoding: inner, as: UTF8.self).lowercased() + "]"
        }
        if let colon = h.firstIndex(of: 0x3A) {
            guard h[(colon + 1)...].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
            h = h[..<colon]
        }
        while h.last == 0x2E { h = h.dropLast() }
        guard h.count >= 3, h.count <= 253, h.contains(0x2E), h.first != 0x2E, h.first != 0x2D,
              h.allSatisfy(isHostByte) else { return nil }
        let text = String(decoding: h, as: UTF8.self).lowercased()
        let labels = text.split(separator: ".", omittingEmptySubsequences: false)
        guard !labels.contains(where: \.isEmpty), let tld = labels.last else { return nil }
        if tld.allSatisfy(\.isNumber) {
            // A dotted quad, or nothing.
            guard labels.count == 4, labels.allSatisfy({ $0.count <= 3 && $0.allSatisfy(\.isNumber) && Int($0)! <= 255 }) else { return nil }
            return text
        }
        return tld.count >= 2 && tld.allSatisfy({ $0.isLetter || $0 == "-" }) ? text : nil
    }

    static func isURLByte(_ c: UInt8) -> Bool {
        c > 0x20 && c < 0x7F && c != 0x22 && c != 0x27 && c != 0x3C && c != 0x3E && c != 0x60 && c != 0x5C && c != 0x7B && c != 0x7D
            && c != 0x7C && c != 0x5E
    }

    private static func isHostByte(_ c: UInt8) -> Bool {
        (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39) || c == 0x2D || c == 0x2E
    }

    private static func isHexByte(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c | 0x20 >= 0x61 && c | 0x20 <= 0x66)
    }

    private static func isWordByte(_ c: UInt8) -> Bool {
        (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39) || c == 0x2E || c == 0x2F || c == 0x40
    }
}

import SpearCore

/// URLs in scripts (JScript, VBScript, PowerShell, batch): the script's string literals, with literals joined by
/// `+` or `&` read as one (`"ht" + "tp://…"`), and the rest of the text (comments, unquoted batch arguments, with
/// batch's `^` escapes removed). A URL that only appears once literals are joined is marked obfuscated.
enum ScriptStrings {
    enum Language {
        case jscript, vbscript, powershell, batch

        /// By the file's extension; an HTML application or a script component (`.hta`, `.wsf`, `.sct`) by the
        /// language its script elements name.
        init(filename: String?, content: [UInt8] = []) {
            let ext = filename.flatMap { name in name.lastIndex(of: ".").map { name[name.index(after: $0)...].lowercased() } } ?? ""
            switch ext {
            case "vbs", "vbe", "vba": self = .vbscript
            case "ps1", "psm1", "psd1": self = .powershell
            case "bat", "cmd": self = .batch
            case "hta", "wsf", "sct", "html", "htm":
                let head = Array(content.prefix(64 << 10))
                func says(_ word: String) -> Bool { TextBytes.find(ignoringCase: word, in: head) != nil }
                self = says("vbscript") && !says("javascript") && !says("jscript") ? .vbscript : .jscript
            default: self = .jscript
            }
        }

        var quotes: [UInt8] {
            switch self {
            case .jscript: return [0x22, 0x27, 0x60]
            case .vbscript: return [0x22]
            case .powershell: return [0x22, 0x27]
            case .batch: return []
            }
        }

        var joins: [UInt8] { self == .vbscript ? [0x2B, 0x26] : [0x2B] }
    }

    static func read(_ b: [UInt8], language: Language, into list: inout SightingList) {
        if language == .batch {
            list.addURLs(in: b.filter { $0 != 0x5E }, part: "script text")
            return
        }
        var rest = b
        var i = 0
        let n = b.count
        while i < n, !list.full {
            let c = b[i]
            if let comment = commentEnd(b, at: i, language) { i = comment; continue }
            guard language.quotes.contains(c) else { i += 1; continue }
            // A chain of literals joined by the language's operators.
            var pieces: [[UInt8]] = []
            var at = i
            while true {
                let (text, end) = literal(b, at: at, language)
                pieces.append(text)
                for k in at..<end { rest[k] = 0x20 }
                i = end
                var k = end
                while k < n, isBlank(b[k]) || (language == .vbscript && b[k] == 0x5F) { k += 1 }
                guard k < n, language.joins.contains(b[k]) else { break }
                k += 1
                while k < n, isBlank(b[k]) || (language == .vbscript && b[k] == 0x5F) { k += 1 }
                guard k < n, language.quotes.contains(b[k]) else { break }
                at = k
            }
            let joined = pieces.flatMap { $0 }
            guard joined.count >= 8 else { continue }
            let (found, more) = URLScanner.find(in: joined, limit: list.limit)
            for (k, url) in found.enumerated() {
                // Whether some literal holds the whole URL; asked of the first 20 URLs of a chain only (the search
                // costs the chain's length), the rest of a long chain counted as split when it has pieces.
                let split = pieces.count > 1 && (k >= 20 || !pieces.contains { $0.count >= url.url.utf8.count && TextBytes.find(Array(url.url.utf8), in: $0) != nil })
                list.add(.url, url.url, part: "script string", obfuscated: split || url.obfuscated)
            }
            if more { list.cut = true }
        }
        list.addURLs(in: rest, part: "script text")
    }

    private static func isBlank(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0D || c == 0x0A }

    /// Where a comment starting at `i` ends, or nil when none starts there.
    private static func commentEnd(_ b: [UInt8], at i: Int, _ language: Language) -> Int? {
        func lineEnd(_ from: Int) -> Int {
            var k = from
            while k < b.count, b[k] != 0x0A { k += 1 }
            return k
        }
        switch language {
        case .jscript:
            guard b[i] == 0x2F, i + 1 < b.count else { return nil }
            if b[i + 1] == 0x2F { return lineEnd(i) }
            if b[i + 1] == 0x2A {
                var k = i + 2
                while k + 1 < b.count, !(b[k] == 0x2A && b[k + 1] == 0x2F) { k += 1 }
                return min(b.count, k + 2)
            }
            return nil
        case .vbscript:
            return b[i] == 0x27 ? lineEnd(i) : nil
        case .powershell:
            if b[i] == 0x23 { return lineEnd(i) }
            if b[i] == 0x3C, i + 1 < b.count, b[i + 1] == 0x23 {
                var k = i + 2
                while k + 1 < b.count, !(b[k] == 0x23 && b[k + 1] == 0x3E) { k += 1 }
                return min(b.count, k + 2)
            }
            return nil
        case .batch:
            return nil
        }
    }

    /// A literal's text and where it ends: JScript's backslash escapes, VBScript's doubled quote, PowerShell's
    /// backtick and doubled quote. An unterminated literal ends at its line's end.
    private static func literal(_ b: [UInt8], at start: Int, _ language: Language) -> ([UInt8], Int) {
        let quote = b[start]
        var out: [UInt8] = []
        var i = start + 1
        while i < b.count {
            let c = b[i]
            if c == 0x0A && quote != 0x60 { return (out, i) }
            if c == quote {
                if (language == .vbscript || language == .powershell), i + 1 < b.count, b[i + 1] == quote {
                    out.append(c)
                    i += 2
                    continue
                }
                return (out, i + 1)
            }
            if language == .jscript, c == 0x5C, i + 1 < b.count {
                // \xNN and \uNNNN (ASCII only: what spells a URL), else the escaped character itself.
                let e = b[i + 1]
                let digits = e == 0x78 ? 2 : e == 0x75 ? 4 : 0
                if digits > 0, i + 1 + digits < b.count {
                    var v = 0
                    var ok = true
                    for k in 0..<digits { if let h = TextBytes.hexDigit(b[i + 2 + k]) { v = v * 16 + Int(h) } else { ok = false } }
                    if ok, v < 0x80 {
                        out.append(UInt8(v))
                        i += 2 + digits
                        continue
                    }
                }
                out.append(e)
                i += 2
                continue
            }
            if language == .powershell, quote == 0x22, c == 0x60, i + 1 < b.count {
                out.append(b[i + 1])
                i += 2
                continue
            }
            out.append(c)
            i += 1
        }
        return (out, i)
    }
}

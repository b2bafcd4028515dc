import SpearCharsets

/// The parameters of a structured header (Content-Type, Content-Disposition), decoded.
///
/// Handles RFC 2045 `name=value` and quoted strings, RFC 2231 extended values and continuations
/// (`filename*0*=UTF-8''%E8%AB…; filename*1*=…`), and the non-standard forms real mail uses: RFC 2047 encoded
/// words inside quoted values, raw UTF-8 or Shift_JIS bytes, missing semicolons, unquoted values with spaces.
public struct Parameters: Sendable {
    public struct Entry: Sendable {
        /// Lower-cased name, without RFC 2231 `*` markers.
        public var name: String
        public var value: String
        /// The value bytes as written (continuations concatenated, still percent- or RFC 2047-encoded).
        public var raw: [UInt8]
    }

    public private(set) var entries: [Entry] = []

    public init(entries: [Entry] = []) { self.entries = entries }

    /// The first value for `name` (case-insensitive).
    public subscript(name: String) -> String? {
        let key = name.lowercased()
        return entries.first { $0.name == key }?.value
    }

    public func entry(_ name: String) -> Entry? {
        let key = name.lowercased()
        return entries.first { $0.name == key }
    }

    /// Problems met while parsing, for defects.
    public enum Issue: Sendable, Equatable {
        case malformed(String)
        case duplicate(String)
        case incompleteContinuation(String)
        case text(HeaderText.Issue)
    }

    /// Parses `value` (an unfolded header value); returns the leading token (`text/plain`, `attachment`) and the
    /// parameters.
    public static func parse(_ value: [UInt8]) -> (head: ArraySlice<UInt8>, parameters: Parameters, issues: [Issue]) {
        var issues: [Issue] = []
        let s = value[...]
        var i = s.startIndex
        // The head: everything up to the first ';' (or, leniently, up to white space followed by `name=`).
        while i < s.endIndex, s[i] != ASCII.semicolon { i += 1 }
        var head = ASCII.trimmed(s[s.startIndex..<i])
        if let space = head.firstIndex(where: ASCII.isWSP), head[space...].contains(ASCII.equals) {
            // `text/plain charset=utf-8`: a missing semicolon.
            i = space
            head = head[..<space]
            issues.append(.malformed("missing ';' after \(String(decoding: head, as: UTF8.self))"))
        }

        struct RawParam { var name: String; var section: Int?; var extended: Bool; var value: ArraySlice<UInt8>; var quoted: Bool }
        var raws: [RawParam] = []
        while i < s.endIndex {
            while i < s.endIndex, ASCII.isSpace(s[i]) || s[i] == ASCII.semicolon { i += 1 }
            guard i < s.endIndex else { break }
            let nameStart = i
            while i < s.endIndex, s[i] != ASCII.equals, s[i] != ASCII.semicolon, !ASCII.isSpace(s[i]) { i += 1 }
            let nameBytes = s[nameStart..<i]
            while i < s.endIndex, ASCII.isWSP(s[i]) { i += 1 }
            guard i < s.endIndex, s[i] == ASCII.equals, !nameBytes.isEmpty else {
                if !nameBytes.isEmpty { issues.append(.malformed("parameter without value: \(String(decoding: nameBytes, as: UTF8.self))")) }
                while i < s.endIndex, s[i] != ASCII.semicolon { i += 1 }
                continue
            }
            i += 1
            while i < s.endIndex, ASCII.isWSP(s[i]) { i += 1 }
            var quoted = false
            var valueBytes: ArraySlice<UInt8>
            if i < s.endIndex, s[i] == ASCII.quote {
                quoted = true
                var unescaped: [UInt8] = []
                i += 1
                var closed = false
                while i < s.endIndex {
                    let b = s[i]
                    if b == ASCII.backslash, i + 1 < s.endIndex {
                        // Windows paths in filenames ("C:\temp\x.exe") are written unescaped; keep a backslash
                        // unless it escapes a quote or another backslash.
                        let next = s[i + 1]
                        if next == ASCII.quote || next == ASCII.backslash { unescaped.append(next); i += 2; continue }
                        unescaped.append(b); i += 1; continue
                    }
                    if b == ASCII.quote { closed = true; i += 1; break }
                    unescaped.append(b)
                    i += 1
                }
                if !closed { issues.append(.malformed("unterminated quoted value")) }
                valueBytes = unescaped[...]
            } else {
                let start = i
                while i < s.endIndex, s[i] != ASCII.semicolon, !ASCII.isWSP(s[i]) { i += 1 }
                var stop = i
                // An unquoted value with spaces (`name=my file.pdf`), unless what follows is another `name=`.
                var j = i
                while j < s.endIndex, ASCII.isWSP(s[j]) { j += 1 }
                if j < s.endIndex, s[j] != ASCII.semicolon, !looksLikeParameter(s[j...]) {
                    while i < s.endIndex, s[i] != ASCII.semicolon { i += 1 }
                    stop = i
                    while stop > start, ASCII.isWSP(s[stop - 1]) { stop -= 1 }
                    issues.append(.malformed("unquoted value with spaces"))
                } else if j < s.endIndex, s[j] != ASCII.semicolon {
                    issues.append(.malformed("missing ';' between parameters"))
                }
                valueBytes = s[start..<stop]
            }
            // RFC 2231 name forms: name*, name*N, name*N*.
            var name = ASCII.lowercasedString(nameBytes)
            var section: Int?
            var extended = false
            if name.hasSuffix("*") { extended = true; name.removeLast() }
            if let star = name.lastIndex(of: "*"), let n = Int(name[name.index(after: star)...]), n >= 0, n < 10_000 {
                section = n
                name = String(name[..<star])
            }
            raws.append(RawParam(name: name, section: section, extended: extended, value: valueBytes, quoted: quoted))
        }

        // Assemble: continuations first, in section order; an RFC 2231 value wins over a plain one.
        var result: [Entry] = []
        var order: [String] = []
        var byName: [String: [RawParam]] = [:]
        for r in raws {
            if byName[r.name] == nil { order.append(r.name) }
            byName[r.name, default: []].append(r)
        }
        for name in order {
            let group = byName[name]!
            let rfc2231 = group.filter { $0.extended || $0.section != nil }
            let plain = group.filter { !$0.extended && $0.section == nil }
            if plain.count > 1 || (rfc2231.filter { $0.section == nil }.count > 1) {
                issues.append(.duplicate(name))
            }
            if !rfc2231.isEmpty {
                var sections = rfc2231.filter { $0.section != nil }.sorted { $0.section! < $1.section! }
                if sections.isEmpty { sections = [rfc2231[0]] }
                var bytes: [UInt8] = []
                var written: [UInt8] = []
                var charset: String?
                var expected = 0
                var distinct = Set<Int>()
                for (k, part) in sections.enumerated() {
                    if let n = part.section {
                        if !distinct.insert(n).inserted { issues.append(.duplicate("\(name)*\(n)")); continue }
                        if n != expected { issues.append(.incompleteContinuation(name)) }
                        expected = n + 1
                    }
                    var v = part.value
                    written += part.value
                    if part.extended && k == 0 {
                        // charset'language'value
                        if let q1 = v.firstIndex(of: 0x27), let q2 = v[(q1 + 1)...].firstIndex(of: 0x27) {
                            let label = String(decoding: v[v.startIndex..<q1], as: UTF8.self)
                            if !label.isEmpty { charset = label }
                            v = v[(q2 + 1)...]
                        } else {
                            issues.append(.malformed("\(name)*: no charset'language' prefix"))
                        }
                    }
                    bytes += part.extended ? percentDecode(v) : Array(v)
                }
                let decoded: String
                if let charset {
                    let d = CharsetDecoder.decode(bytes, label: charset)
                    if d.unknownLabel { issues.append(.text(.unknownCharset(charset))) }
                    if d.replacements > 0 { issues.append(.text(.decodeErrors(charset: d.charset.name, count: d.replacements))) }
                    decoded = d.string
                } else {
                    var textIssues: [HeaderText.Issue] = []
                    decoded = HeaderText.decodeRaw(bytes[...], issues: &textIssues)
                    issues += textIssues.map(Issue.text)
                }
                result.append(Entry(name: name, value: decoded, raw: written))
                continue
            }
            for p in plain {
                let decoded = EncodedWords.decode(p.value)
                issues += decoded.issues.map(Issue.text)
                result.append(Entry(name: name, value: decoded.text, raw: Array(p.value)))
            }
        }
        return (head, Parameters(entries: result), issues)
    }

    private static func looksLikeParameter(_ s: ArraySlice<UInt8>) -> Bool {
        var i = s.startIndex
        while i < s.endIndex, s[i] != ASCII.equals, s[i] != ASCII.semicolon, !ASCII.isSpace(s[i]), s[i] != ASCII.quote { i += 1 }
        return i > s.startIndex && i < s.endIndex && s[i] == ASCII.equals
    }

    static func percentDecode(_ s: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(s.count)
        var i = s.startIndex
        while i < s.endIndex {
            if s[i] == 0x25, i + 2 < s.endIndex, let h = Hex.value(s[i + 1]), let l = Hex.value(s[i + 2]) {
                out.append(h << 4 | l)
                i += 3
            } else {
                out.append(s[i])
                i += 1
            }
        }
        return out
    }
}

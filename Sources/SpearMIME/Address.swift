/// One mailbox from an address header.
public struct Address: Sendable, Hashable, Codable {
    /// The decoded display name, or nil.
    public var name: String?
    /// The address as written (`local@domain`), without angle brackets or comments.
    public var address: String
    /// The group this mailbox was listed in (`undisclosed-recipients:;`-style groups), if any.
    public var group: String?

    public init(name: String?, address: String, group: String? = nil) {
        self.name = name
        self.address = address
        self.group = group
    }

    enum CodingKeys: String, CodingKey { case name, address, group }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(address, forKey: .address)
        try c.encodeIfPresent(group, forKey: .group)
    }

    /// The domain part, lower-cased, or nil when there is no `@`.
    public var domain: String? { Self.domain(of: address) }

    /// The lower-cased domain of a mailbox written as text ("a@B.jp" → "b.jp"); nil when it has none.
    public static func domain(of address: String) -> String? {
        guard let at = address.lastIndex(of: "@") else { return nil }
        let d = address[address.index(after: at)...]
        return d.isEmpty ? nil : d.lowercased()
    }
}

/// RFC 5322 address lists, leniently: groups, comments, quoted display names (with encoded words inside them),
/// obsolete routes, missing angle brackets, stray commas.
public enum AddressParser {
    private enum Token {
        case atom(ArraySlice<UInt8>, spaceBefore: Bool)
        case quoted([UInt8], spaceBefore: Bool)
        case comment([UInt8])
        case special(UInt8)
    }

    /// Parses an unfolded address header value.
    public static func parse(_ value: [UInt8]) -> (addresses: [Address], issues: [HeaderText.Issue], unparsed: Bool) {
        let tokens = tokenize(value[...])
        var addresses: [Address] = []
        var issues: [HeaderText.Issue] = []
        var unparsed = false
        var current: [Token] = []
        var group: String?
        var angleDepth = 0

        func flush() {
            defer { current.removeAll(keepingCapacity: true) }
            guard !current.isEmpty else { return }
            if let a = mailbox(from: current, group: group, issues: &issues) { addresses.append(a) } else { unparsed = true }
        }

        for t in tokens {
            if case .special(let c) = t {
                switch c {
                case 0x3C: angleDepth += 1
                case 0x3E: angleDepth = max(0, angleDepth - 1)
                case 0x2C where angleDepth == 0:  // ','
                    flush(); continue
                case 0x3A where angleDepth == 0 && group == nil && !current.contains(where: isAt):  // ':' starts a group
                    group = phrase(current, issues: &issues)
                    current.removeAll()
                    continue
                case 0x3B where angleDepth == 0 && group != nil:  // ';' ends it
                    flush(); group = nil; continue
                default: break
                }
            }
            current.append(t)
        }
        flush()
        return (addresses, issues, unparsed)
    }

    private static func isAt(_ t: Token) -> Bool { if case .special(0x40) = t { return true } else { return false } }

    private static func mailbox(from tokens: [Token], group: String?, issues: inout [HeaderText.Issue]) -> Address? {
        if let open = tokens.firstIndex(where: { if case .special(0x3C) = $0 { return true } else { return false } }) {
            let close = tokens[open...].firstIndex { if case .special(0x3E) = $0 { return true } else { return false } } ?? tokens.endIndex
            var spec = Array(tokens[(open + 1)..<close])
            // Obsolete route: <@a.example,@b.example:user@c.example>
            if let colon = spec.lastIndex(where: { if case .special(0x3A) = $0 { return true } else { return false } }) {
                spec = Array(spec[(colon + 1)...])
            }
            let address = addrSpec(spec)
            var name = phrase(Array(tokens[..<open]), issues: &issues)
            if name == nil, close < tokens.endIndex { name = phrase(Array(tokens[(close + 1)...]), issues: &issues) }
            if name == nil { name = commentText(tokens, issues: &issues) }
            return Address(name: name, address: address, group: group)
        }
        // A bare addr-spec, perhaps with a comment holding the name: `user@example.com (Real Name)`.
        let nonComment = tokens.filter { if case .comment = $0 { return false } else { return true } }
        if nonComment.isEmpty { return nil }
        let address = addrSpec(nonComment)
        if address.isEmpty { return nil }
        return Address(name: commentText(tokens, issues: &issues), address: address, group: group)
    }

    private static func addrSpec(_ tokens: [Token]) -> String {
        var bytes: [UInt8] = []
        for t in tokens {
            switch t {
            case .atom(let a, _): bytes += a
            case .quoted(let q, _):
                bytes.append(ASCII.quote); bytes += q; bytes.append(ASCII.quote)
            case .special(let c): bytes.append(c)
            case .comment: break
            }
        }
        var issues: [HeaderText.Issue] = []
        return HeaderText.decodeRaw(bytes[...], issues: &issues)
    }

    /// A display name: the words joined as written, quoted strings unquoted, encoded words decoded (also those
    /// inside quoted strings).
    private static func phrase(_ tokens: [Token], issues: inout [HeaderText.Issue]) -> String? {
        var bytes: [UInt8] = []
        for t in tokens {
            switch t {
            case .atom(let a, let space):
                if space && !bytes.isEmpty { bytes.append(ASCII.space) }
                bytes += a
            case .quoted(let q, let space):
                if space && !bytes.isEmpty { bytes.append(ASCII.space) }
                bytes += q
            case .special(let c) where c == 0x2E:  // obsolete phrase with dots: J. Doe
                bytes.append(c)
            case .special, .comment:
                continue
            }
        }
        if bytes.isEmpty { return nil }
        let decoded = EncodedWords.decode(bytes[...])
        issues += decoded.issues
        let text = decoded.text.trimmingCharacters(in: " \t")
        return text.isEmpty ? nil : text
    }

    private static func commentText(_ tokens: [Token], issues: inout [HeaderText.Issue]) -> String? {
        for t in tokens {
            if case .comment(let c) = t, !c.isEmpty {
                let decoded = EncodedWords.decode(c[...])
                issues += decoded.issues
                let text = decoded.text.trimmingCharacters(in: " \t")
                if !text.isEmpty { return text }
            }
        }
        return nil
    }

    private static func tokenize(_ s: ArraySlice<UInt8>) -> [Token] {
        var tokens: [Token] = []
        var i = s.startIndex
        var space = false
        while i < s.endIndex {
            let b = s[i]
            if ASCII.isSpace(b) { space = true; i += 1; continue }
            switch b {
            case ASCII.quote:
                var q: [UInt8] = []
                i += 1
                while i < s.endIndex, s[i] != ASCII.quote {
                    if s[i] == ASCII.backslash, i + 1 < s.endIndex { i += 1 }
                    q.append(s[i]); i += 1
                }
                i += 1
                tokens.append(.quoted(q, spaceBefore: space))
            case 0x28:  // '(' comment, nested
                var depth = 0
                var c: [UInt8] = []
                while i < s.endIndex {
                    let x = s[i]
                    if x == ASCII.backslash, i + 1 < s.endIndex { c.append(s[i + 1]); i += 2; continue }
                    if x == 0x28 { depth += 1; if depth > 1 { c.append(x) } } else if x == 0x29 {
                        depth -= 1
                        if depth == 0 { i += 1; break }
                        c.append(x)
                    } else { c.append(x) }
                    i += 1
                }
                tokens.append(.comment(c))
            case 0x5B:  // '[' domain literal, kept whole
                let start = i
                while i < s.endIndex, s[i] != 0x5D { i += 1 }
                if i < s.endIndex { i += 1 }
                tokens.append(.atom(s[start..<i], spaceBefore: space))
            case 0x3C, 0x3E, 0x40, 0x2C, 0x3A, 0x3B, 0x2E:
                tokens.append(.special(b)); i += 1
            default:
                let start = i
                if b == ASCII.equals, let end = encodedWordEnd(s, from: i) {
                    // An encoded word is one atom even when its text holds specials (`=?utf-8?q?Doe,_John?=`).
                    i = end
                    tokens.append(.atom(s[start..<i], spaceBefore: space))
                    space = false
                    continue
                }
                while i < s.endIndex {
                    let x = s[i]
                    if ASCII.isSpace(x) || x == ASCII.quote || x == 0x28 || x == 0x3C || x == 0x3E || x == 0x40 || x == 0x2C
                        || x == 0x3A || x == 0x3B || x == 0x2E || x == 0x5B { break }
                    i += 1
                }
                // Keep encoded words whole even though they contain '?' and '=': atoms already allow those.
                tokens.append(.atom(s[start..<i], spaceBefore: space))
            }
            space = false
        }
        return tokens
    }

    /// The end of an encoded word starting at `i` (`=?cs?X?text?=`, no white space), or nil.
    private static func encodedWordEnd(_ s: ArraySlice<UInt8>, from i: Int) -> Int? {
        guard i + 1 < s.endIndex, s[i + 1] == ASCII.question else { return nil }
        var questions = 1
        var j = i + 2
        while j < s.endIndex, !ASCII.isSpace(s[j]), j - i < 1024 {
            if s[j] == ASCII.question {
                questions += 1
                if questions >= 4, j + 1 < s.endIndex, s[j + 1] == ASCII.equals { return j + 2 }
            }
            j += 1
        }
        return nil
    }
}

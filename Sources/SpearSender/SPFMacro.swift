import SpearCore
/// SPF macro expansion (RFC 7208 7) for domain-specs: `%{s}` sender, `%{l}` its local part, `%{o}` its
/// domain, `%{d}` the current domain, `%{i}` the client address (IPv6 as dotted nibbles), `%{h}` HELO,
/// `%{v}` "in-addr" or "ip6", `%{p}` always "unknown" (we make no PTR queries); digits keep that many
/// right-hand parts, `r` reverses, delimiters `.-+,/_=` split; an upper-case letter URL-escapes.
/// `%%`, `%_`, `%-` are "%", " ", "%20". `c`, `r`, `t` belong to `exp=` only and are syntax errors here.
enum SPFMacro {
    struct Values {
        let sender: String
        let domain: String
        let ip: SPFAddress
        let helo: String
    }

    /// Whether `text` is a well-formed macro-string (checked when a record is parsed).
    static func isValid(_ text: String) -> Bool {
        let dummy = Values(sender: "a@b.c", domain: "b.c", ip: SPFAddress("192.0.2.1")!, helo: "b.c")
        return (try? expand(text, values: dummy, limit: Int.max / 4)) != nil
    }

    static func expand(_ text: String, values: Values, limit: Int) throws(SPFEvaluator.Abort) -> String {
        func bad(_ why: String) -> SPFEvaluator.Abort {
            SPFEvaluator.Abort(result: .permerror, explanation: "macro \(text.prefix(100)): \(why)")
        }
        let chars = Array(text.unicodeScalars)
        var out = ""
        var k = 0
        while k < chars.count {
            let c = chars[k]
            guard c.value >= 0x21, c.value <= 0x7E else { throw bad("character outside visible ASCII") }
            if c != "%" {
                out.unicodeScalars.append(c)
                k += 1
            } else {
                guard k + 1 < chars.count else { throw bad("% at the end") }
                switch chars[k + 1] {
                case "%": out += "%"; k += 2
                case "_": out += " "; k += 2
                case "-": out += "%20"; k += 2
                case "{":
                    guard let close = chars[(k + 2)...].firstIndex(of: "}") else { throw bad("unclosed %{") }
                    let body = Array(chars[(k + 2)..<close])
                    out += try macro(body, values: values, bad: bad)
                    k = close + 1
                default:
                    throw bad("% followed by \(chars[k + 1])")
                }
            }
            if out.utf8.count > limit { throw bad("expands to more than \(limit) bytes") }
        }
        return out
    }

    private static func macro(_ body: [Unicode.Scalar], values: Values, bad: (String) -> SPFEvaluator.Abort) throws(SPFEvaluator.Abort) -> String {
        guard let letter = body.first else { throw bad("empty %{}") }
        let upper = letter.properties.isUppercase
        let value: String
        switch Character(letter).lowercased() {
        case "s": value = values.sender
        case "l": value = values.sender.lastIndex(of: "@").map { String(values.sender[..<$0]) } ?? "postmaster"
        case "o": value = values.sender.lastIndex(of: "@").map { String(values.sender[values.sender.index(after: $0)...]) } ?? values.sender
        case "d": value = values.domain
        case "i": value = values.ip.macroForm
        case "h": value = values.helo
        case "v": value = values.ip.isV4 ? "in-addr" : "ip6"
        case "p": value = "unknown"
        default: throw bad("unknown macro letter \(letter)")
        }
        var rest = body.dropFirst()
        var digits = ""
        while let d = rest.first, d.properties.numericType != nil, d.isASCII { digits.unicodeScalars.append(d); rest = rest.dropFirst() }
        var keep: Int? = nil
        if !digits.isEmpty {
            guard digits.count <= 3, let n = Int(digits), n > 0 else { throw bad("transformer \(digits)") }
            keep = n
        }
        var reverse = false
        if rest.first == "r" || rest.first == "R" { reverse = true; rest = rest.dropFirst() }
        let delimiters = rest.isEmpty ? ["."] : rest.map { Character($0) }
        guard delimiters.allSatisfy({ ".-+,/_=".contains($0) }) else { throw bad("delimiter in %{\(String(String.UnicodeScalarView(body)))}") }
        var parts = value.split(omittingEmptySubsequences: false) { delimiters.contains($0) }.map(String.init)
        if reverse { parts.reverse() }
        if let keep, keep < parts.count { parts = Array(parts.suffix(keep)) }
        let joined = parts.joined(separator: ".")
        return upper ? urlEscape(joined) : joined
    }

    /// RFC 3986 unreserved characters kept, everything else %XX.
    private static func urlEscape(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            let c = Unicode.Scalar(byte)
            if c.properties.isAlphabetic && c.isASCII || (0x30...0x39).contains(byte) || "-._~".unicodeScalars.contains(c) {
                out.unicodeScalars.append(c)
            } else {
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }
}

extension String {
    func leftPadded(to width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}

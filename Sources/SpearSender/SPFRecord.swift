import SpearCore
import Foundation

/// One SPF record (RFC 7208 4.6, 5, 6), parsed completely before anything is evaluated: a syntax error
/// anywhere makes the whole record a `permerror`, whatever comes first.
struct SPFRecord {
    enum Mechanism: Equatable {
        case all
        case include(String)
        /// Optional domain-spec, IPv4 and IPv6 prefix lengths.
        case a(String?, Int, Int)
        case mx(String?, Int, Int)
        case ptr(String?)
        case ip4(SPFAddress, Int)
        case ip6(SPFAddress, Int)
        case exists(String)
    }

    struct Directive {
        let qualifier: SPFResult.Code
        let mechanism: Mechanism
        /// The term as written, for explanations.
        let text: String
    }

    var directives: [Directive] = []
    var redirect: String?

    static func parse(_ record: String, domain: String) throws(SPFEvaluator.Abort) -> SPFRecord {
        func bad(_ why: String) -> SPFEvaluator.Abort {
            SPFEvaluator.Abort(result: .permerror, explanation: "\(domain): SPF record syntax: \(why)")
        }
        var out = SPFRecord()
        var sawExp = false
        let terms = record.split(separator: " ").dropFirst()  // "v=spf1"
        for term in terms {
            let text = String(term)
            // A modifier is name=value, the name starting with a letter (RFC 7208 12: ALPHA *( ALPHA / DIGIT / "-" / "_" / "." )).
            if let eq = text.firstIndex(of: "="), let first = text.first, first.isASCII, first.isLetter,
               text[..<eq].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) {
                let name = text[..<eq].lowercased()
                let value = String(text[text.index(after: eq)...])
                switch name {
                case "redirect":
                    guard out.redirect == nil else { throw bad("redirect= appears twice") }
                    guard !value.isEmpty, SPFMacro.isValid(value) else { throw bad("redirect=\(value)") }
                    out.redirect = value
                case "exp":
                    guard !sawExp else { throw bad("exp= appears twice") }
                    sawExp = true
                default:
                    guard SPFMacro.isValid(value) else { throw bad("\(name)=\(value)") }  // unknown modifiers are ignored
                }
                continue
            }
            var body = Substring(text)
            var qualifier = SPFResult.Code.pass
            switch body.first {
            case "+": qualifier = .pass; body = body.dropFirst()
            case "-": qualifier = .fail; body = body.dropFirst()
            case "~": qualifier = .softfail; body = body.dropFirst()
            case "?": qualifier = .neutral; body = body.dropFirst()
            default: break
            }
            let nameEnd = body.firstIndex { $0 == ":" || $0 == "/" } ?? body.endIndex
            let name = body[..<nameEnd].lowercased()
            let rest = body[nameEnd...]
            let argument: String? = rest.hasPrefix(":") ? String(rest.dropFirst()) : nil
            let mechanism: Mechanism
            switch name {
            case "all":
                guard rest.isEmpty else { throw bad(text) }
                mechanism = .all
            case "include", "exists":
                guard let spec = argument, !spec.isEmpty, SPFMacro.isValid(spec) else { throw bad(text) }
                mechanism = name == "include" ? .include(spec) : .exists(spec)
            case "a", "mx":
                var specPart = rest
                var cidr: Substring = ""
                if rest.hasPrefix(":") {
                    specPart = rest.dropFirst()
                    if let slash = specPart.firstIndex(of: "/") { cidr = specPart[slash...]; specPart = specPart[..<slash] }
                    guard !specPart.isEmpty, SPFMacro.isValid(String(specPart)) else { throw bad(text) }
                } else {
                    cidr = rest
                    specPart = ""
                }
                guard let (v4, v6) = dualCIDR(cidr) else { throw bad(text) }
                let spec = specPart.isEmpty ? nil : String(specPart)
                mechanism = name == "a" ? .a(spec, v4, v6) : .mx(spec, v4, v6)
            case "ptr":
                if let spec = argument, !SPFMacro.isValid(spec) || spec.isEmpty { throw bad(text) }
                guard rest.isEmpty || argument != nil else { throw bad(text) }
                mechanism = .ptr(argument)
            case "ip4", "ip6":
                guard let value = argument else { throw bad(text) }
                let parts = value.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
                let v4 = name == "ip4"
                guard let address = SPFAddress(String(parts[0])), address.isV4 == v4 else { throw bad(text) }
                var bits = v4 ? 32 : 128
                if parts.count == 2 {
                    guard let b = prefixLength(parts[1], max: bits) else { throw bad(text) }
                    bits = b
                }
                mechanism = v4 ? .ip4(address, bits) : .ip6(address, bits)
            default:
                throw bad("unknown mechanism \(text)")
            }
            out.directives.append(Directive(qualifier: qualifier, mechanism: mechanism, text: text))
        }
        return out
    }

    /// "", "/24", "//64", "/24//64" → (IPv4 bits, IPv6 bits).
    private static func dualCIDR(_ text: Substring) -> (Int, Int)? {
        if text.isEmpty { return (32, 128) }
        guard text.hasPrefix("/") else { return nil }
        if text.hasPrefix("//") { return prefixLength(text.dropFirst(2), max: 128).map { (32, $0) } }
        let body = text.dropFirst()
        if let range = body.range(of: "//") {
            guard let v4 = prefixLength(body[..<range.lowerBound], max: 32),
                  let v6 = prefixLength(body[range.upperBound...], max: 128) else { return nil }
            return (v4, v6)
        }
        return prefixLength(body, max: 32).map { ($0, 128) }
    }

    /// Decimal digits without a leading zero (RFC 7208 5.6), at most `max`.
    private static func prefixLength(_ text: Substring, max: Int) -> Int? {
        guard !text.isEmpty, text.count <= 3, text.allSatisfy({ $0.isASCII && $0.isNumber }),
              text == "0" || !text.hasPrefix("0"), let n = Int(text), n <= max else { return nil }
        return n
    }
}

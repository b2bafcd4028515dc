/// A URL as a URI (RFC 3986): bytes a URI may not hold — non-ASCII (an IRI's), `\`, `|`, `^`, braces, quotes —
/// percent-encoded as UTF-8, everything else (and existing `%XX`) left as written. STIX requires `url:value` to be
/// a URI; mail holds what people and attackers typed.
enum URIText {
    static func encoded(_ url: String) -> String {
        var out = ""
        var changed = false
        for b in url.utf8 {
            if allowed(b) {
                out.unicodeScalars.append(Unicode.Scalar(b))
            } else {
                changed = true
                let h = String(b, radix: 16, uppercase: true)
                out += "%" + (h.count == 1 ? "0" + h : h)
            }
        }
        return changed ? out : url
    }

    /// Unreserved, reserved and `%`.
    private static func allowed(_ b: UInt8) -> Bool {
        switch b {
        case 0x41...0x5A, 0x61...0x7A, 0x30...0x39: return true
        case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "%"): return true
        case UInt8(ascii: ":"), UInt8(ascii: "/"), UInt8(ascii: "?"), UInt8(ascii: "#"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "@"):
            return true
        case UInt8(ascii: "!"), UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "("), UInt8(ascii: ")"),
             UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "="):
            return true
        default: return false
        }
    }
}

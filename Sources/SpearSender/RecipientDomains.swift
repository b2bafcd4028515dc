import SpearMIME

/// The domains a message was addressed to: To, Cc, Delivered-To, X-Original-To, and the `for` clause of the
/// topmost Received (written by the server that delivered it).
///
/// These are the organisations the message is aimed at, so they are protected for this message without
/// configuration (lookalikes of them) and their border MX is the one whose Authentication-Results can be placed
/// by position (`RecipientBorder`). The sender writes To and Cc, so the set is attacker-influenced: a name added
/// there only adds protection, and trust by position never follows it alone (the topmost Received must be written
/// by that organisation, which the sender cannot do).
enum RecipientDomains {
    /// At most this many distinct domains are kept: a Cc of hundreds of addresses costs one scan, not hundreds of
    /// lookalike comparisons.
    static let limit = 8

    /// The sources the receiving side writes come first (the topmost Received's `for`, then Delivered-To and
    /// X-Original-To), the sender's To and Cc last: otherwise a To listing eight other domains would push the
    /// real recipient's organisation out of the set and switch its protection off.
    static func collect(_ headers: HeaderFields, topReceived: ReceivedHeader?) -> [String] {
        collect(headers, topReceived: topReceived, receivingSideOnly: false)
    }

    /// The first domain the receiving side wrote (the topmost Received's `for`, Delivered-To, X-Original-To);
    /// nil when it wrote none. What spool learning counts a message under: To and Cc are the sender's.
    static func receiving(_ headers: HeaderFields, topReceived: ReceivedHeader?) -> String? {
        collect(headers, topReceived: topReceived, receivingSideOnly: true).first
    }

    private static func collect(_ headers: HeaderFields, topReceived: ReceivedHeader?, receivingSideOnly: Bool) -> [String] {
        var out: [String] = []
        if let address = topReceived?.forAddress { scan(Array(address.utf8), into: &out) }
        for keys in receivingSideOnly ? [["delivered-to", "x-original-to"]] : [["delivered-to", "x-original-to"], ["to", "cc"]] {
            for field in headers where out.count < limit && keys.contains(field.key) { scan(field.unfolded, into: &out) }
        }
        return out
    }

    /// The domain of every address in an address-list value: what follows "@" outside quoted strings, comments
    /// and encoded words, up to the next delimiter, lower-cased. Read as bytes: no address parser (display names,
    /// encoded words, groups) is needed to know where an addr-spec's domain is, and a Cc line can be long.
    static func scan(_ bytes: [UInt8], into out: inout [String]) {
        var quoted = false, escaped = false, depth = 0
        var k = 0
        let n = bytes.count
        while k < n, out.count < limit {
            let b = bytes[k]
            k += 1
            if escaped { escaped = false; continue }
            switch b {
            case UInt8(ascii: "\\"): escaped = quoted || depth > 0
            case UInt8(ascii: "\""): if depth == 0 { quoted.toggle() }
            case UInt8(ascii: "(") where !quoted: depth += 1
            case UInt8(ascii: ")") where !quoted && depth > 0: depth -= 1
            case UInt8(ascii: "@") where !quoted && depth == 0:
                let start = k
                while k < n, isDomainByte(bytes[k]) { k += 1 }
                var end = k
                while end > start, bytes[end - 1] == UInt8(ascii: ".") { end -= 1 }
                guard end > start, bytes[start..<end].contains(UInt8(ascii: ".")) else { continue }
                let domain = String(decoding: ASCIIBytes.lowercased(Array(bytes[start..<end])), as: UTF8.self)
                if !out.contains(domain) { out.append(domain) }
            default: continue
            }
        }
    }

    /// Letters, digits, "-", "." and the bytes of UTF-8 sequences (internationalised domains written in Unicode).
    @inline(__always)
    static func isDomainByte(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x2E
            || b >= 0x80
    }
}

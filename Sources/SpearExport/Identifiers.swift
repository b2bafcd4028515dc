import Crypto
import Foundation

/// STIX identifiers. Cyber-observable ids are UUIDv5 of their contributing properties (STIX 2.1 §2.9), so the same
/// URL or file exported twice, by anyone, gets the same id. Domain objects (indicators, campaigns, the producer's
/// identity) are UUIDv4 as the specification asks, drawn from a SHA-256 of what they describe rather than at random,
/// so a re-export of the same campaign keeps its ids and a platform updates the objects instead of duplicating them.
enum Identifiers {
    /// The namespace STIX 2.1 fixes for observable ids.
    static let stixNamespace = UUID(uuidString: "00abedb4-aa42-466c-9c01-fed23315a9b7")!

    static func uuid5(_ namespace: UUID, _ name: String) -> UUID {
        var hasher = Insecure.SHA1()
        withUnsafeBytes(of: namespace.uuid) { hasher.update(bufferPointer: $0) }
        hasher.update(data: Array(name.utf8))
        var b = Array(hasher.finalize().prefix(16))
        b[6] = (b[6] & 0x0F) | 0x50
        b[8] = (b[8] & 0x3F) | 0x80
        return UUID(uuid: (b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]))
    }

    /// A version-4 UUID whose random bits are the SHA-256 of `seed`.
    static func uuid4(from seed: String) -> UUID {
        var b = Array(SHA256.hash(data: Array(seed.utf8)).prefix(16))
        b[6] = (b[6] & 0x0F) | 0x40
        b[8] = (b[8] & 0x3F) | 0x80
        return UUID(uuid: (b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]))
    }

    /// `type--uuid5` of an observable from its contributing properties, canonicalised (RFC 8785).
    static func observable(_ type: String, _ contributing: [String: Any]) -> String {
        "\(type)--" + uuid5(stixNamespace, CanonicalJSON.string(contributing)).uuidString.lowercased()
    }

    static func object(_ type: String, seed: String) -> String {
        "\(type)--" + uuid4(from: "\(type)|\(seed)").uuidString.lowercased()
    }
}

/// JSON Canonicalization Scheme (RFC 8785) for the values ids are made of: objects with sorted keys, strings,
/// integers, booleans; no white space; strings escaped as ECMAScript's JSON.stringify does.
enum CanonicalJSON {
    static func string(_ value: Any) -> String {
        var out = ""
        write(value, into: &out)
        return out
    }

    private static func write(_ value: Any, into out: inout String) {
        switch value {
        case let s as String:
            quote(s, into: &out)
        case let b as Bool:
            out += b ? "true" : "false"
        case let i as Int:
            out += String(i)
        case let a as [Any]:
            out += "["
            for (k, v) in a.enumerated() {
                if k > 0 { out += "," }
                write(v, into: &out)
            }
            out += "]"
        case let d as [String: Any]:
            out += "{"
            // RFC 8785 sorts keys by their UTF-16 code units.
            for (k, key) in d.keys.sorted(by: { Array($0.utf16).lexicographicallyPrecedes(Array($1.utf16)) }).enumerated() {
                if k > 0 { out += "," }
                quote(key, into: &out)
                out += ":"
                write(d[key]!, into: &out)
            }
            out += "}"
        default:
            out += "null"
        }
    }

    private static func quote(_ s: String, into out: inout String) {
        out += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 {
                    let h = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        out += "\""
    }
}

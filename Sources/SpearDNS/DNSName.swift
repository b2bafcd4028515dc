/// A validated, normalised query name: lowercase ASCII labels, no trailing dot.
///
/// Only printable ASCII other than space is accepted (0x21–0x7E); a label is 1–63 bytes, the name at most
/// 253 characters in text form (255 bytes on the wire). Labels are length-prefixed on the wire, so nothing a
/// caller passes can change the shape of the query (no injected labels, types or sections).
struct DNSName: Sendable, Hashable {
    /// The labels, lowercased, without length bytes.
    let labels: [[UInt8]]

    /// The dotted text form, lowercase, without a trailing dot.
    var text: String {
        labels.map { String(decoding: $0, as: UTF8.self) }.joined(separator: ".")
    }

    /// Why a name was refused.
    enum Invalid: Error, Equatable, CustomStringConvertible {
        case empty
        case tooLong
        case emptyLabel
        case labelTooLong
        case badCharacter

        var description: String {
            switch self {
            case .empty: return "empty name"
            case .tooLong: return "name longer than 253 characters"
            case .emptyLabel: return "empty label"
            case .labelTooLong: return "label longer than 63 bytes"
            case .badCharacter: return "name has a character outside printable ASCII"
            }
        }
    }

    /// Validates and normalises `name` (lowercase, one trailing dot stripped).
    static func parse(_ name: String) -> Result<DNSName, Invalid> {
        var bytes = Array(name.utf8)
        if bytes.last == UInt8(ascii: ".") { bytes.removeLast() }
        if bytes.isEmpty { return .failure(.empty) }
        if bytes.count > 253 { return .failure(.tooLong) }
        var labels: [[UInt8]] = []
        var current: [UInt8] = []
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                if current.isEmpty { return .failure(.emptyLabel) }
                labels.append(current)
                current = []
                continue
            }
            guard byte >= 0x21, byte <= 0x7E else { return .failure(.badCharacter) }
            current.append(asciiLower(byte))
            if current.count > 63 { return .failure(.labelTooLong) }
        }
        if current.isEmpty { return .failure(.emptyLabel) }
        labels.append(current)
        return .success(DNSName(labels: labels))
    }

    /// The name in wire format (length-prefixed labels, terminating zero byte).
    var wire: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(labels.reduce(1) { $0 + $1.count + 1 })
        for label in labels {
            out.append(UInt8(label.count))
            out.append(contentsOf: label)
        }
        out.append(0)
        return out
    }
}

@inline(__always)
func asciiLower(_ byte: UInt8) -> UInt8 {
    (byte >= 0x41 && byte <= 0x5A) ? byte | 0x20 : byte
}

/// Case-insensitive (ASCII only, RFC 4343) comparison of two label sequences.
func labelsEqual(_ a: [[UInt8]], _ b: [[UInt8]]) -> Bool {
    guard a.count == b.count else { return false }
    for (x, y) in zip(a, b) {
        guard x.count == y.count else { return false }
        for (p, q) in zip(x, y) where asciiLower(p) != asciiLower(q) { return false }
    }
    return true
}

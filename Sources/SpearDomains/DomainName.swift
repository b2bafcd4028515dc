import Foundation

/// A domain name as the rest of the target reads it: lower-cased, one trailing dot removed, IDNA full stops
/// ("。", "．", "｡") read as dots, each label kept as written (`labels`) and in Unicode (`unicodeLabels`: "xn--"
/// decoded, NFC).
struct DomainName: Sendable, Equatable {
    /// Longer input is refused outright (DNS names are at most 253 octets; this leaves room for Unicode).
    static let maxLength = 1024

    var labels: [String]
    var unicodeLabels: [String]

    /// nil for an empty name, an empty label ("a..b", ".com") or an over-long name.
    init?(_ raw: String) {
        var text = Self.trimmingWhiteSpace(raw)
        guard !text.isEmpty, text.utf8.count <= Self.maxLength else { return nil }
        if text.unicodeScalars.contains(where: { !$0.isASCII }) {
            text = String(String.UnicodeScalarView(text.unicodeScalars.map { (scalar: Unicode.Scalar) -> Unicode.Scalar in
                switch scalar.value {
                case 0x3002, 0xFF0E, 0xFF61: return "."
                default: return scalar
                }
            }))
        }
        text = text.lowercased()
        if text.hasSuffix(".") { text.removeLast() }
        guard !text.isEmpty else { return nil }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !parts.contains(where: \.isEmpty) else { return nil }
        labels = parts
        unicodeLabels = parts.map(Self.unicodeForm)
    }

    /// `raw` without leading and trailing white space (Unicode White_Space, as `.whitespacesAndNewlines`).
    /// Written out because Foundation's `trimmingCharacters(in:)` was 7 % of sender scoring (callgrind).
    static func trimmingWhiteSpace(_ raw: String) -> String {
        let scalars = raw.unicodeScalars
        guard let first = scalars.first, let last = scalars.last else { return raw }
        if !first.properties.isWhitespace && !last.properties.isWhitespace { return raw }
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let end = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[start...end])
    }

    /// The name with every label in Unicode.
    var unicode: String { unicodeLabels.joined(separator: ".") }
    /// The name with its labels as written (lower-cased).
    var written: String { labels.joined(separator: ".") }

    /// A label's Unicode form: "xn--" decoded when valid, NFC for non-ASCII text.
    static func unicodeForm(_ label: String) -> String {
        let decoded = Punycode.unicodeLabel(label)
        guard decoded.unicodeScalars.contains(where: { !$0.isASCII }) else { return decoded }
        return decoded.precomposedStringWithCanonicalMapping.lowercased()
    }
}

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
        var text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
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

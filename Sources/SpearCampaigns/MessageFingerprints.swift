public import SpearScan

/// What links one message to others: the exact fingerprints of the bulk-type rule's "same text" and "same
/// program", and the fuzzy signature for near-identical (personalised) text.
public struct MessageFingerprints: Sendable, Hashable, Codable {
    /// SHA-256 of the normalised body text; nil for empty and boilerplate-only bodies.
    public var text: String?
    /// MinHash signature (hex) of the normalised body text; nil when there is no text fingerprint.
    public var minhash: String?
    /// SHA-256 of every attachment and every archive member at every depth that may link messages (sorted,
    /// distinct): inline parts, images and tiny files are left out, as they recur in ordinary mail.
    public var payloads: [String]

    public init(text: String?, minhash: String?, payloads: [String]) {
        self.text = text
        self.minhash = minhash
        self.payloads = payloads
    }

    enum CodingKeys: String, CodingKey { case text, minhash, payloads }

    /// Absent fingerprints are written as `null`, so every record has the same keys.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(text, forKey: .text)
        try c.encode(minhash, forKey: .minhash)
        try c.encode(payloads, forKey: .payloads)
    }

    /// Files smaller than this never link messages (empty files, one-line texts).
    public static let minimumPayloadSize = 32

    /// The fingerprints of a scanned message.
    public init(report: ScanReport, texts: [BodyText]) {
        let body = Self.bodyText(texts)
        text = body.map { Digests.sha256(of: Array($0.utf8)) }
        minhash = body.flatMap { MinHash(text: $0) }?.hex
        var seen = Set<String>()
        var payloads: [String] = []
        for top in report.attachments where !top.inline {
            for file in top.flattened where Self.links(file) && seen.insert(file.sha256).inserted {
                payloads.append(file.sha256)
            }
        }
        self.payloads = payloads.sorted()
    }

    /// Whether a file may link messages: logos and banners (images), inline parts and tiny files recur across
    /// unrelated mail and would make campaigns of ordinary traffic.
    static func links(_ file: AttachmentReport) -> Bool {
        !file.inline && file.size >= minimumPayloadSize && file.category != "image"
    }

    /// The message's own text: its plain-text bodies, or its HTML bodies reduced to text when it has no plain
    /// text; forwarded messages' bodies are not the sender's text.
    static func bodyText(_ texts: [BodyText]) -> String? {
        let own = texts.filter { !$0.forwarded }
        let plain = own.filter { $0.contentType == "text/plain" }
        let chosen = plain.isEmpty ? own.filter { $0.contentType == "text/html" } : plain
        let normalized = chosen.compactMap { BodyNormalizer.normalize($0.text, isHTML: $0.contentType == "text/html") }
        return normalized.isEmpty ? nil : normalized.joined(separator: "\n")
    }
}

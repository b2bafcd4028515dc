internal import Crypto
public import SpearCore
import SpearMIME

extension MessageFingerprints {
    /// Files smaller than this never link messages (empty files, one-line texts).
    public static let minimumPayloadSize = 32

    /// The fingerprints of a scanned message.
    public init(report: ScanReport, texts: [BodyText]) {
        let body = Self.bodyText(texts)
        var seen = Set<String>()
        var payloads: [String] = []
        for top in report.attachments where !top.inline {
            for file in top.flattened where Self.links(file) && seen.insert(file.sha256).inserted {
                payloads.append(file.sha256)
            }
        }
        self.init(text: body.map(Self.sha256), minhash: body.flatMap { MinHash(text: $0) }?.hex, payloads: payloads.sorted())
    }

    /// Lower-case hex SHA-256 of a text's UTF-8.
    static func sha256(_ text: String) -> String {
        Hex.lowercase(SHA256.hash(data: Array(text.utf8)))
    }

    /// Whether a file may link messages: logos and banners (images), inline parts and tiny files recur across
    /// unrelated mail and would make campaigns of ordinary traffic.
    static func links(_ file: AttachmentReport) -> Bool {
        !file.inline && file.size >= minimumPayloadSize && file.category != .image
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

extension CampaignMessage {
    /// The correlation view of a scanned message (its report must carry the message SHA-256).
    public init(report: ScanReport, texts: [BodyText]) {
        self.init(sha256: report.sha256 ?? "", messageID: report.message.messageID,
                  date: report.message.date ?? report.message.receivedDate, subject: report.message.subject,
                  sender: report.message.from.first?.address.lowercased(), recipients: report.message.recipients,
                  targeted: report.verdict.suspicious, fingerprints: MessageFingerprints(report: report, texts: texts))
    }
}

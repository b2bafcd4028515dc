import SpearMIME

/// The scan of one message: the report, plus what later stages and `--extract` need.
public struct ScanResult: Sendable {
    public var report: ScanReport
    public var texts: [BodyText]
    public var payloads: [Payload]
}

/// Runs the pipeline on one message: parse → collect attachments and bodies → findings → verdict.
public struct MessageScanner: Sendable {
    public var options: ScanOptions

    public init(options: ScanOptions = ScanOptions()) {
        self.options = options
    }

    /// Scans a message already read into memory. `truncatedFrom` is the original size when the input was cut
    /// at `maxMessageBytes`.
    public func scan(_ bytes: [UInt8], source: String, truncatedFrom originalSize: Int? = nil) -> ScanResult {
        let message = MIMEParser(limits: options.parse).parse(bytes)
        var defects = message.defects
        if let originalSize {
            defects.insert(Defect(.inputTruncated, where: "message",
                                  "input is \(originalSize) bytes; only the first \(bytes.count) were inspected (--max-message-size)"), at: 0)
        }
        var headers = MessageHeaders()
        let summary = headers.summarize(message.headers, location: "message")
        defects += headers.defects

        var collector = AttachmentCollector(keepPayloads: options.keepPayloads)
        collector.collect(message)
        defects += collector.defects

        var findings: [Finding] = []
        let evasive = defects.filter { $0.severity == .evasive }
        if !evasive.isEmpty {
            let codes = Array(Set(evasive.map(\.code.rawValue))).sorted()
            findings.append(Finding(id: "evasive_mime", severity: .medium,
                                    evidence: "malformed MIME of the kind used to hide content from scanners: " + codes.joined(separator: ", ")))
        }
        for attachment in collector.attachments.flatMap(\.flattened) {
            for f in attachment.findings {
                findings.append(Finding(id: f.id, severity: f.severity, evidence: "\(attachment.mimePath): \(f.evidence)"))
            }
        }
        let report = ScanReport(source: source, size: originalSize ?? bytes.count, sha256: options.messageDigest ? Digests.sha256(of: bytes) : nil,
                                message: summary, attachments: collector.attachments, bodies: collector.bodies,
                                findings: findings, defects: defects, verdict: Verdict(findings: findings))
        return ScanResult(report: report, texts: collector.texts, payloads: collector.payloads)
    }
}

public import SpearCore
import SpearIndicators
import SpearMIME
public import SpearClassify

/// The scan of one message: the report, plus what later stages and `--extract` need.
public struct ScanResult: Sendable {
    public var report: ScanReport
    public var texts: [BodyText]
    public var payloads: [Payload]
    /// Where the scan's time went, when `ScanOptions.timeStages` is on.
    public var times: StageTimes?
}

/// Runs the pipeline on one message: parse → collect attachments and bodies → findings → verdict.
public struct MessageScanner: Sendable {
    public var options: ScanOptions

    public init(options: ScanOptions = ScanOptions()) {
        self.options = options
    }

    /// Scans a message already read into memory. `truncatedFrom` is the original size when the input was cut
    /// at `maxMessageBytes`. `arrival`: what the MTA saw of a message analysed as it arrives (the milter), for the
    /// sender stage.
    public func scan(_ bytes: [UInt8], source: String, truncatedFrom originalSize: Int? = nil, magic: Magic? = nil,
                     arrival: Arrival? = nil) -> ScanResult {
        var times = StageTimes()
        var clock = StageClock(options.timeStages)
        let read = ReadMessage(bytes, parse: options.parse, location: "message", times: &times, clock: &clock)
        let message = read.message, summary = read.summary, collector = read.collector
        // The sender's DNS records are on their way while the attachments are unpacked.
        if options.senderAsksAhead, let sender = options.sender, sender.asksAhead { sender.prefetch(message.headers) }
        times.sender += clock.lap()
        var defects = message.defects
        if let originalSize {
            defects.insert(Defect(.inputTruncated, where: "message",
                                  "input is \(originalSize) bytes; only the first \(bytes.count) were inspected (--max-message-size)"), at: 0)
        }
        defects += read.headerDefects + collector.defects

        // Unpack and classify, with the passwords the user gave and those the message itself gives.
        let texts = collector.texts
        let userPasswords = options.passwords
        var findings: [Finding] = []
        let handle = magic ?? (try? Magic())
        if handle == nil {
            findings.append(Finding(id: .classificationDegraded, severity: .info,
                                    evidence: "libmagic could not be loaded; files were classified by spearscan's own rules only"))
        }
        let analyzer = FileAnalyzer(magic: handle, describe: options.magicDescriptions, limits: options.unpack,
                                    passwords: { userPasswords + PasswordFinder.candidates(in: texts.map { ($0.mimePath, $0.text) }) },
                                    parseOptions: options.parse, keepContent: options.keepPayloads,
                                    sightings: options.indicators?.files)
        var attachments = collector.attachments
        if source != "-", message.defects.contains(where: { $0.code == .notAMessage }), attachments.count == 1,
           attachments[0].filename == nil {
            // A file given to `scan` directly (a zip, a script): its own name is the only name it has.
            let base = source.split(separator: "/").last.map(String.init) ?? source
            attachments[0].filename = base
            attachments[0].findings = FilenameRules.findings(for: base)
        }
        times.report += clock.lap()
        for k in attachments.indices { analyzer.analyze(&attachments[k], depth: 0, insideContainer: nil) }
        defects += analyzer.defects
        times.unpack += clock.lap()

        var senderReport: SenderReport?
        if let sender = options.sender {
            let verdict = sender.analyze(message, parsed: .init(from: summary.from, replyTo: summary.replyTo,
                                                                returnPath: summary.returnPath), arrival: arrival)
            senderReport = verdict
            if verdict.spoofed == true {
                findings.append(Finding(id: .senderSpoofed, severity: .high,
                                        evidence: "sender spoofed (score \(verdict.score)): " + verdict.topReasons.joined(separator: "; ")))
            }
        }
        times.sender += clock.lap()
        let evasive = defects.filter { $0.severity == .evasive }
        if !evasive.isEmpty {
            let codes = Array(Set(evasive.map(\.code.rawValue))).sorted()
            findings.append(Finding(id: .evasiveMIME, severity: .medium,
                                    evidence: "malformed MIME of the kind that makes readers disagree about the content: " + codes.joined(separator: ", ")))
        }
        let stopped = defects.filter(\.stopsInspection)
        if !stopped.isEmpty {
            let codes = Array(Set(stopped.map(\.code.rawValue))).sorted()
            findings.append(Finding(id: .limitExceeded, severity: .low, evidence: "MIME parsing stopped at a limit (" + codes.joined(separator: ", ")
                                    + "); what lies beyond it was not inspected", kind: .notInspected))
        }
        let files = attachments.flatMap(\.flattened)
        var iocs: [Indicator] = []
        if let extractor = options.indicators {
            let input = IndicatorExtractor.Input(bodies: collector.texts, from: summary.from.map(\.address),
                                                 replyTo: summary.replyTo.map(\.address), clientAddress: senderReport?.clientAddress,
                                                 files: attachments)
            let extracted = extractor.extract(input)
            iocs = extracted.indicators
            findings += extracted.findings
        }
        times.indicators += clock.lap()
        var payloads: [Payload] = []
        for attachment in files {
            let place = attachment.path.map { "\(attachment.mimePath):\($0)" } ?? attachment.mimePath
            for f in attachment.findings {
                findings.append(Finding(id: f.id, severity: f.severity, evidence: "\(place): \(f.evidence)", kind: f.kind))
            }
            if options.keepPayloads {
                let name = attachment.filename ?? (attachment.category == .email ? "message-\(attachment.mimePath).eml" : nil)
                payloads.append(Payload(mimePath: place, filename: name, bytes: attachment.content))
            }
        }
        attachments = attachments.map { $0.droppingContent() }
        times.report += clock.lap()
        let sha256 = options.messageDigest ? Digests.sha256(of: bytes) : nil
        times.messageDigest += clock.lap()
        var report = ScanReport(source: source, size: originalSize ?? bytes.count, sha256: sha256,
                                message: summary, attachments: attachments, bodies: collector.bodies,
                                findings: findings, defects: defects, verdict: Verdict(findings: findings), sender: senderReport)
        report.iocs = iocs
        times.report += clock.lap()
        return ScanResult(report: report, texts: collector.texts, payloads: payloads, times: clock.on ? times : nil)
    }
}

extension AttachmentReport {
    /// The report without the bytes it carried during the scan.
    func droppingContent() -> AttachmentReport {
        var copy = self
        copy.content = []
        copy.children = children.map { $0.droppingContent() }
        return copy
    }
}

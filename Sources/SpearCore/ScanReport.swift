public import SpearMIME

/// The result of scanning one message: what `spearscan scan --format json` prints (schema in README).
public struct ScanReport: Sendable, Encodable {
    public static let schemaVersion = 1

    public var schemaVersion = ScanReport.schemaVersion
    /// The path scanned, or `-` for standard input.
    public var source: String
    /// Size of the raw message in bytes, and its SHA-256 (the identity of the message in a store).
    public var size: Int
    public var sha256: String?
    public var message: MessageSummary
    public var attachments: [AttachmentReport]
    /// Text parts that are the message body (not attachments).
    public var bodies: [BodyReport]
    public var findings: [Finding]
    public var defects: [Defect]
    public var verdict: Verdict
    /// Whether the sender is spoofed, and why (null when sender analysis was not run).
    public var sender: SenderReport?
    /// Files written by `--extract`.
    public var extracted: [ExtractedFile] = []
    /// A PPAP pair the batch found with another message of the spool (the archive and its password notice).
    public var ppapPair: PPAPLink?
    /// Indicators of compromise (issue #16): URLs, domains, addresses, file hashes, each with where it was found.
    public var iocs: [Indicator] = []

    public init(source: String, size: Int, sha256: String?, message: MessageSummary, attachments: [AttachmentReport],
                bodies: [BodyReport], findings: [Finding], defects: [Defect], verdict: Verdict, sender: SenderReport?) {
        self.source = source
        self.size = size
        self.sha256 = sha256
        self.message = message
        self.attachments = attachments
        self.bodies = bodies
        self.findings = findings
        self.defects = defects
        self.verdict = verdict
        self.sender = sender
    }

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", source, size, sha256, message, attachments, bodies, findings, defects,
             verdict, sender, iocs, extracted, ppapPair = "ppap_pair"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(schemaVersion, forKey: .schemaVersion)
        try c.encode(source, forKey: .source)
        try c.encode(size, forKey: .size)
        try c.encode(sha256, forKey: .sha256)
        try c.encode(message, forKey: .message)
        try c.encode(attachments, forKey: .attachments)
        try c.encode(bodies, forKey: .bodies)
        try c.encode(findings, forKey: .findings)
        try c.encode(defects, forKey: .defects)
        try c.encode(verdict, forKey: .verdict)
        try c.encode(sender, forKey: .sender)
        try c.encode(iocs, forKey: .iocs)
        if !extracted.isEmpty { try c.encode(extracted, forKey: .extracted) }
        try c.encodeIfPresent(ppapPair, forKey: .ppapPair)
    }
}

/// An attachment written to disk by `--extract`.
public struct ExtractedFile: Sendable, Encodable {
    public var mimePath: String
    public var file: String

    public init(mimePath: String, file: String) {
        self.mimePath = mimePath
        self.file = file
    }

    enum CodingKeys: String, CodingKey { case mimePath = "mime_path", file }
}

/// One side of a PPAP pair in the JSON (`ppap_pair`): the archive message names its notice and the password that
/// opened it; the notice names the archive it opened.
public struct PPAPLink: Sendable, Hashable, Encodable {
    public enum Role: String, Sendable, Encodable { case archive, notice }
    public var role: Role
    public var archiveSHA256: String
    public var noticeSHA256: String
    public var password: String

    public init(role: Role, archiveSHA256: String, noticeSHA256: String, password: String) {
        self.role = role
        self.archiveSHA256 = archiveSHA256
        self.noticeSHA256 = noticeSHA256
        self.password = password
    }

    enum CodingKeys: String, CodingKey { case role, archiveSHA256 = "archive_sha256", noticeSHA256 = "notice_sha256", password }
}

extension ScanReport {
    /// The report with its indicators' values defanged (`hxxps://example[.]com/`), as `--defang` prints it.
    public var indicatorsDefanged: ScanReport {
        var copy = self
        for k in copy.iocs.indices { copy.iocs[k].value = copy.iocs[k].defanged }
        return copy
    }
}

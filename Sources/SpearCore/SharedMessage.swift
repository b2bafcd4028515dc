import SpearMIME

/// A message as it is shared with others (STIX, MISP): what identifies it and what it carries, without its text.
/// Made from a scan report (`scan --format stix`) or read back from the store (`export`).
public struct SharedMessage: Sendable, Hashable {
    /// SHA-256 of the raw message.
    public var sha256: String
    public var messageID: String?
    /// ISO 8601 with its offset (the Date header, else the first Received hop's date).
    public var date: String?
    public var subject: String?
    public var sender: String?
    /// Left empty unless the export asks for them: recipients are the sharing organisation's own people.
    public var recipients: [String]
    public var status: Verdict.Status
    /// The finding ids that made the verdict, most severe first.
    public var findingIDs: [String]
    /// Its files, members as children.
    public var files: [SharedFile]
    /// Its indicators other than files (URLs, domains, addresses, commands, file names).
    public var indicators: [Indicator]
    /// False for a message a store kept before it kept indicators (until `batch --rescan`): `indicators` is empty
    /// for want of them, not because there were none.
    public var indicatorsKnown = true

    public init(sha256: String, messageID: String?, date: String?, subject: String?, sender: String?, recipients: [String],
                status: Verdict.Status, findingIDs: [String], files: [SharedFile], indicators: [Indicator]) {
        self.sha256 = sha256
        self.messageID = messageID
        self.date = date
        self.subject = subject
        self.sender = sender
        self.recipients = recipients
        self.status = status
        self.findingIDs = findingIDs
        self.files = files
        self.indicators = indicators
    }

    /// The message of a scan report; its recipients only when asked for.
    public init(_ report: ScanReport, withRecipients: Bool) {
        self.init(sha256: report.sha256 ?? "", messageID: report.message.messageID,
                  date: report.message.date ?? report.message.receivedDate, subject: report.message.subject,
                  sender: report.message.from.first?.address.lowercased(),
                  recipients: withRecipients ? report.message.recipients : [], status: report.verdict.status,
                  findingIDs: report.findings.sorted { $0.severity > $1.severity }.map(\.id.rawValue),
                  files: report.attachments.map(SharedFile.init), indicators: report.iocs.filter { $0.type != .file })
    }
}

/// A file of a shared message: hashes, name, category, and the members of a container.
public struct SharedFile: Sendable, Hashable {
    public var name: String?
    public var category: String?
    public var size: Int
    public var md5: String
    public var sha1: String
    public var sha256: String
    public var children: [SharedFile]

    public init(name: String?, category: String?, size: Int, md5: String, sha1: String, sha256: String, children: [SharedFile]) {
        self.name = name
        self.category = category
        self.size = size
        self.md5 = md5
        self.sha1 = sha1
        self.sha256 = sha256
        self.children = children
    }

    public init(_ a: AttachmentReport) {
        self.init(name: a.filename, category: a.category?.rawValue, size: a.size, md5: a.md5, sha1: a.sha1, sha256: a.sha256,
                  children: a.children.map(SharedFile.init))
    }

    /// This file and every member below it.
    public var flattened: [SharedFile] { [self] + children.flatMap(\.flattened) }
}

public import SpearFindings
public import SpearSender
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

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", source, size, sha256, message, attachments, bodies, findings, defects,
             verdict, sender, extracted
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
        if !extracted.isEmpty { try c.encode(extracted, forKey: .extracted) }
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

/// Decoded envelope headers of a message.
public struct MessageSummary: Sendable, Encodable {
    public var messageID: String?
    /// ISO 8601 in the sender's offset, or nil when absent or unparseable.
    public var date: String?
    /// The date of the first Received hop (bottom-most), ISO 8601 in its own offset: the fallback for `date`.
    public var receivedDate: String?
    public var subject: String?
    public var from: [Address]
    public var to: [Address]
    public var cc: [Address]
    public var bcc: [Address]
    /// Mailboxes named by Delivered-To and X-Original-To.
    public var deliveredTo: [String]
    public var replyTo: [Address]
    public var returnPath: String?

    enum CodingKeys: String, CodingKey {
        case messageID = "message_id", date, receivedDate = "received_date", subject, from, to, cc, bcc,
             deliveredTo = "delivered_to", replyTo = "reply_to", returnPath = "return_path"
    }

    /// Every distinct recipient mailbox, lower-cased: To, Cc, Bcc, Delivered-To and X-Original-To.
    public var recipients: [String] {
        var seen = Set<String>()
        return ((to + cc + bcc).map(\.address) + deliveredTo)
            .map { $0.lowercased() }.filter { !$0.isEmpty && seen.insert($0).inserted }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(messageID, forKey: .messageID)
        try c.encode(date, forKey: .date)
        try c.encode(receivedDate, forKey: .receivedDate)
        try c.encode(subject, forKey: .subject)
        try c.encode(from, forKey: .from)
        try c.encode(to, forKey: .to)
        try c.encode(cc, forKey: .cc)
        try c.encode(bcc, forKey: .bcc)
        try c.encode(deliveredTo, forKey: .deliveredTo)
        try c.encode(replyTo, forKey: .replyTo)
        try c.encode(returnPath, forKey: .returnPath)
    }
}

/// One file: an attachment (a MIME part, a uuencoded block, an attached message) or a member found inside one
/// (an archive or disk image member, an attachment of a message found in an archive). Members are `children`,
/// recursively, with the same fields.
public struct AttachmentReport: Sendable, Encodable {
    /// Decoded filename (for members: the last component of `path`), or nil when none is given.
    public var filename: String?
    /// The filename exactly as written (encoded words, RFC 2231 percent-encoding, raw bytes), when it differs.
    public var rawFilename: String?
    /// For archive members: the full name inside the archive (never used as a file-system path).
    public var path: String?
    /// Declared Content-Type (nil for archive members).
    public var contentType: String?
    public var disposition: String?
    public var transferEncoding: String?
    public var size: Int
    public var md5: String
    public var sha1: String
    public var sha256: String
    /// IMAP section number of the MIME part that carries this file (members inherit their attachment's);
    /// a uuencoded block adds `#uuN`.
    public var mimePath: String
    /// A part shown inside the body (referenced by Content-ID, like logos in multipart/related).
    public var inline: Bool
    /// The file came from a forwarded (attached) message.
    public var forwarded: Bool
    /// `mime`, `uuencode`, `archive` (a member of its parent archive or disk image), or `tnef` (an attachment
    /// carried inside a winmail.dat).
    public var origin: String
    /// What the content is, in the NPA's categories; nil until classified.
    public var category: String?
    public var magic: MagicReport?
    /// Encrypted (an archive with encrypted members, a password-protected document, an encrypted member).
    public var encrypted: Bool
    /// The password that opened it, and where it came from.
    public var password: PasswordReport?
    /// False when a limit, damage or a missing password kept part of it from being read.
    public var complete: Bool
    public var findings: [Finding]
    /// For an attached message: its header summary.
    public var message: MessageSummary?
    public var children: [AttachmentReport]
    /// The decoded bytes, kept while the scan runs (for classification and extraction); never encoded.
    var content: [UInt8] = []

    enum CodingKeys: String, CodingKey {
        case filename, rawFilename = "raw_filename", path, contentType = "content_type", disposition,
             transferEncoding = "transfer_encoding", size, md5, sha1, sha256, mimePath = "mime_path", inline, forwarded,
             origin, category, magic, encrypted, password, complete, findings, message, children
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(filename, forKey: .filename)
        try c.encodeIfPresent(rawFilename, forKey: .rawFilename)
        try c.encodeIfPresent(path, forKey: .path)
        try c.encode(contentType, forKey: .contentType)
        try c.encode(disposition, forKey: .disposition)
        try c.encode(transferEncoding, forKey: .transferEncoding)
        try c.encode(size, forKey: .size)
        try c.encode(md5, forKey: .md5)
        try c.encode(sha1, forKey: .sha1)
        try c.encode(sha256, forKey: .sha256)
        try c.encode(mimePath, forKey: .mimePath)
        try c.encode(inline, forKey: .inline)
        try c.encode(forwarded, forKey: .forwarded)
        try c.encode(origin, forKey: .origin)
        try c.encode(category, forKey: .category)
        try c.encode(magic, forKey: .magic)
        try c.encode(encrypted, forKey: .encrypted)
        try c.encode(password, forKey: .password)
        try c.encode(complete, forKey: .complete)
        try c.encode(findings, forKey: .findings)
        try c.encodeIfPresent(message, forKey: .message)
        try c.encode(children, forKey: .children)
    }

    /// This attachment and everything below it, depth first.
    public var flattened: [AttachmentReport] { [self] + children.flatMap(\.flattened) }
}

/// libmagic's verdict on a file.
public struct MagicReport: Sendable, Encodable, Hashable {
    /// nil when the scan skipped descriptions (`ScanOptions.magicDescriptions`).
    public var description: String?
    public var mimeType: String

    enum CodingKeys: String, CodingKey { case description, mimeType = "mime_type" }
}

/// Which password opened an encrypted file.
public struct PasswordReport: Sendable, Encodable, Hashable {
    public var value: String
    /// `option`, `password_file`, or `body:<mime_path>` for a password written in the message's own text.
    public var source: String
}

/// A body text part.
public struct BodyReport: Sendable, Encodable {
    public var mimePath: String
    public var contentType: String
    /// The charset the text was decoded with.
    public var charset: String
    /// Decoded size in bytes (before charset decoding).
    public var size: Int
    public var forwarded: Bool

    enum CodingKeys: String, CodingKey {
        case mimePath = "mime_path", contentType = "content_type", charset, size, forwarded
    }
}

/// The overall judgement, computed from findings.
public struct Verdict: Sendable, Encodable {
    /// The three answers a scan can give, each with its reasons.
    public enum Status: String, Sendable, Codable, CaseIterable {
        /// Evidence of an attack.
        case suspicious
        /// Nothing speaks against the message, but something in it could not be looked into.
        case notInspected = "not_inspected"
        /// Everything was inspected and nothing speaks against it.
        case clean
    }

    public var status: Status
    /// True only for ``Status/suspicious`` (kept for pipelines written before the three states).
    public var suspicious: Bool { status == .suspicious }
    /// The evidence behind `suspicious`, most severe first; empty for the other states.
    public var reasons: [String]
    /// Everything that could not be inspected, whatever the status.
    public var notInspected: [String]

    /// The rule: evidence of medium severity or more is an attack; so is weaker evidence (a disk image, an
    /// archive inside an archive, a damaged member) beside something that could not be inspected, since
    /// then the uninspected part is where the attack would be. Otherwise, anything not inspected makes the
    /// message `not_inspected`, and a message with neither is `clean`.
    public init(findings: [Finding]) {
        let evidence = findings.filter { $0.kind == .evidence }
        let gaps = findings.filter { $0.kind == .notInspected }
        var serious = evidence.filter { $0.severity >= .medium }
        if serious.isEmpty && !gaps.isEmpty {
            let weak = evidence.filter { $0.severity == .low }
            if !weak.isEmpty { serious = weak + gaps }
        }
        status = !serious.isEmpty ? .suspicious : gaps.isEmpty ? .clean : .notInspected
        reasons = Self.quoted(serious.sorted { $0.severity > $1.severity })
        notInspected = Self.quoted(gaps)
    }

    /// "id: evidence" of each finding, in order, each once.
    private static func quoted(_ findings: [Finding]) -> [String] {
        var seen = Set<String>()
        return findings.compactMap { f in seen.insert(f.id + f.evidence).inserted ? "\(f.id): \(f.evidence)" : nil }
    }

    enum CodingKeys: String, CodingKey { case status, suspicious, reasons, notInspected = "not_inspected" }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(status, forKey: .status)
        try c.encode(suspicious, forKey: .suspicious)
        try c.encode(reasons, forKey: .reasons)
        try c.encode(notInspected, forKey: .notInspected)
    }
}


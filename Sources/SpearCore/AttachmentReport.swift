import SpearMIME

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
    /// Where the file came from: a MIME part, a uuencoded block, a container member.
    public var origin: Origin
    /// What the content is, in the NPA's categories; nil until classified.
    public var category: Category?
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
    package var content: [UInt8] = []
    /// What the file's content points at (URLs, command lines, file names), read while its bytes were at hand
    /// for the indicators; never encoded (the message's `iocs` list them).
    package var sightings: FileSightings?

    /// A file not yet classified: hashed (`md5`, `sha1`, `sha256` of `content`), named, complete.
    package init(filename: String?, size: Int, md5: String, sha1: String, sha256: String, mimePath: String,
                 origin: Origin, forwarded: Bool, findings: [Finding], content: [UInt8]) {
        self.filename = filename
        self.size = size
        self.md5 = md5
        self.sha1 = sha1
        self.sha256 = sha256
        self.mimePath = mimePath
        self.inline = false
        self.forwarded = forwarded
        self.origin = origin
        self.encrypted = false
        self.complete = true
        self.findings = findings
        self.children = []
        self.content = content
    }

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

    public init(description: String?, mimeType: String) {
        self.description = description
        self.mimeType = mimeType
    }

    enum CodingKeys: String, CodingKey { case description, mimeType = "mime_type" }
}

/// Which password opened an encrypted file.
public struct PasswordReport: Sendable, Encodable, Hashable {
    public var value: String
    /// `option`, `password_file`, or `body:<mime_path>` for a password written in the message's own text.
    public var source: String

    public init(value: String, source: String) {
        self.value = value
        self.source = source
    }
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

    public init(mimePath: String, contentType: String, charset: String, size: Int, forwarded: Bool) {
        self.mimePath = mimePath
        self.contentType = contentType
        self.charset = charset
        self.size = size
        self.forwarded = forwarded
    }

    enum CodingKeys: String, CodingKey {
        case mimePath = "mime_path", contentType = "content_type", charset, size, forwarded
    }
}

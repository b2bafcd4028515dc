/// One MIME entity: its header, how its content is typed and encoded, and its content.
public struct MIMEPart: Sendable {
    /// The IMAP section number (RFC 3501): `1`, `1.2`, `2.1.3`; empty for the top-level multipart.
    public var path: String
    public var headers: HeaderFields
    public var contentType: ContentType
    /// True when no usable Content-Type was present and the RFC 2045 default was used.
    public var contentTypeDefaulted: Bool
    public var disposition: ContentDisposition?
    public var transferEncoding: TransferEncoding
    /// Content-ID without angle brackets.
    public var contentID: String?
    public var content: Content
    /// How many message/rfc822 levels enclose this part (0 in the top-level message).
    public var messageDepth: Int

    public indirect enum Content: Sendable {
        /// A leaf body, still transfer-encoded.
        case leaf(ArraySlice<UInt8>)
        case multipart(preamble: ArraySlice<UInt8>, parts: [MIMEPart], epilogue: ArraySlice<UInt8>)
        /// An encapsulated message: its bytes (decoded when the part was, non-conformantly, base64 or
        /// quoted-printable) and its parsed form.
        case message(bytes: ArraySlice<UInt8>, MIMEMessage)
    }

    /// `message` for the top-level entity, else the section number: where defects point.
    public var location: String { path.isEmpty ? "message" : path }

    /// The filename: Content-Disposition `filename`, else Content-Type `name` (decoded; RFC 2231 applied).
    public var filename: String? {
        if let f = disposition?.filename, !f.isEmpty { return f }
        if let n = contentType.parameters["name"], !n.isEmpty { return n }
        return nil
    }

    /// The raw bytes of the filename as written, when they differ from the decoded name.
    public var rawFilename: [UInt8]? {
        if let d = disposition?.parameters.entry("filename"), !d.value.isEmpty { return d.raw }
        return contentType.parameters.entry("name")?.raw
    }

    /// Every leaf part below (and including) this one, depth first, entering encapsulated messages.
    public var leaves: [MIMEPart] {
        switch content {
        case .leaf: return [self]
        case .multipart(_, let parts, _): return parts.flatMap(\.leaves)
        case .message(_, let m): return m.root.leaves
        }
    }
}

/// A parsed message: the top-level entity (whose header is the message header) and every defect found in it.
public struct MIMEMessage: Sendable {
    public var root: MIMEPart
    /// Defects of this message and of everything nested in it.
    public var defects: [Defect]
    /// The bytes the message was parsed from, and where its body starts in them (set for the top-level message:
    /// DKIM hashes the body exactly as received).
    public var source: ArraySlice<UInt8> = []
    public var bodyStart: Int = 0

    /// The raw body: everything after the header's blank line.
    public var rawBody: ArraySlice<UInt8> { source[min(bodyStart, source.endIndex)...] }

    public init(root: MIMEPart, defects: [Defect]) {
        self.root = root
        self.defects = defects
    }

    public var headers: HeaderFields { root.headers }
}

/// TNEF (`winmail.dat`, `application/ms-tnef`): Outlook's wrapper that carries a message's attachments inside
/// one opaque attachment, so a scanner that does not open it sees none of them.
///
/// The reader is pure Swift over bytes, bounded and linear in the input: every attribute and property length is
/// checked against what is left, counts are clamped to what could fit, and at most
/// ``TNEF/maxAttributes`` attributes and 65,536 MAPI properties per attribute are read. Nothing is silent:
/// damage ends the read with ``UnpackResult/damage`` set (entries read so far kept), bad checksums and malformed
/// properties are issues on the entry they concern (or ``UnpackResult/notes`` at message level), and limits
/// are in ``UnpackResult/limits``.
///
/// Embedded messages (`PR_ATTACH_DATA_OBJ` with `IID_IMessage`) are not recursed into here: their entry's bytes
/// are the nested TNEF stream, so the caller recurses as it does for archives in archives and depth is counted
/// in one place.
///
/// Not read: the message body (`PR_RTF_COMPRESSED`, `PR_BODY`, `PR_HTML`) is not an attachment; OLE objects
/// embedded in a compressed RTF body (`\objdata`) would need an RTF decompressor and parser. Which bodies are
/// present is reported in ``TNEFMessage/bodies``.
public enum TNEF {
    /// The signature 0x223E9F78, little-endian, at offset 0.
    static let signature: [UInt8] = [0x78, 0x9F, 0x3E, 0x22]

    /// Attributes read from one stream at most; a real one has tens.
    public static let maxAttributes = 65_536

    /// Whether `bytes` start with the TNEF signature (bytes 78 9F 3E 22).
    public static func isTNEF(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 4 && bytes[0] == 0x78 && bytes[1] == 0x9F && bytes[2] == 0x3E && bytes[3] == 0x22
    }

    /// Reads the attachments of a TNEF stream within the message's budget.
    ///
    /// One entry per attachment (two when an attachment carries different data in `attAttachData` and in
    /// `PR_ATTACH_DATA_*`, so neither escapes the scan), named by the best name the stream has; `format` is
    /// `TNEF`. Input that is not TNEF gives no entries and `damage` saying so.
    public static func read(_ bytes: [UInt8], budget: UnpackBudget) -> UnpackResult {
        readMessage(bytes, budget: budget).result
    }

    /// Like ``read(_:budget:)``, with what the stream says about the message and each entry.
    public static func readMessage(_ bytes: [UInt8], budget: UnpackBudget) -> TNEFMessage {
        var reader = TNEFReader(bytes, budget: budget)
        reader.run()
        return reader.message
    }
}

/// What a TNEF stream says about its message, beside the attachments in ``result``.
public struct TNEFMessage: Sendable {
    /// The attachments, as an unpacking pass (format `TNEF`).
    public var result: UnpackResult
    /// One per entry of ``result``, in the same order.
    public var attachments: [TNEFAttachmentInfo]
    /// `attMessageClass` or `PR_MESSAGE_CLASS` (`IPM.Note`, `IPM.Microsoft Mail.Note`, `IPM.Schedule.Meeting.Request` …).
    public var messageClass: String?
    /// The code page 8-bit strings are in (attOemCodepage), if the stream says.
    public var codepage: UInt32?
    /// The message bodies present (not read).
    public var bodies: [TNEFBody]
    /// Attribute records read.
    public var attributeCount: Int
}

/// A message body a TNEF stream carries.
public enum TNEFBody: String, Sendable, Codable {
    /// `PR_RTF_COMPRESSED`: may hold OLE objects of its own, which this reader does not extract.
    case rtfCompressed = "rtf_compressed"
    /// `PR_BODY` or `attBody`.
    case plain
    /// `PR_HTML`.
    case html
}

/// Where one entry of a TNEF stream came from.
public struct TNEFAttachmentInfo: Sendable, Equatable {
    /// The attachment's number in the stream, from 1 (two entries share it when both data forms differ).
    public var attachment: Int
    /// `PR_ATTACH_METHOD` (1 by value, 5 embedded message, 6 OLE), if given.
    public var method: UInt32?
    public var content: Content
    /// Which property or attribute named the entry.
    public var nameSource: NameSource
    /// Every non-empty name the attachment has, best first: when they disagree (a display name `invoice.pdf`
    /// over a file name `invoice.exe`) that is evidence of its own.
    public var names: [Name]
    /// `PR_ATTACH_MIME_TAG`, if given.
    public var mimeTag: String?

    /// One of an attachment's names and where it came from.
    public struct Name: Sendable, Equatable {
        public var source: NameSource
        public var name: String
    }

    /// What the entry's bytes are.
    public enum Content: Sendable, Equatable {
        /// File data (`attAttachData` or `PR_ATTACH_DATA_BIN`).
        case file
        /// A nested TNEF stream (`PR_ATTACH_DATA_OBJ` with `IID_IMessage`): the caller recurses.
        case embeddedMessage
        /// An OLE2 compound file (`IID_IStorage`), the bytes after the IID.
        case oleStorage
        /// An object with another interface id (given as text), the bytes after the IID.
        case object(String)
        /// The stream held no data for this attachment (by reference, or cut off).
        case none
    }

    public enum NameSource: String, Sendable {
        case longFilename = "PR_ATTACH_LONG_FILENAME"
        case displayName = "PR_DISPLAY_NAME"
        case title = "attAttachTitle"
        case filename = "PR_ATTACH_FILENAME"
        case generated
    }
}

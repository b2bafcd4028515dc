/// A finding's stable id: what pipelines match on (`jq '.findings[].id'`, the store's `findings.finding_id`).
///
/// Every id spearscan emits is declared here, once, with what it means; a heuristic names one of these rather
/// than spelling a string. String literals still convert (`"macro"`), for tests and for ids read back from JSON.
public struct FindingID: RawRepresentable, Hashable, Sendable, Codable, ExpressibleByStringLiteral, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { rawValue = value }
    public init(from decoder: any Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }

    public var description: String { rawValue }
}

extension FindingID {
    // What a file is, wherever it is found.
    /// An executable program attached directly.
    public static let executableFile: FindingID = "executable_file"
    /// A script (.js, .vbs, .ps1, .hta, …) attached directly.
    public static let scriptFile: FindingID = "script_file"
    /// A Windows shortcut attached directly.
    public static let shortcutFile: FindingID = "shortcut_file"
    /// A disk image (.iso, .img, .vhd): its files escape mark-of-the-web.
    public static let diskImage: FindingID = "disk_image"
    public static let executableInArchive: FindingID = "executable_in_archive"
    public static let scriptInArchive: FindingID = "script_in_archive"
    public static let shortcutInArchive: FindingID = "shortcut_in_archive"
    /// An archive or disk image inside another.
    public static let archiveInArchive: FindingID = "archive_in_archive"
    /// A document with macros (VBA in OLE2 or OOXML, XLM sheets).
    public static let macro: FindingID = "macro"
    /// An OOXML document that fetches a remote template when opened.
    public static let remoteTemplate: FindingID = "remote_template"
    /// The content is not what the name's extension says.
    public static let extensionMismatch: FindingID = "extension_mismatch"

    // Names.
    public static let riskyExtension: FindingID = "risky_extension"
    public static let doubleExtension: FindingID = "double_extension"
    public static let paddedFilename: FindingID = "padded_filename"
    public static let bidiOverride: FindingID = "bidi_override"
    public static let controlCharactersInName: FindingID = "control_characters_in_name"
    /// An archive member's name would escape an extraction directory (zip-slip).
    public static let pathTraversal: FindingID = "path_traversal"

    // Containers.
    public static let encryptedArchive: FindingID = "encrypted_archive"
    public static let encryptedDocument: FindingID = "encrypted_document"
    public static let encryptedMember: FindingID = "encrypted_member"
    public static let passwordInBody: FindingID = "password_in_body"
    public static let archiveDamaged: FindingID = "archive_damaged"
    public static let memberDamaged: FindingID = "member_damaged"
    public static let memberUnreadable: FindingID = "member_unreadable"
    /// The zip's central directory and local headers disagree.
    public static let zipHeaderMismatch: FindingID = "zip_header_mismatch"
    /// The zip's central-directory entries point into one another's data: the overlapping zip bomb.
    public static let zipOverlappingEntries: FindingID = "zip_overlapping_entries"
    /// A winmail.dat read past a flaw (checksum, code page).
    public static let tnefMalformed: FindingID = "tnef_malformed"

    // What could not be inspected, and the message as a whole.
    /// A container in a format that cannot be opened here, or something the unpacker could not do.
    public static let notInspected: FindingID = "not_inspected"
    /// A bound (depth, entries, bytes, ratio, time, MIME limits) fired.
    public static let limitExceeded: FindingID = "limit_exceeded"
    /// libmagic could not be loaded.
    public static let classificationDegraded: FindingID = "classification_degraded"
    /// Malformed MIME of the kind that makes readers disagree about the content.
    public static let evasiveMIME: FindingID = "evasive_mime"
    /// The sender analysis says spoofed.
    public static let senderSpoofed: FindingID = "sender_spoofed"

    // Indicators (issue #16).
    /// An HTML link whose shown text is a URL or domain of another registrable domain than where it goes.
    public static let linkTextMismatch: FindingID = "link_text_mismatch"
    /// More indicators in a body, file or message than are listed; the rest were not listed.
    public static let indicatorsCapped: FindingID = "indicators_capped"
}

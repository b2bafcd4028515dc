/// One attachment as the report sees it: its NPA category and, for archives and disk images, what was inside.
public struct ReportAttachment: Sendable, Hashable {
    /// One of the classifier's NPA categories (`word`, `archive`, `disk_image`, …); unknown strings count as
    /// `other` (see ``AttachmentCategory/init(normalizing:)``).
    public var category: String
    /// Password-protected archive/document.
    public var encrypted: Bool
    /// False when it could not be fully opened.
    public var complete: Bool
    /// For archives/disk images: what was found inside, recursively.
    public var members: [ReportAttachment]

    public init(category: String, encrypted: Bool = false, complete: Bool = true, members: [ReportAttachment] = []) {
        self.category = category
        self.encrypted = encrypted
        self.complete = complete
        self.members = members
    }

    /// The category as the report counts it.
    public var kind: AttachmentCategory { AttachmentCategory(normalizing: category) }

    /// An archive or disk image whose contents the unpacker never saw: encrypted without a password, or broken
    /// before the first member. Counted as `not_inspected` so that the "inside compressed files" shares never
    /// quietly leave out the archives an attacker made opaque on purpose.
    /// A member that was listed but could not be read (an encrypted member without its password): the loaders
    /// give it the category ``ReportAttachment/unreadCategory``.
    public var isUnread: Bool { category == Self.unreadCategory }

    /// The category loaders give a file whose content could not be read, so it has none.
    public static let unreadCategory = "unread"

    public var isUninspectedContainer: Bool {
        kind.isContainer && members.isEmpty && (encrypted || !complete)
    }
}

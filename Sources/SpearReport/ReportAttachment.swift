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

    /// The category the classifier gives a TNEF stream (winmail.dat, application/ms-tnef).
    public static let tnefCategory = "tnef"

    /// The list with every TNEF wrapper that was opened replaced by its members (recursively: a TNEF can
    /// embed a message with its own TNEF), since the recipient's Outlook shows those files as the message's
    /// attachments. A TNEF stream with no readable member stays as itself (counted as `other`).
    public static func unwrappingTNEF(_ list: [ReportAttachment]) -> [ReportAttachment] {
        guard list.contains(where: { $0.category == tnefCategory }) else { return list }
        var out: [ReportAttachment] = []
        var pending = Array(list.reversed())
        while let a = pending.popLast() {
            if a.category == tnefCategory && !a.members.isEmpty {
                pending += a.members.reversed()
            } else {
                out.append(a)
            }
        }
        return out
    }
}

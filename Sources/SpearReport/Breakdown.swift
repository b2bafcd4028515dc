/// One of the attachment breakdowns, as the ordered segments shared by the table, the charts and the HTML
/// page, so they cannot disagree about order, labels or colours.
public enum Breakdown: String, Sendable, Hashable, CaseIterable {
    /// Top-level attachment files by category.
    case attachments
    /// Files inside archive attachments (the NPA's "types inside compressed files"), plus the archives that
    /// could not be inspected.
    case archiveContents = "archive_contents"
    /// Files inside disk-image attachments (ISO/IMG), kept apart so that the archive figure means what the
    /// NPA's does, plus the images that could not be inspected.
    case diskImageContents = "disk_image_contents"

    /// A stack segment's identity: a category, or the not-inspected containers.
    struct Key: Hashable {
        var category: AttachmentCategory?
        var jsonKey: String { category?.rawValue ?? "not_inspected" }
        func label(_ labels: Labels) -> String { category.map(labels.category) ?? labels.notInspected }
        var color: String { category.map(Palette.color) ?? Palette.notInspected }
    }

    /// Segment keys in stacking/legend order.
    var keys: [Key] {
        switch self {
        case .attachments: AttachmentCategory.allCases.map { Key(category: $0) }
        case .archiveContents, .diskImageContents: AttachmentCategory.leafCases.map { Key(category: $0) } + [Key(category: nil)]
        }
    }

    /// Counts of `stats` in ``keys`` order.
    func counts(_ stats: PeriodStats) -> [Int] {
        keys.map { key in
            switch self {
            case .attachments: stats.attachments[key.category!] ?? 0
            case .archiveContents: key.category.map { stats.archiveContents[$0] ?? 0 } ?? stats.notInspected
            case .diskImageContents: key.category.map { stats.diskImageContents[$0] ?? 0 } ?? stats.diskImageNotInspected
            }
        }
    }

    func title(_ labels: Labels) -> String {
        switch self {
        case .attachments: labels.attachmentsTitle
        case .archiveContents: labels.archiveContentsTitle
        case .diskImageContents: labels.diskImageContentsTitle
        }
    }
}

/// The figures of one period (or of the totals), as counts. Shares are derived on demand so that JSON can
/// carry exact counts and the table/charts can show percentages of the same numbers.
public struct PeriodStats: Sendable, Hashable {
    /// Nil for the totals row.
    public var period: Period?
    /// Every message dated in this period (after `--from`/`--to`), whatever the scope.
    public var messages: Int = 0
    /// Messages the scope counts: the targeted ones for `targeted`, all of them for `all`. The denominator of
    /// every share, and the only messages whose attachments, subjects and domains are counted.
    public var counted: Int = 0
    /// Messages with the suspicious verdict (whatever the scope).
    public var targeted: Int = 0
    /// Messages whose verdict is `not_inspected` (whatever the scope): nothing against them, something in them
    /// not looked into (a locked archive, a limit). Never part of ``targeted``.
    public var notInspectedMessages: Int = 0
    /// Counted messages whose sender verdict is "spoofed".
    public var spoofed: Int = 0
    /// Counted messages whose sender verdict could not be given (not included in ``spoofed``).
    public var spoofedUnknown: Int = 0
    /// Counted messages of bulk-type campaigns.
    public var bulk: Int = 0
    /// Counted messages with at least one recipient not in the public-address list; nil without the list.
    public var nonPublic: Int?
    /// Counted messages with at least one encrypted archive or disk-image attachment.
    public var encryptedArchive: Int = 0
    /// Top-level attachment files by category (every category present, zeros included).
    public var attachments: [AttachmentCategory: Int] = Dictionary(uniqueKeysWithValues: AttachmentCategory.allCases.map { ($0, 0) })
    /// Leaf files found (at any depth) inside archive attachments, by category (every leaf category present).
    public var archiveContents: [AttachmentCategory: Int] = Dictionary(uniqueKeysWithValues: AttachmentCategory.leafCases.map { ($0, 0) })
    /// Inside archive attachments: containers (the attachment itself or nested ones) whose contents could not be
    /// seen, and members listed but not readable.
    public var notInspected: Int = 0
    /// Leaf files found (at any depth) inside disk-image attachments, by category.
    public var diskImageContents: [AttachmentCategory: Int] = Dictionary(uniqueKeysWithValues: AttachmentCategory.leafCases.map { ($0, 0) })
    /// The same as ``notInspected``, inside disk-image attachments.
    public var diskImageNotInspected: Int = 0
    /// Archives/disk images found inside other archives/disk images.
    public var nestedArchives: Int = 0
    /// The five most frequent subjects of counted messages.
    public var topSubjects: [RankedEntry] = []
    /// The five most frequent sender domains of counted messages.
    public var topSenderDomains: [RankedEntry] = []

    public init(period: Period?) {
        self.period = period
    }

    /// Top-level attachment files in all categories: the 100 % of the attachment chart.
    public var attachmentFiles: Int { attachments.values.reduce(0, +) }

    /// Leaves plus uninspected archives: the 100 % of the "inside compressed files" chart.
    public var archiveContentFiles: Int { archiveContents.values.reduce(0, +) + notInspected }

    /// Leaves plus uninspected images: the 100 % of the "inside disk images" chart.
    public var diskImageContentFiles: Int { diskImageContents.values.reduce(0, +) + diskImageNotInspected }

    /// `part / counted`, or nil when nothing was counted (a share of nothing is not 0 %).
    public func share(_ part: Int?) -> Double? {
        guard let part, counted > 0 else { return nil }
        return Double(part) / Double(counted)
    }
}

/// The classifier's NPA categories, in the order the report shows them (documents first, then containers, then
/// active content, then the rest), which is also the stacking order of the chart segments.
///
/// The classifier's `ichitaro` and `onenote` are not in the list and count as ``other``.
public enum AttachmentCategory: String, Sendable, Hashable, CaseIterable, Codable {
    case word, excel, powerpoint, pdf
    case archive
    case diskImage = "disk_image"
    case executable, script, shortcut, html, email, image, text, rtf, other

    /// Maps a category string from the loaders; anything unknown (or differently cased) becomes ``other``
    /// rather than an error, so a newer classifier never breaks an older report.
    public init(normalizing raw: String) {
        let key = raw.lowercased()
        self = AttachmentCategory(rawValue: key == "diskimage" ? "disk_image" : key) ?? .other
    }

    /// Archives and disk images: files that contain files, whose contents are counted in the "inside
    /// compressed files" breakdown (the NPA counts ISO/IMG with compressed files).
    public var isContainer: Bool { self == .archive || self == .diskImage }

    /// The categories that can be a leaf of the "inside compressed files" breakdown: every category but the
    /// containers, which are recursed into instead (and counted as nested archives).
    public static let leafCases: [AttachmentCategory] = allCases.filter { !$0.isContainer }
}

/// Something a file's content points at, as read from the file while its bytes are at hand (a PDF's `/URI` action,
/// a shortcut's command line, a script's URL); the indicator extractor turns sightings into indicators.
public struct FileSighting: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// A URL (`http`, `https`, `ftp`, `file`, `mhtml`, …), as written once un-escaped.
        case url
        /// A command line a file runs: a shortcut's target and arguments, a PDF `/Launch`, a `.desktop` `Exec=`.
        case command
        /// The name or path of a file it carries or refers to: a PDF's embedded file, an OLE package's source
        /// path, a shortcut's UNC icon.
        case filename
    }

    public var kind: Kind
    public var value: String
    /// Which part of the file: `/URI`, `HYPERLINK field`, `relationship hyperlink in word/_rels/document.xml.rels`.
    public var part: String
    /// Written so as not to be found: split into concatenated string literals, defanged.
    public var obfuscated: Bool

    public init(_ kind: Kind, _ value: String, part: String, obfuscated: Bool = false) {
        self.kind = kind
        self.value = value
        self.part = part
        self.obfuscated = obfuscated
    }
}

/// What a file gave the indicator reader, and whether its bound cut the list.
public struct FileSightings: Sendable {
    public var items: [FileSighting]
    /// More were found than the bound allows; `limit` were kept.
    public var cut: Bool
    public var limit: Int
    /// A bound of the reader itself fired (inflated bytes of a PDF's streams): what was not read.
    public var notes: [String]

    public init(items: [FileSighting] = [], cut: Bool = false, limit: Int = 0, notes: [String] = []) {
        self.items = items
        self.cut = cut
        self.limit = limit
        self.notes = notes
    }
}

public import SpearCore
import SpearMIME

/// Reads what a file's content points at — URLs, command lines, names of files it carries or calls — while the
/// scan holds its bytes: PDFs (`/URI`, `/Launch`, `/JS`, embedded files, in object streams too), OOXML external
/// relationships, RTF fields, templates and embedded objects, Windows shortcuts (`.lnk`), `.url` and `.desktop`
/// files, scripts (string literals, concatenations joined), HTML and text attachments. Every reader is bounded:
/// at most `perFile` sightings (then `cut`), and a PDF's streams inflated up to `inflatedBytes`.
public struct FileIndicatorReader: Sendable {
    public var perFile: Int
    /// The bytes PDFs' streams (object streams, JavaScript) may inflate to, in all, for one message.
    public var inflatedBytes: Int

    public init(perFile: Int = 500, inflatedBytes: Int = 32 << 20) {
        self.perFile = perFile
        self.inflatedBytes = inflatedBytes
    }

    /// The sightings of one file, with a budget of its own for inflating (tests, one file at a time).
    public func read(_ bytes: [UInt8], category: Category?, filename: String?,
                     relationships: [(name: String, bytes: [UInt8])] = []) -> FileSightings? {
        var budget = inflatedBytes
        return read(bytes, category: category, filename: filename, relationships: relationships, inflateBudget: &budget)
    }

    /// The sightings of one file; nil when its kind holds none this reader knows to look for.
    /// - Parameters:
    ///   - relationships: an OOXML document's `.rels` parts, as the classifier's peek read them.
    ///   - inflateBudget: what a PDF's streams may still inflate to for the whole message; charged.
    public func read(_ bytes: [UInt8], category: Category?, filename: String?,
                     relationships: [(name: String, bytes: [UInt8])], inflateBudget: inout Int) -> FileSightings? {
        var list = SightingList(limit: perFile)
        var notes: [String] = []
        switch category {
        case .pdf?:
            notes += PDFLinks.read(bytes, inflating: &inflateBudget, into: &list)
        case .rtf?:
            RTFLinks.read(bytes, into: &list)
        case .word?, .excel?, .powerpoint?:
            guard !relationships.isEmpty else { return nil }
            for part in relationships { OOXMLLinks.read(part.bytes, part: part.name, into: &list) }
        case .shortcut?:
            if ShellLink.isShellLink(bytes) {
                ShellLink.read(bytes, into: &list)
            } else if let kind = TextShortcut(bytes) {
                ShortcutFile.read(bytes, kind: kind, into: &list)
            } else {
                return nil
            }
        case .script?:
            ScriptStrings.read(bytes, language: ScriptStrings.Language(filename: filename, content: bytes), into: &list)
        case .html?:
            let (links, more) = HTMLLinks.find(in: bytes, limit: perFile)
            for link in links { list.add(.url, link.url, part: "HTML \(link.attribute)") }
            if more { list.cut = true }
            list.addURLs(in: HTMLLinks.visibleText(bytes), part: "HTML text")
        case .text?:
            if let kind = TextShortcut(bytes) {
                ShortcutFile.read(bytes, kind: kind, into: &list)
            } else {
                list.addURLs(in: bytes, part: "text")
            }
        default:
            return nil
        }
        guard !list.items.isEmpty || list.cut || !notes.isEmpty else { return nil }
        return FileSightings(items: list.items, cut: list.cut, limit: perFile, notes: notes)
    }
}

/// Sightings in order, each (kind, value) once, at most `limit`.
struct SightingList {
    let limit: Int
    private(set) var items: [FileSighting] = []
    var cut = false
    private var seen = Set<String>()

    init(limit: Int) { self.limit = limit }

    var full: Bool { items.count >= limit }

    mutating func add(_ kind: FileSighting.Kind, _ value: String, part: String, obfuscated: Bool = false) {
        let trimmed = value.trimmingCharacters(in: HTMLLinks.blanks)
        guard !trimmed.isEmpty else { return }
        let key = "\(kind)\u{0}\(trimmed)"
        guard !seen.contains(key) else { return }
        guard items.count < limit else { cut = true; return }
        seen.insert(key)
        items.append(FileSighting(kind, String(trimmed.prefix(2_048)), part: part, obfuscated: obfuscated))
    }

    /// A value that may be a URL or a file reference (a template, a relationship target, a field's argument).
    mutating func addReference(_ value: String, part: String) {
        switch Reference.kind(of: value) {
        case .url?: add(.url, value, part: part)
        case .filename?: add(.filename, value, part: part)
        default: break
        }
    }

    /// URLs found in free text (a script's string, a command line, a PDF's JavaScript).
    mutating func addURLs(in text: [UInt8], part: String, obfuscated: Bool = false) {
        let (found, more) = URLScanner.find(in: text, limit: limit)
        for url in found { add(.url, url.url, part: part, obfuscated: obfuscated || url.obfuscated) }
        if more { cut = true }
    }
}

/// What a reference written in a file is.
enum Reference {
    static let schemes = ["http://", "https://", "ftp://", "file:", "mhtml:", "ms-msdt:", "search-ms:", "ms-word:",
                          "ms-excel:", "ms-powerpoint:", "ldap://", "smb://", "webdav://"]

    static func kind(of value: String) -> FileSighting.Kind? {
        let lower = value.lowercased()
        if schemes.contains(where: { lower.hasPrefix($0) }) { return .url }
        if value.hasPrefix("\\\\") || value.hasPrefix("//") { return .filename }
        let u = Array(value.utf8)
        if u.count > 2, (u[0] | 0x20) >= 0x61, (u[0] | 0x20) <= 0x7A, u[1] == 0x3A, u[2] == 0x5C || u[2] == 0x2F { return .filename }
        return nil
    }
}

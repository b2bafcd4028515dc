/// One indicator of compromise found in a message (issue #16): what an analyst looks up, blocks or shares. The JSON
/// calls the list `iocs`.
public struct Indicator: Sendable, Hashable, Encodable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case url, domain, ipv4, ipv6, email, file
        /// A command line a file runs (a shortcut's target and arguments, a PDF `/Launch`, a `.desktop` `Exec=`).
        case command
        /// The name or path of a file that a file carries or refers to (a PDF's embedded file, an OLE package's
        /// source path, a UNC icon or template).
        case filename
    }

    /// Whether it stands where an attack would put it, or where ordinary mail carries links and addresses.
    public enum Context: String, Sendable, Codable {
        /// The message's own text, an attachment or an archive member.
        case content
        /// Below a signature delimiter (`-- `, a line of ─ or ＝): the sender's company site, usually.
        case signature
        /// Beside an unsubscribe or "配信停止" line: a newsletter's footer.
        case footer
        /// From the header (sender and Reply-To addresses, the first external Received hop).
        case header
    }

    public var type: Kind
    /// The indicator as found, refanged (`hxxp` → `http`, `[.]` → `.`) and with full-width characters folded;
    /// a domain in lower case; a file's SHA-256.
    public var value: String
    /// Where it was found: `body 1`, `body 2 href`, `2:invoice.zip/run.js`, `header Reply-To`, `header Received`.
    public var location: String
    public var context: Context
    /// Written obfuscated in the message (hxxp, [.], [:]): someone meant it not to be clickable.
    public var obfuscated: Bool
    /// For a file: its name, category and hashes.
    public var file: FileIndicator?

    public init(type: Kind, value: String, location: String, context: Context, obfuscated: Bool = false, file: FileIndicator? = nil) {
        self.type = type
        self.value = value
        self.location = location
        self.context = context
        self.obfuscated = obfuscated
        self.file = file
    }

    /// The value made safe to paste (`hxxp://example[.]com/`), as `--defang` prints it.
    public var defanged: String {
        switch type {
        case .url:
            var v = value
            if v.lowercased().hasPrefix("http") { v = "hxxp" + v.dropFirst(4) } else if v.lowercased().hasPrefix("ftp") { v = "fxp" + v.dropFirst(3) }
            let parts = v.split(separator: "://", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else { return v }
            let rest = parts[1]
            let hostEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
            return parts[0] + "://" + rest[..<hostEnd].replacingDots() + rest[hostEnd...]
        case .domain, .ipv4: return value.replacingDots()
        case .email:
            guard let at = value.lastIndex(of: "@") else { return value }
            return String(value[..<at]) + "[@]" + value[value.index(after: at)...].replacingDots()
        case .ipv6, .file, .command, .filename: return value
        }
    }

    enum CodingKeys: String, CodingKey { case type, value, location = "where", context, obfuscated, file }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(type, forKey: .type)
        try c.encode(value, forKey: .value)
        try c.encode(location, forKey: .location)
        try c.encode(context, forKey: .context)
        if obfuscated { try c.encode(obfuscated, forKey: .obfuscated) }
        try c.encodeIfPresent(file, forKey: .file)
    }
}

/// What a file indicator carries besides its SHA-256.
public struct FileIndicator: Sendable, Hashable, Encodable {
    public var name: String?
    public var category: String?
    public var size: Int
    public var md5: String
    public var sha1: String
    public var sha256: String

    public init(name: String?, category: String?, size: Int, md5: String, sha1: String, sha256: String) {
        self.name = name
        self.category = category
        self.size = size
        self.md5 = md5
        self.sha1 = sha1
        self.sha256 = sha256
    }
}

extension StringProtocol {
    fileprivate func replacingDots() -> String {
        var out = ""
        for ch in self { if ch == "." { out += "[.]" } else { out.append(ch) } }
        return out
    }
}

public import SpearCore
public import SpearDomains
import SpearMIME

/// Bounds of indicator extraction; a bound that fires is reported (`indicators_capped`), never silent.
public struct IndicatorLimits: Sendable {
    /// Links taken from one text or HTML body.
    public var perSource = 500
    /// Indicators listed for one message.
    public var perMessage = 2_000
    public init() {}
}

/// Extracts the indicators of one message (issue #16): URLs from its text and HTML bodies, the registrable domains
/// and IP addresses of their hosts, the sender's and Reply-To addresses, the first external Received hop's address,
/// and every file's hashes; each with where it was found and whether it stands in a signature or newsletter footer.
/// Also judges HTML links whose shown text names another site than where they go (`link_text_mismatch`).
public struct IndicatorExtractor: Sendable {
    public var limits: IndicatorLimits
    /// What reads each file's URLs, command lines and file names while the scan holds its bytes.
    public var files: FileIndicatorReader
    let psl: PublicSuffixList?

    public init(psl: PublicSuffixList?, limits: IndicatorLimits = IndicatorLimits()) {
        self.psl = psl
        self.limits = limits
        self.files = FileIndicatorReader(perFile: limits.perSource)
    }

    /// What a message gives the extractor.
    public struct Input {
        public var bodies: [BodyText]
        public var from: [String]
        public var replyTo: [String]
        /// The Internet client of the first external hop, as the sender stage found it.
        public var clientAddress: String?
        /// The message's files; members are read from their `children`.
        public var files: [AttachmentReport]

        public init(bodies: [BodyText], from: [String], replyTo: [String], clientAddress: String?, files: [AttachmentReport]) {
            self.bodies = bodies
            self.from = from
            self.replyTo = replyTo
            self.clientAddress = clientAddress
            self.files = files
        }
    }

    public struct Output: Sendable {
        public var indicators: [Indicator]
        public var findings: [Finding]
    }

    public func extract(_ input: Input) -> Output {
        var list = IndicatorList(limit: limits.perMessage)
        var findings: [Finding] = []
        for address in input.from { list.add(Indicator(type: .email, value: address.lowercased(), location: "header From", context: .header)) }
        for address in input.replyTo { list.add(Indicator(type: .email, value: address.lowercased(), location: "header Reply-To", context: .header)) }
        if let client = input.clientAddress {
            list.add(Indicator(type: client.contains(":") ? .ipv6 : .ipv4, value: client, location: "header Received", context: .header))
        }
        for (k, body) in input.bodies.enumerated() {
            let location = "body \(k + 1)"
            let isHTML = body.contentType == "text/html"
            let raw = Array(body.text.utf8)
            if isHTML {
                let (links, more) = HTMLLinks.find(in: raw, limit: limits.perSource)
                if more { findings.append(capped(location, "links", limits.perSource)) }
                for link in links {
                    let from = max(0, link.offset - 400)
                    let near = raw[from..<min(raw.count, from + 800)]
                    let context: Indicator.Context = TextContext.mentionsUnsubscribe(near) ? .footer : .content
                    addURL(link.url, host: link.host, location: "\(location) \(link.attribute)", context: context, obfuscated: false, to: &list)
                    if let shown = link.shown, let mismatch = mismatch(shown: shown, target: link) {
                        findings.append(Finding(id: .linkTextMismatch, severity: .low, evidence: "\(location): \(mismatch)"))
                    }
                }
            }
            // Plain text, and the visible text of HTML (a URL written out in a paragraph, not linked).
            let bytes = isHTML ? HTMLLinks.visibleText(raw) : raw
            let (urls, more) = URLScanner.find(in: bytes, limit: limits.perSource)
            if more { findings.append(capped(location, "URLs", limits.perSource)) }
            guard !urls.isEmpty else { continue }
            let contexts = isHTML ? [] : TextContext.lines(of: bytes)
            for found in urls {
                let context = found.line < contexts.count ? contexts[found.line] : .content
                addURL(found.url, host: found.host, location: location, context: context, obfuscated: found.obfuscated, to: &list)
            }
        }
        for file in input.files { addFile(file, location: file.path.map { "\(file.mimePath):\($0)" } ?? file.mimePath, to: &list, &findings) }
        if list.dropped > 0 {
            findings.append(Finding(id: .indicatorsCapped, severity: .info,
                                    evidence: "\(list.items.count + list.dropped) indicators in the message: only the first \(limits.perMessage) are listed"))
        }
        // Findings about the same link once, and at most ten of them.
        var seen = Set<String>()
        let linkFindings = findings.filter { $0.id == .linkTextMismatch && seen.insert($0.evidence).inserted }.prefix(10)
        return Output(indicators: list.items, findings: findings.filter { $0.id != .linkTextMismatch } + linkFindings)
    }

    /// A file, what its content points at, and the files inside it (their location the path down to them:
    /// `2:outer.zip/inner.zip/run.lnk`).
    private func addFile(_ file: AttachmentReport, location: String, to list: inout IndicatorList, _ findings: inout [Finding]) {
        let info = FileIndicator(name: file.filename, category: file.category?.rawValue, size: file.size,
                                 md5: file.md5, sha1: file.sha1, sha256: file.sha256)
        list.add(Indicator(type: .file, value: file.sha256, location: location, context: .content, file: info))
        if let found = file.sightings { addSightings(found, location: location, to: &list, &findings) }
        for child in file.children {
            let at = child.path.map { file.path == nil ? "\(child.mimePath):\($0)" : "\(location)/\($0)" } ?? child.mimePath
            addFile(child, location: at, to: &list, &findings)
        }
    }

    private func addSightings(_ found: FileSightings, location: String, to list: inout IndicatorList, _ findings: inout [Finding]) {
        for s in found.items {
            let at = "\(location) \(s.part)"
            switch s.kind {
            case .url:
                if let host = Self.host(ofReference: s.value) {
                    addURL(s.value, host: host, location: at, context: .content, obfuscated: s.obfuscated, to: &list)
                } else {
                    list.add(Indicator(type: .url, value: s.value, location: at, context: .content, obfuscated: s.obfuscated))
                }
            case .command:
                list.add(Indicator(type: .command, value: s.value, location: at, context: .content, obfuscated: s.obfuscated))
            case .filename:
                list.add(Indicator(type: .filename, value: s.value, location: at, context: .content, obfuscated: s.obfuscated))
                // A UNC path names a server (\\192.0.2.1\share\x): the place a shortcut or template reaches.
                if let host = Self.host(ofReference: s.value) {
                    addHost(host, location: at, context: .content, obfuscated: s.obfuscated, to: &list)
                }
            }
        }
        if found.cut { findings.append(capped(location, "links in the file", found.limit)) }
        for note in found.notes {
            findings.append(Finding(id: .indicatorsCapped, severity: .info, evidence: "\(location): \(note)"))
        }
    }

    private func capped(_ location: String, _ what: String, _ limit: Int) -> Finding {
        Finding(id: .indicatorsCapped, severity: .info, evidence: "\(location): more than \(limit) \(what); only the first \(limit) are listed")
    }

    /// The URL, and its host as a domain (registrable) or an address.
    private func addURL(_ url: String, host: String, location: String, context: Indicator.Context, obfuscated: Bool,
                        to list: inout IndicatorList) {
        list.add(Indicator(type: .url, value: url, location: location, context: context, obfuscated: obfuscated))
        addHost(host, location: location, context: context, obfuscated: obfuscated, to: &list)
    }

    /// A host as a registrable domain or an address.
    private func addHost(_ host: String, location: String, context: Indicator.Context, obfuscated: Bool,
                         to list: inout IndicatorList) {
        if host.hasPrefix("[") {
            list.add(Indicator(type: .ipv6, value: String(host.dropFirst().dropLast()), location: location, context: context, obfuscated: obfuscated))
        } else if host.split(separator: ".").allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) }) {
            list.add(Indicator(type: .ipv4, value: host, location: location, context: context, obfuscated: obfuscated))
        } else {
            list.add(Indicator(type: .domain, value: registrable(host), location: location, context: context, obfuscated: obfuscated))
        }
    }

    /// The host of a URL of any scheme (`file://192.0.2.5/x`, `mhtml:http://…`) or of a UNC path, when it is a
    /// plausible host name or address.
    static func host(ofReference value: String) -> String? {
        var u = Array(value.utf8)
        if value.lowercased().hasPrefix("mhtml:") { u.removeFirst(6) }
        if u.starts(with: [0x5C, 0x5C]) || (u.starts(with: [0x2F, 0x2F])) {
            let rest = u.dropFirst(2).prefix { $0 != 0x5C && $0 != 0x2F && $0 != 0x40 }
            return URLScanner.host(of: Array("x://".utf8) + rest, schemeLength: 4)
        }
        guard let colon = u.firstIndex(of: 0x3A), u.count > colon + 2, u[colon + 1] == 0x2F, u[colon + 2] == 0x2F else { return nil }
        return URLScanner.host(of: u, schemeLength: colon + 3)
    }

    private func registrable(_ host: String) -> String {
        psl?.organizationalDomain(of: host) ?? host.split(separator: ".").suffix(2).joined(separator: ".")
    }

    /// A link whose shown text is itself a URL or a domain of another registrable domain than its target.
    private func mismatch(shown: String, target: HTMLLinks.Link) -> String? {
        let text = shown.trimmingCharacters(in: HTMLLinks.blanks)
        guard !text.isEmpty, !text.contains(" "), text.contains(".") else { return nil }
        let lower = text.lowercased()
        let bytes = Array(text.utf8)
        let host: String?
        if let scheme = ["https://", "http://", "ftp://"].first(where: { lower.hasPrefix($0) }) {
            host = URLScanner.host(of: bytes, schemeLength: scheme.utf8.count)
        } else {
            host = URLScanner.host(of: Array("http://".utf8) + bytes, schemeLength: 7)
        }
        guard let host, !host.hasPrefix("["), registrable(host) != registrable(target.host) else { return nil }
        // A bare word with a dot (file names, "Ver.2") is not a domain: its last label must be a known suffix.
        if let psl, !lower.contains("://"), let tld = host.split(separator: ".").last, !psl.lists(String(tld)) { return nil }
        return "a link shown as \"\(text.prefix(120))\" goes to \(target.url.prefix(200))"
    }
}

/// Indicators in order, each (type, value) once: a later sighting in the message's own content lifts one first
/// seen only in a signature or footer.
struct IndicatorList {
    let limit: Int
    private(set) var items: [Indicator] = []
    private(set) var dropped = 0
    private var index: [String: Int] = [:]

    init(limit: Int) { self.limit = limit }

    mutating func add(_ indicator: Indicator) {
        let key = indicator.type.rawValue + "\u{0}" + indicator.value
        if let k = index[key] {
            if items[k].context == .signature || items[k].context == .footer, indicator.context == .content {
                items[k].context = .content
                items[k].location = indicator.location
            }
            if indicator.obfuscated { items[k].obfuscated = true }
            return
        }
        guard items.count < limit else { dropped += 1; return }
        index[key] = items.count
        items.append(indicator)
    }
}

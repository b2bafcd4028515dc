import SpearClassify
import SpearCore
import SpearIndicators
import SpearMIME
import SpearUnpack

/// Classifies files and opens containers, recursively, within one message's budget: the unpack → classify
/// stages of the pipeline. One per message scan; holds the worker's libmagic handle, so not `Sendable`.
final class FileAnalyzer {
    let magic: Magic?
    /// Describe every file with libmagic (else only those whose description the classifier needs).
    let describe: Bool
    let classifier = Classifier()
    let budget: UnpackBudget
    /// Finding passwords in the body costs a pass over the text; most mail has no encrypted archive, so the
    /// candidates are computed the first time an archive asks for them.
    private let findPasswords: () -> [PasswordCandidate]
    private var foundPasswords: [PasswordCandidate]?
    let parseOptions: ParseOptions
    /// Keep every member's bytes in its report until the scan ends (to write them out); otherwise a member's bytes
    /// are let go once it is analysed, so a message holds at most one archive's members at a time, not all of them.
    let keepContent: Bool
    /// Reads what each file points at (URLs, command lines, file names) while its bytes are at hand; nil when the
    /// scan extracts no indicators.
    let sightings: FileIndicatorReader?
    /// What PDFs' streams may still inflate to in this message, for their links.
    private var sightingsInflateBudget: Int
    /// Defects of messages found inside archives.
    var defects: [Defect] = []
    private var depthReported = false

    init(magic: Magic?, describe: Bool = true, limits: UnpackLimits, passwords: @escaping () -> [PasswordCandidate],
         parseOptions: ParseOptions, keepContent: Bool = true, sightings: FileIndicatorReader? = nil) {
        self.sightings = sightings
        self.sightingsInflateBudget = sightings?.inflatedBytes ?? 0
        self.magic = magic
        self.describe = describe
        self.budget = UnpackBudget(limits: limits)
        self.findPasswords = passwords
        self.parseOptions = parseOptions
        self.keepContent = keepContent
    }

    var passwords: [PasswordCandidate] {
        if let foundPasswords { return foundPasswords }
        let list = findPasswords()
        foundPasswords = list
        return list
    }

    /// Classifies `report` (and what it holds), adding category, magic, findings and children.
    func analyze(_ report: inout AttachmentReport, depth: Int, insideContainer: String?) {
        let bytes = report.content
        let identified = magic?.identify(bytes, sha256: report.sha256, describe: describe || Classifier.needsDescription(bytes))
            ?? (mimeType: "application/octet-stream", description: "libmagic unavailable")
        report.magic = MagicReport(description: identified.description, mimeType: identified.mimeType)
        /// The description, asked of libmagic now if it was skipped.
        func description() -> String {
            identified.description ?? magic?.identify(bytes, sha256: report.sha256, describe: true).description ?? "data"
        }

        // A container is looked into before classifying (an OOXML document is a zip whose members say what it
        // is), but its members are read only once it is known to be a container, one at a time.
        let context = InspectionContext(budget: budget, parseOptions: parseOptions, location: report.mimePath,
                                        passwords: { self.passwords })
        let container = ContentInspectors.containers.first { $0.accepts(bytes, category: nil) }
        var peek: ContainerPeek?
        if let container {
            if depth >= budget.limits.maxDepth {
                tooDeep(&report, container)
            } else {
                peek = container.peek(bytes, in: context)
            }
        }
        let verdict = classifier.classify(bytes, name: report.filename,
                                          magic: Magic.Result(description: identified.description ?? "", mimeType: identified.mimeType),
                                          container: peek?.view)
        report.category = verdict.category
        report.findings += verdict.findings
        if verdict.encryptedDocument { report.encrypted = true }
        contentFindings(&report, category: verdict.category, insideContainer: insideContainer)
        // Judged whatever the zip turned out to be: a document's zip can be built to deceive as well.
        if let peek { structureFindings(&report, peek) }
        if let sightings {
            let rels = peek.map { p in p.view.names.filter(Classifier.looksInto).compactMap { name in p.view.read(name).map { (name: name, bytes: $0) } } } ?? []
            report.sightings = sightings.read(bytes, category: verdict.category, filename: report.filename, relationships: rels,
                                              inflateBudget: &sightingsInflateBudget)
        }

        if verdict.isContainer && verdict.category != .email, let container, depth < budget.limits.maxDepth {
            if !openContainer(&report, container, bytes: bytes, in: context, depth: depth, insideContainer: insideContainer) {
                report.complete = false
                report.findings.append(Finding(id: .notInspected, severity: .low,
                                               evidence: "\(verdict.category.rawValue) in a format that cannot be opened here (\(description().prefix(80)))",
                                               kind: .notInspected))
            }
        }
        if report.message != nil {
            // An attached message: its attachments were collected from the MIME tree; classify them too.
            for k in report.children.indices { analyze(&report.children[k], depth: depth + 1, insideContainer: nil) }
        } else if let inspector = ContentInspectors.classified.first(where: { $0.accepts(bytes, category: verdict.category) }) {
            // A message the MIME walk did not read as one: an .eml in an archive, or attached as
            // application/octet-stream (as Outlook and webmail forward one) rather than message/rfc822.
            if depth >= budget.limits.maxDepth {
                tooDeep(&report, inspector)
            } else if case .message(let read)? = inspector.inspect(bytes, in: context, each: { _, _ in }) {
                openMessage(&report, read, depth: depth)
            }
        }
        report.findings = dedupe(report.findings).sorted { $0.severity > $1.severity }
    }

    /// Findings about how a zip is built, read from its bytes by the unpacker.
    private func structureFindings(_ report: inout AttachmentReport, _ result: ContainerPeek) {
        let label = "\(report.category?.rawValue ?? "archive") \"\(report.path ?? report.filename ?? "(no name)")\""
        if let mismatch = result.headerMismatch {
            report.findings.append(Finding(id: .zipHeaderMismatch, severity: .high,
                                           evidence: "\(label): its central directory and local headers disagree (\(mismatch)); tools that read one or the other see different files"))
        }
        if let overlap = result.overlappingEntries {
            report.findings.append(Finding(id: .zipOverlappingEntries, severity: .high,
                                           evidence: "\(label) is built as an overlapping zip bomb: \(overlap); each such entry inflates the same data again"))
        }
    }

    private func tooDeep(_ report: inout AttachmentReport, _ inspector: any ContentInspector) {
        report.complete = false
        report.findings.append(Finding(id: .limitExceeded, severity: .low, evidence: inspector.tooDeep(budget.limits.maxDepth),
                                       kind: .notInspected))
    }

    /// Findings about what the content is, wherever it is found.
    private func contentFindings(_ report: inout AttachmentReport, category: Category, insideContainer: String?) {
        let name = report.path ?? report.filename ?? "(no name)"
        if let container = insideContainer {
            switch category {
            case .executable: report.findings.append(Finding(id: .executableInArchive, severity: .high, evidence: "executable \"\(name)\" inside \(container)"))
            case .script: report.findings.append(Finding(id: .scriptInArchive, severity: .high, evidence: "script \"\(name)\" inside \(container)"))
            case .shortcut: report.findings.append(Finding(id: .shortcutInArchive, severity: .high, evidence: "shortcut \"\(name)\" inside \(container)"))
            // Zips of zips are ordinary; what the inner one holds is judged on its own.
            case .archive, .diskImage: report.findings.append(Finding(id: .archiveInArchive, severity: .low, evidence: "\(category.rawValue) \"\(name)\" inside \(container)"))
            default: break
            }
        } else {
            switch category {
            case .executable: report.findings.append(Finding(id: .executableFile, severity: .high, evidence: "\"\(name)\" is an executable program"))
            case .script: report.findings.append(Finding(id: .scriptFile, severity: .high, evidence: "\"\(name)\" is a script that runs when opened"))
            case .shortcut: report.findings.append(Finding(id: .shortcutFile, severity: .high, evidence: "\"\(name)\" is a Windows shortcut, which can run any command"))
            case .diskImage: report.findings.append(Finding(id: .diskImage, severity: .low, evidence: "\"\(name)\" is a disk image; files inside it escape mark-of-the-web"))
            default: break
            }
        }
    }

    /// Opens a container and adds its members as children, each analysed as soon as the reader hands it over
    /// (and, unless kept for writing out, its bytes let go before the next is read). False when the inspector
    /// cannot read it after all.
    private func openContainer(_ report: inout AttachmentReport, _ container: any ContentInspector, bytes: [UInt8],
                               in context: InspectionContext, depth: Int, insideContainer: String?) -> Bool {
        guard let rules = container.memberRules else { return false }
        let parent = MemberParent(report)
        var members: [(index: Int, report: AttachmentReport)] = []
        let found = container.inspect(bytes, in: context) { entry, place in
            members.append((place.index, member(entry, place, of: parent, rules: rules, depth: depth, insideContainer: insideContainer)))
            entry.bytes = []
        }
        guard case .members(let result)? = found else { return false }
        containerFindings(&report, result, rules: rules, label: parent.label)
        members.sort { $0.index < $1.index }
        report.children.append(contentsOf: members.map(\.report))
        return true
    }

    /// Findings about a container as a whole: encryption and the password that opened it, the reader's notes,
    /// damage, and the limits that fired in it. A TNEF stream's members are the files Outlook shows as the
    /// message's attachments, so they are judged as attachments (`executable_file`, not `executable_in_archive`),
    /// within whatever container holds the TNEF stream itself.
    private func containerFindings(_ report: inout AttachmentReport, _ result: UnpackResult, rules: MemberRules, label: String) {
        if result.encrypted {
            report.encrypted = true
            let how = result.password.map { "opened with the password from \($0.source)" }
                ?? (result.headersEncrypted ? "even its member list is encrypted and no known password opens it: not inspected"
                    : result.lockedEntries > 0 ? "no known password opens it: \(result.lockedEntries) members not inspected" : "encrypted")
            let locked = result.password == nil && (result.headersEncrypted || result.lockedEntries > 0)
            if locked { report.complete = false }
            // Opened, the archive is judged by what it holds (PPAP zips are everyday business mail in Japan);
            // locked, nothing is known against it, and nothing for it.
            report.findings.append(Finding(id: .encryptedArchive, severity: locked ? .low : .info,
                                           evidence: "\(label) is password-protected; \(how)", kind: locked ? .notInspected : .evidence))
        }
        if let p = result.password {
            report.password = PasswordReport(value: p.value, source: p.source)
            if p.source.hasPrefix("body") {
                report.findings.append(Finding(id: .passwordInBody, severity: .info,
                                               evidence: "the message's own text (\(p.source.dropFirst(5))) gives the password \"\(p.value)\" that opens \(label)"))
            }
        }
        if result.lockedEntries > 0 { report.complete = false }
        for note in result.notes { report.findings.append(rules.finding(forNote: note, label: label)) }
        if let damage = result.damage {
            report.complete = false
            report.findings.append(Finding(id: .archiveDamaged, severity: .low,
                                           evidence: "\(label) is damaged or truncated: \(damage); what was readable is analysed, the rest not",
                                           kind: .notInspected))
        }
        for issue in result.limits {
            if case .limit(let kind, let detail) = issue {
                report.complete = false
                report.findings.append(Finding(id: .limitExceeded, severity: .low, evidence: "\(kind.rawValue): \(detail)", kind: .notInspected))
            }
        }
    }

    /// One member handed over by a container's reader, analysed.
    private func member(_ entry: ArchiveEntry, _ place: MemberPlace, of parent: MemberParent, rules: MemberRules,
                        depth: Int, insideContainer: String?) -> AttachmentReport {
        // A bare compressed file has no member name: it is the outer name without .gz/.bz2/.xz/….
        let path = place.wholeCompressedFile ? decompressedName(parent.filename) : entry.path
        var member = AttachmentReport.file(entry.bytes, filename: lastComponent(path), mimePath: parent.mimePath,
                                           origin: rules.origin, forwarded: parent.forwarded)
        member.path = path
        if let raw = entry.rawPath { member.rawFilename = hex(raw) }
        member.encrypted = entry.encrypted
        member.complete = entry.complete
        for issue in entry.issues {
            switch issue {
            case .pathTraversal(let why):
                member.findings.append(Finding(id: .pathTraversal, severity: .high, evidence: "member name \"\(entry.path)\" (\(why)) would escape an extraction directory"))
            case .unreadable(let why):
                member.findings.append(Finding(id: entry.encrypted ? .encryptedMember : .memberUnreadable, severity: .low,
                                               evidence: "\"\(entry.path)\" could not be read: \(why)", kind: .notInspected))
            case .damaged(let why):
                member.findings.append(Finding(id: .memberDamaged, severity: rules.damagedMemberSeverity,
                                               evidence: "\"\(entry.path)\" read with an error (\(why)); its content is analysed as read"))
            case .limit(let kind, let detail):
                member.findings.append(Finding(id: .limitExceeded, severity: .low, evidence: "\(kind.rawValue): \(detail)", kind: .notInspected))
            }
        }
        if entry.encrypted && !entry.complete && entry.bytes.isEmpty {
            // Nothing to classify: only the name is known.
            member.category = nil
            member.findings = dedupe(member.findings).sorted { $0.severity > $1.severity }
        } else {
            analyze(&member, depth: depth + 1, insideContainer: rules.membersAreAttachments ? insideContainer : parent.label)
        }
        if !keepContent { member.content = [] }
        return member
    }

    /// A message file found inside an archive: its summary, and its attachments analysed as its children.
    private func openMessage(_ report: inout AttachmentReport, _ read: ReadMessage, depth: Int) {
        report.message = read.summary
        defects += read.headerDefects + read.collector.defects + read.message.defects
        let base = report.mimePath
        report.children = read.collector.attachments.map { child in
            var c = child
            c.mimePath = base + "/" + c.mimePath
            c.forwarded = true
            return c
        }
        for k in report.children.indices { analyze(&report.children[k], depth: depth + 1, insideContainer: nil) }
    }

    private func decompressedName(_ outer: String?) -> String {
        guard let outer, let dot = outer.lastIndex(of: "."), dot != outer.startIndex else { return outer.map { $0 + ".decompressed" } ?? "(decompressed)" }
        let ext = outer[outer.index(after: dot)...].lowercased()
        if ["gz", "gzip", "bz2", "xz", "zst", "lzma", "lz", "z", "tgz"].contains(ext) {
            return ext == "tgz" ? String(outer[..<dot]) + ".tar" : String(outer[..<dot])
        }
        return outer + ".decompressed"
    }

    /// Name bytes that were not UTF-8, shown as hex pairs.
    private func hex(_ bytes: [UInt8]) -> String {
        bytes.map { b in
            let h = String(b, radix: 16, uppercase: true)
            return h.count == 1 ? "0" + h : h
        }.joined(separator: " ")
    }

    private func lastComponent(_ path: String) -> String {
        String(path.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last ?? Substring(path))
    }

    private func dedupe(_ findings: [Finding]) -> [Finding] {
        var seen = Set<Finding>()
        return findings.filter { seen.insert($0).inserted }
    }
}

/// What a member's report takes from the container it was found in.
private struct MemberParent {
    let label: String
    let filename: String?
    let mimePath: String
    let forwarded: Bool

    init(_ report: AttachmentReport) {
        label = "\(report.category?.rawValue ?? "archive") \"\(report.path ?? report.filename ?? "(no name)")\""
        filename = report.filename
        mimePath = report.mimePath
        forwarded = report.forwarded
    }
}

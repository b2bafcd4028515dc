public import SpearCore

/// The members of a container (zip, OOXML) that classification may look into: their names, and a way to read one.
public struct ContainerView {
    public var names: [String]
    public var read: (String) -> [UInt8]?

    public init(names: [String], read: @escaping (String) -> [UInt8]?) {
        self.names = names
        self.read = read
    }
}

/// The verdict on one file.
public struct Classification: Sendable {
    public var category: Category
    public var magic: Magic.Result
    public var findings: [Finding]
    /// An archive, disk image, TNEF stream or message whose members should be unpacked and classified in turn.
    public var isContainer: Bool
    /// A password-protected document (its content cannot be inspected).
    public var encryptedDocument: Bool
}

/// Decides what a file is: content first (our signatures, then libmagic), name second, and reports macros,
/// encrypted documents, remote templates and names that lie about the content.
public struct Classifier {
    public init() {}

    /// Scripts: markers of JScript, VBScript, PowerShell and batch that benign prose does not contain.
    static let scriptMarkers = [
        "wscript.", "cscript", "activexobject", "createobject(", "getobject(", "shell.application", "wscript.shell",
        "scripting.filesystemobject", "adodb.stream", "msxml2.xmlhttp", "winhttp.winhttprequest", "powershell",
        "invoke-expression", "iex(", "downloadstring", "downloadfile", "new-object ", "set-executionpolicy",
        "start-process", "frombase64string", "@echo off", "cmd.exe /c", "cmd /c", "%comspec%", "<job", "<hta:application",
        "on error resume next", "end sub", "end function", "#@~^",
    ]

    /// Whether `bytes` may be an archive, a compressed file or a disk image: worth handing to the unpacker.
    public static func mayBeContainer(_ bytes: [UInt8]) -> Bool {
        ContentSignatures.isArchive(bytes) || ContentSignatures.isDiskImage(bytes) || ContentSignatures.isTNEF(bytes)
    }

    /// Whether `bytes` are a TNEF stream (winmail.dat), which the TNEF reader opens rather than libarchive.
    public static func isTNEF(_ bytes: [UInt8]) -> Bool { ContentSignatures.isTNEF(bytes) }

    /// Whether deciding what `bytes` are needs libmagic's description, not only its MIME type: OLE2 files, where
    /// the description tells Word, Excel, PowerPoint and installers apart.
    public static func needsDescription(_ bytes: [UInt8]) -> Bool { ContentSignatures.isOLE2(bytes) }

    public func classify(_ bytes: [UInt8], name: String?, magic: Magic.Result, container: ContainerView? = nil) -> Classification {
        var findings: [Finding] = []
        var encrypted = false
        let category = decide(bytes, name: name, magic: magic, container: container, findings: &findings, encrypted: &encrypted)
        if let name, let expected = Category.expected(forName: name), let f = mismatch(name: name, expected: expected, actual: category) {
            findings.append(f)
        }
        let isContainer = (category == .archive || category == .diskImage || category == .email || category == .tnef)
            && !(ContentSignatures.isZip(bytes) && container.map(isOOXML) == true)
        return Classification(category: category, magic: magic, findings: findings, isContainer: isContainer, encryptedDocument: encrypted)
    }

    private func decide(_ b: [UInt8], name: String?, magic: Magic.Result, container: ContainerView?,
                        findings: inout [Finding], encrypted: inout Bool) -> Category {
        let expected = name.flatMap(Category.expected(forName:))
        // First: a TNEF stream holds whole files, so a `%PDF-` or `PK` of an attachment near its start must
        // not make the wrapper itself a PDF or an archive.
        if ContentSignatures.isTNEF(b) { return .tnef }
        if ContentSignatures.isExecutable(b) || magic.mimeType == "application/x-msi" { return .executable }
        if ContentSignatures.isShortcut(b) || magic.mimeType == "application/x-ms-shortcut" { return .shortcut }
        if ContentSignatures.isOLE2(b) { return ole2(b, name: name, magic: magic, expected: expected, findings: &findings, encrypted: &encrypted) }
        if ContentSignatures.isZip(b) {
            if let container, isOOXML(container) { return ooxml(container, findings: &findings) }
            if let container, container.names.contains("META-INF/MANIFEST.MF"), container.names.contains(where: { $0.hasSuffix(".class") }) {
                return .executable  // a Java archive runs on double click where Java is installed
            }
            return .archive
        }
        if ContentSignatures.isDiskImage(b) { return .diskImage }
        if ContentSignatures.isArchive(b) { return .archive }
        if ContentSignatures.isPDF(b) { return .pdf }
        if ContentSignatures.isRTF(b) { return .rtf }
        if ContentSignatures.isOneNote(b) { return .onenote }
        if magic.mimeType.hasPrefix("image/") { return .image }
        if ContentSignatures.looksTextual(b) {
            if TextShortcut(b) != nil { return .shortcut }
            if magic.mimeType == "message/rfc822" || looksLikeMessage(b) { return .email }
            if ContentSignatures.containsAny(["<hta:application", "#@~^"], in: b) != nil { return .script }
            if ContentSignatures.containsAny(["<job", "<package"], in: b) != nil,
               ContentSignatures.containsAny(["<script"], in: b) != nil { return .script }
            if ContentSignatures.starts(b, Array("#!".utf8)) { return .script }
            let html = magic.mimeType == "text/html"
                || ContentSignatures.containsAny(["<html", "<!doctype html", "<body"], in: b, limit: 4096) != nil
            // A script extension on text is believed (the content does not contradict it); a text name on
            // script content is not.
            if expected == .script && !html { return .script }
            if let marker = ContentSignatures.containsAny(Classifier.scriptMarkers, in: b), !html || expected == .script {
                _ = marker
                return .script
            }
            if html { return .html }
            return .text
        }
        if let expected, expected == .ichitaro || expected == .onenote { return expected }
        return .other
    }

    /// Word, Excel, PowerPoint and Ichitaro in the OLE2 compound format, macros and encryption included.
    private func ole2(_ b: [UInt8], name: String?, magic: Magic.Result, expected: Category?,
                      findings: inout [Finding], encrypted: inout Bool) -> Category {
        if ContentSignatures.find(ContentSignatures.utf16le("EncryptedPackage"), in: b) != nil || magic.mimeType == "application/encrypted" {
            encrypted = true
            findings.append(Finding(id: .encryptedDocument, severity: .low,
                                    evidence: "password-protected Office document: its content and macros cannot be inspected",
                                    kind: .notInspected))
            if let expected, [.word, .excel, .powerpoint].contains(expected) { return expected }
            return .other
        }
        if ContentSignatures.find(ContentSignatures.utf16le("_VBA_PROJECT"), in: b) != nil {
            findings.append(Finding(id: .macro, severity: .high, evidence: "OLE2 document holds a VBA project (_VBA_PROJECT storage)"))
        }
        let d = magic.description.lowercased()
        switch magic.mimeType {
        case "application/msword": return .word
        case "application/vnd.ms-excel": return .excel
        case "application/vnd.ms-powerpoint": return .powerpoint
        default: break
        }
        if d.contains("ichitaro") || expected == .ichitaro { return .ichitaro }
        if d.contains("word") { return .word }
        if d.contains("excel") { return .excel }
        if d.contains("powerpoint") { return .powerpoint }
        if let expected, [.word, .excel, .powerpoint].contains(expected) { return expected }
        return .other
    }

    /// The members of a zip whose content classification reads (the rest it knows by name): relationship parts,
    /// for remote templates.
    public static func looksInto(_ name: String) -> Bool { name.hasSuffix(".rels") }
    /// How much of such a member it reads.
    public static let partLimit = 1 << 20

    private func isOOXML(_ c: ContainerView) -> Bool { c.names.contains("[Content_Types].xml") }

    /// docx/xlsx/pptx and their macro-enabled forms: macros, Excel 4 macro sheets, remote templates.
    private func ooxml(_ c: ContainerView, findings: inout [Finding]) -> Category {
        if let vba = c.names.first(where: { $0.lowercased().hasSuffix("vbaproject.bin") }) {
            findings.append(Finding(id: .macro, severity: .high, evidence: "OOXML document holds a VBA project (\(vba))"))
        }
        if let sheet = c.names.first(where: { $0.hasPrefix("xl/macrosheets/") }) {
            findings.append(Finding(id: .macro, severity: .high, evidence: "Excel 4 macro sheet (\(sheet))"))
        }
        for rels in c.names where rels.hasSuffix(".rels") {
            guard let data = c.read(rels), let target = remoteTemplate(in: data) else { continue }
            findings.append(Finding(id: .remoteTemplate, severity: .high,
                                    evidence: "\(rels) loads a template from \(target) when the document opens"))
        }
        if c.names.contains(where: { $0.hasPrefix("word/") }) { return .word }
        if c.names.contains(where: { $0.hasPrefix("xl/") }) { return .excel }
        if c.names.contains(where: { $0.hasPrefix("ppt/") }) { return .powerpoint }
        return .archive
    }

    /// The http(s) or UNC target of an attachedTemplate (or external frame/oleObject) relationship.
    private func remoteTemplate(in rels: [UInt8]) -> String? {
        let data = Array(rels.prefix(Self.partLimit))
        let lower = data.map { ($0 >= 0x41 && $0 <= 0x5A) ? $0 | 0x20 : $0 }
        let open = Array("<relationship ".utf8)
        var starts: [Int] = []
        var from = 0
        // Searched in place: a copy of the rest per relationship made a part of 20,000 relationships cost gigabytes.
        while from < lower.count, let i = ContentSignatures.find(open, in: lower, from: from) {
            starts.append(i)
            from = i + open.count
        }
        for (k, start) in starts.enumerated() {
            let end = k + 1 < starts.count ? starts[k + 1] : lower.count
            let piece = Array(lower[start..<end])
            let kinds = ["attachedtemplate", "/frame\"", "/oleobject\""]
            guard kinds.contains(where: { ContentSignatures.find(Array($0.utf8), in: piece) != nil }),
                  ContentSignatures.find(Array("targetmode=\"external\"".utf8), in: piece) != nil,
                  let t = ContentSignatures.find(Array("target=\"".utf8), in: piece) else { continue }
            let valueStart = start + t + 8
            var valueEnd = valueStart
            while valueEnd < end, data[valueEnd] != 0x22 { valueEnd += 1 }
            let target = String(decoding: data[valueStart..<valueEnd], as: UTF8.self)
            if target.lowercased().hasPrefix("http") || target.hasPrefix("\\\\") { return target }
        }
        return nil
    }

    private func looksLikeMessage(_ b: [UInt8]) -> Bool {
        let head = b.prefix(2048).map { ($0 >= 0x41 && $0 <= 0x5A) ? $0 | 0x20 : $0 }
        let fields = ["received:", "return-path:", "from:", "message-id:", "mime-version:", "subject:", "delivered-to:"]
        let present = fields.filter { ContentSignatures.find(Array($0.utf8), in: Array(head)) != nil }.count
        return present >= 2 && fields.contains { ContentSignatures.starts(Array(head), Array($0.utf8)) }
    }

    /// A name whose extension promises another kind of file than the content is.
    private func mismatch(name: String, expected: Category, actual: Category) -> Finding? {
        if expected == actual { return nil }
        let harmless: Set<[Category]> = [[.text, .html], [.html, .text], [.text, .email], [.email, .text], [.text, .other],
                                         [.archive, .diskImage], [.diskImage, .archive]]
        if harmless.contains([expected, actual]) { return nil }
        // A program, a disk image or an RTF (the classic exploit carrier) posing as something else is an attack;
        // an Office file in another Office container (xls named .doc, docx named .doc) is what old tools write.
        let office: Set<Category> = [.word, .excel, .powerpoint]
        let severity: Finding.Severity = actual.isActive || actual == .diskImage || actual == .rtf ? .high
            : office.contains(expected) && office.contains(actual) ? .low : .medium
        return Finding(id: .extensionMismatch, severity: severity,
                       evidence: "\"\(name)\" is named as \(expected.rawValue) but its content is \(actual.rawValue)")
    }
}

import Foundation
import SpearClassify
import SpearCore
import Testing

/// Classifies a fixture the way the scan does: libmagic, the file's name, and for zips the members' view.
func classify(_ file: String, name: String? = nil, asContainer: Bool = false) throws -> Classification {
    let bytes = try Fixture.bytes(file)
    let view = asContainer ? try ZipListing(bytes).view : nil
    return Classifier().classify(bytes, name: name ?? file, magic: try Magic().identify(bytes), container: view)
}

func classify(bytes: [UInt8], name: String?, container: ContainerView? = nil) throws -> Classification {
    Classifier().classify(bytes, name: name, magic: try Magic().identify(bytes), container: container)
}

extension Classification {
    var findingIDs: [String] { findings.map(\.id.rawValue) }
    func finding(_ id: String) -> Finding? { findings.first { $0.id.rawValue == id } }
}

@Suite("Classifier: what each fixture is, by content first")
struct ClassifierTests {
    @Test("Single files are classified by content, with no mismatch under their own name", arguments: [
        ("hello.exe", Category.executable), ("hello.lnk", .shortcut),
        ("hello.js", .script), ("hello.vbs", .script), ("hello.ps1", .script), ("hello.bat", .script), ("hello.hta", .script),
        ("hello.wsf", .script),
        ("sample.pdf", .pdf), ("sample.rtf", .rtf), ("sample.one", .onenote), ("hello.iso", .diskImage), ("hello.img", .diskImage),
        ("sample.png", .image), ("sample.html", .html), ("message.eml", .email),
    ])
    func singleFiles(file: String, category: Category) throws {
        let c = try classify(file)
        #expect(c.category == category, "\(file): magic \(c.magic.mimeType) / \(c.magic.description)")
        #expect(!c.findingIDs.contains("extension_mismatch"), "\(file): \(c.findings)")
        #expect(!c.encryptedDocument)
    }

    @Test("libmagic answers are remembered by content digest; a description skipped at first is filled in later")
    func magicMemo() throws {
        let magic = try Magic()
        let png = try Fixture.bytes("sample.png"), pdf = try Fixture.bytes("sample.pdf")
        let typed = magic.identify(png, sha256: "png-digest", describe: false)
        #expect(typed.mimeType == "image/png")
        #expect(typed.description == nil)
        let described = magic.identify(png, sha256: "png-digest", describe: true)
        #expect(described.mimeType == "image/png")
        #expect(described.description?.contains("PNG image data") == true)
        #expect(magic.identify(png, sha256: "png-digest", describe: false).description == described.description)
        // Another content under another digest is asked afresh, and the answer is libmagic's own.
        let fresh = magic.identify(pdf, sha256: "pdf-digest", describe: true)
        #expect(Magic.Result(description: try #require(fresh.description), mimeType: fresh.mimeType) == magic.identify(pdf))
    }

    @Test("Old binary Office documents (OLE2) by libmagic", arguments: [("plain.doc", Category.word), ("plain.xls", .excel)])
    func ole2Documents(file: String, category: Category) throws {
        try #require(Fixture.exists(file), "fixture \(file) not generated (needs LibreOffice)")
        let c = try classify(file)
        #expect(c.category == category, "\(file): \(c.magic.mimeType) / \(c.magic.description)")
        #expect(c.findings.isEmpty, "\(c.findings)")
        #expect(!c.isContainer)
        #expect(!c.encryptedDocument)
    }

    @Test("Scripts run when opened: category script is active; documents are not")
    func activeCategories() {
        #expect(Category.script.isActive && Category.executable.isActive && Category.shortcut.isActive)
        #expect(!Category.word.isActive && !Category.archive.isActive && !Category.diskImage.isActive && !Category.text.isActive)
    }

    @Test("pe-named.pdf: an executable, and the .pdf name is a high extension_mismatch")
    func peNamedPDF() throws {
        let c = try classify("pe-named.pdf")
        #expect(c.category == .executable)
        let mismatch = try #require(c.finding("extension_mismatch"))
        #expect(mismatch.severity == .high)
        #expect(mismatch.evidence.contains("pe-named.pdf"))
        #expect(mismatch.evidence.contains("pdf") && mismatch.evidence.contains("executable"))
    }

    @Test("js-named.txt: script content under a text name is a script, with extension_mismatch")
    func jsNamedText() throws {
        let c = try classify("js-named.txt", name: "js-named.txt")
        #expect(c.category == .script)
        #expect(c.finding("extension_mismatch")?.severity == .high)
    }

    @Test("The same script content with no name is still a script (markers), and never a mismatch")
    func scriptWithoutName() throws {
        let c = try classify(bytes: try Fixture.bytes("hello.js"), name: nil)
        #expect(c.category == .script)
        #expect(c.findings.isEmpty)
    }

    @Test("A text that merely mentions a password is text, not a script", arguments: ["note.txt", nil] as [String?])
    func textMentioningPassword(name: String?) throws {
        let text = "ご確認ください。\r\nThe password for the attached file is below.\r\nPassword: abc123\r\nパスワード：abc123\r\n"
        let c = try classify(bytes: Array(text.utf8), name: name)
        #expect(c.category == .text, "\(c.magic.mimeType)")
        #expect(c.findings.isEmpty)
        #expect(!c.isContainer)
    }

    // MARK: Office Open XML (zip + the members' view)

    @Test("plain.docx → word and plain.xlsx → excel, no findings, not containers")
    func ooxml() throws {
        let docx = try classify("plain.docx", asContainer: true)
        #expect(docx.category == .word)
        #expect(docx.findings.isEmpty, "\(docx.findings)")
        #expect(!docx.isContainer)
        let xlsx = try classify("plain.xlsx", asContainer: true)
        #expect(xlsx.category == .excel)
        #expect(xlsx.findings.isEmpty, "\(xlsx.findings)")
        #expect(!xlsx.isContainer)
    }

    @Test("macro.docm → word with a high macro finding naming vbaProject.bin")
    func macroDocument() throws {
        let c = try classify("macro.docm", asContainer: true)
        #expect(c.category == .word)
        let macro = try #require(c.finding("macro"))
        #expect(macro.severity == .high)
        #expect(macro.evidence.contains("vbaProject.bin"))
        #expect(!c.isContainer)
        #expect(!c.findingIDs.contains("extension_mismatch"))
    }

    @Test("remote-template.docx → remote_template with the template's URL in the evidence")
    func remoteTemplate() throws {
        let c = try classify("remote-template.docx", asContainer: true)
        #expect(c.category == .word)
        let finding = try #require(c.finding("remote_template"), "\(c.findings)")
        #expect(finding.severity == .high)
        #expect(finding.evidence.contains("http://template.example.com/t.dotm"))
        #expect(finding.evidence.contains("word/_rels/settings.xml.rels"))
        #expect(!c.findingIDs.contains("macro"))
    }

    @Test("Shortcuts written as text are shortcuts: .url, .scf, .desktop, whatever their name says", arguments: [
        "[InternetShortcut]\r\nURL=http://x.example.com/\r\n", "\u{FEFF}; saved\r\n[internetshortcut]\r\nURL=file://192.0.2.1/s/x\r\n",
        "[Shell]\r\nCommand=2\r\nIconFile=\\\\192.0.2.9\\s\\i.ico\r\n", "[Desktop Entry]\nType=Application\nExec=sh -c 'echo x'\n",
    ])
    func textShortcuts(_ text: String) throws {
        for name in ["a.url", "readme.txt", nil] as [String?] {
            let c = try classify(bytes: Array(text.utf8), name: name)
            #expect(c.category == .shortcut, "\(text.prefix(20)) as \(name ?? "no name")")
            if name == "a.url" { #expect(!c.findingIDs.contains("extension_mismatch")) }
        }
        // Text that only mentions a section is not one.
        #expect(try classify(bytes: Array("Notes:\n[InternetShortcut] files open links\n".utf8), name: "a.txt").category == .text)
    }

    @Test("A remote template after 10,000 other relationships is still found (the part is searched in place)")
    func remoteTemplateAmongMany() throws {
        var rels = #"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
        for k in 0..<10_000 { rels += #"<Relationship Id="r\#(k)" Type="x/image" Target="media/i\#(k).png"/>"# }
        rels += #"<Relationship Id="t" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" Target="http://late.example.com/t.dotm" TargetMode="External"/></Relationships>"#
        let parts = ["word/_rels/settings.xml.rels": Array(rels.utf8)]
        let view = ContainerView(names: ["[Content_Types].xml", "word/document.xml", "word/_rels/settings.xml.rels"]) { parts[$0] }
        let c = try classify(bytes: Array("PK\u{3}\u{4}".utf8), name: "a.docx", container: view)
        #expect(c.finding("remote_template")?.evidence.contains("http://late.example.com/t.dotm") == true, "\(c.findings)")
    }

    @Test("plain.docx has no remote template (its relationships are all internal)")
    func noRemoteTemplateInPlainDocx() throws {
        let c = try classify("plain.docx", asContainer: true)
        #expect(!c.findingIDs.contains("remote_template"))
    }

    @Test("docx-really-zip-of-exe.docx → archive (no [Content_Types].xml) with extension_mismatch; a container")
    func docxThatIsAZip() throws {
        let c = try classify("docx-really-zip-of-exe.docx", asContainer: true)
        #expect(c.category == .archive)
        let mismatch = try #require(c.finding("extension_mismatch"))
        #expect(mismatch.evidence.contains("word") && mismatch.evidence.contains("archive"))
        #expect(c.isContainer)
    }

    @Test("encrypted.docx (OLE2 EncryptedPackage) → word by its name, encrypted_document, encryptedDocument")
    func encryptedDocx() throws {
        let c = try classify("encrypted.docx")
        #expect(c.category == .word)
        #expect(c.encryptedDocument)
        #expect(c.finding("encrypted_document")?.severity == .low)
        #expect(c.finding("encrypted_document")?.kind == .notInspected)
        #expect(!c.isContainer)
    }

    @Test("A zip whose view has META-INF/MANIFEST.MF and classes is a Java program")
    func javaArchive() throws {
        let bytes = try Fixture.bytes("simple.zip")
        let view = ContainerView(names: ["META-INF/MANIFEST.MF", "com/example/Main.class"]) { _ in nil }
        let c = try classify(bytes: bytes, name: "tool.jar", container: view)
        #expect(c.category == .executable)
    }

    // MARK: Archives

    @Test("Archives and compressed files → archive, a container", arguments: [
        "simple.zip", "sample.7z", "sjis.lzh", "invoice.js.gz", "invoice.js.bz2", "invoice.js.xz", "invoice.js.zst", "hello.tar",
        "hello.tar.gz", "hello.cab", "hello.cpio", "zipcrypto.zip", "aes.zip", "encrypted.7z", "nested.zip",
    ])
    func archives(file: String) throws {
        let bytes = try Fixture.bytes(file)
        let view = file.hasSuffix(".zip") ? try ZipListing(bytes).view : nil
        let c = try classify(bytes: bytes, name: file, container: view)
        #expect(c.category == .archive, "\(file): \(c.magic.mimeType)")
        #expect(c.isContainer)
        #expect(!c.findingIDs.contains("extension_mismatch"), "\(c.findings)")
        #expect(Classifier.mayBeContainer(bytes))
    }

    @Test("RAR archives → archive", .enabled(if: Fixture.exists("rar5.rar")), arguments: ["rar4.rar", "rar5.rar"])
    func rar(file: String) throws {
        let c = try classify(file)
        #expect(c.category == .archive)
        #expect(c.isContainer)
    }

    @Test("script-named.zip (a script named .zip) is a script with extension_mismatch, and not a container")
    func scriptNamedZip() throws {
        let c = try classify("script-named.zip")
        #expect(c.category == .script)
        #expect(c.findingIDs.contains("extension_mismatch"))
        #expect(!c.isContainer)
        #expect(!Classifier.mayBeContainer(try Fixture.bytes("script-named.zip")))
    }

    @Test("Disk images are containers; an .iso and .img are never a mismatch with each other")
    func diskImagesAreContainers() throws {
        let c = try classify("hello.iso", name: "hello.img")
        #expect(c.category == .diskImage)
        #expect(c.isContainer)
        #expect(c.findings.isEmpty)
    }

    // MARK: Category.expected(forName:)

    @Test("The category a name promises", arguments: [
        ("invoice.JS", Category.script), ("report.pdf", .pdf), ("請求書.xls", .excel), ("a.tar.gz", .archive), ("disk.ISO", .diskImage),
        ("memo.docx ", .word), ("x.lnk", .shortcut), ("deck.pptm", .powerpoint), ("文書.jtd", .ichitaro), ("mail.eml", .email),
        ("page.htm", .html), ("photo.jpeg", .image), ("notes.txt", .text), ("setup.msi", .executable),
    ] as [(String, Category)])
    func expectedCategory(name: String, category: Category) {
        #expect(Category.expected(forName: name) == category)
    }

    @Test("Names that promise nothing", arguments: ["noextension", ".bashrc", "file.unknownext", "trailingdot.", ""])
    func noExpectedCategory(name: String) {
        #expect(Category.expected(forName: name) == nil)
    }

    // MARK: The test helper itself

    @Test("The test's zip reader gives the same member bytes as the fixtures (stored and deflated)")
    func zipReaderSanity() throws {
        let simple = try ZipListing(try Fixture.bytes("simple.zip"))
        #expect(simple.names == ["hello.js", "readme.txt"])
        #expect(try simple.read("hello.js") == (try Fixture.bytes("hello.js")))
        #expect(try simple.read("readme.txt") == Array("harmless\n".utf8))
        let eml = try ZipListing(try Fixture.bytes("zip-with-eml.zip"))
        #expect(try eml.read("message.eml") == (try Fixture.bytes("message.eml")))
        let docx = try ZipListing(try Fixture.bytes("plain.docx"))
        #expect(docx.names.contains("[Content_Types].xml"))
        let types = try #require(try docx.read("[Content_Types].xml"))
        #expect(String(decoding: types, as: UTF8.self).contains("<Types"))
    }
}

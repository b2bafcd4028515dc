import SpearCore
import SpearScan
import Testing

@Suite("FilenameRules: deceptive attachment names")
struct FilenameRulesTests {
    private func ids(_ name: String) -> Set<String> {
        Set(FilenameRules.findings(for: name).map(\.id.rawValue))
    }

    @Test("Japanese invoice name with .pdf.exe is risky and a double extension")
    func japaneseDoubleExtension() throws {
        let findings = FilenameRules.findings(for: "請求書.pdf.exe")
        #expect(Set(findings.map(\.id)) == ["risky_extension", "double_extension"])
        let double = try #require(findings.first { $0.id == "double_extension" })
        #expect(double.severity == .high)
        #expect(double.evidence.contains(".pdf"))
        #expect(double.evidence.contains(".exe"))
    }

    @Test("A right-to-left override that disguises .exe as .pdf is reported")
    func bidiOverride() throws {
        let findings = FilenameRules.findings(for: "invoice\u{202E}fdp.exe")
        let ids = Set(findings.map(\.id))
        #expect(ids.contains("bidi_override"))
        // What really runs is the .exe, which the override hides on screen.
        #expect(ids.contains("risky_extension"))
        let bidi = try #require(findings.first { $0.id == "bidi_override" })
        #expect(bidi.severity == .high)
        #expect(bidi.evidence.contains("U+202E"))
    }

    @Test("Spaces that push .exe out of view are reported as padding")
    func paddedFilename() throws {
        let findings = FilenameRules.findings(for: "report.pdf            .exe")
        let ids = Set(findings.map(\.id))
        #expect(ids.contains("padded_filename"))
        #expect(ids.contains("risky_extension"))
        let padded = try #require(findings.first { $0.id == "padded_filename" })
        #expect(padded.evidence.contains("12"))
    }

    @Test("Ordinary document names raise nothing", arguments: [
        "photo.jpg", "notes.txt", "data.csv", "請求書.pdf", "report.final.docx", "README", "archive.tar.gz",
    ])
    func harmlessNames(name: String) {
        #expect(FilenameRules.findings(for: name).isEmpty, "unexpected findings for \(name)")
    }

    @Test("Extensions are compared without regard to case", arguments: ["x.JS", "x.Js", "SETUP.EXE", "Invoice.PDF.Scr"])
    func upperCaseExtensions(name: String) {
        #expect(ids(name).contains("risky_extension"), "\(name) should be risky")
    }

    @Test("Upper-case decoy and payload still make a double extension")
    func upperCaseDouble() {
        #expect(ids("INVOICE.PDF.EXE") == ["risky_extension", "double_extension"])
    }

    @Test("Trailing dots and spaces, which Windows drops, do not hide the extension",
          arguments: ["x.exe. ", "x.exe.", "x.exe ", "x.exe...  ", "請求書.pdf.exe . "])
    func trailingDotsAndSpaces(name: String) {
        #expect(ids(name).contains("risky_extension"), "\(name) opens as .exe on Windows")
    }

    @Test("A decoy extension before a harmless one is not a double extension")
    func noDoubleWithoutRisk() {
        #expect(ids("scan.pdf.txt").isEmpty)
    }

    @Test("Control characters in a name are reported")
    func controlCharacters() {
        #expect(ids("a\u{0007}b.txt").contains("control_characters_in_name"))
    }

    @Test("Every risky extension is recognised", arguments: ["js", "vbs", "hta", "lnk", "iso", "scr", "bat", "ps1", "one"])
    func riskyList(ext: String) {
        #expect(ids("file.\(ext)").contains("risky_extension"))
    }
}

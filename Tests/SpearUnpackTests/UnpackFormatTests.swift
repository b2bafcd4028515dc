import Foundation
import SpearUnpack
import Testing

/// What one archive fixture must give: member names and, for each, the fixture whose bytes it holds (or literal
/// bytes).
struct ArchiveExpectation: Sendable, CustomTestStringConvertible {
    enum Content: Sendable {
        case fixture(String)
        case literal([UInt8])
    }

    var file: String
    var members: [(name: String, content: Content)]

    init(_ file: String, _ members: [(name: String, content: Content)]) {
        self.file = file
        self.members = members
    }

    var testDescription: String { file }

    func expectedBytes(_ content: Content) throws -> [UInt8] {
        switch content {
        case .fixture(let name): try Fixture.bytes(name)
        case .literal(let bytes): bytes
        }
    }
}

@Suite("Unpacker: every archive format gives its members, names and exact bytes")
struct UnpackFormatTests {
    static let helloAndReadme: [(name: String, content: ArchiveExpectation.Content)] = [
        ("hello.js", .fixture("hello.js")), ("readme.txt", .literal(Fixture.readmeTXT)),
    ]

    static let archives: [ArchiveExpectation] = [
        ArchiveExpectation("simple.zip", helloAndReadme),
        ArchiveExpectation("sample.7z", [("hello.js", .fixture("hello.js"))]),
        ArchiveExpectation("sjis.lzh", [("請求書.js", .fixture("hello.js"))]),
        ArchiveExpectation("sjis-names.zip", [("請求書.js", .fixture("hello.js"))]),
        ArchiveExpectation("hello.tar", helloAndReadme),
        ArchiveExpectation("hello.tar.gz", helloAndReadme),
        ArchiveExpectation("hello.tar.bz2", helloAndReadme),
        ArchiveExpectation("hello.tar.xz", helloAndReadme),
        ArchiveExpectation("hello.tar.zst", helloAndReadme),
        ArchiveExpectation("hello.cab", [("hello.js", .fixture("hello.js"))]),
        ArchiveExpectation("hello.cpio", [("hello.js", .fixture("hello.js"))]),
        ArchiveExpectation("hello.iso", [("hello.lnk", .fixture("hello.lnk")), ("readme.txt", .literal(Fixture.readmeTXT))]),
        ArchiveExpectation("hello.img", [("hello.lnk", .fixture("hello.lnk")), ("readme.txt", .literal(Fixture.readmeTXT))]),
        ArchiveExpectation("zip-with-eml.zip", [("message.eml", .fixture("message.eml"))]),
        ArchiveExpectation("docx-really-zip-of-exe.docx", [("hello.exe", .fixture("hello.exe"))]),
    ]

    @Test("Members, names and exact bytes", arguments: archives)
    func members(_ expected: ArchiveExpectation) throws {
        let (result, budget) = unpack(try Fixture.bytes(expected.file))
        let r = try #require(result, "\(expected.file) was not recognised as an archive")
        #expect(r.names.sorted() == expected.members.map(\.name).sorted(), "\(expected.file): \(r.format)")
        for (name, content) in expected.members {
            let entry = try #require(r.entry(name), "\(expected.file): no member \(name) in \(r.names)")
            #expect(entry.bytes == (try expected.expectedBytes(content)), "\(expected.file): \(name) bytes differ")
            #expect(entry.complete)
            #expect(!entry.encrypted)
            #expect(entry.issues.isEmpty, "\(expected.file): \(name): \(entry.issues)")
        }
        #expect(!r.encrypted)
        #expect(r.password == nil)
        #expect(r.lockedEntries == 0)
        #expect(r.damage == nil)
        #expect(r.limits.isEmpty)
        #expect(!r.singleCompressedFile)
        #expect(!r.headersEncrypted)
        #expect(r.notes.isEmpty)
        #expect(budget.entries == expected.members.count)
        #expect(budget.totalBytes == (try expected.members.reduce(0) { $0 + (try expected.expectedBytes($1.content)).count }))
    }

    @Test("Format names say what libarchive read", arguments: [
        ("simple.zip", "zip"), ("sample.7z", "7-zip"), ("sjis.lzh", "lha"), ("hello.tar.gz", "gzip"), ("hello.tar.bz2", "bzip2"),
        ("hello.tar.xz", "xz"), ("hello.tar.zst", "zstd"), ("hello.cab", "cab"), ("hello.iso", "iso9660"), ("hello.cpio", "cpio"),
    ])
    func formatNames(file: String, word: String) throws {
        let r = try #require(unpack(try Fixture.bytes(file)).result)
        #expect(r.format.lowercased().replacingOccurrences(of: " ", with: "").contains(word), "\(file): \(r.format)")
    }

    @Test("Shift_JIS names: the zip without the UTF-8 flag keeps the raw bytes; both decode to 請求書.js")
    func shiftJISNames() throws {
        let sjis: [UInt8] = [0x90, 0xBF, 0x8B, 0x81, 0x8F, 0x91] + Array(".js".utf8)
        let zip = try #require(unpack(try Fixture.bytes("sjis-names.zip")).result)
        let zipEntry = try #require(zip.entries.first)
        #expect(zip.entries.count == 1)
        #expect(zipEntry.path == "請求書.js")
        #expect(zipEntry.rawPath == sjis)
        #expect(zipEntry.declaredSize == 46)

        let lzh = try #require(unpack(try Fixture.bytes("sjis.lzh")).result)
        let lzhEntry = try #require(lzh.entries.first)
        #expect(lzh.entries.count == 1)
        #expect(lzhEntry.path == "請求書.js")
        // libarchive converts LZH names (hdrcharset=CP932) to UTF-8, or leaves the raw Shift_JIS bytes.
        #expect(lzhEntry.rawPath == nil || lzhEntry.rawPath == sjis)
        #expect(lzhEntry.bytes == (try Fixture.helloJS))
    }

    @Test("Nested zip: one level only; inner.zip is a member, and unpacking it in turn gives hello.js")
    func nestedZip() throws {
        let (outerResult, budget) = unpack(try Fixture.bytes("nested.zip"))
        let outer = try #require(outerResult)
        #expect(outer.names == ["inner.zip"])
        let inner = try #require(outer.entry("inner.zip"))
        #expect(inner.bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]))
        #expect(budget.entries == 1)

        let innerResult = try #require(Unpacker.unpack(inner.bytes, passwords: [], budget: budget))
        #expect(innerResult.names == ["hello.js"])
        #expect(innerResult.entry("hello.js")?.bytes == (try Fixture.helloJS))
        // One budget for the message: both levels are charged.
        #expect(budget.entries == 2)
        #expect(budget.totalBytes == inner.bytes.count + (try Fixture.helloJS).count)
    }

    @Test("A bare compressed file is one member, the decompressed bytes", arguments: [
        ("invoice.js.gz", "gzip"), ("invoice.js.bz2", "bzip2"), ("invoice.js.xz", "xz"), ("invoice.js.zst", "zstd"),
        ("invoice.js.lzma", "lzma"),
    ])
    func singleCompressedFile(file: String, filter: String) throws {
        let r = try #require(unpack(try Fixture.bytes(file)).result, "\(file) not recognised")
        #expect(r.singleCompressedFile)
        #expect(r.entries.count == 1)
        let entry = try #require(r.entries.first)
        #expect(entry.bytes == (try Fixture.helloJS))
        #expect(entry.complete)
        #expect(entry.issues.isEmpty)
        #expect(r.format.lowercased().contains(filter), "\(file): \(r.format)")
        #expect(r.damage == nil)
        #expect(!r.encrypted)
    }

    @Test("RAR 4: Japanese names, a directory skipped, exact bytes", .enabled(if: Fixture.exists("rar4.rar")))
    func rar4() throws {
        let r = try #require(unpack(try Fixture.bytes("rar4.rar")).result)
        #expect(r.names.sorted() == ["表だよ/新しいフォルダ/新規テキスト ドキュメント.txt", "表だよ/漢字長いファイル名long-filename-in-漢字.txt"].sorted())
        #expect(r.entry("表だよ/漢字長いファイル名long-filename-in-漢字.txt")?.bytes == Array("kanji".utf8))
        #expect(r.entry("表だよ/新しいフォルダ/新規テキスト ドキュメント.txt")?.bytes == [])
        #expect(r.damage == nil)
        #expect(r.format.uppercased().contains("RAR"))
    }

    @Test("RAR 5: one stored file", .enabled(if: Fixture.exists("rar5.rar")))
    func rar5() throws {
        let r = try #require(unpack(try Fixture.bytes("rar5.rar")).result)
        #expect(r.names == ["helloworld.txt"])
        #expect(r.entry("helloworld.txt")?.bytes == Array("hello libarchive test suite!\n".utf8))
        #expect(r.damage == nil)
        #expect(r.format.uppercased().contains("RAR"))
    }

    @Test("Not archives: scripts (whatever their name), text, documents, a program, nothing", arguments: [
        "hello.js", "script-named.zip", "js-named.txt", "hello.vbs", "sample.pdf", "sample.png", "sample.html", "hello.exe",
    ])
    func notArchives(file: String) throws {
        let r = unpack(try Fixture.bytes(file)).result
        #expect(r == nil, "\(file) read as \(r?.format ?? "")")
    }

    @Test("Not archives: plain text, a password line, empty input")
    func notArchivesLiteral() {
        for bytes in [Array("Hello,\r\nthis is plain text.\r\n".utf8), Array("パスワード：abc123\n".utf8), [UInt8]()] {
            #expect(unpack(bytes).result == nil, "\(bytes.prefix(20))")
        }
    }
}

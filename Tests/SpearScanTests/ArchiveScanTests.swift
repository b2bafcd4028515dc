import Foundation
import SpearCore
import SpearMIME
@testable import SpearScan
import SpearUnpack
import Testing

/// The benign fixtures: Tests/SpearScanTests/ArchiveScanTests.swift → ../Fixtures/files.
private enum ArchiveFixture {
    static let directory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures").appendingPathComponent("files")

    static func bytes(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [UInt8] {
        let data = try #require(FileManager.default.contents(atPath: directory.appendingPathComponent(name).path),
                                "fixture \(name) missing", sourceLocation: sourceLocation)
        return [UInt8](data)
    }
}

/// A multipart/mixed message: a UTF-8 text body (8bit) and base64 attachments, CRLF throughout.
private func archiveMail(body: [String], attachments: [(name: String, type: String, bytes: [UInt8])]) -> [UInt8] {
    var lines = [
        "From: Sender <sender@example.jp>",
        "To: recipient@example.co.jp",
        "Subject: archive test",
        "Date: Mon, 10 Jun 2019 09:00:00 +0900",
        "MIME-Version: 1.0",
        "Content-Type: multipart/mixed; boundary=\"ARCH\"",
        "",
        "--ARCH",
        "Content-Type: text/plain; charset=UTF-8",
        "Content-Transfer-Encoding: 8bit",
        "",
    ] + body
    for a in attachments {
        let encoded = Data(a.bytes).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        lines += [
            "--ARCH",
            "Content-Type: \(a.type); name=\"\(a.name)\"",
            "Content-Transfer-Encoding: base64",
            "Content-Disposition: attachment; filename=\"\(a.name)\"",
            "",
            encoded,
        ]
    }
    lines += ["--ARCH--", ""]
    return Array(lines.joined(separator: "\r\n").utf8)
}

private func scanAttachment(_ file: String, name: String? = nil, body: [String] = ["Please see the attached file."],
                            options: ScanOptions = ScanOptions(), bytes given: [UInt8]? = nil) throws -> ScanReport {
    let bytes = try given ?? ArchiveFixture.bytes(file)
    let message = archiveMail(body: body, attachments: [(name ?? file, "application/octet-stream", bytes)])
    return MessageScanner(options: options).scan(message, source: "archive-test.eml").report
}

private extension AttachmentReport {
    var findingIDs: [String] { findings.map(\.id.rawValue) }
    func child(_ filename: String) -> AttachmentReport? { children.first { $0.filename == filename } }
}

@Suite("Scan: archives in messages are opened, classified and judged")
struct ArchiveScanTests {
    /// A batch whose store keeps only MIME types skips libmagic's description, but not where the category depends
    /// on it: an OLE2 file is Word or Excel by its description.
    @Test("Without descriptions: OLE2 documents still described and classified, other files only typed",
          arguments: [("plain.doc", "word"), ("plain.xls", "excel")])
    func withoutDescriptions(file: String, category: String) throws {
        var options = ScanOptions()
        options.magicDescriptions = false
        let bytes = try ArchiveFixture.bytes(file), zip = try ArchiveFixture.bytes("simple.zip")
        let message = archiveMail(body: ["Please see the attached files."],
                                  attachments: [(file, "application/octet-stream", bytes), ("simple.zip", "application/zip", zip)])
        let report = MessageScanner(options: options).scan(message, source: "archive-test.eml").report
        let ole = try #require(report.attachments.first { $0.filename == file })
        #expect(ole.category?.rawValue == category)
        #expect(ole.magic?.description?.isEmpty == false)
        let archive = try #require(report.attachments.first { $0.filename == "simple.zip" })
        #expect(archive.category == .archive)
        #expect(archive.magic?.mimeType == "application/zip")
        #expect(archive.magic?.description == nil)
        #expect(archive.child("hello.js")?.category == .script)
        // The same scan with descriptions (the default) describes every file.
        let full = MessageScanner().scan(message, source: "archive-test.eml").report
        #expect(full.attachments.allSatisfy { $0.magic?.description?.isEmpty == false })
        #expect(full.attachments.map(\.category) == report.attachments.map(\.category))
    }

    @Test("A zip holding a .js: archive, with child hello.js a script (script_in_archive); suspicious")
    func zipWithScript() throws {
        let report = try scanAttachment("simple.zip")
        let zip = try #require(report.attachments.first)
        #expect(report.attachments.count == 1)
        #expect(zip.category == .archive)
        #expect(zip.complete)
        #expect(zip.children.map(\.filename) == ["hello.js", "readme.txt"])
        let script = try #require(zip.child("hello.js"))
        #expect(script.category == .script)
        #expect(script.origin == .archive)
        #expect(script.path == "hello.js")
        #expect(script.mimePath == zip.mimePath)
        #expect(script.findingIDs.contains("script_in_archive"))
        #expect(script.size == 46)
        #expect(zip.child("readme.txt")?.category == .text)
        #expect(zip.child("readme.txt")?.findings.isEmpty == true)
        #expect(report.verdict.suspicious)
        #expect(report.findings.contains { $0.id == "script_in_archive" && $0.evidence.hasPrefix("2:hello.js: ") })
    }

    @Test("A password zip opens with the password written in the body", arguments: [
        "パスワード：abc123", "パスワード：ａｂｃ１２３", "Password: abc123", "the password is abc123", "解凍パスワードは abc123 です",
        "パスワード: abc123", "PW: abc123",
    ])
    func passwordInBody(line: String) throws {
        let report = try scanAttachment("zipcrypto.zip", name: "請求書.zip",
                                        body: ["いつもお世話になっております。", "添付ファイルをご確認ください。", line, "よろしくお願いいたします。"])
        let zip = try #require(report.attachments.first)
        #expect(zip.encrypted)
        #expect(zip.password?.value == "abc123", "line: \(line)")
        #expect(zip.password?.source.hasPrefix("body") == true)
        #expect(zip.password?.source == "body:1")
        #expect(zip.findingIDs.contains("password_in_body"))
        #expect(zip.complete)
        let script = try #require(zip.child("hello.js"))
        #expect(script.category == .script)
        #expect(script.size == 46)
        #expect(script.findingIDs.contains("script_in_archive"))
    }

    @Test("The keyword on one line and the password alone on the next (CRLF mail)")
    func passwordOnNextLine() throws {
        let report = try scanAttachment("zipcrypto.zip", body: ["添付ファイルのパスワード：", "abc123", "よろしくお願いいたします。"])
        let zip = try #require(report.attachments.first)
        #expect(zip.password?.value == "abc123")
        #expect(zip.child("hello.js")?.category == .script)
    }

    @Test("A body with 10,000 password-like tokens: the first 64 are tried, and the output says so")
    func passwordCandidatesCapped() throws {
        let lines = (0..<10_000).map { "パスワード: wrong\($0)x" } + ["パスワード: abc123"]
        let report = try scanAttachment("zipcrypto.zip", body: lines)
        let zip = try #require(report.attachments.first)
        #expect(zip.password == nil)
        let note = try #require(zip.findings.first { $0.evidence.contains("password candidates") })
        #expect(note.evidence.contains("10001 password candidates: only the first 64 were tried"), "\(note.evidence)")
    }

    @Test("No password in the body: encrypted, locked, incomplete, the member not classified; its name alone (.js) makes it suspicious")
    func passwordNotGiven() throws {
        let report = try scanAttachment("zipcrypto.zip", body: ["パスワードは別途お送りします。"])
        let zip = try #require(report.attachments.first)
        #expect(zip.encrypted)
        #expect(zip.password == nil)
        #expect(!zip.complete)
        #expect(zip.findingIDs.contains("encrypted_archive"))
        #expect(!zip.findingIDs.contains("password_in_body"))
        let member = try #require(zip.child("hello.js"))
        #expect(member.category == nil)
        #expect(member.encrypted)
        #expect(member.size == 0)
        // The member list is readable: a script's name inside a locked zip is evidence on its own.
        #expect(report.verdict.status == .suspicious)
        #expect(report.verdict.reasons.map { String($0.prefix(16)) } == ["risky_extension:"])
        #expect(report.verdict.notInspected.contains { $0.hasPrefix("encrypted_archive:") })
        #expect(zip.findings.first { $0.id == "encrypted_archive" }?.kind == .notInspected)
    }

    @Test("PPAP: a password zip opened with the password in the body and holding an ordinary file is clean")
    func ppapOpenedIsClean() throws {
        let report = try scanAttachment("ppap.zip", name: "見積書.zip",
                                        body: ["お世話になっております。", "お見積りを送付いたします。", "パスワード：abc123"])
        let zip = try #require(report.attachments.first)
        #expect(zip.password?.value == "abc123")
        #expect(zip.complete)
        #expect(zip.children.map(\.filename) == ["見積書.txt"])
        #expect(zip.children.first?.category == .text)
        let encrypted = try #require(zip.findings.first { $0.id == "encrypted_archive" })
        #expect(encrypted.severity == .info && encrypted.kind == .evidence)
        #expect(zip.findings.first { $0.id == "password_in_body" }?.severity == .info)
        #expect(report.verdict.status == .clean)
        #expect(report.verdict.notInspected.isEmpty)
    }

    @Test("PPAP before its password mail arrives: not_inspected; beside weak evidence it is suspicious")
    func lockedArchiveWithWeakEvidence() throws {
        let zip = try ArchiveFixture.bytes("ppap.zip"), docx = try ArchiveFixture.bytes("plain.docx")
        let alone = MessageScanner().scan(archiveMail(body: ["パスワードは別途お送りします。"],
                                                      attachments: [("見積書.zip", "application/zip", zip)]), source: "a.eml").report
        #expect(alone.verdict.status == .notInspected)
        // A Word file named .xls is weak evidence (low) on its own; beside a zip nobody could open, it tips the verdict.
        let misnamed = MessageScanner().scan(archiveMail(body: ["x"], attachments: [("見積.xls", "application/vnd.ms-excel", docx)]),
                                             source: "b.eml").report
        #expect(misnamed.findings.first { $0.id == "extension_mismatch" }?.severity == .low)
        #expect(misnamed.verdict.status == .clean)
        let both = MessageScanner().scan(archiveMail(body: ["x"], attachments: [("見積書.zip", "application/zip", zip),
                                                                                 ("見積.xls", "application/vnd.ms-excel", docx)]), source: "c.eml").report
        #expect(both.verdict.status == .suspicious)
        #expect(both.verdict.reasons.contains { $0.hasPrefix("encrypted_archive:") })
        #expect(both.verdict.reasons.contains { $0.hasPrefix("extension_mismatch:") })
    }

    @Test("ScanOptions.passwords are tried first and reported with their source")
    func passwordFromOptions() throws {
        var options = ScanOptions()
        options.passwords = [PasswordCandidate(value: "infected2019", source: "option")]
        let report = try scanAttachment("aes.zip", options: options)
        let zip = try #require(report.attachments.first)
        #expect(zip.password?.value == "infected2019")
        #expect(zip.password?.source == "option")
        #expect(!zip.findingIDs.contains("password_in_body"))
        #expect(zip.child("hello.js")?.category == .script)
    }

    @Test("An ISO holding a .lnk: disk_image, with the shortcut as a child (shortcut_in_archive)")
    func isoWithShortcut() throws {
        let report = try scanAttachment("hello.iso")
        let iso = try #require(report.attachments.first)
        #expect(iso.category == .diskImage)
        #expect(iso.findingIDs.contains("disk_image"))
        let lnk = try #require(iso.child("hello.lnk"))
        #expect(lnk.category == .shortcut)
        #expect(lnk.findingIDs.contains("shortcut_in_archive"))
        #expect(iso.child("readme.txt")?.category == .text)
        #expect(report.verdict.suspicious)
    }

    @Test("A .eml inside a zip: child category email, whose own children include hello.js")
    func messageInsideZip() throws {
        let report = try scanAttachment("zip-with-eml.zip")
        let zip = try #require(report.attachments.first)
        #expect(zip.category == .archive)
        let eml = try #require(zip.child("message.eml"))
        #expect(eml.category == .email)
        #expect(eml.message?.subject == "spearscan fixture message")
        let hello = try #require(eml.child("hello.js"))
        #expect(hello.category == .script)
        #expect(hello.forwarded)
        #expect(hello.size == 46)
        #expect(report.verdict.suspicious)
    }

    @Test("A zip whose second central-directory entry points at the first's local header: zip_overlapping_entries, suspicious")
    func overlappingZip() throws {
        var zip = try ArchiveFixture.bytes("simple.zip")
        let centrals = (0..<(zip.count - 4)).filter { zip[$0] == 0x50 && zip[$0 + 1] == 0x4B && zip[$0 + 2] == 0x01 && zip[$0 + 3] == 0x02 }
        try #require(centrals.count == 2)
        zip.replaceSubrange((centrals[1] + 42)..<(centrals[1] + 46), with: [0, 0, 0, 0])
        let report = try scanAttachment("overlap.zip", bytes: zip)
        let outer = try #require(report.attachments.first)
        let finding = try #require(outer.findings.first { $0.id == "zip_overlapping_entries" })
        #expect(finding.severity == .high)
        #expect(finding.evidence.contains("2 of 2 central-directory entries share local file data"))
        #expect(report.verdict.suspicious)
        // An Office document (a zip with [Content_Types].xml, judged as a document, not opened as a container)
        // built the same way: still named.
        var document = try ArchiveFixture.bytes("plain.docx")
        let entries = (0..<(document.count - 4)).filter {
            document[$0] == 0x50 && document[$0 + 1] == 0x4B && document[$0 + 2] == 0x01 && document[$0 + 3] == 0x02
        }
        try #require(entries.count >= 2)
        document.replaceSubrange((entries[1] + 42)..<(entries[1] + 46), with: Array(document[(entries[0] + 42)..<(entries[0] + 46)]))
        let asDocument = try #require(try scanAttachment("order.docx", bytes: document).attachments.first)
        #expect(asDocument.category == .word)
        #expect(asDocument.findingIDs.contains("zip_overlapping_entries"))
        // The same zip unaltered: nothing of the kind.
        #expect(try scanAttachment("simple.zip").attachments.first?.findingIDs.contains("zip_overlapping_entries") == false)
    }

    @Test("A .eml attached as application/octet-stream (as Outlook forwards one) is read as a message: hello.js inside")
    func messageAttachedAsOctetStream() throws {
        let report = try scanAttachment("message.eml", name: "fwd.eml")
        let eml = try #require(report.attachments.first)
        #expect(eml.category == .email)
        #expect(eml.message?.subject == "spearscan fixture message")
        let hello = try #require(eml.child("hello.js"))
        #expect(hello.category == .script && hello.forwarded)
        #expect(hello.mimePath == "2/1" || hello.mimePath.hasPrefix("2/"))
        #expect(report.verdict.suspicious)
    }

    @Test("unpack.maxDepth = 1 on a zip holding a .eml: the message is classified but not opened, limit_exceeded")
    func messageDepthLimit() throws {
        var options = ScanOptions()
        options.unpack.maxDepth = 1
        let report = try scanAttachment("zip-with-eml.zip", options: options)
        let eml = try #require(report.attachments.first?.child("message.eml"))
        #expect(eml.category == .email)
        #expect(eml.message == nil)
        #expect(eml.children.isEmpty)
        #expect(!eml.complete)
        #expect(eml.findings.contains { $0.id == "limit_exceeded" && $0.evidence == "message nested deeper than 1: not opened" })
        #expect(report.verdict.status == .notInspected)
    }

    @Test("A 296-byte 7z header bomb mailed as invoice.7z: not read, archive_header limit in the evidence, not inspected")
    func sevenZipHeaderBomb() throws {
        let report = try scanAttachment("7z-header-bomb.7z", name: "invoice.7z")
        let archive = try #require(report.attachments.first)
        #expect(archive.category == .archive)
        #expect(archive.children.isEmpty)
        #expect(!archive.complete)
        #expect(archive.findings.contains { $0.id == "limit_exceeded" && $0.evidence.hasPrefix("archive_header: the 7z header declares 8000000 files") })
        #expect(report.verdict.status == .notInspected)
    }

    @Test("unpack.maxDepth = 1 on nested.zip: inner.zip not opened, limit_exceeded, incomplete")
    func depthLimit() throws {
        var options = ScanOptions()
        options.unpack.maxDepth = 1
        let report = try scanAttachment("nested.zip", options: options)
        let outer = try #require(report.attachments.first)
        let inner = try #require(outer.child("inner.zip"))
        #expect(inner.category == .archive)
        #expect(inner.findingIDs.contains("limit_exceeded"))
        #expect(!inner.complete)
        #expect(inner.children.isEmpty)
        #expect(report.findings.contains { $0.id == "limit_exceeded" })

        // With the default depth the same message is read to the bottom.
        let full = try scanAttachment("nested.zip")
        let innerFull = try #require(full.attachments.first?.child("inner.zip"))
        #expect(innerFull.complete)
        #expect(innerFull.findingIDs.contains("archive_in_archive"))
        #expect(innerFull.child("hello.js")?.category == .script)
    }

    @Test("A bare compressed script: named from the outer name, a script inside an archive")
    func singleCompressedScript() throws {
        let report = try scanAttachment("invoice.js.gz")
        let gz = try #require(report.attachments.first)
        #expect(gz.category == .archive)
        let member = try #require(gz.children.first)
        #expect(gz.children.count == 1)
        #expect(member.filename == "invoice.js")
        #expect(member.category == .script)
        #expect(member.findingIDs.contains("script_in_archive"))
    }

    @Test("A zip member with a wrong CRC (7-Zip still extracts it): its content is still classified, the damage reported",
          arguments: ["simple.zip", "sjis-names.zip"])  // deflated, stored
    func wrongCRCMember(file: String) throws {
        var zip = try ArchiveFixture.bytes(file)
        // Corrupt the first member's CRC in its local header (offset 14) and in its central-directory record (+16).
        let signature: [UInt8] = [0x50, 0x4B, 0x01, 0x02]
        let found: Int? = (0..<(zip.count - 4)).first { (i: Int) -> Bool in Array(zip[i..<(i + 4)]) == signature }
        let central = try #require(found)
        #expect(Array(zip[14..<18]) == Array(zip[(central + 16)..<(central + 20)]))
        for i in [14, central + 16] { zip[i] ^= 0xFF }
        let message = archiveMail(body: ["see attached"], attachments: [(file, "application/zip", zip)])
        let report = MessageScanner().scan(message, source: "crc.eml").report
        let archive = try #require(report.attachments.first)
        let member = try #require(archive.children.first)
        #expect(member.size == 46, "\(member.path ?? ""): the member's content was dropped")
        #expect(member.category == .script)
        let damaged = !member.complete || member.findingIDs.contains("member_damaged") || member.findingIDs.contains("member_unreadable")
            || archive.findingIDs.contains("archive_damaged")
        #expect(damaged, "the CRC error is not reported")
    }

    @Test("traversal.zip: every member carries a path_traversal finding")
    func traversalFindings() throws {
        let report = try scanAttachment("traversal.zip")
        let zip = try #require(report.attachments.first)
        #expect(zip.children.count == 3)
        for child in zip.children { #expect(child.findingIDs.contains("path_traversal"), "\(child.path ?? "")") }
        #expect(report.verdict.suspicious)
    }

    @Test("JSON of an archive member: path, size, hashes, category, magic, encrypted, findings, children")
    func memberJSON() throws {
        let report = try scanAttachment("simple.zip")
        let json = try jsonObject(ReportRenderer.json(report))
        let attachments = try #require(json["attachments"] as? [[String: Any]])
        let zip = try #require(attachments.first)
        let children = try #require(zip["children"] as? [[String: Any]])
        let member = try #require(children.first { $0["path"] as? String == "hello.js" })
        for key in ["path", "size", "md5", "sha1", "sha256", "category", "magic", "encrypted", "findings", "children"] {
            #expect(member[key] != nil, "member JSON lacks \(key): \(member.keys.sorted())")
        }
        #expect(member["size"] as? Int == 46)
        #expect(member["md5"] as? String == "cad47628b005c255e8b3e449c2ba0d83")
        #expect(member["sha1"] as? String == "6e4709c904e645374413a30d198c823a4ea04a0f")
        #expect(member["sha256"] as? String == "b692e3d0d6a2f5a6813c1ef7f482b9dde56c26f63d3cfa15654dcc0754a24c09")
        #expect(member["category"] as? String == "script")
        #expect(member["origin"] as? String == "archive")
        #expect(member["encrypted"] as? Bool == false)
        let magic = try #require(member["magic"] as? [String: Any])
        #expect(magic["description"] is String)
        #expect(magic["mime_type"] as? String == "text/plain")
        let findings = try #require(member["findings"] as? [[String: Any]])
        #expect(findings.contains { $0["id"] as? String == "script_in_archive" })
        #expect((member["children"] as? [Any])?.isEmpty == true)
    }

    @Test("JSON of an opened password zip: password {value, source}")
    func passwordJSON() throws {
        let report = try scanAttachment("zipcrypto.zip", body: ["パスワード：abc123"])
        let json = try jsonObject(ReportRenderer.json(report))
        let zip = try #require((json["attachments"] as? [[String: Any]])?.first)
        let password = try #require(zip["password"] as? [String: Any])
        #expect(password["value"] as? String == "abc123")
        #expect(password["source"] as? String == "body:1")
        #expect(zip["encrypted"] as? Bool == true)
    }
}

extension ArchiveScanTests {
    @Suite("PasswordFinder: passwords written in the message's text")
    struct PasswordFinderTests {
        private func values(_ text: String) -> [String] {
            PasswordFinder.candidates(in: [(location: "1", text: text)]).map(\.value)
        }

        @Test("On the keyword's line", arguments: [
            "パスワード：abc123", "パスワード：ａｂｃ１２３", "パスワード: abc123", "パスワードは abc123 です", "解凍パスワードは「abc123」です",
            "Password: abc123", "password=abc123", "The password is abc123", "the password is abc123.", "PW: abc123", "ﾊﾟｽﾜｰﾄﾞ：abc123",
            "暗証番号：abc123",
        ])
        func sameLine(_ line: String) {
            #expect(values("いつもお世話になっております。\n\(line)\nよろしくお願いします。") == ["abc123"], "\(line)")
        }

        @Test("The keyword line ends; the password is alone on the next line", arguments: [("LF", "\n"), ("CRLF", "\r\n"), ("CR", "\r")])
        func nextLine(ending: String, newline: String) {
            let text = ["添付ファイルのパスワード：", "abc123", "よろしくお願いします。"].joined(separator: newline)
            #expect(values(text) == ["abc123"], "lines ending in \(ending)")
        }

        @Test("Same line with CRLF endings: the password stops at the line end")
        func sameLineCRLF() {
            #expect(values("パスワード：abc123\r\nよろしく\r\n") == ["abc123"])
        }

        @Test("Source is body:<mime path>, and the same password is found once")
        func sourceAndDedupe() {
            let found = PasswordFinder.candidates(in: [(location: "1", text: "Password: abc123"), (location: "2.1", text: "パスワード：abc123\nPW: zz9988")])
            #expect(found == [PasswordCandidate(value: "abc123", source: "body:1"), PasswordCandidate(value: "zz9988", source: "body:2.1")])
        }

        @Test("The byte pre-test lets every keyword through: as written, capitalised, decomposed (パ as ハ + U+309A), full-width")
        func keywordWitnessesCoverKeywords() {
            for keyword in PasswordFinder.keywords {
                let fullWidth = String(String.UnicodeScalarView(keyword.unicodeScalars.map {
                    $0.isASCII && $0.properties.isAlphabetic ? Unicode.Scalar($0.value + 0xFEE0)! : $0
                }))
                for form in [keyword, keyword.uppercased(), keyword.decomposedStringWithCanonicalMapping, PasswordFinder.fold(fullWidth)] {
                    #expect(PasswordFinder.mayHoldKeyword(form), "\(keyword) as \(Array(form.unicodeScalars))")
                }
            }
            #expect(!PasswordFinder.mayHoldKeyword("いつもお世話になっております。資料をお送りします。 Regards, Taro"))
            #expect(!PasswordFinder.mayHoldKeyword("サービスのスケジュールとキャンペーンのキーワード"), "katakana alone do not pass")
        }

        @Test("A decomposed keyword (as Foundation's search matches it) still gives its password")
        func decomposedKeyword() {
            #expect(values("いつもお世話になっております。\nパスワード：abc123".decomposedStringWithCanonicalMapping) == ["abc123"])
            #expect(values("資料です。\n解凍キー：zz9988".decomposedStringWithCanonicalMapping) == ["zz9988"])
        }

        @Test("A notice without a keyword: each line that is only a password-like token, full-width and padded lines too")
        func noticeTokens() {
            let notice = "山田様\r\n\r\n先ほどの資料の件です。\r\n\u{3000}Ｘｋ９＃ｐｑ２ｗ\u{3000}\r\n \tzz9988ab \r\n2026/12/03\r\n以上"
            #expect(PasswordFinder.notice(in: [(location: "1", text: notice)])
                == [PasswordCandidate(value: "Xk9#pq2w", source: "body-token:1"), PasswordCandidate(value: "zz9988ab", source: "body-token:1")])
            let long = (1...21).map { "行\($0)" }.joined(separator: "\n") + "\nXk9#pq2w"
            #expect(PasswordFinder.notice(in: [(location: "1", text: long)]).isEmpty, "more than 20 lines is not a notice")
            let twenty = (1...19).map { "行\($0)" }.joined(separator: "\r") + "\r\r  \rXk9#pq2w"
            #expect(PasswordFinder.notice(in: [(location: "1", text: twenty)]).map(\.value) == ["Xk9#pq2w"], "blank lines do not count")
        }

        @Test("No candidate", arguments: [
            "パスワードは別途お送りします", "パスワードは別途お送りします。\nよろしくお願いします。", "passport", "Your passport number is X1234567",
            "Please bring your passport.", "I compass the town", "パスワード：", "pwned",
            "bypass: abc123",
        ])
        func negatives(_ text: String) {
            #expect(values(text).isEmpty, "\(text) → \(values(text))")
        }
    }
}

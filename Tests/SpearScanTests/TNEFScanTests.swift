import Foundation
import SpearCore
import SpearScan
import Testing

/// A winmail.dat in a message: opened as a container, its files hashed, classified and judged as the message's
/// own attachments (origin `tnef`).
@Suite("Scan: TNEF (winmail.dat)")
struct TNEFScanTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    static func bytes(_ relative: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: directory.appendingPathComponent(relative)))
    }

    static func message(tnef: [UInt8]) -> [UInt8] {
        // Outlook's shape: a text body and the TNEF part, base64 without its final padding (as some relays leave it).
        let b64 = Data(tnef).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        let unpadded = String(b64.reversed().drop { $0 == "=" }.reversed())
        return mail("From: 受注センター <order@kitakaze-denki.co.jp>", "To: soumu@minato-shoji.co.jp", "Subject: 注文内容の確認",
                    "MIME-Version: 1.0", "Content-Type: multipart/mixed; boundary=\"T\"", "",
                    "--T", "Content-Type: text/plain; charset=utf-8", "", "添付をご確認ください。",
                    "--T", "Content-Type: application/ms-tnef; name=\"winmail.dat\"", "Content-Transfer-Encoding: base64",
                    "Content-Disposition: attachment; filename=\"winmail.dat\"", "", unpadded, "--T--", "")
    }

    @Test("The wrapper is tnef, not the PDF near its start; its files are children with origin tnef, exact bytes and hashes")
    func lureInsideWinmail() throws {
        let report = MessageScanner().scan(Self.message(tnef: try Self.bytes("tnef/lure.tnef")), source: "winmail.eml").report
        let winmail = try #require(report.attachments.first)
        #expect(winmail.filename == "winmail.dat")
        #expect(winmail.category == .tnef)
        #expect(winmail.size == 1083)
        #expect(winmail.children.map(\.filename) == ["請求書.pdf", "注文書.xls.js"])
        #expect(winmail.children.allSatisfy { $0.origin == .tnef })
        let pdf = winmail.children[0], script = winmail.children[1]
        #expect(pdf.category == .pdf)
        #expect(pdf.size == (try Self.bytes("files/sample.pdf")).count)
        #expect(script.category == .script)
        #expect(script.size == 46)
        // printf 'WScript.Echo("spearscan fixture: harmless");\r\n' | sha256sum
        #expect(script.sha256 == "b692e3d0d6a2f5a6813c1ef7f482b9dde56c26f63d3cfa15654dcc0754a24c09")
        // Judged as an attachment the recipient sees, not as an archive member.
        #expect(script.findings.map(\.id).contains("script_file"))
        #expect(!script.findings.map(\.id).contains("script_in_archive"))
        #expect(script.findings.map(\.id).contains("double_extension"))
        #expect(report.verdict.status == .suspicious)
    }

    @Test("A winmail.dat of ordinary files is clean, and its hashes are those of the files")
    func ordinaryWinmail() throws {
        let report = MessageScanner().scan(Self.message(tnef: try Self.bytes("tnef/six-files.tnef")), source: "six.eml").report
        let winmail = try #require(report.attachments.first)
        #expect(winmail.category == .tnef)
        #expect(winmail.children.count == 6)
        #expect(winmail.children.map(\.filename) == (0..<6).map { "file \($0).dat" })
        #expect(report.verdict.status == .clean)
    }
}

import SpearMIME
import SpearCore
import SpearScan
import Testing

@Suite("MessageScanner: attachments, digests, findings and verdict")
struct MessageScannerTests {
    private func scan(_ bytes: [UInt8], truncatedFrom: Int? = nil) -> ScanReport {
        MessageScanner().scan(bytes, source: "test.eml", truncatedFrom: truncatedFrom).report
    }

    private func codes(_ report: ScanReport) -> [String] { report.defects.map(\.code.rawValue) }

    /// A multipart/mixed message whose second part is `part` (header lines, blank line, body lines).
    private func mixed(_ part: String...) -> [UInt8] {
        Array(([
            "From: Sender <sender@example.com>",
            "To: to@example.co.jp",
            "Subject: test",
            "MIME-Version: 1.0",
            "Content-Type: multipart/mixed; boundary=\"XYZ\"",
            "",
            "--XYZ",
            "Content-Type: text/plain; charset=us-ascii",
            "",
            "Please see the attachment.",
            "--XYZ",
        ] + part + ["--XYZ--", ""]).joined(separator: "\r\n").utf8)
    }

    // MARK: What counts as an attachment

    @Test("Content-Disposition: attachment makes even a text part an attachment")
    func attachmentByDisposition() throws {
        let report = scan(mixed(
            "Content-Type: text/plain; charset=us-ascii",
            "Content-Disposition: attachment",
            "",
            "attached text"))
        let a = try #require(report.attachments.first)
        #expect(report.attachments.count == 1)
        #expect(a.mimePath == "2")
        #expect(a.filename == nil)
        #expect(a.contentType == "text/plain")
        #expect(a.disposition == "attachment")
        #expect(a.origin == .mime)
        #expect(report.bodies.map(\.mimePath) == ["1"])
    }

    @Test("A name= parameter alone makes a text part an attachment")
    func attachmentByNameOnly() throws {
        let report = scan(mixed(
            "Content-Type: text/plain; charset=us-ascii; name=\"notes.txt\"",
            "",
            "some notes"))
        let a = try #require(report.attachments.first)
        #expect(a.filename == "notes.txt")
        #expect(a.disposition == nil)
        #expect(a.mimePath == "2")
        #expect(a.size == "some notes".utf8.count)
        #expect(report.bodies.map(\.mimePath) == ["1"])
    }

    @Test("A non-text part without any name is still an attachment")
    func unnamedBinaryPart() throws {
        let report = scan(mixed(
            "Content-Type: application/octet-stream",
            "Content-Transfer-Encoding: base64",
            "",
            "TVogZmFrZSBleGUK"))
        let a = try #require(report.attachments.first)
        #expect(report.attachments.count == 1)
        #expect(a.filename == nil)
        #expect(a.contentType == "application/octet-stream")
        #expect(a.transferEncoding == "base64")
        #expect(a.size == "MZ fake exe\n".utf8.count)
        #expect(a.findings.isEmpty)
    }

    @Test("Plain and HTML text parts are bodies, not attachments")
    func textBodiesAreNotAttachments() {
        let report = scan(mixed(
            "Content-Type: text/html; charset=utf-8",
            "",
            "<p>hello</p>"))
        #expect(report.attachments.isEmpty)
        #expect(report.bodies.map(\.mimePath) == ["1", "2"])
        #expect(report.bodies.map(\.contentType) == ["text/plain", "text/html"])
        #expect(!report.verdict.suspicious)
    }

    @Test("The body of a single-part text message is body 1, not an attachment")
    func singlePartText() throws {
        let report = scan(mail(
            "From: a@example.com",
            "Subject: hi",
            "Content-Type: text/plain; charset=utf-8",
            "",
            "just text",
            ""))
        #expect(report.attachments.isEmpty)
        let body = try #require(report.bodies.first)
        #expect(body.mimePath == "1")
        #expect(body.charset == "UTF-8")
        #expect(report.defects.isEmpty)
    }

    // MARK: Inline parts

    private func imageMessage(container: String, disposition: String?) -> [UInt8] {
        var image = ["--R", "Content-Type: image/png", "Content-Transfer-Encoding: base64", "Content-ID: <logo@example.com>"]
        if let disposition { image.append("Content-Disposition: \(disposition)") }
        image += ["", "UE5HREFUQQ=="]
        let lines = [
            "From: a@example.com",
            "Subject: newsletter",
            "Content-Type: multipart/\(container); boundary=\"R\"",
            "",
            "--R",
            "Content-Type: text/html; charset=utf-8",
            "",
            "<img src=\"cid:logo@example.com\">",
        ] + image + ["--R--", ""]
        return Array(lines.joined(separator: "\r\n").utf8)
    }

    @Test("An image with a Content-ID inside multipart/related is inline")
    func inlineInRelated() throws {
        let report = scan(imageMessage(container: "related", disposition: nil))
        let a = try #require(report.attachments.first)
        #expect(a.contentType == "image/png")
        #expect(a.size == 7)
        #expect(a.inline == true)
    }

    @Test("The same image in multipart/mixed without an inline disposition is not inline")
    func notInlineInMixed() throws {
        let report = scan(imageMessage(container: "mixed", disposition: nil))
        let a = try #require(report.attachments.first)
        #expect(a.contentType == "image/png")
        #expect(a.inline == false)
    }

    @Test("Content-Disposition: inline with a Content-ID is inline even outside related")
    func inlineByDisposition() throws {
        let report = scan(imageMessage(container: "mixed", disposition: "inline"))
        #expect(try #require(report.attachments.first).inline == true)
    }

    @Test("Content-Disposition: attachment wins over multipart/related")
    func attachmentDispositionInRelated() throws {
        let report = scan(imageMessage(container: "related", disposition: "attachment; filename=\"logo.png\""))
        let a = try #require(report.attachments.first)
        #expect(a.filename == "logo.png")
        #expect(a.inline == false)
    }

    // MARK: Forwarded messages

    @Test("An attached message/rfc822 has the inner attachments as forwarded children")
    func forwardedMessage() throws {
        let report = scan(mixed(
            "Content-Type: message/rfc822",
            "Content-Disposition: attachment; filename=\"fwd.eml\"",
            "",
            "From: Inner Sender <inner@example.jp>",
            "Subject: =?UTF-8?B?6KuL5rGC5pu4LnBkZg==?=",
            "Date: Mon, 1 Jul 2019 09:05:12 +0900",
            "Content-Type: multipart/mixed; boundary=\"INNER\"",
            "",
            "--INNER",
            "Content-Type: text/plain",
            "",
            "inner body",
            "--INNER",
            "Content-Type: application/zip; name=\"data.zip\"",
            "Content-Transfer-Encoding: base64",
            "",
            "UEsgemlwIGJ5dGVz",
            "--INNER--"))
        #expect(report.attachments.count == 1)
        let outer = try #require(report.attachments.first)
        #expect(outer.contentType == "message/rfc822")
        #expect(outer.filename == "fwd.eml")
        #expect(outer.mimePath == "2")
        #expect(outer.forwarded == false)
        let summary = try #require(outer.message)
        #expect(summary.subject == "請求書.pdf")
        #expect(summary.from.first?.address == "inner@example.jp")
        #expect(summary.date == "2019-07-01T09:05:12+09:00")

        #expect(outer.children.count == 1)
        let child = try #require(outer.children.first)
        #expect(child.filename == "data.zip")
        #expect(child.mimePath == "2.2")
        #expect(child.forwarded == true)
        #expect(child.size == "PK zip bytes".utf8.count)
        #expect(outer.children.allSatisfy { $0.forwarded })
        // The inner text is a forwarded body, not an attachment.
        #expect(report.bodies.contains { $0.mimePath == "2.1" && $0.forwarded })
        #expect(report.bodies.contains { $0.mimePath == "1" && !$0.forwarded })
    }

    @Test("A risky file inside a forwarded message makes the whole message suspicious")
    func riskyForwardedChild() throws {
        let report = scan(mixed(
            "Content-Type: message/rfc822",
            "",
            "Subject: inner",
            "Content-Type: application/octet-stream; name=\"invoice.pdf.exe\"",
            "Content-Transfer-Encoding: base64",
            "",
            "TVogZmFrZSBleGUK"))
        let child = try #require(report.attachments.first?.children.first)
        #expect(child.filename == "invoice.pdf.exe")
        #expect(child.forwarded)
        #expect(report.verdict.suspicious)
        #expect(Set(report.findings.map(\.id)).isSuperset(of: ["risky_extension", "double_extension"]))
    }

    // MARK: uuencode

    // "uu payload for spearscan\n" (25 bytes), encoded with python3 binascii.b2a_uu(..., backtick=True).
    private let uuLine = "9=74@<&%Y;&]A9\"!F;W(@<W!E87)S8V%N\"@``"
    // printf 'uu payload for spearscan\n' | sha256sum
    private let uuSHA256 = "8d1ed6366dfd64bbc79f2f37ec6e5deb04a4442499082cf4d9facf6b580d5323"

    @Test("A uuencoded block in a text body is an attachment with origin uuencode")
    func uuencodeInSinglePart() throws {
        let report = scan(mail(
            "From: legacy@example.com",
            "Subject: invoice",
            "Content-Type: text/plain; charset=us-ascii",
            "",
            "Here is the file.",
            "",
            "begin 644 payload.txt",
            uuLine,
            "`",
            "end",
            "",
            "Regards",
            ""))
        #expect(report.attachments.count == 1)
        let a = try #require(report.attachments.first)
        #expect(a.origin == .uuencode)
        #expect(a.mimePath == "1#uu1")
        #expect(a.filename == "payload.txt")
        #expect(a.size == 25)
        #expect(a.sha256 == uuSHA256)
        // The text around it is still the body.
        #expect(report.bodies.map(\.mimePath) == ["1"])
        #expect(report.defects.isEmpty)
    }

    @Test("uuencoded blocks are numbered per part, with the path of the part that holds them")
    func uuencodeInSecondPart() throws {
        let report = scan(mixed(
            "Content-Type: text/plain",
            "",
            "begin 644 one.txt",
            uuLine,
            "`",
            "end",
            "begin 600 two.exe",
            uuLine,
            "`",
            "end"))
        #expect(report.attachments.map(\.mimePath) == ["2#uu1", "2#uu2"])
        #expect(report.attachments.map(\.filename) == ["one.txt", "two.exe"])
        #expect(report.attachments.allSatisfy { $0.origin == .uuencode })
        #expect(report.verdict.suspicious, "two.exe is a risky uuencoded file")
    }

    @Test("A uuencoded block without its end line is reported as truncated")
    func uuencodeTruncated() throws {
        let report = scan(mail(
            "Subject: cut",
            "",
            "begin 644 cut.txt",
            uuLine,
            ""))
        #expect(report.attachments.first?.origin == .uuencode)
        #expect(codes(report).contains("uuencode_truncated"))
    }

    // MARK: Digests

    @Test("MD5, SHA-1 and SHA-256 of a decoded attachment match the known values")
    func knownDigests() throws {
        let report = scan(mixed(
            "Content-Type: application/octet-stream; name=\"hash.bin\"",
            "Content-Transfer-Encoding: base64",
            "",
            "c3BlYXJzY2FuIGhhc2ggdGVzdAo="))  // base64 of "spearscan hash test\n"
        let a = try #require(report.attachments.first)
        #expect(a.size == 20)
        // Expected values computed with: printf 'spearscan hash test\n' | md5sum / sha1sum / sha256sum
        #expect(a.md5 == "00b72ee4d6f7669b107f5c370df46144")
        #expect(a.sha1 == "d2198e589e57aa54ad57f590805853eaa045a1b7")
        #expect(a.sha256 == "69aade86f2f689aa4baae31131c7fdeaa45b51ba0aede81e9ec978cc93deb6dc")
    }

    @Test("The same payload hashes the same whatever its transfer encoding")
    func digestsIgnoreEncoding() throws {
        let qp = scan(mixed(
            "Content-Type: application/octet-stream; name=\"hash.bin\"",
            "Content-Transfer-Encoding: quoted-printable",
            "",
            "spearscan hash test=0A"))
        let a = try #require(qp.attachments.first)
        #expect(a.sha256 == "69aade86f2f689aa4baae31131c7fdeaa45b51ba0aede81e9ec978cc93deb6dc")
    }

    @Test("The message itself is identified by the SHA-256 of its raw bytes")
    func messageDigest() {
        // printf 'Subject: x\r\n\r\nbody\r\n' | sha256sum
        let report = scan(mail("Subject: x", "", "body", ""))
        #expect(report.size == 20)
        #expect(report.sha256 == "94aa02c65e3473d1c7d53430c4fd2b49d6b8cbc875139d1b4b248e6a8243bf38")
    }

    // MARK: Findings and verdict

    @Test("An .exe attachment makes the message suspicious")
    func exeIsSuspicious() throws {
        let report = scan(mixed(
            "Content-Type: application/octet-stream; name=\"setup.exe\"",
            "Content-Disposition: attachment; filename=\"setup.exe\"",
            "Content-Transfer-Encoding: base64",
            "",
            "TVogZmFrZSBleGUK"))
        #expect(report.verdict.suspicious)
        // "MZ fake exe" is text, not a program: the name also lies about the content.
        #expect(report.findings.map(\.id) == ["risky_extension", "extension_mismatch"])
        #expect(report.findings.first?.evidence.hasPrefix("2: ") == true)
        #expect(report.attachments.first?.findings.map(\.id) == ["risky_extension", "extension_mismatch"])
        #expect(report.verdict.reasons.first?.hasPrefix("risky_extension") == true)
    }

    @Test("A clean message with a PDF is not suspicious")
    func cleanMessage() throws {
        let report = scan(mixed(
            "Content-Type: application/pdf; name=\"report.pdf\"",
            "Content-Disposition: attachment; filename=\"report.pdf\"",
            "Content-Transfer-Encoding: base64",
            "",
            "JVBERi0xLjQKJSVFT0YK"))
        #expect(report.attachments.count == 1)
        #expect(!report.verdict.suspicious)
        #expect(report.findings.isEmpty)
        #expect(report.defects.isEmpty)
        #expect(report.verdict.reasons.isEmpty)
    }

    @Test("A multipart that simply ends without its closing line: a warning, every part kept, the message clean")
    func missingFinalBoundary() throws {
        let report = scan(mail(
            "From: a@example.com",
            "Subject: unclosed",
            "Content-Type: multipart/mixed; boundary=\"OPEN\"",
            "",
            "--OPEN",
            "Content-Type: text/plain",
            "",
            "text",
            "--OPEN",
            "Content-Type: application/pdf; name=\"report.pdf\"",
            "Content-Transfer-Encoding: base64",
            "",
            "JVBERi0xLjQKJSVFT0YK",
            ""))
        #expect(codes(report) == ["missing_final_boundary"])
        let defect = try #require(report.defects.first)
        #expect(defect.where == "message")
        #expect(defect.severity == .warning)
        #expect(report.findings.isEmpty)
        #expect(report.verdict.status == .clean)
        // The attachment is still recovered intact.
        #expect(report.attachments.first?.filename == "report.pdf")
        #expect(report.attachments.first?.size == 15)  // "%PDF-1.4\n%%EOF\n"
    }

    @Test("truncatedFrom adds an input_truncated defect first and reports the original size")
    func truncatedInput() throws {
        let bytes = mail("Subject: cut short", "", "body")
        let report = scan(bytes, truncatedFrom: 5_000)
        #expect(codes(report).first == "input_truncated")
        #expect(report.defects.first?.where == "message")
        #expect(report.defects.first?.detail.contains("5000") == true)
        #expect(report.size == 5_000)
        #expect(report.verdict.status == .notInspected, "what lies past the cut was not inspected")
        #expect(report.findings.contains { $0.id == "limit_exceeded" && $0.kind == .notInspected && $0.evidence.contains("input_truncated") })
        // Not truncated: no such defect.
        #expect(!codes(scan(bytes)).contains("input_truncated"))
    }

    @Test("A base64 attachment without its final padding keeps every byte: hashes as the mail client's file, complete, base64_missing_padding")
    func unpaddedBase64() throws {
        let report = scan(mixed(
            "Content-Type: application/octet-stream; name=\"cut.bin\"",
            "Content-Transfer-Encoding: base64",
            "",
            "c3BlYXJzY2FuIGhhc2ggdGVzdAo"))  // "spearscan hash test\n" without its '=' padding
        let attachment = try #require(report.attachments.first)
        #expect(attachment.size == 20)
        // printf 'spearscan hash test\n' | sha256sum
        #expect(attachment.sha256 == "69aade86f2f689aa4baae31131c7fdeaa45b51ba0aede81e9ec978cc93deb6dc")
        #expect(attachment.complete)
        #expect(codes(report).contains("base64_missing_padding"))
        #expect(!codes(report).contains("base64_truncated"))
        #expect(report.defects.first { $0.code == .base64MissingPadding }?.where == "2")
    }

    @Test("Encoded-word subject and From display name are decoded")
    func headerSummary() throws {
        let report = scan(mail(
            "From: =?UTF-8?B?6KuL5rGC5pu4LnBkZg==?= <billing@example.net>, plain@example.org",
            "Subject: =?ISO-2022-JP?B?GyRCQ21KOEZiTUYbKEI=?=",
            "Date: Wed, 12 Jun 2019 10:31:07 +0900",
            "",
            "x"))
        #expect(report.message.subject == "注文内容")
        #expect(report.message.from.map(\.address) == ["billing@example.net", "plain@example.org"])
        #expect(report.message.from.map(\.name) == ["請求書.pdf", nil])
        #expect(report.message.date == "2019-06-12T10:31:07+09:00")
    }
}

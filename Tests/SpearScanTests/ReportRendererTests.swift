import Foundation
import SpearCore
import SpearScan
import Testing

@Suite("ReportRenderer: the JSON contract and the text summary")
struct ReportRendererTests {
    private let sample = mail(
        "Return-Path: <billing@example.net>",
        "Message-ID: <abc@example.net>",
        "Date: Wed, 12 Jun 2019 10:31:07 +0900",
        "From: =?UTF-8?B?6KuL5rGC5pu4LnBkZg==?= <billing@example.net>, plain@example.org",
        "To: soumu@example.co.jp",
        "Subject: =?ISO-2022-JP?B?GyRCQ21KOEZiTUYbKEI=?=",
        "Content-Type: multipart/mixed; boundary=\"XYZ\"",
        "",
        "--XYZ",
        "Content-Type: text/plain; charset=us-ascii",
        "",
        "See attached.",
        "--XYZ",
        "Content-Type: application/octet-stream; name=\"invoice.pdf.exe\"",
        "Content-Disposition: attachment; filename=\"invoice.pdf.exe\"",
        "Content-Transfer-Encoding: base64",
        "",
        "c3BlYXJzY2FuIGhhc2ggdGVzdAo=",
        "--XYZ",
        "Content-Type: message/rfc822",
        "",
        "Subject: inner",
        "Content-Type: application/zip; name=\"inner.zip\"",
        "Content-Transfer-Encoding: base64",
        "",
        "UEsgemlwIGJ5dGVz",
        "")  // no closing boundary: a defect to render

    private func render(_ bytes: [UInt8], source: String = "sample.eml") -> String {
        ReportRenderer.json(MessageScanner().scan(bytes, source: source).report)
    }

    @Test("One line of JSON that JSONSerialization reads, with schema_version 1 and the source")
    func parsesAsJSON() throws {
        let text = render(sample)
        #expect(!text.contains("\n"))
        let root = try jsonObject(text)
        #expect(root["schema_version"] as? Int == 1)
        #expect(root["source"] as? String == "sample.eml")
        #expect(root["size"] as? Int == sample.count)
        #expect((root["sha256"] as? String)?.count == 64)
        for key in ["message", "attachments", "bodies", "findings", "defects", "verdict"] {
            #expect(root[key] != nil, "missing top-level key \(key)")
        }
        #expect(root["extracted"] == nil, "extracted appears only when files were written")
    }

    @Test("message: ISO 8601 date with offset, decoded subject, from with name and address")
    func messageSummary() throws {
        let message = try #require(try jsonObject(render(sample))["message"] as? [String: Any])
        #expect(message["date"] as? String == "2019-06-12T10:31:07+09:00")
        #expect(message["subject"] as? String == "注文内容")
        #expect(message["message_id"] as? String == "<abc@example.net>")
        #expect(message["return_path"] as? String == "billing@example.net")
        let from = try #require(message["from"] as? [[String: Any]])
        #expect(from.count == 2)
        #expect(from[0]["name"] as? String == "請求書.pdf")
        #expect(from[0]["address"] as? String == "billing@example.net")
        #expect(from[1]["name"] is NSNull, "an address without a display name has name: null")
        #expect(from[1]["address"] as? String == "plain@example.org")
        let to = try #require(message["to"] as? [[String: Any]])
        #expect(to.first?["address"] as? String == "soumu@example.co.jp")
        #expect(to.first?.keys.contains("name") == true)
    }

    @Test("Dates keep the sender's offset", arguments: [
        ("Tue, 2 Jul 2019 08:00:00 -0500", "2019-07-02T08:00:00-05:00"),
        ("2 Jul 2019 23:59:59 +0530", "2019-07-02T23:59:59+05:30"),
        ("Wed, 12 Jun 2019 10:31:07 +0900", "2019-06-12T10:31:07+09:00"),
    ])
    func dateOffsets(header: String, iso: String) throws {
        let message = try #require(try jsonObject(render(mail("Date: " + header, "Subject: d", "", "x")))["message"] as? [String: Any])
        #expect(message["date"] as? String == iso)
    }

    @Test("An unparseable or missing date is null")
    func nullDate() throws {
        let bad = try jsonObject(render(mail("Date: the day before yesterday", "", "x")))
        #expect((bad["message"] as? [String: Any])?["date"] is NSNull)
        let defects = try #require(bad["defects"] as? [[String: Any]])
        #expect(defects.contains { $0["code"] as? String == "unparseable_date" })
        let none = try jsonObject(render(mail("Subject: no date", "", "x")))
        #expect((none["message"] as? [String: Any])?["date"] is NSNull)
        #expect((none["message"] as? [String: Any])?["subject"] as? String == "no date")
    }

    @Test("Attachments carry the documented keys, with the right values")
    func attachmentContract() throws {
        let attachments = try #require(try jsonObject(render(sample))["attachments"] as? [[String: Any]])
        #expect(attachments.count == 2)
        let contract = ["filename", "content_type", "size", "md5", "sha1", "sha256", "mime_path", "inline", "children",
                        "category", "magic", "encrypted", "password", "findings"]
        for a in attachments {
            for key in contract { #expect(a[key] != nil, "attachment \(a["mime_path"] ?? "?") lacks \(key)") }
        }
        let exe = attachments[0]
        #expect(exe["filename"] as? String == "invoice.pdf.exe")
        #expect(exe["content_type"] as? String == "application/octet-stream")
        #expect(exe["size"] as? Int == 20)
        // printf 'spearscan hash test\n' | md5sum / sha1sum / sha256sum
        #expect(exe["md5"] as? String == "00b72ee4d6f7669b107f5c370df46144")
        #expect(exe["sha1"] as? String == "d2198e589e57aa54ad57f590805853eaa045a1b7")
        #expect(exe["sha256"] as? String == "69aade86f2f689aa4baae31131c7fdeaa45b51ba0aede81e9ec978cc93deb6dc")
        #expect(exe["mime_path"] as? String == "2")
        #expect(exe["inline"] as? Bool == false)
        #expect((exe["children"] as? [Any])?.isEmpty == true)
        let findings = try #require(exe["findings"] as? [[String: Any]])
        // The content is text, so the .exe name is also a mismatch.
        #expect(Set(findings.compactMap { $0["id"] as? String }) == ["risky_extension", "double_extension", "extension_mismatch"])
        #expect(exe["category"] as? String == "text")
        #expect((exe["magic"] as? [String: Any])?["mime_type"] as? String == "text/plain")
        #expect(exe["encrypted"] as? Bool == false)
        #expect(exe["password"] is NSNull)

        let forwarded = attachments[1]
        #expect(forwarded["content_type"] as? String == "message/rfc822")
        #expect(forwarded["filename"] is NSNull)
        #expect(forwarded["mime_path"] as? String == "3")
        let children = try #require(forwarded["children"] as? [[String: Any]])
        #expect(children.count == 1)
        #expect(children.first?["filename"] as? String == "inner.zip")
        #expect(children.first?["forwarded"] as? Bool == true)
        #expect((forwarded["message"] as? [String: Any])?["subject"] as? String == "inner")
    }

    @Test("Defects have code, where and detail")
    func defectContract() throws {
        let root = try jsonObject(render(sample))
        let defects = try #require(root["defects"] as? [[String: Any]])
        let missing = try #require(defects.first { $0["code"] as? String == "missing_final_boundary" })
        #expect(missing["where"] as? String == "message")
        #expect((missing["detail"] as? String)?.contains("XYZ") == true)
        for d in defects {
            #expect(d["code"] is String && d["where"] is String && d["detail"] is String)
        }
        let verdict = try #require(root["verdict"] as? [String: Any])
        #expect(verdict["suspicious"] as? Bool == true)
        #expect((verdict["reasons"] as? [String])?.isEmpty == false)
    }

    @Test("Rendering the same report twice, or scanning the same bytes twice, gives identical JSON")
    func stableOutput() {
        let report = MessageScanner().scan(sample, source: "sample.eml").report
        #expect(ReportRenderer.json(report) == ReportRenderer.json(report))
        #expect(render(sample) == render(sample))
    }

    @Test("Text output names the decoded subject, the attachment's SHA-256 and the verdict")
    func textOutput() {
        let text = ReportRenderer.text(MessageScanner().scan(sample, source: "sample.eml").report)
        #expect(text.contains("注文内容"))
        #expect(text.contains("69aade86f2f689aa4baae31131c7fdeaa45b51ba0aede81e9ec978cc93deb6dc"))
        #expect(text.contains("invoice.pdf.exe"))
        #expect(text.contains("SUSPICIOUS"))
        #expect(text.contains("missing_final_boundary"))
    }

    @Test("Text output shows bidi and control characters in names instead of obeying them")
    func textOutputEscapesBidi() {
        let bytes = mail(
            "Subject: x",
            "Content-Type: application/octet-stream; name*=UTF-8''invoice%E2%80%AEfdp.exe",
            "",
            "data")
        let text = ReportRenderer.text(MessageScanner().scan(bytes, source: "bidi.eml").report)
        #expect(text.contains("<U+202E>"))
        #expect(!text.unicodeScalars.contains("\u{202E}"))
    }
}

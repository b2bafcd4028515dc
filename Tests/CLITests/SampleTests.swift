import Foundation
import Testing

/// Each message in Samples/ gives the headline result and exit status that Samples/README.md documents.
@Suite("CLI: Samples/ give their documented results")
struct SampleTests {
    private func scan(_ sample: String) throws -> (CLI.Result, [String: Any]) {
        let result = try CLI.run(["scan", "--format", "json", CLI.sample(sample)])
        #expect(result.err.isEmpty, "stderr: \(result.err)")
        #expect(result.lines.count == 1, "one message, one line of JSON")
        return (result, try result.json())
    }

    @Test("order-confirmation-lure.eml: 注文書.xls.js, risky and double extension, exit 1")
    func orderConfirmationLure() throws {
        let (result, report) = try scan("order-confirmation-lure.eml")
        #expect(result.status == 1)
        #expect(report.string("source") == CLI.sample("order-confirmation-lure.eml"))
        let message = try #require(report.object("message"))
        #expect(message.string("subject") == "注文内容の確認")
        #expect(message.string("date") == "2019-06-12T10:31:07+09:00")
        let from = message.objects("from")
        #expect(from.first?["name"] as? String == "ショップ・エグザンプル受注センター")
        #expect(from.first?["address"] as? String == "order@shop.example")
        #expect(message.objects("to").first?["name"] as? String == "総務部")

        let attachments = report.objects("attachments")
        #expect(attachments.count == 1)
        let a = try #require(attachments.first)
        #expect(a["filename"] as? String == "注文書.xls.js")
        #expect(a["size"] as? Int == 45)
        #expect(Set(a.findingIDs) == ["risky_extension", "double_extension", "script_file"])
        #expect(Set(report.findingIDs) == ["risky_extension", "double_extension", "script_file"])
        #expect(report.defectCodes.isEmpty)
        #expect(report.object("verdict")?["suspicious"] as? Bool == true)
    }

    @Test("rfc2231-japanese-name.eml: 請求書_2019年6月分.pdf.exe from RFC 2231 continuations, exit 1")
    func rfc2231JapaneseName() throws {
        let (result, report) = try scan("rfc2231-japanese-name.eml")
        #expect(result.status == 1)
        let a = try #require(report.objects("attachments").first)
        #expect(a["filename"] as? String == "請求書_2019年6月分.pdf.exe")
        #expect(a["size"] as? Int == 53)
        #expect(Set(a.findingIDs) == ["risky_extension", "double_extension", "extension_mismatch"])
        #expect(report.defectCodes.isEmpty)
    }

    @Test("forwarded-with-attachment.eml: fwd.eml at 2 with forwarded child 国際情勢に関する資料.zip at 2.2, exit 0")
    func forwardedWithAttachment() throws {
        let (result, report) = try scan("forwarded-with-attachment.eml")
        #expect(result.status == 0)
        #expect(report.object("message")?.string("subject") == "Fwd: 国際情勢に関する資料")
        let attachments = report.objects("attachments")
        #expect(attachments.count == 1)
        let fwd = try #require(attachments.first)
        #expect(fwd["filename"] as? String == "fwd.eml")
        #expect(fwd["content_type"] as? String == "message/rfc822")
        #expect(fwd["mime_path"] as? String == "2")
        #expect(fwd["forwarded"] as? Bool == false)
        #expect(fwd.object("message")?.string("subject") == "国際情勢に関する資料")
        let children = fwd.objects("children")
        #expect(children.count == 1)
        let zip = try #require(children.first)
        #expect(zip["filename"] as? String == "国際情勢に関する資料.zip")
        #expect(zip["mime_path"] as? String == "2.2")
        #expect(zip["forwarded"] as? Bool == true)
        #expect(zip["content_type"] as? String == "application/zip")
        #expect(report.findingIDs.isEmpty)
        #expect(report.defectCodes.isEmpty)
        #expect(report.object("verdict")?["suspicious"] as? Bool == false)
    }

    @Test("uuencoded-attachment.eml: invoice.txt at 1#uu1, origin uuencode, 158 bytes, exit 0")
    func uuencodedAttachment() throws {
        let (result, report) = try scan("uuencoded-attachment.eml")
        #expect(result.status == 0)
        let attachments = report.objects("attachments")
        #expect(attachments.count == 1)
        let a = try #require(attachments.first)
        #expect(a["filename"] as? String == "invoice.txt")
        #expect(a["origin"] as? String == "uuencode")
        #expect(a["mime_path"] as? String == "1#uu1")
        #expect(a["size"] as? Int == 158)
        #expect(report.findingIDs.isEmpty)
        #expect(report.defectCodes.isEmpty)
    }

    @Test("missing-final-boundary.eml: report.pdf recovered, missing_final_boundary a warning, clean, exit 0")
    func missingFinalBoundary() throws {
        let (result, report) = try scan("missing-final-boundary.eml")
        #expect(result.status == 0)
        let a = try #require(report.objects("attachments").first)
        #expect(a["filename"] as? String == "report.pdf")
        #expect(a["size"] as? Int == 346)
        #expect(report.defectCodes == ["missing_final_boundary"])
        #expect(report.objects("defects").first?["where"] as? String == "message")
        #expect(report.objects("defects").first?["severity"] as? String == "warning")
        #expect(report.findingIDs.isEmpty)
        #expect(report.object("verdict")?["status"] as? String == "clean")
    }

    @Test("Every sample documented in Samples/README.md exists and is scanned")
    func everySampleIsCovered() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: CLI.samples.path).filter { $0.hasSuffix(".eml") }.sorted()
        #expect(files == [
            "display-name-deception.eml", "double-extension-pe.eml", "forwarded-with-attachment.eml",
            "international-affairs-spoofed.eml", "iso-shortcut.eml", "lookalike-domain.eml", "lzh-sjis.eml",
            "macro-document.eml", "missing-final-boundary.eml", "newsletter-dkim.eml", "order-confirmation-lure.eml",
            "password-zip.eml", "rfc2231-japanese-name.eml", "sevenzip.eml", "uuencoded-attachment.eml",
            "zip-with-script.eml",
        ])
    }

    /// The archive and document samples: (file, top attachment name, its category, its findings, the member
    /// that matters, that member's category, its findings).
    static let containerSamples: [(String, String, String, Set<String>, String?, String?, Set<String>)] = [
        ("zip-with-script.eml", "請求書.zip", "archive", [], "hello.js", "script", ["risky_extension", "script_in_archive"]),
        ("password-zip.eml", "資料.zip", "archive", ["encrypted_archive", "password_in_body"], "hello.js", "script", ["risky_extension", "script_in_archive"]),
        ("lzh-sjis.eml", "資料.lzh", "archive", [], "請求書.js", "script", ["risky_extension", "script_in_archive"]),
        ("sevenzip.eml", "documents.7z", "archive", [], "hello.js", "script", ["risky_extension", "script_in_archive"]),
        ("iso-shortcut.eml", "Invoice_2019.iso", "disk_image", ["risky_extension", "disk_image"], "hello.lnk", "shortcut", ["risky_extension", "shortcut_in_archive"]),
        ("macro-document.eml", "見積書.docm", "word", ["macro"], nil, nil, []),
        ("double-extension-pe.eml", "請求書.pdf.exe", "executable", ["risky_extension", "double_extension", "executable_file"], nil, nil, []),
    ]

    @Test("archive and document samples: what the attachment is and what it holds, exit 1", arguments: containerSamples)
    func containerSample(_ sample: (String, String, String, Set<String>, String?, String?, Set<String>)) throws {
        let (file, name, category, findings, memberName, memberCategory, memberFindings) = sample
        let (result, report) = try scan(file)
        #expect(result.status == 1)
        let a = try #require(report.objects("attachments").first)
        #expect(a["filename"] as? String == name)
        #expect(a["category"] as? String == category)
        #expect(Set(a.findingIDs) == findings)
        #expect(report.objects("defects").isEmpty)
        if let memberName {
            let children: [[String: Any]] = a.objects("children")
            let match: [String: Any]? = children.first { ($0["path"] as? String) == memberName }
            let member = try #require(match, "no member \(memberName)")
            #expect(member["category"] as? String == memberCategory)
            #expect(Set(member.findingIDs) == memberFindings)
            #expect(member["origin"] as? String == "archive")
        }
    }

    @Test("password-zip.eml: the password in the Japanese body opens the zip, and the JSON says where it came from")
    func passwordFromBody() throws {
        let (_, report) = try scan("password-zip.eml")
        let a = try #require(report.objects("attachments").first)
        let password = try #require(a["password"] as? [String: Any])
        #expect(password["value"] as? String == "abc123")
        #expect((password["source"] as? String)?.hasPrefix("body:") == true)
        #expect(a["encrypted"] as? Bool == true)
        let member = try #require(a.objects("children").first)
        // sha256sum Tests/Fixtures/files/hello.js
        #expect(member["sha256"] as? String == "b692e3d0d6a2f5a6813c1ef7f482b9dde56c26f63d3cfa15654dcc0754a24c09")
    }

    static let fixtures = CLI.samples.deletingLastPathComponent().appendingPathComponent("Tests/Fixtures")

    /// The sender samples with the labelled set's configuration and the test DKIM keys, offline.
    static let senderSamples: [(String, Bool, String?)] = [
        ("international-affairs-spoofed.eml", true, "reply_to_free_mail"),
        ("display-name-deception.eml", true, "display_name_address"),
        ("lookalike-domain.eml", true, "lookalike_domain"),
        ("newsletter-dkim.eml", false, "dkim_aligned_pass"),
    ]

    @Test("sender samples: the verdict and its main indicator", arguments: senderSamples)
    func senderSample(_ sample: (String, Bool, String?)) throws {
        let (file, spoofed, indicator) = sample
        let result = try CLI.run(["scan", "--format", "json",
                                  "--config", Self.fixtures.appendingPathComponent("sender/config.yaml").path,
                                  "--dkim-keys", Self.fixtures.appendingPathComponent("dkim/keys.txt").path,
                                  CLI.sample(file)])
        let report = try result.json()
        let sender = try #require(report["sender"] as? [String: Any])
        #expect(sender["spoofed"] as? Bool == spoofed)
        let ids = (sender["indicators"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        if let indicator { #expect(ids.contains(indicator), "\(ids)") }
        #expect(result.status == (spoofed ? 1 : 0))
        if !spoofed {
            let dkim = sender["dkim"] as? [[String: Any]] ?? []
            #expect(dkim.first?["result"] as? String == "pass")
        }
    }
}

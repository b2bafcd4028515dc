import Foundation
import Testing

@Suite("CLI: indicators (iocs) in the scan's JSON and text, --defang, --no-iocs")
struct IndicatorCLITests {
    private func iocs(_ args: [String]) throws -> [[String: Any]] {
        let result = try CLI.run(["scan", "--offline", "--format", "json"] + args)
        return try #require(try result.json()["iocs"] as? [[String: Any]], "\(result.out)")
    }

    private func has(_ list: [[String: Any]], _ type: String, _ value: String, _ location: String, _ context: String) -> Bool {
        list.contains { $0["type"] as? String == type && $0["value"] as? String == value && $0["where"] as? String == location
            && $0["context"] as? String == context }
    }

    @Test("A newsletter's unsubscribe link is a footer URL; the sender, Reply-To and first external hop are header indicators")
    func samples() throws {
        let news = try iocs([CLI.sample("newsletter-dkim.eml")])
        #expect(has(news, "url", "https://news.example.net/unsubscribe?u=0001", "body 1", "footer"))
        #expect(has(news, "domain", "example.net", "body 1", "footer"))
        #expect(has(news, "ipv4", "198.51.100.60", "header Received", "header"))
        let spoof = try iocs([CLI.sample("international-affairs-spoofed.eml")])
        #expect(has(spoof, "email", "chosa@example.go.jp", "header From", "header"))
        #expect(has(spoof, "email", "example.kokusai.chosa@yahoo.co.jp", "header Reply-To", "header"))
    }

    @Test("Every file, archive members too, is a file indicator with its hashes, name and category")
    func files() throws {
        let list = try iocs([CLI.sample("zip-with-script.eml")])
        let member = try #require(list.first { $0["where"] as? String == "2:hello.js" })
        let file = try #require(member["file"] as? [String: Any])
        #expect(member["type"] as? String == "file" && member["value"] as? String == file["sha256"] as? String)
        #expect(file["name"] as? String == "hello.js" && file["category"] as? String == "script")
        #expect((file["md5"] as? String)?.count == 32 && (file["sha1"] as? String)?.count == 40)
    }

    @Test("Members at any depth: what a shortcut runs and a script fetches, located down the archive path")
    func membersAtDepth() throws {
        let iocsFolder = CLI.samples.deletingLastPathComponent().appendingPathComponent("Tests/Fixtures/iocs")
        let list = try iocs([iocsFolder.appendingPathComponent("nested-iocs.zip").path])
        #expect(has(list, "command", #"C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe -NoProfile -Command "Write-Output 'harmless http://lnk.example.com/payload.ps1'""#,
                    "1:inner.zip/run.lnk shortcut command line (working directory C:\\Users\\Public)", "content"))
        #expect(has(list, "url", "http://js-concat.example.com/p.txt", "1:inner.zip/concat.js script string", "content"))
        #expect(list.contains { $0["value"] as? String == "http://js-concat.example.com/p.txt" && $0["obfuscated"] as? Bool == true })
        #expect(has(list, "ipv4", "192.0.2.44", "1:shortcut.url IconFile=", "content"))
        // A Word document's external relationships, read from the parts the classifier peeked at.
        let docx = try iocs([iocsFolder.appendingPathComponent("external-link.docx").path])
        #expect(has(docx, "url", "https://docx-link.example.com/report", "1 relationship hyperlink in word/_rels/document.xml.rels", "content"))
        #expect(has(docx, "ipv4", "192.0.2.55", "1 relationship oleObject in word/_rels/document.xml.rels", "content"))
        #expect(!docx.contains { ($0["value"] as? String)?.contains("openxmlformats") == true })
    }

    @Test("--defang writes values safe to paste; --no-iocs leaves the list empty; text output lists them")
    func defangAndOff() throws {
        let defanged = try iocs(["--defang", CLI.sample("newsletter-dkim.eml")])
        #expect(has(defanged, "url", "hxxps://news[.]example[.]net/unsubscribe?u=0001", "body 1", "footer"))
        #expect(has(defanged, "email", "news[@]news[.]example[.]net", "header From", "header"))
        #expect(try iocs(["--no-iocs", CLI.sample("newsletter-dkim.eml")]).isEmpty)
        let text = try CLI.run(["scan", "--offline", CLI.sample("newsletter-dkim.eml")])
        #expect(text.out.contains("Indicators: "))
        #expect(text.out.contains("url https://news.example.net/unsubscribe?u=0001 (body 1, footer)"))
    }

    @Test("An obfuscated link in a lure's text is refanged and marked; an HTML link shown as another site is a finding")
    func lure() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("spearscan-iocs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let eml = dir.appendingPathComponent("lure.eml")
        let message = """
        From: support@bank.example.co.jp\r
        To: user@corp.example.co.jp\r
        Subject: =?UTF-8?B?44CQ6YeN6KaB44CR44Ki44Kr44Km44Oz44OI56K66KqN?=\r
        MIME-Version: 1.0\r
        Content-Type: multipart/alternative; boundary="b"\r
        \r
        --b\r
        Content-Type: text/plain; charset=utf-8\r
        \r
        確認はこちら: hxxps://login-check[.]example[.]net/verify\r
        --b\r
        Content-Type: text/html; charset=utf-8\r
        \r
        <p><a href="https://login-check.example.net/verify">https://www.bank.example.co.jp/login</a></p>\r
        --b--\r

        """
        try Data(message.utf8).write(to: eml)
        let result = try CLI.run(["scan", "--offline", "--format", "json", eml.path])
        let json = try result.json()
        let list = try #require(json["iocs"] as? [[String: Any]])
        let url = try #require(list.first { $0["value"] as? String == "https://login-check.example.net/verify" })
        #expect(url["where"] as? String == "body 1" && url["obfuscated"] as? Bool == true)
        let findings = try #require(json["findings"] as? [[String: Any]])
        #expect(findings.contains { $0["id"] as? String == "link_text_mismatch" && ($0["evidence"] as? String)?.contains("www.bank.example.co.jp") == true })
    }
}

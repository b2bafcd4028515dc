import Foundation
import Testing

@Suite("CLI: --extract writes attachments only inside DIR")
struct ExtractTests {
    private func message(_ attachments: [(name: String, body: String)]) -> String {
        var lines = [
            "From: attacker@example.com",
            "Subject: extract me",
            "Content-Type: multipart/mixed; boundary=\"EXT\"",
            "",
            "--EXT",
            "Content-Type: text/plain",
            "",
            "body text",
        ]
        for a in attachments {
            lines += [
                "--EXT",
                "Content-Type: text/plain",
                "Content-Disposition: attachment; filename=\"\(a.name)\"",
                "",
                a.body,
            ]
        }
        lines += ["--EXT--", ""]
        return crlf(lines)
    }

    @Test("Traversal and absolute names land inside DIR; the duplicate becomes \"same (2).txt\"")
    func hostileNames() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        // DIR is two levels down, so ../../evil.txt would land in scratch, which we watch.
        try FileManager.default.createDirectory(atPath: scratch.path + "/a/b", withIntermediateDirectories: true)
        let dir = scratch.path + "/a/b/out"
        let messagePath = try scratch.write("hostile.eml", message([
            ("../../evil.txt", "evil"), ("/etc/passwd-copy", "root:x:0:0"), ("same.txt", "first"), ("same.txt", "second"),
        ]))
        let before = try Scratch.list(scratch.path)
        let parentBefore = try Scratch.list(scratch.path + "/a/b")

        let result = try CLI.run(["scan", "--format", "json", "--extract", dir, messagePath])
        #expect(result.status == 0, "nothing suspicious about .txt files; stderr: \(result.err)")
        #expect(result.err.isEmpty)

        let inside = try Scratch.list(dir)
        #expect(inside == ["evil.txt", "passwd-copy", "same (2).txt", "same.txt"])
        func read(_ name: String) throws -> String { try String(contentsOfFile: dir + "/" + name, encoding: .utf8) }
        #expect(try read("evil.txt") == "evil")
        #expect(try read("passwd-copy") == "root:x:0:0")
        #expect(try read("same.txt") == "first")
        #expect(try read("same (2).txt") == "second")

        // Nothing new anywhere else: not in DIR's parent, not above it.
        let parentAfter = try Scratch.list(scratch.path + "/a/b").filter { $0 != "out" && !$0.hasPrefix("out/") }
        #expect(parentAfter == parentBefore)
        let after = try Scratch.list(scratch.path).filter { !$0.hasPrefix("a/b/out") }
        #expect(after == before)

        let report = try result.json()
        let extracted = report.objects("extracted")
        #expect(extracted.count == 4)
        #expect(extracted.compactMap { $0["mime_path"] as? String } == ["2", "3", "4", "5"])
        let files = extracted.compactMap { $0["file"] as? String }
        #expect(files == ["evil.txt", "passwd-copy", "same.txt", "same (2).txt"].map { dir + "/" + $0 })
        #expect(files.allSatisfy { FileManager.default.fileExists(atPath: $0) })
    }

    @Test("Extraction keeps the usual exit status: 1 for a risky attachment")
    func exitStatusWithExtract() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let dir = scratch.path + "/out"
        let result = try CLI.run(["scan", "--format", "json", "--extract", dir, CLI.sample("order-confirmation-lure.eml")])
        #expect(result.status == 1)
        #expect(try Scratch.list(dir) == ["注文書.xls.js"])
        // The decoded bytes, not the base64 text.
        #expect(try String(contentsOfFile: dir + "/注文書.xls.js", encoding: .utf8) == "WScript.Echo(\"spearscan sample: harmless\");\r\n")
        #expect(try result.json().objects("extracted").first?["mime_path"] as? String == "2")
    }

    @Test("uuencoded files and forwarded messages are extracted too")
    func extractUUAndForwarded() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let dir = scratch.path + "/out"
        let result = try CLI.run(["scan", "--format", "json", "--extract", dir,
                                  CLI.sample("uuencoded-attachment.eml"), CLI.sample("forwarded-with-attachment.eml")])
        #expect(result.status == 0)
        let files = try Scratch.list(dir)
        #expect(files.contains("invoice.txt"))
        #expect(files.contains("国際情勢に関する資料.zip"))
        #expect(files.contains("fwd.eml"))
        let invoice = try Data(contentsOf: URL(fileURLWithPath: dir + "/invoice.txt"))
        #expect(invoice.count == 158)
    }

    @Test("An extract directory that cannot be created is a one-line error with exit 2")
    func unusableDirectory() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let dir = scratch.path + "/no/such/parent/out"
        let result = try CLI.run(["scan", "--extract", dir, CLI.sample("uuencoded-attachment.eml")])
        #expect(result.status == 2)
        #expect(result.errorLines.count == 1)
        #expect(result.errorLines.first?.contains(dir) == true)
        #expect(try Scratch.list(scratch.path).isEmpty)
    }

    /// BUG: AttachmentWriter.sanitize compares grapheme clusters with "/", and "/" + U+200D (zero-width joiner)
    /// is one cluster; the joiner is then stripped, so the name becomes an absolute path and openat(2) writes
    /// there. An RFC 2231 filename is enough to deliver it.
    @Test("A filename with zero-width-joiner slashes does not escape DIR")
    func zeroWidthJoinerEscape() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let dir = scratch.path + "/out"
        let target = scratch.path + "/escaped.txt"
        // %2F%E2%80%8D is "/" + U+200D in UTF-8.
        let encoded = target.split(separator: "/").map { "%2F%E2%80%8D" + $0 }.joined()
        let messagePath = try scratch.write("zwj.eml", crlf([
            "From: attacker@example.com",
            "Subject: zwj",
            "Content-Type: multipart/mixed; boundary=\"Z\"",
            "",
            "--Z",
            "Content-Type: text/plain",
            "",
            "body",
            "--Z",
            "Content-Type: application/octet-stream",
            "Content-Disposition: attachment; filename*=UTF-8''\(encoded)",
            "",
            "pwned",
            "--Z--",
            "",
        ]))
        let result = try CLI.run(["scan", "--format", "json", "--extract", dir, messagePath])
        #expect(!FileManager.default.fileExists(atPath: target), "spearscan wrote \(target), outside \(dir)")
        #expect(try Scratch.list(scratch.path).filter { $0 != "out" && !$0.hasPrefix("out/") } == ["zwj.eml"])
        #expect(try Scratch.list(dir).count == 1)
        let extracted = try result.json().objects("extracted").compactMap { $0["file"] as? String }
        #expect(extracted.allSatisfy { $0.hasPrefix(dir + "/") && !$0.dropFirst(dir.count + 1).contains("/") }, "\(extracted)")
    }
}

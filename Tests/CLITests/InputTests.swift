import Foundation
import Testing

@Suite("CLI: inputs, output formats and exit status")
struct InputTests {
    // MARK: Standard input, several files, text

    @Test("scan - reads standard input and gives the same JSON as the file, except source")
    func standardInput() throws {
        let path = CLI.sample("order-confirmation-lure.eml")
        let fromFile = try CLI.run(["scan", "--format", "json", path])
        let fromStdin = try CLI.run(["scan", "--format", "json", "-"], stdin: path)
        #expect(fromStdin.status == fromFile.status)
        #expect(fromStdin.status == 1)
        var a = try fromFile.json(), b = try fromStdin.json()
        #expect(a.string("source") == path)
        #expect(b.string("source") == "-")
        a["source"] = nil
        b["source"] = nil
        #expect(NSDictionary(dictionary: a).isEqual(to: b), "file: \(fromFile.out)\nstdin: \(fromStdin.out)")
        #expect((b["size"] as? Int) == (try Data(contentsOf: URL(fileURLWithPath: path))).count)
    }

    @Test("Several files give one JSON object per line, in argument order; exit 1 when any is suspicious")
    func severalFiles() throws {
        let names = ["forwarded-with-attachment.eml", "order-confirmation-lure.eml", "uuencoded-attachment.eml",
                     "missing-final-boundary.eml", "rfc2231-japanese-name.eml"]
        let result = try CLI.run(["scan", "--format", "json"] + names.map(CLI.sample))
        #expect(result.status == 1)
        #expect(result.err.isEmpty)
        #expect(result.out.hasSuffix("\n"))
        let lines = result.lines
        try #require(lines.count == names.count, "expected \(names.count) lines, got: \(result.out)")
        for (line, name) in zip(lines, names) {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["source"] as? String == CLI.sample(name))
            #expect(object["schema_version"] as? Int == 1)
        }
    }

    @Test("Two clean files exit 0")
    func cleanFilesExitZero() throws {
        let result = try CLI.run(["scan", "--format", "json", CLI.sample("forwarded-with-attachment.eml"),
                                  CLI.sample("uuencoded-attachment.eml")])
        #expect(result.status == 0)
        #expect(result.lines.count == 2)
    }

    @Test("Text output (the default) shows the decoded subject, the attachment's SHA-256 and the verdict")
    func textOutput() throws {
        let result = try CLI.run(["scan", CLI.sample("order-confirmation-lure.eml")])
        #expect(result.status == 1)
        let text = result.out
        #expect(text.contains("注文内容の確認"))
        // printf 'WScript.Echo("spearscan sample: harmless");\r\n' | sha256sum
        #expect(text.contains("f1cafd497418291d6cb6cc45bb87440c6e9340549413def1b67a0e53f7a32215"))
        #expect(text.contains("注文書.xls.js"))
        #expect(text.contains("SUSPICIOUS"))
        #expect(text.contains("double_extension"))
        #expect(!text.hasPrefix("{"), "text is not JSON")
    }

    @Test("Text output of a forwarded message shows the child and its hash")
    func textOutputForwarded() throws {
        let result = try CLI.run(["scan", "--format", "text", CLI.sample("forwarded-with-attachment.eml")])
        #expect(result.status == 0)
        #expect(result.out.contains("国際情勢に関する資料.zip"))
        #expect(result.out.contains("23f03c17c19afe3f44ff2d990df197fe8e25821c7aab09c0bde049ce98457c0d"))
        #expect(result.out.contains("forwarded"))
        #expect(!result.out.contains("SUSPICIOUS"))
    }

    // MARK: Files that cannot be read

    @Test("A missing file: exit 2, one line on stderr with the path and \"no such file\"")
    func missingFile() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let path = scratch.path + "/does-not-exist.eml"
        let result = try CLI.run(["scan", "--format", "json", path])
        #expect(result.status == 2)
        #expect(result.errorLines.count == 1, "stderr: \(result.err)")
        #expect(result.err.hasSuffix("\n"))
        let line = try #require(result.errorLines.first)
        #expect(line.contains(path))
        #expect(line.contains("no such file"))
        #expect(result.out.isEmpty)
    }

    @Test("A missing file does not stop the others from being scanned; exit 2 wins over 1")
    func missingFileAmongOthers() throws {
        let missing = "/nonexistent-spearscan-dir/missing.eml"
        let result = try CLI.run(["scan", "--format", "json", missing, CLI.sample("order-confirmation-lure.eml")])
        #expect(result.status == 2)
        #expect(result.errorLines.count == 1)
        #expect(result.errorLines.first?.contains(missing) == true)
        #expect(result.lines.count == 1)
        let report = try #require(try JSONSerialization.jsonObject(with: Data((result.lines.first ?? "").utf8)) as? [String: Any])
        #expect(report.string("source") == CLI.sample("order-confirmation-lure.eml"))
    }

    @Test("A directory: exit 2, one line on stderr naming it")
    func directory() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let result = try CLI.run(["scan", scratch.path])
        #expect(result.status == 2)
        #expect(result.errorLines.count == 1, "stderr: \(result.err)")
        #expect(result.errorLines.first?.contains(scratch.path) == true)
        #expect(result.errorLines.first?.contains("directory") == true)
        #expect(result.out.isEmpty)
    }

    // MARK: Hostile and broken input

    @Test("An empty file is a report with defect empty_message, not a crash")
    func emptyFile() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let path = try scratch.write("empty.eml", [UInt8]())
        let result = try CLI.run(["scan", "--format", "json", path])
        #expect(result.status == 0 || result.status == 1, "status \(result.status), stderr: \(result.err)")
        let report = try result.json()
        #expect(report.defectCodes.contains("empty_message"))
        #expect(report["size"] as? Int == 0)
    }

    @Test("A binary file (bytes 0…255 repeated) is a report with defect not_a_message")
    func binaryFile() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let bytes = (0..<16).flatMap { _ in (0...255).map(UInt8.init) }
        let path = try scratch.write("binary.eml", bytes)
        let result = try CLI.run(["scan", "--format", "json", path])
        #expect(result.status == 0 || result.status == 1, "status \(result.status), stderr: \(result.err)")
        let report = try result.json()
        #expect(report.defectCodes.contains("not_a_message"))
        #expect(report["size"] as? Int == 4096)
    }

    @Test("Headers only, with no blank line and no body, is scanned normally")
    func headersOnly() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let path = try scratch.write("headers.eml", crlf(["From: Sender <a@example.com>", "Subject: only headers", "To: b@example.com"]))
        let result = try CLI.run(["scan", "--format", "json", path])
        #expect(result.status == 0)
        let report = try result.json()
        #expect(report.object("message")?.string("subject") == "only headers")
        #expect(report.object("message")?.objects("to").first?["address"] as? String == "b@example.com")
        #expect(report.objects("attachments").isEmpty)
    }

    @Test("A message cut inside a base64 part keeps every decodable byte and reports the missing padding and the missing boundary")
    func truncatedBase64() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let path = try scratch.write("cut.eml", crlf([
            "From: a@example.com",
            "Subject: cut",
            "Content-Type: multipart/mixed; boundary=\"CUT\"",
            "",
            "--CUT",
            "Content-Type: text/plain",
            "",
            "body",
            "--CUT",
            "Content-Type: application/octet-stream; name=\"data.bin\"",
            "Content-Transfer-Encoding: base64",
            "",
            "c3BlYXJzY2FuIGhhc2ggdGVzdA",  // base64 of "spearscan hash test\n", cut two characters early: "spearscan hash test"
        ]))
        let result = try CLI.run(["scan", "--format", "json", path])
        // Sloppy, not evasive: the part simply runs to the end, as every reader sees it.
        #expect(result.status == 0)
        let report = try result.json()
        #expect(report.object("verdict")?["status"] as? String == "clean")
        let a = try #require(report.objects("attachments").first)
        #expect(a["filename"] as? String == "data.bin")
        #expect(a["size"] as? Int == 19)
        #expect(report.defectCodes.contains("base64_missing_padding"))
        #expect(report.defectCodes.contains("missing_final_boundary"))
    }

    @Test("multipart/mixed nested 10,000 deep finishes with nesting_limit_exceeded: not inspected, exit 0 (1 with --fail-on not-inspected)")
    func deepNesting() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        var text = "From: a@example.com\r\nSubject: deep\r\nContent-Type: multipart/mixed; boundary=\"b0\"\r\n\r\n"
        for i in 1..<10_000 {
            text += "--b\(i - 1)\r\nContent-Type: multipart/mixed; boundary=\"b\(i)\"\r\n\r\n"
        }
        text += "--b9999\r\nContent-Type: text/plain\r\n\r\ninnermost\r\n"
        for i in stride(from: 9_999, through: 0, by: -1) { text += "--b\(i)--\r\n" }
        let path = try scratch.write("deep.eml", text)
        let result = try CLI.run(["scan", "--format", "json", path])
        #expect(result.status == 0, "stderr: \(result.err)")
        let report = try result.json()
        #expect(report.defectCodes.contains("nesting_limit_exceeded"))
        #expect(report.findingIDs.contains("limit_exceeded"))
        #expect(report.object("verdict")?["status"] as? String == "not_inspected")
        #expect(result.seconds < 30)
        #expect(try CLI.run(["scan", "--format", "json", "--fail-on", "not-inspected", path]).status == 1)
    }

    @Test("--max-message-size 1K on a larger message reports input_truncated with the real size")
    func maxMessageSize() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let body = (0..<100).map { "line \($0) of a message that is longer than one kibibyte" }
        let text = crlf(["From: a@example.com", "Subject: big", ""] + body + [""])
        let path = try scratch.write("big.eml", text)
        let result = try CLI.run(["scan", "--format", "json", "--max-message-size", "1K", path])
        #expect(result.status == 0, "what was read is not suspicious; the rest was not inspected")
        let report = try result.json()
        #expect(report.defectCodes.first == "input_truncated")
        #expect(report.object("verdict")?["status"] as? String == "not_inspected")
        #expect((report.object("verdict")?["not_inspected"] as? [String])?.first?.contains("input_truncated") == true)
        #expect(report["size"] as? Int == text.utf8.count)
        #expect(report.object("message")?.string("subject") == "big")

        // Without the option the same file is complete and clean.
        let full = try CLI.run(["scan", "--format", "json", path])
        #expect(full.status == 0)
        #expect(try full.json().defectCodes.isEmpty)
    }

    @Test("--max-message-size also bounds standard input")
    func maxMessageSizeStdin() throws {
        let result = try CLI.run(["scan", "--format", "json", "--max-message-size", "1K", "-"],
                                 stdin: CLI.sample("missing-final-boundary.eml"))
        let report = try result.json()
        #expect(report.defectCodes.contains("input_truncated"))
        #expect(report.object("verdict")?["status"] as? String == "not_inspected")
        #expect(result.status == 0)
        let strict = try CLI.run(["scan", "--format", "json", "--max-message-size", "1K", "--fail-on", "not-inspected", "-"],
                                 stdin: CLI.sample("missing-final-boundary.eml"))
        #expect(strict.status == 1)
    }

    @Test("A 1 GB header line (sparse file) finishes with input_truncated and header_limit_exceeded",
          .timeLimit(.minutes(3)))
    func gigabyteHeaderLine() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let path = scratch.path + "/huge.eml"
        try #require(FileManager.default.createFile(atPath: path, contents: Data("Subject: ".utf8)))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: 1 << 30)  // a hole: costs no disk
        try handle.close()
        defer { try? FileManager.default.removeItem(atPath: path) }

        let result = try CLI.run(["scan", "--format", "json", path], timeout: 120)
        #expect(result.status == 1, "stderr: \(result.err)")
        let report = try result.json()
        #expect(report.defectCodes.contains("input_truncated"))
        #expect(report.defectCodes.contains("header_limit_exceeded"))
        #expect(report["size"] as? Int == 1 << 30)
    }
}

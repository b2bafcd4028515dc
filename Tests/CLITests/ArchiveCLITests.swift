import Foundation
import Testing

/// The benign fixtures: Tests/CLITests/ArchiveCLITests.swift → ../Fixtures/files.
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

/// A message with a plain-text body and one base64 attachment holding the fixture `file`.
private func messageWith(_ file: String, body: String = "Please see the attached file.") throws -> String {
    let encoded = Data(try ArchiveFixture.bytes(file))
        .base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
    return crlf([
        "From: Sender <sender@partner.example>",
        "To: recipient@example.co.jp",
        "Subject: archive",
        "MIME-Version: 1.0",
        "Content-Type: multipart/mixed; boundary=\"ARCH\"",
        "",
        "--ARCH",
        "Content-Type: text/plain; charset=UTF-8",
        "Content-Transfer-Encoding: 8bit",
        "",
        body,
        "--ARCH",
        "Content-Type: application/octet-stream; name=\"\(file)\"",
        "Content-Transfer-Encoding: base64",
        "Content-Disposition: attachment; filename=\"\(file)\"",
        "",
        encoded,
        "--ARCH--",
        "",
    ])
}

@Suite("CLI: archives, passwords and extraction")
struct ArchiveCLITests {
    @Test("--password abc123 opens the password zip; the member is classified")
    func passwordOption() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let path = try scratch.write("password.eml", try messageWith("zipcrypto.zip"))

        let locked = try CLI.run(["scan", "--format", "json", path])
        let lockedZip = try #require(try locked.json().objects("attachments").first)
        #expect(lockedZip["password"] is NSNull)
        #expect(lockedZip.findingIDs.contains("encrypted_archive"))
        #expect(lockedZip["complete"] as? Bool == false)

        let result = try CLI.run(["scan", "--format", "json", "--password", "wrong", "--password", "abc123", path])
        #expect(result.err.isEmpty, "stderr: \(result.err)")
        #expect(result.status == 1, "a script inside: suspicious")
        let zip = try #require(try result.json().objects("attachments").first)
        let password = try #require(zip.object("password"))
        #expect(password.string("value") == "abc123")
        #expect(password.string("source") == "option")
        #expect(zip["encrypted"] as? Bool == true)
        let member = try #require(zip.objects("children").first)
        #expect(member.string("path") == "hello.js")
        #expect(member.string("category") == "script")
        #expect(member["size"] as? Int == 46)
    }

    @Test("--password-file: one candidate a line (LF or CRLF), the right one opens the zip",
          arguments: [("LF", "\n"), ("CRLF", "\r\n")])
    func passwordFile(ending: String, newline: String) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let path = try scratch.write("password.eml", try messageWith("zipcrypto.zip"))
        let list = try scratch.write("passwords.txt", ["wrong", "infected", "", "abc123", ""].joined(separator: newline))
        let result = try CLI.run(["scan", "--format", "json", "--password-file", list, path])
        #expect(result.err.isEmpty, "stderr: \(result.err)")
        let zip = try #require(try result.json().objects("attachments").first)
        #expect(zip.object("password")?.string("value") == "abc123")
        #expect(zip.object("password")?.string("source") == "password_file")
        #expect(zip.objects("children").first?.string("category") == "script")
    }

    @Test("--password-file that cannot be read: exit 2 and a message")
    func passwordFileMissing() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let path = try scratch.write("password.eml", try messageWith("zipcrypto.zip"))
        let result = try CLI.run(["scan", "--password-file", scratch.path + "/no-such-file", path])
        #expect(result.status == 2)
        #expect(!result.err.isEmpty)
    }

    @Test("The text output shows the password's source and the member")
    func passwordText() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let path = try scratch.write("password.eml", try messageWith("zipcrypto.zip", body: "パスワード：abc123"))
        let result = try CLI.run(["scan", path])
        #expect(result.status == 1)
        #expect(result.out.contains("hello.js"))
        #expect(result.out.contains("password_in_body"))
    }

    @Test("--extract with traversal.zip: every member written inside DIR under a sanitized name, nothing outside")
    func extractTraversal() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try FileManager.default.createDirectory(atPath: scratch.path + "/a/b", withIntermediateDirectories: true)
        let dir = scratch.path + "/a/b/out"
        let messagePath = try scratch.write("traversal.eml", try messageWith("traversal.zip"))
        let before = try Scratch.list(scratch.path)

        let result = try CLI.run(["scan", "--format", "json", "--extract", dir, messagePath])
        #expect(result.status == 1, "path traversal is suspicious; stderr: \(result.err)")
        #expect(result.err.isEmpty)

        let inside = try Scratch.list(dir)
        // The zip itself and its three members, each one plain component.
        #expect(inside.count == 4, "\(inside)")
        #expect(inside.contains("traversal.zip"))
        for name in inside {
            #expect(!name.contains("/") && !name.contains("\\") && !name.hasPrefix(".") && !name.contains(".."), "\(name)")
            var isDirectory: ObjCBool = false
            #expect(FileManager.default.fileExists(atPath: dir + "/" + name, isDirectory: &isDirectory) && !isDirectory.boolValue)
        }
        let members = inside.filter { $0 != "traversal.zip" }
        #expect(members.contains("evil.js"))
        for name in members {
            #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/" + name)) == Data("harmless\n".utf8), "\(name)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/traversal.zip")) == Data(try ArchiveFixture.bytes("traversal.zip")))

        // Nothing new anywhere else: not beside DIR, not above it, not at the absolute path.
        let after = try Scratch.list(scratch.path).filter { !$0.hasPrefix("a/b/out") }
        #expect(after == before)
        #expect(!FileManager.default.fileExists(atPath: "/abs/evil.txt"))
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/evil.js"))

        let report = try result.json()
        let extracted = report.objects("extracted")
        #expect(extracted.count == 4)
        #expect(extracted.compactMap { $0["file"] as? String }.allSatisfy { $0.hasPrefix(dir + "/") })
        let zip = try #require(report.objects("attachments").first)
        #expect(zip.objects("children").allSatisfy { $0.findingIDs.contains("path_traversal") })
    }

    @Test("Exit status: 1 for a zip holding a script, 0 for an archive of plain text")
    func exitStatus() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let risky = try scratch.write("zip-with-script.eml", try messageWith("simple.zip"))
        let result = try CLI.run(["scan", "--format", "json", risky])
        #expect(result.status == 1)
        let zip = try #require(try result.json().objects("attachments").first)
        let script = try #require(zip.objects("children").first { $0.string("path") == "hello.js" })
        #expect(script.findingIDs.contains("script_in_archive"))

        let benign = try scratch.write("rar-text.eml", try messageWith("rar5.rar"))
        let quiet = try CLI.run(["scan", "--format", "json", benign])
        #expect(quiet.status == 0, "\(quiet.out)")
        #expect(try quiet.json().objects("attachments").first?.objects("children").first?.string("category") == "text")
    }

    @Test("Archive limits on the command line: --max-archive-entries 1 reports limit_exceeded")
    func entryLimitOption() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let path = try scratch.write("zip.eml", try messageWith("simple.zip"))
        let result = try CLI.run(["scan", "--format", "json", "--max-archive-entries", "1", path])
        let report = try result.json()
        let zip = try #require(report.objects("attachments").first)
        #expect(zip.objects("children").count == 1)
        #expect(zip.findingIDs.contains("limit_exceeded"))
        #expect(zip["complete"] as? Bool == false)
    }
}

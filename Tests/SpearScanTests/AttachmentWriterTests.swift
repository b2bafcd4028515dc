import Foundation
import SpearCore
import SpearScan
import Testing

@Suite("AttachmentWriter: sanitized names, never outside the directory")
struct AttachmentWriterTests {
    // MARK: sanitize

    @Test("Hostile names become one plain path component", arguments: [
        ("../../etc/passwd", "passwd"),
        ("/abs/path.txt", "path.txt"),
        ("C:\\Windows\\x.exe", "x.exe"),
        ("..\\..\\boot.ini", "boot.ini"),
        ("dir/sub\\mixed/final.pdf", "final.pdf"),
        (".hidden", "hidden"),
        ("...hidden", "hidden"),
        ("a\u{0}b\u{1}c\u{7F}\u{85}.txt", "abc.txt"),
        ("line\r\nbreak.txt", "linebreak.txt"),
        ("invoice\u{202E}fdp.exe", "invoicefdp.exe"),
        ("\u{200B}\u{FEFF}x\u{2066}y\u{2069}.txt", "xy.txt"),
        ("x.exe. ", "x.exe"),
        ("  spaced.doc  ", "spaced.doc"),
        ("a:b*c?d\"e<f>g|h.txt", "a_b_c_d_e_f_g_h.txt"),
        ("請求書_2019年6月分.pdf", "請求書_2019年6月分.pdf"),
    ])
    func sanitizeHostileNames(input: String, expected: String) {
        #expect(AttachmentWriter.sanitize(input, fallback: "fallback.bin") == expected)
    }

    @Test("Names with nothing usable left fall back", arguments: [
        "", "..", ".", "...", " . . ", "dir/", "a/b/..", "C:\\", "\u{0}\u{1}\u{2}", "\u{202E}\u{200B}", "/",
    ])
    func sanitizeFallsBack(input: String) {
        #expect(AttachmentWriter.sanitize(input, fallback: "part-2.bin") == "part-2.bin")
    }

    @Test("The fallback is itself sanitized, and never empty")
    func fallbackIsSanitized() {
        #expect(AttachmentWriter.sanitize("", fallback: "../../x.bin") == "x.bin")
        #expect(AttachmentWriter.sanitize("..", fallback: "") == "attachment")
        #expect(AttachmentWriter.sanitize("/", fallback: "..") == "attachment")
    }

    @Test("A 400-byte name is cut to at most 200 bytes and keeps its extension")
    func longASCIIName() {
        let name = String(repeating: "a", count: 396) + ".txt"
        #expect(name.utf8.count == 400)
        let clean = AttachmentWriter.sanitize(name, fallback: "f")
        #expect(clean.utf8.count <= 200)
        #expect(clean.utf8.count > 100)
        #expect(clean.hasSuffix(".txt"))
        #expect(clean.hasPrefix("aaaa"))
    }

    @Test("A 400-byte Japanese name is cut between characters, not inside one")
    func longMultibyteName() {
        let name = String(repeating: "請", count: 132) + ".pdf"  // 132 × 3 + 4 = 400 bytes
        #expect(name.utf8.count == 400)
        let clean = AttachmentWriter.sanitize(name, fallback: "f")
        #expect(clean.utf8.count <= 200)
        #expect(clean.hasSuffix(".pdf"))
        // Only whole characters remain: the stem is all 請.
        #expect(clean.dropLast(4).allSatisfy { $0 == "請" })
    }

    @Test("Whatever the input, the result is a safe single component", arguments: [
        "../../etc/passwd", "/abs/path.txt", "C:\\Windows\\x.exe", "..", ".hidden", "a\u{0}b", "",
        String(repeating: "x/", count: 300), String(repeating: "..", count: 300), "\u{202E}exe.pdf",
    ])
    func sanitizeInvariants(input: String) {
        let clean = AttachmentWriter.sanitize(input, fallback: "fallback")
        #expect(!clean.isEmpty)
        #expect(clean != "." && clean != "..")
        #expect(!clean.utf8.contains(UInt8(ascii: "/")))
        #expect(!clean.utf8.contains(UInt8(ascii: "\\")))
        #expect(!clean.utf8.contains { $0 < 0x20 || $0 == 0x7F })
        #expect(clean.utf8.first != UInt8(ascii: "."))
        #expect(clean.utf8.count <= 200)
    }

    /// BUG: `sanitize` looks for `/` with `Character` comparison, but a `/` followed by a zero-width joiner (or
    /// any combining mark) is one grapheme cluster that is not equal to "/". The joiner is then stripped, leaving a
    /// bare `/` — an absolute path.
    @Test("A slash hidden in a grapheme cluster (/ + U+200D or U+0301) is still a separator",
          arguments: ["/\u{200D}etc/\u{200D}passwd", "/\u{200D}evil.txt", "x/\u{301}evil.txt"])
    func slashInsideGraphemeCluster(input: String) {
        let clean = AttachmentWriter.sanitize(input, fallback: "fallback")
        #expect(!clean.utf8.contains(UInt8(ascii: "/")), "sanitize(\(input.unicodeScalars.map { String($0.value, radix: 16) })) = \(clean.debugDescription) still contains '/'")
    }

    /// BUG (minor, same cause): a leading dot followed by a combining mark is one grapheme cluster that is not
    /// equal to ".", so the dot survives and the file is hidden.
    @Test("A leading dot followed by a combining mark is removed too")
    func leadingDotWithCombiningMark() {
        let clean = AttachmentWriter.sanitize(".\u{301}bashrc", fallback: "fallback")
        #expect(clean.utf8.first != UInt8(ascii: "."), "got \(clean.debugDescription), which is a hidden file")
    }

    // MARK: write

    @Test("Writes the bytes under the sanitized name, inside the directory")
    func writesFile() throws {
        let temp = try TempDirectory()
        defer { temp.remove() }
        let dir = temp.path + "/out"
        let writer = try AttachmentWriter(directory: dir)
        defer { writer.close() }
        let name = try writer.write(Array("hello".utf8), suggestedName: "../../greeting.txt", fallback: "part-1")
        #expect(name == "greeting.txt")
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/" + name)) == Data("hello".utf8))
        #expect(try temp.listing() == ["out", "out/greeting.txt"])
    }

    @Test("No name: the fallback is used")
    func fallbackName() throws {
        let temp = try TempDirectory()
        defer { temp.remove() }
        let writer = try AttachmentWriter(directory: temp.path + "/out")
        defer { writer.close() }
        #expect(try writer.write([1, 2, 3], suggestedName: nil, fallback: "part-2-1") == "part-2-1")
        #expect(try writer.write([], suggestedName: "", fallback: "part-3") == "part-3")
        #expect(try Data(contentsOf: URL(fileURLWithPath: temp.path + "/out/part-3")).isEmpty)
    }

    @Test("Colliding names get (2), (3) before the extension; earlier files are not overwritten")
    func collisions() throws {
        let temp = try TempDirectory()
        defer { temp.remove() }
        let dir = temp.path + "/out"
        let writer = try AttachmentWriter(directory: dir)
        defer { writer.close() }
        #expect(try writer.write(Array("one".utf8), suggestedName: "same.txt", fallback: "f") == "same.txt")
        #expect(try writer.write(Array("two".utf8), suggestedName: "same.txt", fallback: "f") == "same (2).txt")
        #expect(try writer.write(Array("three".utf8), suggestedName: "x/same.txt", fallback: "f") == "same (3).txt")
        #expect(try writer.write(Array("r1".utf8), suggestedName: "README", fallback: "f") == "README")
        #expect(try writer.write(Array("r2".utf8), suggestedName: "README", fallback: "f") == "README (2)")
        func read(_ n: String) throws -> String { try String(contentsOfFile: dir + "/" + n, encoding: .utf8) }
        #expect(try read("same.txt") == "one")
        #expect(try read("same (2).txt") == "two")
        #expect(try read("same (3).txt") == "three")
        #expect(try read("README (2)") == "r2")
    }

    @Test("A pre-existing file in the directory is never overwritten")
    func existingFileKept() throws {
        let temp = try TempDirectory()
        defer { temp.remove() }
        let dir = temp.path + "/out"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: false)
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: dir + "/doc.pdf"))
        let writer = try AttachmentWriter(directory: dir)
        defer { writer.close() }
        #expect(try writer.write(Array("new".utf8), suggestedName: "doc.pdf", fallback: "f") == "doc (2).pdf")
        #expect(try String(contentsOfFile: dir + "/doc.pdf", encoding: .utf8) == "keep me")
    }

    @Test("A symlink planted under the target name is not followed")
    func symlinkNotFollowed() throws {
        let temp = try TempDirectory()
        defer { temp.remove() }
        let fm = FileManager.default
        let dir = temp.path + "/out"
        try fm.createDirectory(atPath: dir, withIntermediateDirectories: false)
        let victim = temp.path + "/victim.txt"
        try Data("original".utf8).write(to: URL(fileURLWithPath: victim))
        try fm.createSymbolicLink(atPath: dir + "/report.txt", withDestinationPath: victim)
        // A dangling link too: following it would create a file outside the directory.
        try fm.createSymbolicLink(atPath: dir + "/new.txt", withDestinationPath: temp.path + "/created-by-link.txt")

        let writer = try AttachmentWriter(directory: dir)
        defer { writer.close() }
        let first = try writer.write(Array("attacker".utf8), suggestedName: "report.txt", fallback: "f")
        let second = try writer.write(Array("attacker".utf8), suggestedName: "new.txt", fallback: "f")

        #expect(first != "report.txt")
        #expect(first == "report (2).txt")
        #expect(second == "new (2).txt")
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "original")
        #expect(!fm.fileExists(atPath: temp.path + "/created-by-link.txt"))
        #expect(try fm.destinationOfSymbolicLink(atPath: dir + "/report.txt") == victim)
        #expect(try String(contentsOfFile: dir + "/report (2).txt", encoding: .utf8) == "attacker")
        #expect(try temp.listing() == ["out", "out/new (2).txt", "out/new.txt", "out/report (2).txt", "out/report.txt", "victim.txt"])
    }

    @Test("Hostile names never create anything outside the directory")
    func nothingOutside() throws {
        let temp = try TempDirectory()
        defer { temp.remove() }
        // out sits two levels down, so ../../x would land in temp (watched) rather than in the shared /tmp.
        let dir = temp.path + "/a/b/out"
        try FileManager.default.createDirectory(atPath: temp.path + "/a/b", withIntermediateDirectories: true)
        let before = try temp.listing()
        let writer = try AttachmentWriter(directory: dir)
        defer { writer.close() }
        let hostile = [
            "../../evil.txt", "../evil.txt", "/abs/path.txt", "C:\\Windows\\x.exe", "..", ".hidden",
            "a\u{0}b.txt", "c\u{1B}[31md.txt", "bidi\u{202E}txt.exe", String(repeating: "n", count: 400), "",
            "../../../../../../../../tmp/evil.txt", "..\\..\\evil.txt", "./././evil.txt",
        ]
        var written: [String] = []
        for name in hostile {
            let used = try writer.write(Array(name.utf8), suggestedName: name, fallback: "part")
            #expect(!used.utf8.contains(UInt8(ascii: "/")), "\(used)")
            written.append(used)
        }
        #expect(Set(written).count == hostile.count, "every write got its own file")
        let after = try temp.listing()
        let outside = after.filter { !$0.hasPrefix("a/b/out/") && !before.contains($0) && $0 != "a/b/out" }
        #expect(outside.isEmpty, "created outside the directory: \(outside)")
        let inside = after.filter { $0.hasPrefix("a/b/out/") }.map { String($0.dropFirst("a/b/out/".count)) }
        #expect(Set(inside) == Set(written))
    }

    /// BUG: `/` + U+200D is taken as one character, not a separator; the joiner is then removed and openat(2)
    /// gets an absolute path, so the file is written wherever the sender wants.
    @Test("A slash disguised with a zero-width joiner does not write outside the directory")
    func zeroWidthJoinerEscape() throws {
        let temp = try TempDirectory()
        defer { temp.remove() }
        let dir = temp.path + "/out"
        let writer = try AttachmentWriter(directory: dir)
        defer { writer.close() }
        // The absolute path of temp/escaped.txt, every "/" followed by U+200D.
        let target = temp.path + "/escaped.txt"
        let hostile = target.split(separator: "/").map { "/\u{200D}" + $0 }.joined()
        let used = try writer.write(Array("pwned".utf8), suggestedName: hostile, fallback: "part")
        #expect(!FileManager.default.fileExists(atPath: target), "wrote \(target) outside \(dir)")
        #expect(!used.utf8.contains(UInt8(ascii: "/")), "returned name \(used.debugDescription) is a path")
        #expect(try temp.listing().allSatisfy { $0 == "out" || $0.hasPrefix("out/") })
    }

    @Test("A directory that cannot be created is an extract_failed error naming it")
    func unusableDirectory() throws {
        let temp = try TempDirectory()
        defer { temp.remove() }
        let dir = temp.path + "/missing/parent/out"
        do {
            let writer = try AttachmentWriter(directory: dir)
            writer.close()
            Issue.record("AttachmentWriter accepted \(dir), whose parent does not exist")
        } catch {
            #expect(error.code == .extractFailed)
            #expect(error.description.contains(dir))
        }
        #expect(try temp.listing().isEmpty)
    }
}

import Foundation
import Testing
@testable import SpearSpool

@Suite struct SpoolReaderTests {
    @Test func maildirOrderingSkipsTmpAndDotFiles() throws {
        let dir = TempDir()
        dir.write("md/new/2", "new 2")
        dir.write("md/new/10", "new 10")
        dir.write("md/cur/b:2,S", "cur b")
        dir.write("md/cur/a:2,", "cur a")
        dir.write("md/cur/.hidden", "hidden")
        dir.write("md/tmp/x", "in delivery")
        let items = try readAll([dir.url("md")])
        #expect(items.map(\.text) == ["cur a", "cur b", "new 10", "new 2"])
        #expect(items.first?.message?.source == dir.url("md") + "/cur/a:2,")
        #expect(items.allSatisfy { $0.message?.offset == nil })
        #expect(SpoolReader.totalBytes(of: [dir.url("md")]) == 5 + 5 + 6 + 5)
    }

    @Test func directoryTreeOrderAndMboxInside() throws {
        let dir = TempDir()
        dir.write("t/b/1.eml", "b1")
        dir.write("t/a.eml", "a")
        dir.write("t/B.eml", "B")
        dir.write("t/c/box", Mbox.build(["m1\n", "m2\n"]))
        dir.write("t/.git/config", "skip")
        dir.write("t/empty.eml", "")
        dir.write("t/nested/cur/x", "maildir as files")
        let items = try readAll([dir.url("t")])
        #expect(items.map { $0.text ?? "FAILED:" + ($0.failure?.reason ?? "") } ==
                ["B", "a", "b1", "m1\n", "m2\n", "FAILED:empty file", "maildir as files"])
        #expect(items[3].message?.offset == 0 && items[3].message?.source == dir.url("t/c/box"))
        let expected = ["B", "a", "b1", "", "maildir as files"].reduce(0) { $0 + $1.utf8.count }
            + Mbox.build(["m1\n", "m2\n"]).utf8.count
        #expect(SpoolReader.totalBytes(of: [dir.url("t")]) == expected)
        #expect(SpoolReader.totalBytes(of: [dir.url("t/a.eml"), dir.url("t/B.eml")]) == 2)
    }

    @Test func symlinkInTreeIsReportedNotFollowed() throws {
        let dir = TempDir()
        let outside = dir.write("outside/secret", "secret")
        dir.write("t/a", "a")
        try FileManager.default.createSymbolicLink(atPath: dir.url("t/link"), withDestinationPath: outside)
        try FileManager.default.createSymbolicLink(atPath: dir.url("t/dirlink"), withDestinationPath: dir.url("outside"))
        let items = try readAll([dir.url("t")])
        #expect(items.count == 3)
        #expect(items[0].text == "a")
        #expect(items[1].failure?.source == dir.url("t/dirlink"))
        #expect(items[2].failure?.reason == "symbolic link not followed")
        #expect(!items.contains { $0.text == "secret" })
    }

    @Test func detection() throws {
        let dir = TempDir()
        dir.mkdir("md/cur")
        dir.mkdir("onlynew/new")
        dir.mkdir("tree/sub")
        let box = dir.write("box", Mbox.build(["x\n"]))
        let gz = try gzip(box)
        let eml = dir.write("mail.eml", "Subject: x\n\nbody\n")
        let notMboxGz = try gzip(eml)
        #expect(SpoolDetector.detect(dir.url("md")) == .maildir)
        #expect(SpoolDetector.detect(dir.url("onlynew")) == .maildir)
        #expect(SpoolDetector.detect(dir.url("tree")) == .directory)
        #expect(SpoolDetector.detect(box) == .mbox)
        #expect(SpoolDetector.detect(gz) == .mbox)
        #expect(SpoolDetector.detect(eml) == .file)
        #expect(SpoolDetector.detect(notMboxGz) == .file)
        #expect(SpoolDetector.detect(dir.url("missing")) == .file)
        // Forcing a format overrides detection.
        #expect(try readAll([box]) { $0.format = .file }.map(\.text) == [Mbox.build(["x\n"])])
        #expect(try readAll([eml]) { $0.format = .maildir }.first?.failure != nil)
    }

    @Test func missingPathThrowsNamingIt() throws {
        let dir = TempDir()
        let missing = dir.url("nope")
        #expect {
            _ = try SpoolReader(paths: [missing], options: SpoolOptions())
        } throws: { error in
            guard let e = error as? SpoolError else { return false }
            return e.code == .notFound && e.path == missing && e.description.hasPrefix(missing)
        }
    }

    @Test func unreadableFileFailsAndReadingContinues() throws {
        guard getuid() != 0 else { return }  // root reads everything
        let dir = TempDir()
        dir.write("t/a", "a")
        let locked = dir.write("t/b", "b")
        dir.write("t/c", "c")
        chmod(locked, 0)
        let items = try readAll([dir.url("t")])
        #expect(items.map { $0.text ?? "failed" } == ["a", "failed", "c"])
        #expect(items[1].failure?.reason.contains("ermission") == true)
    }

    @Test func cutSingleFileAndBytesRead() throws {
        let dir = TempDir()
        let big = dir.write("big", [UInt8](repeating: 65, count: 10_000))
        let small = dir.write("small", "tiny")
        var options = SpoolOptions()
        options.maxMessageBytes = 1000
        let reader = try SpoolReader(paths: [big, small], options: options)
        let first = try #require(reader.next()?.message)
        #expect(first.bytes.count == 1000 && first.originalSize == 10_000)
        #expect(reader.next()?.text == "tiny")
        #expect(reader.next() == nil)
        #expect(reader.bytesRead == SpoolReader.totalBytes(of: [big, small]))
    }
}

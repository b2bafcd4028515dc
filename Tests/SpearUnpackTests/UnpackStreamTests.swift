import Foundation
import SpearUnpack
import Testing

/// `Unpacker.stream` hands members over one at a time as libarchive produces them, so a caller that judges each and
/// lets its bytes go holds one member, not the whole archive (issue #15's memory bound). These tests pin the order,
/// the once-only rule and what the result keeps.
@Suite("Unpacker: members streamed one at a time")
struct UnpackStreamTests {
    /// What a sink saw, in order: the place and the bytes it was handed.
    private final class Seen {
        var places: [MemberPlace] = []
        var names: [String] = []
        var bytes: [[UInt8]] = []
    }

    private func stream(_ bytes: [UInt8], passwords: [String] = [], budget: UnpackBudget = UnpackBudget(),
                        take: Bool = true) -> (UnpackResult?, Seen) {
        let seen = Seen()
        let candidates = passwords.map { PasswordCandidate(value: $0, source: "option") }
        let result = Unpacker.stream(bytes, passwords: { candidates }, budget: budget) { entry, place in
            seen.places.append(place)
            seen.names.append(entry.path)
            seen.bytes.append(entry.bytes)
            if take { entry.bytes = [] }
        }
        return (result, seen)
    }

    @Test("Each member is handed over once, in the archive's order, and the result keeps what the sink left")
    func orderAndOnce() throws {
        let (result, seen) = stream(try Fixture.bytes("simple.zip"))
        let r = try #require(result)
        #expect(seen.names == ["hello.js", "readme.txt"])
        #expect(seen.places == [MemberPlace(index: 0, wholeCompressedFile: false), MemberPlace(index: 1, wholeCompressedFile: false)])
        #expect(seen.bytes == [try Fixture.helloJS, Fixture.readmeTXT])
        #expect(r.names == ["hello.js", "readme.txt"])
        #expect(r.entries.allSatisfy { $0.bytes.isEmpty }, "the sink took the bytes; the result must not hold them again")
    }

    @Test("A bare compressed file is handed over as the whole file's content")
    func wholeCompressedFile() throws {
        let (result, seen) = stream(try Fixture.bytes("invoice.js.gz"))
        #expect(try #require(result).singleCompressedFile)
        #expect(seen.places == [MemberPlace(index: 0, wholeCompressedFile: true)])
        #expect(seen.bytes == [try Fixture.helloJS])
    }

    @Test("Plain members go at once; the encrypted one after the password opens it, in its own place, once")
    func mixedEncryptionOpened() throws {
        let budget = UnpackBudget()
        let (result, seen) = stream(try Fixture.bytes("mixed-encryption.zip"), passwords: ["wrong", "abc123"], budget: budget)
        let r = try #require(result)
        #expect(seen.names == ["readme.txt", "notes.txt", "hello.js"])
        #expect(seen.places.map(\.index) == [0, 2, 1])
        #expect(seen.bytes == [Fixture.readmeTXT, Array("second plain member\n".utf8), try Fixture.helloJS])
        #expect(r.names == ["readme.txt", "hello.js", "notes.txt"])
        #expect(r.password?.value == "abc123" && r.lockedEntries == 0 && r.encrypted)
        #expect(r.entry("hello.js")?.encrypted == true && r.entry("hello.js")?.complete == true)
        // Every member charged once: the plain ones by the first pass, the opened one by the pass that opened it.
        #expect(budget.entries == 3)
        #expect(budget.totalBytes == Fixture.readmeTXT.count + 20 + (try Fixture.helloJS).count)
    }

    @Test("No password opens it: the plain members go at once, the locked one last, named and empty")
    func mixedEncryptionLocked() throws {
        let (result, seen) = stream(try Fixture.bytes("mixed-encryption.zip"), passwords: ["wrong"])
        let r = try #require(result)
        #expect(seen.names == ["readme.txt", "notes.txt", "hello.js"])
        #expect(seen.bytes.last == [])
        #expect(r.lockedEntries == 1 && r.password == nil)
        let locked = try #require(r.entry("hello.js"))
        #expect(locked.encrypted && !locked.complete && locked.issues.contains { $0.isUnreadable })
    }

    @Test("The collecting unpack gives the same members as the stream, with their bytes", arguments: ["simple.zip", "mixed-encryption.zip", "sample.7z", "rar5.rar", "hello.iso"])
    func collectingMatchesStream(_ name: String) throws {
        let bytes = try Fixture.bytes(name)
        let collected = try #require(unpack(bytes, passwords: ["abc123"]).result)
        let (streamed, seen) = stream(bytes, passwords: ["abc123"], take: false)
        #expect(try #require(streamed).names == collected.names)
        #expect(collected.entries.map(\.bytes) == seen.places.sorted { $0.index < $1.index }.map { place in
            seen.bytes[seen.places.firstIndex(of: place)!]
        })
    }

    @Test("An encrypted 7z through 7zz: every member handed over once, after the password opens it",
          .enabled(if: SevenZip.available, "Debian's 7zip package (7zz) is not installed"),
          arguments: ["encrypted.7z", "encrypted-headers.7z"])
    func sevenZipOpened(_ name: String) throws {
        let (result, seen) = stream(try Fixture.bytes(name), passwords: ["abc123"])
        let r = try #require(result)
        #expect(r.password?.value == "abc123")
        #expect(seen.names == ["hello.js"])
        #expect(seen.bytes == [try Fixture.helloJS])
    }

    // MARK: peekZip: what the classifier sees of a zip before any member is read

    @Test("An OOXML document's names and its relationship parts, nothing else read")
    func peekDocument() throws {
        let bytes = try Fixture.bytes("remote-template.docx")
        let budget = UnpackBudget()
        let peek = try #require(Unpacker.peekZip(bytes, reading: { $0.hasSuffix(".rels") }, upTo: 1 << 20, budget: budget))
        #expect(peek.names.contains("[Content_Types].xml") && peek.names.contains("word/document.xml"))
        #expect(Set(peek.parts.keys) == Set(peek.names.filter { $0.hasSuffix(".rels") }))
        let settings = try #require(peek.parts["word/_rels/settings.xml.rels"])
        #expect(String(decoding: settings, as: UTF8.self).contains("http://template.example.com/t.dotm"))
        #expect(budget.entries == 0 && budget.totalBytes == 0, "a peek is not charged to the message's budget")
    }

    @Test("A part is cut at the size asked; an encrypted member is named but not read; a non-zip is not peeked")
    func peekBounds() throws {
        let docx = try Fixture.bytes("plain.docx")
        let cut = try #require(Unpacker.peekZip(docx, reading: { $0 == "word/document.xml" }, upTo: 10, budget: UnpackBudget()))
        #expect(cut.parts["word/document.xml"]?.count == 10)
        let mixed = try #require(Unpacker.peekZip(try Fixture.bytes("mixed-encryption.zip"), reading: { _ in true }, upTo: 100,
                                                  budget: UnpackBudget()))
        #expect(mixed.names == ["readme.txt", "hello.js", "notes.txt"])
        #expect(mixed.parts["hello.js"] == nil && mixed.parts["readme.txt"] == Fixture.readmeTXT)
        #expect(Unpacker.peekZip(try Fixture.bytes("sample.7z"), reading: { _ in true }, upTo: 100, budget: UnpackBudget()) == nil)
    }

    @Test("A peek lists at most the budget's member count")
    func peekEntryCap() throws {
        var limits = UnpackLimits()
        limits.maxEntries = 1
        let peek = try #require(Unpacker.peekZip(try Fixture.bytes("simple.zip"), reading: { _ in false }, upTo: 0,
                                                 budget: UnpackBudget(limits: limits)))
        #expect(peek.names == ["hello.js"])
    }
}

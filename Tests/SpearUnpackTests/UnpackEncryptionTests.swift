import Foundation
import SpearUnpack
import Testing

struct EncryptedFixture: Sendable, CustomTestStringConvertible {
    var file: String
    var password: String
    var testDescription: String { file }
}

@Suite("Unpacker: encrypted archives, password candidates, 7zz")
struct UnpackEncryptionTests {
    static let zips = [
        EncryptedFixture(file: "zipcrypto.zip", password: "abc123"),
        EncryptedFixture(file: "aes.zip", password: "infected2019"),
    ]
    static let sevenZips = [
        EncryptedFixture(file: "encrypted.7z", password: "abc123"),
        EncryptedFixture(file: "encrypted-headers.7z", password: "abc123"),
    ]

    // MARK: zip (ZipCrypto and WinZip AES): libarchive decrypts

    @Test("Without a password: encrypted, the member locked and empty", arguments: zips)
    func zipWithoutPassword(_ f: EncryptedFixture) throws {
        let (result, budget) = unpack(try Fixture.bytes(f.file))
        let r = try #require(result)
        #expect(r.encrypted)
        #expect(r.lockedEntries > 0)
        #expect(r.password == nil)
        #expect(r.names == ["hello.js"])
        for entry in r.entries {
            #expect(entry.encrypted)
            #expect(entry.bytes.isEmpty)
            #expect(!entry.complete)
            #expect(entry.issues.contains { $0.isUnreadable })
        }
        #expect(budget.totalBytes == 0)
    }

    @Test("With [wrong, right]: the right candidate opens it and is reported with its source", arguments: zips)
    func zipWrongThenRight(_ f: EncryptedFixture) throws {
        let candidates = [PasswordCandidate(value: "wrong-password", source: "option"),
                          PasswordCandidate(value: f.password, source: "body:1")]
        let budget = UnpackBudget()
        let r = try #require(Unpacker.unpack(try Fixture.bytes(f.file), passwords: candidates, budget: budget))
        #expect(r.password?.value == f.password)
        #expect(r.password?.source == "body:1")
        #expect(r.encrypted)
        #expect(r.lockedEntries == 0)
        let entry = try #require(r.entry("hello.js"))
        #expect(entry.bytes == (try Fixture.helloJS))
        #expect(entry.complete)
        // Trial reads are free: only the read that succeeded is charged.
        #expect(budget.entries == 1, "one member charged \(budget.entries) times to the entries budget")
        #expect(budget.totalBytes == (try Fixture.helloJS).count)
    }

    @Test("maxEntries = 1 and the right password: the one encrypted member is read", arguments: zips)
    func zipRightPasswordWithinEntryLimit(_ f: EncryptedFixture) throws {
        let (result, budget) = unpack(try Fixture.bytes(f.file), passwords: [f.password]) { $0.maxEntries = 1 }
        let r = try #require(result)
        #expect(r.password?.value == f.password)
        #expect(r.limits.isEmpty, "the locked first pass was charged to the budget: \(r.limits)")
        #expect(r.entry("hello.js")?.bytes == (try Fixture.helloJS))
        #expect(budget.entries == 1)
    }

    @Test("With only wrong candidates: still locked", arguments: zips)
    func zipOnlyWrong(_ f: EncryptedFixture) throws {
        let (result, _) = unpack(try Fixture.bytes(f.file), passwords: ["wrong-password", "abc1234", "infected"])
        let r = try #require(result)
        #expect(r.password == nil)
        #expect(r.encrypted)
        #expect(r.lockedEntries > 0)
        #expect(r.entries.allSatisfy { $0.bytes.isEmpty })
    }

    @Test("At most maxCandidates passwords are tried: the right one at position 65 is not reached")
    func candidateCap() throws {
        let wrong = (0..<Unpacker.maxCandidates).map { "wrong-\($0)" }
        let (beyond, _) = unpack(try Fixture.bytes("zipcrypto.zip"), passwords: wrong + ["abc123"])
        #expect(try #require(beyond).password == nil)
        let (within, _) = unpack(try Fixture.bytes("zipcrypto.zip"), passwords: Array(wrong.dropLast()) + ["abc123"])
        #expect(try #require(within).password?.value == "abc123")
    }

    // MARK: 7z: libarchive cannot decrypt; Debian's 7zz can

    @Test("Encrypted 7z with the right password is opened by 7zz", .enabled(if: SevenZip.available), arguments: sevenZips)
    func sevenZipRightPassword(_ f: EncryptedFixture) throws {
        let budget = UnpackBudget()
        let r = try #require(Unpacker.unpack(try Fixture.bytes(f.file),
                                             passwords: [PasswordCandidate(value: "wrong", source: "option"),
                                                         PasswordCandidate(value: f.password, source: "password_file")],
                                             budget: budget))
        #expect(r.password?.value == f.password)
        #expect(r.password?.source == "password_file")
        #expect(r.encrypted)
        #expect(r.lockedEntries == 0)
        #expect(r.names == ["hello.js"])
        #expect(r.entry("hello.js")?.bytes == (try Fixture.helloJS))
        #expect(r.damage == nil)
        #expect(r.notes.isEmpty)
        #expect(budget.totalBytes == (try Fixture.helloJS).count)
        #expect(r.headersEncrypted == (f.file == "encrypted-headers.7z"))
    }

    @Test("Encrypted 7z without the right password stays locked (7zz installed)", .enabled(if: SevenZip.available), arguments: sevenZips)
    func sevenZipWrongPassword(_ f: EncryptedFixture) throws {
        for passwords in [[], ["wrong", "abc1234"]] {
            let r = try #require(unpack(try Fixture.bytes(f.file), passwords: passwords).result)
            #expect(r.password == nil)
            #expect(r.encrypted)
            #expect(r.lockedEntries >= 1)
            #expect(r.entries.allSatisfy { $0.bytes.isEmpty })
            #expect(r.headersEncrypted == (f.file == "encrypted-headers.7z"))
            #expect(r.damage == nil, "\(f.file): \(r.damage ?? "")")
        }
    }

    @Test("Encrypted 7z without 7zz: a note says it was not inspected", .enabled(if: !SevenZip.available), arguments: sevenZips)
    func sevenZipWithoutTool(_ f: EncryptedFixture) throws {
        let r = try #require(unpack(try Fixture.bytes(f.file), passwords: [f.password]).result)
        #expect(r.password == nil)
        #expect(r.encrypted)
        #expect(r.lockedEntries >= 1)
        #expect(r.notes.contains { $0.contains("not inspected") }, "\(r.notes)")
        #expect(r.headersEncrypted == (f.file == "encrypted-headers.7z"))
    }

    @Test("The member list of encrypted-headers.7z is itself encrypted: no names without the password")
    func encryptedHeadersHideNames() throws {
        let r = try #require(unpack(try Fixture.bytes("encrypted-headers.7z")).result)
        #expect(r.headersEncrypted)
        #expect(r.encrypted)
        #expect(r.entries.isEmpty)
    }
}

import Foundation
import SpearUnpack
import Testing

@Suite("Unpacker: hostile names and damaged archives")
struct UnpackDamageTests {
    @Test("traversal.zip: every member is flagged; names kept as libarchive gives them")
    func traversal() throws {
        let r = try #require(unpack(try Fixture.bytes("traversal.zip")).result)
        // libarchive turns the backslashes of a zip written by MS-DOS/Windows tools into slashes; the drive letter
        // is kept, and flagged.
        #expect(r.names == ["../../evil.js", "/abs/evil.txt", "C:/temp/evil.txt"])
        #expect(r.entries.count == 3)
        for entry in r.entries {
            #expect(entry.issues.contains { $0.isPathTraversal }, "\(entry.path): \(entry.issues)")
            // Flagged, still read: the content is analysed like any other member's.
            #expect(entry.bytes == Fixture.readmeTXT)
        }
    }

    @Test("Which traversal is found: '..', absolute, drive letter, NUL-free names that are fine")
    func traversalKinds() throws {
        let zip = ZipWriter.stored([
            ("a/../../x.js", Fixture.readmeTXT), ("\\\\server\\share\\x.js", Fixture.readmeTXT), ("d:x.js", Fixture.readmeTXT),
            ("ok/dir/file..name.txt", Fixture.readmeTXT), ("...js", Fixture.readmeTXT),
        ])
        let r = try #require(unpack(zip).result)
        func flagged(_ name: String) -> Bool? { r.entry(name)?.issues.contains { $0.isPathTraversal } }
        #expect(flagged("a/../../x.js") == true)
        #expect(flagged("d:x.js") == true)
        #expect(flagged("ok/dir/file..name.txt") == false)
        #expect(flagged("...js") == false)
        // The UNC name may come back with slashes (libarchive), but it is flagged either way.
        let unc = try #require(r.entries.first { $0.path.hasSuffix("x.js") && $0.path.contains("server") })
        #expect(unc.issues.contains { $0.isPathTraversal })
    }

    @Test("A damaged LHA entry whose data never advances (fuzz-unpack's timeout): damage reported at once, no endless loop",
          .timeLimit(.minutes(1)))
    func lhaDataThatNeverAdvances() throws {
        let bytes = Array(Data(base64Encoded: "H18tbGgyLS4AAAAuAAAAAEjKTiAACZC/i4GPkWouc103V1NjcmlwdC5FY2hvKCJzcGVhclZjYW4gZml4dHVyZTogaAoA")!)
        let start = Date()
        let r = try #require(unpack(bytes).result)
        #expect(Date().timeIntervalSince(start) < 5)
        #expect(r.damage != nil || r.entries.contains { !$0.complete }, "\(r)")
    }

    @Test("corrupt-truncated.zip: damage reported, the readable members still returned")
    func truncatedZip() throws {
        let r = try #require(unpack(try Fixture.bytes("corrupt-truncated.zip")).result)
        #expect(r.damage != nil)
        #expect(r.names.contains("hello.js"))
        #expect(r.entry("hello.js")?.bytes == (try Fixture.helloJS))
        if let readme = r.entry("readme.txt") { #expect(readme.bytes == Fixture.readmeTXT) }
    }

    @Test("A zip cut inside the first member's data: damage, the member incomplete, no crash")
    func truncatedInsideData() throws {
        let full = ZipWriter.stored([("big.txt", [UInt8](repeating: 0x41, count: 10_000))])
        let cut = Array(full.prefix(5_000))
        let r = try #require(unpack(cut).result)
        #expect(r.damage != nil)
        let entry = try #require(r.entries.first)
        #expect(!entry.complete)
        #expect(entry.bytes.count < 10_000)
        #expect(entry.bytes.allSatisfy { $0 == 0x41 })
    }

    @Test("A member that claims an absurd size (compressed and uncompressed) but holds 10 bytes: bounded, damage reported")
    func absurdDeclaredSize() throws {
        var member = ZipWriter.Member("huge.bin", Array("0123456789".utf8))
        member.claimedCompressedSize = 0x7FFF_FFF0
        member.claimedSize = 0x7FFF_FFF0
        let zip = ZipWriter.stored([member])
        let start = Date()
        let r = try #require(unpack(zip).result)
        #expect(Date().timeIntervalSince(start) < 5)
        let entries = r.entries
        #expect(entries.allSatisfy { $0.bytes.count <= zip.count })
        let damaged = r.damage != nil || entries.contains { !$0.complete || $0.issues.contains { $0.isUnreadable } }
        #expect(damaged, "a 2 GB member read from 10 bytes is not reported: \(r.entries.map { ($0.path, $0.bytes.count, $0.complete) })")
    }

    @Test("A member whose uncompressed size field alone is absurd: no huge allocation, the real 10 bytes")
    func absurdUncompressedSize() throws {
        var member = ZipWriter.Member("huge.bin", Array("0123456789".utf8))
        member.claimedSize = 0x7FFF_FFF0
        let zip = ZipWriter.stored([member, ZipWriter.Member("after.txt", Fixture.readmeTXT)])
        let start = Date()
        let r = try #require(unpack(zip).result)
        #expect(Date().timeIntervalSince(start) < 5)
        let entry = try #require(r.entry("huge.bin"))
        #expect(entry.bytes.count <= 10)
        #expect(entry.declaredSize == 0x7FFF_FFF0)
        // Either it is reported (damage, short read) or the 10 true bytes come back whole.
        let reported = r.damage != nil || !entry.complete || entry.issues.contains { $0.isUnreadable }
        #expect(reported || entry.bytes == Array("0123456789".utf8),
                "member read as \(entry.bytes.count) bytes, complete \(entry.complete), issues \(entry.issues), damage \(r.damage ?? "nil")")
        #expect(r.entry("after.txt")?.bytes == Fixture.readmeTXT)
    }

    @Test("A stored member with a wrong CRC: its bytes are still analysed, and the damage is reported")
    func wrongCRC() throws {
        let hello = try Fixture.helloJS
        var zip = ZipWriter.stored([ZipWriter.Member("hello.js", hello)])
        // Flip the CRC in the local header (offset 14) and in the central directory record.
        let crc = ZipWriter.le32(CRC32.checksum(hello))
        let wrong = ZipWriter.le32(CRC32.checksum(hello) ^ 0xDEAD_BEEF)
        zip.replaceSubrange(14..<18, with: wrong)
        let centralStart = 30 + "hello.js".utf8.count + hello.count
        #expect(Array(zip[(centralStart + 16)..<(centralStart + 20)]) == crc)
        zip.replaceSubrange((centralStart + 16)..<(centralStart + 20), with: wrong)

        let r = try #require(unpack(zip).result)
        let entry = try #require(r.entry("hello.js"))
        // 7-Zip and WinRAR extract such a member (with a warning): its content must not vanish from the scan.
        #expect(entry.bytes == hello, "read \(entry.bytes.count) of \(hello.count) bytes")
        let reported = r.damage != nil || !entry.complete || !entry.issues.isEmpty
        #expect(reported, "the CRC error is not reported: complete \(entry.complete), issues \(entry.issues)")
    }
}

@Suite("Unpacker: the message's limits (entries, bytes, ratio, time) fire and are reported", .serialized)
struct UnpackLimitTests {
    /// 300 MiB of zeros, gzipped (~300 KB), made once by gzip.
    static let zeroBomb: [UInt8]? = try? Shell.output("head -c 314572800 /dev/zero | gzip -c")
    /// 300 MiB of the letter "a", gzipped: the same bomb, without zero blocks.
    static let letterBomb: [UInt8]? = try? Shell.output("head -c 314572800 /dev/zero | tr '\\000' a | gzip -c")

    @Test("gzip of 300 MiB of zeros stops at maxEntryBytes or the ratio, with a limit issue")
    func zeroGzipBomb() throws {
        let bomb = try #require(UnpackLimitTests.zeroBomb, "gzip failed")
        #expect(bomb.count < 1 << 20)
        let start = Date()
        let (result, budget) = unpack(bomb) { $0.maxEntryBytes = 8 << 20; $0.maxTotalBytes = 32 << 20 }
        let r = try #require(result)
        #expect(Date().timeIntervalSince(start) < 20)
        let kinds = Set(r.limitKinds + r.entries.flatMap { $0.issues.compactMap(\.limitKind) })
        #expect(!kinds.isDisjoint(with: [.entryBytes, .ratio]),
                "no limit fired: format \(r.format), \(r.entries.count) entries, \(budget.totalBytes) bytes read")
        #expect(budget.totalBytes <= budget.limits.maxTotalBytes)
        #expect(r.entries.allSatisfy { $0.bytes.count <= 8 << 20 })
        #expect(r.entries.contains { !$0.complete }, "the bomb's member is reported as cut short")
    }

    @Test("A gzip whose content starts with two zero blocks is not an empty tar: the content after them is read")
    func gzipStartingWithZeroBlocks() throws {
        let hello = try Fixture.helloJS
        let content = [UInt8](repeating: 0, count: 1024) + hello
        let gz = try Shell.gzip(content)
        let r = try #require(unpack(gz).result)
        #expect(r.entries.contains { $0.bytes.count >= hello.count && Array($0.bytes.suffix(hello.count)) == hello },
                "read as \(r.format) with \(r.entries.count) members: the script after the zero blocks is never inspected")
    }

    @Test("gzip of 300 MiB of letters: cut at maxEntryBytes (the member incomplete, the rest of the budget intact)")
    func letterGzipBombEntryBytes() throws {
        let bomb = try #require(UnpackLimitTests.letterBomb, "gzip failed")
        let (result, budget) = unpack(bomb) { $0.maxEntryBytes = 8 << 20; $0.maxTotalBytes = 32 << 20 }
        let r = try #require(result)
        #expect(r.singleCompressedFile)
        let entry = try #require(r.entries.first)
        #expect(!entry.complete)
        #expect(entry.issues.contains { $0.limitKind == .entryBytes })
        #expect(r.limitKinds.contains(.entryBytes))
        #expect(entry.bytes.count <= 8 << 20)
        #expect(entry.bytes.count > 4 << 20)
        #expect(budget.totalBytes <= 8 << 20)
    }

    @Test("gzip of 300 MiB of letters: cut by the ratio once past the floor")
    func letterGzipBombRatio() throws {
        let bomb = try #require(UnpackLimitTests.letterBomb, "gzip failed")
        let (result, budget) = unpack(bomb) { $0.maxRatio = 10 }
        let r = try #require(result)
        #expect(r.limitKinds == [.ratio])
        let entry = try #require(r.entries.first)
        #expect(!entry.complete)
        // Checked per 64 KiB chunk, with integer division: cut before 11:1 plus one chunk.
        #expect(budget.totalBytes <= max(bomb.count * 11 + (1 << 16), budget.limits.ratioFloor + (1 << 16)))
        #expect(budget.totalBytes > bomb.count * 10)
    }

    @Test("gzip of 300 MiB of letters with the default limits: bounded by the 100 MiB member limit")
    func letterGzipBombDefaults() throws {
        let bomb = try #require(UnpackLimitTests.letterBomb, "gzip failed")
        let (result, budget) = unpack(bomb)
        let r = try #require(result)
        #expect(!r.limitKinds.isEmpty)
        #expect(budget.totalBytes <= UnpackLimits().maxEntryBytes)
        #expect(budget.totalBytes <= UnpackLimits().maxTotalBytes)
    }

    @Test("20,000 tiny members with maxEntries = 1000: exactly 1000 read, then the entries limit")
    func manyEntries() throws {
        let members = (0..<20_000).map { ZipWriter.Member(String(format: "f%05d.txt", $0), [UInt8(ascii: "x")]) }
        let zip = ZipWriter.stored(members)
        let start = Date()
        let (result, budget) = unpack(zip) { $0.maxEntries = 1000 }
        let r = try #require(result)
        #expect(Date().timeIntervalSince(start) < 20)
        #expect(r.entries.count == 1000)
        #expect(r.limitKinds == [.entries])
        #expect(budget.entries == 1000)
        #expect(r.entries.first?.path == "f00000.txt")
        #expect(r.entries.last?.path == "f00999.txt")
    }

    @Test("Overlapping members: 4,000 central-directory records on one 256 KiB local member stay bounded")
    func overlappingEntries() throws {
        let data = [UInt8](repeating: 0x42, count: 256 << 10)
        let crc = CRC32.checksum(data)
        let name = Array("a.txt".utf8)
        let local = ZipWriter.localHeader(name: name, flags: 0, crc: crc, compressedSize: UInt32(data.count), size: UInt32(data.count)) + data
        var central: [UInt8] = []
        for _ in 0..<4_000 {
            central += ZipWriter.centralHeader(.init(name: name, localHeaderOffset: 0, crc: crc,
                                                     compressedSize: UInt32(data.count), size: UInt32(data.count)))
        }
        let zip = local + central + ZipWriter.endOfCentralDirectory(count: 4_000, size: central.count, offset: local.count)
        let start = Date()
        let (result, budget) = unpack(zip) { $0.maxTotalBytes = 8 << 20; $0.maxEntries = 10_000 }
        #expect(Date().timeIntervalSince(start) < 20)
        #expect(budget.totalBytes <= 8 << 20)
        if let r = result {
            #expect(r.entries.reduce(0) { $0 + $1.bytes.count } <= 8 << 20)
            // Either libarchive reads one member per local header, or every record until the bytes limit.
            #expect(r.entries.count <= 33 || r.limitKinds.contains(.totalBytes), "\(r.entries.count) members, \(r.limitKinds)")
        }
    }

    @Test("Overlapping members, quoted: 100 stored members, each one's data the rest of the archive, stop at maxTotalBytes")
    func overlappingQuotedEntries() throws {
        // Built back to front: member i's data is every later local header plus the 128 KiB kernel, so the
        // 128 KiB archive claims ~13 MB of members, all overlapping.
        let count = 100
        var tail = [UInt8](repeating: 0x43, count: 128 << 10)
        var headers: [(name: [UInt8], crc: UInt32, size: Int)] = []
        for i in stride(from: count - 1, through: 0, by: -1) {
            let name = Array(String(format: "m%03d.txt", i).utf8)
            let crc = CRC32.checksum(tail)
            headers.insert((name, crc, tail.count), at: 0)
            tail = ZipWriter.localHeader(name: name, flags: 0, crc: crc, compressedSize: UInt32(tail.count), size: UInt32(tail.count)) + tail
        }
        var central: [UInt8] = []
        var offset = 0
        for h in headers {
            central += ZipWriter.centralHeader(.init(name: h.name, localHeaderOffset: UInt32(offset), crc: h.crc,
                                                     compressedSize: UInt32(h.size), size: UInt32(h.size)))
            offset += 30 + h.name.count
        }
        let zip = tail + central + ZipWriter.endOfCentralDirectory(count: count, size: central.count, offset: tail.count)
        let start = Date()
        let (result, budget) = unpack(zip) { $0.maxTotalBytes = 4 << 20 }
        #expect(Date().timeIntervalSince(start) < 20)
        let r = try #require(result)
        #expect(budget.totalBytes <= 4 << 20)
        #expect(r.entries.reduce(0) { $0 + $1.bytes.count } <= 4 << 20)
        #expect(r.limitKinds.contains(.totalBytes) || r.damage != nil, "\(r.entries.count) members, limits \(r.limitKinds)")
        #expect(r.entries.count < count)
    }

    @Test("maxTotalBytes = 50 over simple.zip (46 + 9 bytes): hello.js whole, readme.txt cut, total_bytes limit")
    func totalBytes() throws {
        let (result, budget) = unpack(try Fixture.bytes("simple.zip")) { $0.maxTotalBytes = 50 }
        let r = try #require(result)
        #expect(r.limitKinds == [.totalBytes])
        #expect(r.entry("hello.js")?.bytes == (try Fixture.helloJS))
        #expect(r.entry("hello.js")?.complete == true)
        let readme = try #require(r.entry("readme.txt"))
        #expect(!readme.complete)
        #expect(readme.bytes.isEmpty)
        #expect(readme.issues.contains { $0.limitKind == .totalBytes })
        #expect(budget.totalBytes <= 50)
    }

    @Test("maxTotalBytes = 10: the first member already does not fit")
    func totalBytesTiny() throws {
        let (result, budget) = unpack(try Fixture.bytes("simple.zip")) { $0.maxTotalBytes = 10 }
        let r = try #require(result)
        #expect(r.limitKinds == [.totalBytes])
        #expect(r.entries.count == 1)
        #expect(budget.totalBytes <= 10)
    }

    @Test("The budget is per message: a second archive gets only what the first left")
    func sharedBudget() throws {
        var limits = UnpackLimits()
        limits.maxEntries = 3
        let budget = UnpackBudget(limits: limits)
        let first = try #require(Unpacker.unpack(try Fixture.bytes("simple.zip"), passwords: [], budget: budget))
        #expect(first.entries.count == 2)
        #expect(first.limits.isEmpty)
        let second = try #require(Unpacker.unpack(try Fixture.bytes("hello.tar"), passwords: [], budget: budget))
        #expect(second.entries.count == 1)
        #expect(second.limitKinds == [.entries])
        #expect(budget.entries == 3)
    }

    @Test("timeLimit = 0: the time limit fires at once")
    func timeLimitZero() throws {
        let (result, _) = unpack(try Fixture.bytes("simple.zip")) { $0.timeLimit = 0 }
        let r = try #require(result)
        #expect(r.limitKinds.contains(.time))
        #expect(r.entries.allSatisfy { $0.bytes.isEmpty })
    }

    @Test("maxEntryBytes = 20: each member cut on its own, the archive read on")
    func entryBytes() throws {
        let (result, _) = unpack(try Fixture.bytes("hello.tar")) { $0.maxEntryBytes = 20 }
        let r = try #require(result)
        #expect(r.names == ["hello.js", "readme.txt"])
        let hello = try #require(r.entry("hello.js"))
        #expect(!hello.complete)
        #expect(hello.issues.contains { $0.limitKind == .entryBytes })
        #expect(hello.bytes.count <= 20)
        #expect(r.entry("readme.txt")?.bytes == Fixture.readmeTXT)
        #expect(r.entry("readme.txt")?.complete == true)
    }
}

@Suite("Unpacker: a zip whose central directory disagrees with its local headers")
struct ZipHeaderMismatchTests {
    /// A stored zip of `invoice.pdf` whose central directory calls the member `invoice.pdx`.
    static func mismatched() -> [UInt8] {
        var zip = ZipWriter.stored([("invoice.pdf", Array("WScript.Echo(1);\r\n".utf8))])
        let central = (0..<(zip.count - 4)).last { zip[$0] == 0x50 && zip[$0 + 1] == 0x4B && zip[$0 + 2] == 0x01 && zip[$0 + 3] == 0x02 }!
        zip[central + 46 + 10] = UInt8(ascii: "x")  // the last letter of the name in the central directory
        return zip
    }

    @Test("the disagreement is reported; the member is still read")
    func reported() throws {
        let r = try #require(unpack(Self.mismatched()).result)
        let mismatch = try #require(r.headerMismatch)
        #expect(mismatch.contains("invoice.pdx"))
        #expect(mismatch.contains("invoice.pdf"))
        #expect(r.entries.count == 1)
        #expect(r.entries.first?.bytes == Array("WScript.Echo(1);\r\n".utf8))
    }

    @Test("a zip whose two views agree reports nothing")
    func consistent() throws {
        let r = try #require(unpack(ZipWriter.stored([("a.txt", Fixture.readmeTXT)])).result)
        #expect(r.headerMismatch == nil)
        let simple = try #require(unpack(try Fixture.bytes("simple.zip")).result)
        #expect(simple.headerMismatch == nil)
    }
}

@Suite("Unpacker: the overlapping zip bomb (central-directory entries sharing local file data) is named")
struct ZipOverlapTests {
    static let data = Array(String(repeating: "WScript.Echo(1);\r\n", count: 20).utf8)

    /// One local file and `count` central-directory entries, every one pointing at it under its own name.
    static func sharedLocalHeader(count: Int) -> [UInt8] {
        let crc = CRC32.checksum(data)
        let local = ZipWriter.localHeader(name: Array("a.js".utf8), flags: 0, crc: crc, compressedSize: UInt32(data.count),
                                          size: UInt32(data.count)) + data
        var central: [UInt8] = []
        for k in 0..<count {
            central += ZipWriter.centralHeader(.init(name: Array("file\(k).js".utf8), localHeaderOffset: 0, crc: crc,
                                                     compressedSize: UInt32(data.count), size: UInt32(data.count)))
        }
        return local + central + ZipWriter.endOfCentralDirectory(count: count, size: central.count, offset: local.count)
    }

    /// Two entries, the first claiming data that runs over the second's local header (Fifield's construction).
    static func overlappingRanges() -> [UInt8] {
        var zip = ZipWriter.stored([("first.txt", data), ("second.js", data)])
        let central = (0..<(zip.count - 4)).first { zip[$0] == 0x50 && zip[$0 + 1] == 0x4B && zip[$0 + 2] == 0x01 && zip[$0 + 3] == 0x02 }!
        let covering = ZipWriter.le32(UInt32(data.count + 30 + 9 + data.count))  // its data and all of "second.js"
        zip.replaceSubrange((central + 20)..<(central + 24), with: covering)
        return zip
    }

    @Test("fifty entries pointing at one local header: zip_overlapping_entries names how many")
    func sharedHeader() throws {
        let r = try #require(unpack(Self.sharedLocalHeader(count: 50)).result)
        let overlap = try #require(r.overlappingEntries)
        #expect(overlap.hasPrefix("50 of 50 central-directory entries share local file data"))
    }

    @Test("an entry whose data runs over the next entry's local header")
    func coveringEntry() throws {
        let r = try #require(unpack(Self.overlappingRanges()).result)
        let overlap = try #require(r.overlappingEntries)
        #expect(overlap == "2 of 2 central-directory entries share local file data (\"first.txt\" and \"second.js\" overlap)")
    }

    @Test("the end record's count cannot hide the entries: walked by signature (the record says 1 of 50)")
    func lyingCount() throws {
        var zip = Self.sharedLocalHeader(count: 50)
        let eocd = zip.count - 22
        zip.replaceSubrange((eocd + 8)..<(eocd + 12), with: ZipWriter.le16(1) + ZipWriter.le16(1))
        let overlap = try #require(unpack(zip).result?.overlappingEntries)
        #expect(overlap.hasPrefix("50 of 50 central-directory entries"))
    }

    @Test("two separate overlapping pairs among ordinary members: all four named")
    func twoGroups() throws {
        // a, b, c, d stored one after the other; the central directory points b at a and d at c.
        var zip = ZipWriter.stored([("a.txt", Self.data), ("b.txt", Self.data), ("c.txt", Self.data), ("d.txt", Self.data), ("e.txt", Self.data)])
        let centrals = (0..<(zip.count - 4)).filter { zip[$0] == 0x50 && zip[$0 + 1] == 0x4B && zip[$0 + 2] == 0x01 && zip[$0 + 3] == 0x02 }
        let offsets = centrals.map { Array(zip[($0 + 42)..<($0 + 46)]) }
        zip.replaceSubrange((centrals[1] + 42)..<(centrals[1] + 46), with: offsets[0])
        zip.replaceSubrange((centrals[3] + 42)..<(centrals[3] + 46), with: offsets[2])
        let overlap = try #require(unpack(zip).result?.overlappingEntries)
        #expect(overlap.hasPrefix("4 of 5 central-directory entries share local file data"))
    }

    @Test("Zip64: sizes and offsets in the extra field are read, so a Zip64 bomb is named too")
    func zip64() throws {
        let crc = CRC32.checksum(Self.data)
        let local = ZipWriter.localHeader(name: Array("a.js".utf8), flags: 0, crc: crc, compressedSize: UInt32(Self.data.count),
                                          size: UInt32(Self.data.count)) + Self.data
        var central: [UInt8] = []
        for k in 0..<3 {
            let name = Array("z\(k).js".utf8)
            // Sizes and offset 0xFFFFFFFF, the real values in a 0x0001 extra field of 24 bytes.
            let extra = ZipWriter.le16(1) + ZipWriter.le16(24) + ZipWriter.le32(UInt32(Self.data.count)) + ZipWriter.le32(0)
                + ZipWriter.le32(UInt32(Self.data.count)) + ZipWriter.le32(0) + ZipWriter.le32(0) + ZipWriter.le32(0)
            central += ZipWriter.le32(0x0201_4B50) + ZipWriter.le16(45) + ZipWriter.le16(45) + ZipWriter.le16(0) + ZipWriter.le16(0)
                + ZipWriter.le16(ZipWriter.dosTime) + ZipWriter.le16(ZipWriter.dosDate) + ZipWriter.le32(crc)
                + ZipWriter.le32(0xFFFF_FFFF) + ZipWriter.le32(0xFFFF_FFFF) + ZipWriter.le16(UInt16(name.count))
                + ZipWriter.le16(UInt16(extra.count)) + ZipWriter.le16(0) + ZipWriter.le16(0) + ZipWriter.le16(0)
                + ZipWriter.le32(0x20) + ZipWriter.le32(0xFFFF_FFFF) + name + extra
        }
        let zip = local + central + ZipWriter.endOfCentralDirectory(count: 3, size: central.count, offset: local.count)
        let overlap = try #require(unpack(zip).result?.overlappingEntries)
        #expect(overlap.hasPrefix("3 of 3 central-directory entries share local file data"))
    }

    @Test("ordinary zips, stored and deflated, with many members: nothing")
    func ordinary() throws {
        #expect(try #require(unpack(ZipWriter.stored([("a.txt", Self.data), ("b.txt", Self.data), ("c.txt", [])])).result).overlappingEntries == nil)
        for name in ["simple.zip", "nested.zip", "ppap.zip", "plain.docx", "aes.zip"] {
            let r = unpack(try Fixture.bytes(name), passwords: ["infected", "abc123"]).result
            #expect(r?.overlappingEntries == nil, "\(name)")
        }
    }
}

@testable import SpearUnpack
import Testing

/// 7z archives built byte by byte: a start header with right CRCs over a header the test writes.
enum SevenZipBytes {
    /// 7z's variable-length number.
    static func number(_ v: UInt64) -> [UInt8] {
        if v < 0x80 { return [UInt8(v)] }
        var n = 1
        while n < 8 && v >= UInt64(1) << (7 * UInt64(n + 1)) { n += 1 }
        if n == 8 { return [0xFF] + (0..<8).map { UInt8(truncatingIfNeeded: v >> (8 * UInt64($0))) } }
        let first = UInt8(truncatingIfNeeded: 0xFF << (8 - n)) | UInt8(truncatingIfNeeded: v >> (8 * UInt64(n)))
        return [first] + (0..<n).map { UInt8(truncatingIfNeeded: v >> (8 * UInt64($0))) }
    }

    static func archive(header: [UInt8], packed: [UInt8] = [], prefix: [UInt8] = []) -> [UInt8] {
        var start = le(UInt64(packed.count), 8) + le(UInt64(header.count), 8)
        start += le(UInt64(CRC32.checksum(header[...])), 4)
        return prefix + [0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C, 0x00, 0x04] + le(UInt64(CRC32.checksum(start[...])), 4) + start + packed + header
    }

    static func le(_ v: UInt64, _ n: Int) -> [UInt8] { (0..<n).map { UInt8(truncatingIfNeeded: v >> (8 * UInt64($0))) } }

    /// A raw header with `files` files and nothing else.
    static func files(_ files: UInt64) -> [UInt8] { archive(header: [0x01, 0x05] + number(files) + [0x00, 0x00]) }

    /// An encoded header whose one folder has one coder of `method`, declaring `size` decoded bytes.
    static func encoded(method: [UInt8], properties: [UInt8] = [], size: UInt64, packed: [UInt8] = [0]) -> [UInt8] {
        var coder: [UInt8] = [UInt8(method.count) | (properties.isEmpty ? 0 : 0x20)] + method
        if !properties.isEmpty { coder += number(UInt64(properties.count)) + properties }
        let info: [UInt8] = [0x17, 0x06] + number(0) + number(1) + [0x09] + number(UInt64(packed.count)) + [0x00]
            + [0x07, 0x0B] + number(1) + [0x00, 0x01] + coder + [0x0C] + number(size) + [0x00, 0x00]
        return archive(header: info, packed: packed)
    }
}

@Suite("7z headers are checked before libarchive allocates for them")
struct SevenZipHeaderTests {
    func refusal(_ result: UnpackResult?) -> String? {
        result?.limits.compactMap { if case .limit(.archiveHeader, let why) = $0 { why } else { nil } }.first
    }

    @Test("A 296-byte 7z whose LZMA header decodes to 8,000,000 empty files: refused, reported, nothing built")
    func lzmaHeaderBomb() throws {
        let r = unpack(try Fixture.bytes("7z-header-bomb.7z")).result
        let why = try #require(refusal(r))
        // The count is inside the compressed header: it is known only because the header was decoded.
        #expect(why.contains("8000000 files"))
        #expect(r?.entries.isEmpty == true)
        #expect(r?.format == "7-Zip")
    }

    @Test("The same bomb with an LZMA2 header")
    func lzma2HeaderBomb() throws {
        let why = try #require(refusal(unpack(try Fixture.bytes("7z-header-bomb-lzma2.7z")).result))
        #expect(why.contains("8000000 files"))
    }

    @Test("A real 7-Zip archive of 300 files, its header LZMA-compressed: decoded, let through, every member read")
    func realCompressedHeader() throws {
        let bytes = try Fixture.bytes("many-files.7z")
        #expect(SevenZipHeaderCheck.refusal(bytes) == nil)
        let r = try #require(unpack(bytes).result)
        #expect(r.entries.filter { $0.path.hasSuffix(".txt") }.count == 300)
        #expect(r.entries.first { $0.path == "many-files/f042.txt" }?.bytes == Array("file 042\n".utf8))
        #expect(r.limits.isEmpty)
    }

    @Test("The fixtures 7-Zip writes (plain, encrypted members, encrypted headers) are all let through")
    func ordinaryArchives() throws {
        for name in ["sample.7z", "encrypted.7z", "encrypted-headers.7z"] {
            #expect(SevenZipHeaderCheck.refusal(try Fixture.bytes(name)) == nil, "\(name)")
        }
    }

    @Test("Raw headers: 99,999,999 files or folders, pack streams, coder streams, unpack streams are refused by name")
    func rawCounts() {
        let huge = SevenZipBytes.number(99_999_999)
        #expect(refusal(unpack(SevenZipBytes.files(99_999_999)).result)?.contains("99999999 files") == true)
        let folders = SevenZipBytes.archive(header: [0x01, 0x04, 0x07, 0x0B] + huge + [0x00] + [UInt8](repeating: 0, count: 16))
        #expect(refusal(unpack(folders).result)?.contains("99999999 folders") == true)
        let packStreams = SevenZipBytes.archive(header: [0x01, 0x04, 0x06, 0x00] + huge + [0x09, 0x00])
        #expect(refusal(unpack(packStreams).result)?.contains("pack streams") == true)
        // One folder, one complex coder asking for 1,000 output streams.
        let coder = SevenZipBytes.archive(header: [0x01, 0x04, 0x07, 0x0B, 0x01, 0x00, 0x01, 0x11, 0x03, 0x01]
                                          + SevenZipBytes.number(1_000) + [0x00])
        #expect(refusal(unpack(coder).result)?.contains("output streams of one coder") == true)
        // Two folders of 60,000 unpack streams each: each is allowed, together they pass the bound.
        let lzmaCoder: [UInt8] = [0x01, 0x03, 0x03, 0x01, 0x01]
        let sub = SevenZipBytes.archive(header: [0x01, 0x04, 0x07, 0x0B, 0x02, 0x00] + lzmaCoder + lzmaCoder + [0x0C, 0x10, 0x10, 0x00]
            + [0x08, 0x0D] + SevenZipBytes.number(60_000) + SevenZipBytes.number(60_000) + [0x00, 0x00])
        #expect(refusal(unpack(sub).result)?.contains("unpack streams") == true)
    }

    @Test("100,000 declared files is the bound itself: let through (libarchive then finds the header damaged)")
    func atTheBound() {
        #expect(SevenZipHeaderCheck.refusal(SevenZipBytes.files(100_000)) == nil)
        #expect(SevenZipHeaderCheck.refusal(SevenZipBytes.files(100_001)) != nil)
        let r = unpack(SevenZipBytes.files(100_000)).result
        #expect(refusal(r) == nil)
    }

    @Test("A self-extracting .exe with the bomb where libarchive looks for 7z (past 0x27000): refused too")
    func selfExtracting() {
        let pe: [UInt8] = [0x4D, 0x5A] + [UInt8](repeating: 0, count: 0x27000 + 100 - 2)
        let sfx = SevenZipBytes.archive(header: [0x01, 0x05] + SevenZipBytes.number(50_000_000) + [0x00, 0x00], prefix: pe)
        #expect(SevenZipHeaderCheck.refusal(sfx)?.contains("50000000 files") == true)
        // Before 0x27000 libarchive does not look, so neither does the check.
        let early = SevenZipBytes.archive(header: [0x01, 0x05] + SevenZipBytes.number(50_000_000) + [0x00, 0x00],
                                          prefix: [0x4D, 0x5A] + [UInt8](repeating: 0, count: 0x1000))
        #expect(SevenZipHeaderCheck.refusal(early + [UInt8](repeating: 0, count: 0x30000)) == nil)
    }

    @Test("Encoded headers: over 16 MB declared refused before decoding; another method refused over 64 KB only")
    func encodedSizes() {
        let big = SevenZipBytes.encoded(method: [0x00], size: 17 << 20)
        #expect(SevenZipHeaderCheck.refusal(big)?.contains("decodes to 17825792 bytes") == true)
        // PPMd (030401) is not decoded here: a small declared header is left to libarchive, a large one refused.
        #expect(SevenZipHeaderCheck.refusal(SevenZipBytes.encoded(method: [0x03, 0x04, 0x01], size: 1_000)) == nil)
        let ppmd = SevenZipHeaderCheck.refusal(SevenZipBytes.encoded(method: [0x03, 0x04, 0x01], size: 1 << 20))
        #expect(ppmd?.contains("method 030401") == true)
        // A stored (copy) header is read as it is: 12 bytes declaring 200,000 files.
        let stored: [UInt8] = [0x01, 0x05] + SevenZipBytes.number(200_000) + [0x00, 0x00]
        let copy = SevenZipBytes.encoded(method: [0x00], size: UInt64(stored.count), packed: stored)
        #expect(SevenZipHeaderCheck.refusal(copy)?.contains("200000 files") == true)
    }

    @Test("An LZMA header claiming a 4 GB dictionary still decodes (the decoder's dictionary is cut to the output size)")
    func dictionaryClamped() throws {
        // The bomb's coder properties with the dictionary size field set to 0xFFFFFFFF: the same stream decodes.
        var bytes = try Fixture.bytes("7z-header-bomb.7z")
        let props: [UInt8] = [0x5D, 0x00, 0x00, 0x10, 0x00]
        let at = try #require((0..<(bytes.count - 5)).first { Array(bytes[$0..<($0 + 5)]) == props })
        for k in 1...4 { bytes[at + k] = 0xFF }
        #expect(SevenZipHeaderCheck.refusal(bytes)?.contains("8000000 files") == true)
    }

    @Test("Damaged headers are left to libarchive: a cut header, a non-7z")
    func damaged() {
        let cut = Array(SevenZipBytes.files(99_999_999).dropLast(5))
        #expect(SevenZipHeaderCheck.refusal(cut) == nil)
        #expect(SevenZipHeaderCheck.refusal(Array("not a 7z archive at all".utf8)) == nil)
        #expect(SevenZipHeaderCheck.refusal([]) == nil)
    }

    @Test("A wrong start-header CRC does not stop libarchive, so it does not stop the check (fuzz-unpack's slow unit)")
    func wrongStartCRC() throws {
        var crc = SevenZipBytes.files(99_999_999)
        crc[8] ^= 0xFF
        #expect(SevenZipHeaderCheck.refusal(crc)?.contains("99999999 files") == true)
        // The LZMA2 bomb with its next-header size made 4 TB (so the start CRC is wrong): libarchive read on and
        // built its 8,000,000 entries for 23 s under ASan.
        var bomb = try Fixture.bytes("7z-header-bomb-lzma2.7z")
        bomb[25] = 0x04
        #expect(SevenZipHeaderCheck.refusal(bomb)?.contains("8000000 files") == true)
    }
}

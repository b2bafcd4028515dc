import Foundation
import SpearUnpack
import Testing

private func read(_ bytes: [UInt8], _ configure: (inout UnpackLimits) -> Void = { _ in }) -> TNEFMessage {
    var limits = UnpackLimits()
    configure(&limits)
    return TNEF.readMessage(bytes, budget: UnpackBudget(limits: limits))
}

private func damaged(_ issues: [EntryIssue], _ text: String) -> Bool {
    issues.contains { if case .damaged(let m) = $0 { m.contains(text) } else { false } }
}

@Suite("TNEF reader")
struct TNEFTests {
    @Test func signature() {
        #expect(TNEF.isTNEF([0x78, 0x9F, 0x3E, 0x22, 0x01, 0x00]))
        #expect(!TNEF.isTNEF([0x78, 0x9F, 0x3E]))
        #expect(!TNEF.isTNEF(Array("PK\u{3}\u{4}".utf8)))
    }

    @Test func notTNEF() {
        let r = TNEF.read(Array("PK\u{3}\u{4} not tnef at all".utf8), budget: UnpackBudget())
        #expect(r.entries.isEmpty)
        #expect(r.format == "TNEF")
        #expect(r.damage?.contains("not a TNEF stream") == true)
        #expect(TNEF.read([], budget: UnpackBudget()).damage != nil)
    }

    @Test func japaneseNamesInCP932AndUTF16() throws {
        let m = read(try TNEFFixture.bytes("japanese-cp932.tnef"))
        let r = m.result
        #expect(r.damage == nil)
        #expect(r.notes.isEmpty, "\(r.notes)")
        #expect(r.names == ["請求書.txt", "報告書 2024年.pdf", "notes.txt"])
        #expect(r.entries.map(\.bytes.count) == [700, 1203, 10])
        #expect(r.entries[2].bytes == Array("harmless\r\n".utf8))
        #expect(r.entries[0].rawPath == [0x90, 0xBF, 0x8B, 0x81, 0x8F, 0x91, 0x2E, 0x74, 0x78, 0x74])
        #expect(r.entries[1].rawPath == nil)
        #expect(r.entries.allSatisfy { $0.issues.isEmpty && $0.complete })
        #expect(m.codepage == 932)
        #expect(m.messageClass == "IPM.Note")
        #expect(m.bodies == [.plain])
        #expect(m.attachments.map(\.nameSource) == [.longFilename, .longFilename, .longFilename])
        #expect(m.attachments[1].names.map(\.name) == ["報告書 2024年.pdf", "REPORT~1.PDF"])
        #expect(m.attachments.allSatisfy { $0.method == 1 && $0.content == .file })
    }

    @Test func embeddedMessageIsGivenAsANestedStream() throws {
        let m = read(try TNEFFixture.bytes("embedded-message.tnef"))
        #expect(m.result.damage == nil)
        #expect(m.result.names == ["résumé.doc", "Fwd: inner", "data ünïcode ☃.bin"])
        #expect(m.attachments.map(\.content) == [.file, .embeddedMessage, .file])
        #expect(m.attachments[1].method == 5)
        #expect(m.attachments[1].nameSource == .displayName)
        let nested = m.result.entries[1].bytes
        #expect(TNEF.isTNEF(nested))
        // The caller recurses; one level here.
        let inner = TNEF.read(nested, budget: UnpackBudget())
        #expect(inner.damage == nil)
        #expect(inner.names == ["inner.txt"])
        #expect(inner.entries.first?.bytes == Array("inner harmless\r\n".utf8))
    }

    @Test func sixFilesInOrder() throws {
        let r = read(try TNEFFixture.bytes("six-files.tnef")).result
        #expect(r.names == (0..<6).map { "file \($0).dat" })
        #expect(r.damage == nil && r.limits.isEmpty)
    }

    @Test func truncatedAtEveryOffset() throws {
        let full = try TNEFFixture.bytes("embedded-message.tnef")
        let whole = read(full).result
        let boundaries = Set(tnefAttributes(full).map(\.offset) + [full.count, 6])
        for n in 0..<full.count {
            let r = read(Array(full.prefix(n))).result
            if !boundaries.contains(n) {
                #expect(r.damage != nil, "cut at \(n): no damage")
            }
            #expect(r.entries.count <= whole.entries.count + 1, "cut at \(n)")
            for (i, e) in r.entries.enumerated() where i < whole.entries.count {
                let prefix = Array(whole.entries[i].bytes.prefix(e.bytes.count))
                #expect(e.bytes == prefix, "cut at \(n): entry \(i) bytes are not a prefix of the full entry's")
                if e.complete && e.issues.isEmpty { #expect(e.bytes == whole.entries[i].bytes, "cut at \(n): entry \(i)") }
            }
        }
        // Once the first attachment's properties are in, it is kept whatever follows.
        let attrs = tnefAttributes(full)
        let firstProps = try #require(attrs.first { $0.id == 0x0006_9005 })
        let r = read(Array(full.prefix(firstProps.offset + 11 + firstProps.length + 5))).result
        #expect(r.names.first == "résumé.doc")
        #expect(r.entries.first?.bytes == whole.entries[0].bytes)
    }

    @Test func wrongChecksumIsAnIssueAndDataIsKept() throws {
        var full = try TNEFFixture.bytes("japanese-cp932.tnef")
        let attrs = tnefAttributes(full)
        let data = try #require(attrs.last { $0.id == 0x0006_800F })
        let checksumAt = data.offset + 9 + data.length
        full[checksumAt] ^= 0xFF
        let message = try #require(attrs.first { $0.id == 0x0006_9007 })
        full[message.offset + 9 + message.length] ^= 0x01
        let r = read(full).result
        #expect(r.damage == nil)
        #expect(r.entries[2].bytes == Array("harmless\r\n".utf8))
        #expect(damaged(r.entries[2].issues, "checksum of attAttachData (0x0006800F)"))
        #expect(r.entries[0].issues.isEmpty && r.entries[1].issues.isEmpty)
        #expect(r.notes.contains { $0.contains("checksum of attOemCodepage (0x00069007)") })
    }

    @Test func absurdLengthStopsWithDamage() throws {
        var b = TNEFBuilder()
        b.renderData(); b.title("first.txt"); b.attachData(Array("one".utf8))
        b.renderData(); b.title("second.txt")
        b.attribute(level: 2, id: 0x0006_800F, Array("partial".utf8), length: 0xFFFF_FFFF)
        let r = read(b.bytes).result
        #expect(r.damage?.contains("attAttachData (0x0006800F) at offset") == true)
        #expect(r.damage?.contains("claims 4294967295 bytes") == true)
        #expect(r.names == ["first.txt", "second.txt"])
        #expect(r.entries[0].bytes == Array("one".utf8) && r.entries[0].complete)
        #expect(!r.entries[1].complete)
        #expect(r.entries[1].bytes.starts(with: Array("partial".utf8)))
        #expect(damaged(r.entries[1].issues, "cut off by the end of the stream"))
    }

    @Test func aHundredThousandAttributesAreBounded() {
        var b = TNEFBuilder()
        b.bytes.reserveCapacity(6 + 100_000 * 11)
        for _ in 0..<100_000 { b.attribute(level: 1, id: 0x0001_8004, []) }
        let m = read(b.bytes)
        #expect(m.attributeCount == TNEF.maxAttributes)
        #expect(m.result.limits.contains { if case .limit(.entries, let why) = $0 { why.contains("TNEF attributes") } else { false } })
        #expect(m.result.damage == nil)
    }

    @Test func aHundredThousandAttachmentsStopAtTheEntryBudget() {
        var b = TNEFBuilder()
        for _ in 0..<100_000 { b.renderData() }
        let m = read(b.bytes) { $0.maxEntries = 500 }
        #expect(m.result.entries.count == 500)
        #expect(m.result.limits.contains { $0 == .limit(.entries, "more than 500 archive members in the message; the rest not read") })
        #expect(m.result.entries.allSatisfy { $0.issues.contains(.unreadable("no attachment data in the stream")) })
    }

    @Test func propertyCountThatCannotFit() {
        var b = TNEFBuilder()
        b.renderData()
        b.attachData([1, 2, 3])
        b.attachment([TNEFBuilder.unicode(0x3707, "real name.bin"), TNEFBuilder.long(0x3705, 1)], count: 0x7FFF_FFFF)
        let r = read(b.bytes).result
        #expect(r.names == ["real name.bin"])
        #expect(r.entries[0].bytes == [1, 2, 3])
        #expect(damaged(r.entries[0].issues, "claims 2147483647 properties"))
        #expect(r.damage == nil)
    }

    /// Zero-width multi-valued properties (PT_NULL | MV_FLAG) whose counts cost no bytes: 60,000 of them (480 KB),
    /// each claiming as many values as could fit, made the reader loop about 7 * 10^9 times (a worker stuck for
    /// minutes). Now each is one step; the time limit turns a regression into a failure instead of a hang.
    @Test(.timeLimit(.minutes(1))) func zeroWidthMultiValuesDoNotSpin() {
        var b = TNEFBuilder()
        b.renderData()
        b.attachData([7, 7, 7])
        let spinner = TNEFBuilder.le16(0x1001) + TNEFBuilder.le16(0x0001) + TNEFBuilder.le32(0xFFFF_FFFF)
        b.attachment([TNEFBuilder.unicode(0x3707, "name.bin")] + Array(repeating: spinner, count: 60_000))
        let r = read(b.bytes).result
        #expect(r.names == ["name.bin"])
        #expect(r.entries.first?.bytes == [7, 7, 7])
    }

    @Test func aHundredThousandPropertiesAreCapped() {
        var b = TNEFBuilder()
        b.renderData()
        b.attachData([9])
        b.attachment((0..<100_000).map { TNEFBuilder.long(0x6000, UInt32($0)) } + [TNEFBuilder.unicode(0x3707, "late.txt")])
        let r = read(b.bytes).result
        #expect(r.limits.contains { if case .limit(.entries, let why) = $0 { why.contains("65536 MAPI properties") } else { false } })
        #expect(r.names == ["attachment 1"], "the name after the cap is not read")
        #expect(r.entries[0].bytes == [9])
    }

    @Test func unknownPropertyTypeAndNameKindEndTheList() {
        var b = TNEFBuilder()
        b.renderData()
        b.title("title.txt")
        b.attachData([7])
        b.attachment([TNEFBuilder.le16(0x0099) + TNEFBuilder.le16(0x3001) + [0, 0, 0, 0], TNEFBuilder.unicode(0x3707, "never.txt")])
        b.renderData()
        b.attachData([8])
        b.attachment([TNEFBuilder.le16(0x0003) + TNEFBuilder.le16(0x8001) + [UInt8](repeating: 0, count: 16) + TNEFBuilder.le32(7)])
        let r = read(b.bytes).result
        #expect(r.names == ["title.txt", "attachment 2"])
        #expect(damaged(r.entries[0].issues, "unknown type 0x0099"))
        #expect(damaged(r.entries[1].issues, "unknown name kind 7"))
    }

    @Test func multiValuedAndNamedPropertiesAreStepped() {
        var b = TNEFBuilder()
        b.renderData()
        b.attachData([5])
        let guid = [UInt8](repeating: 0xAB, count: 16)
        let namedString = TNEFBuilder.le16(0x001F) + TNEFBuilder.le16(0x8000) + guid + TNEFBuilder.le32(1)
            + TNEFBuilder.le32(6) + TNEFBuilder.padded([0x61, 0, 0x62, 0, 0, 0]) + TNEFBuilder.le32(1) + TNEFBuilder.le32(2) + TNEFBuilder.padded([0x63, 0])
        let namedID = TNEFBuilder.le16(0x0003) + TNEFBuilder.le16(0x8001) + guid + TNEFBuilder.le32(0) + TNEFBuilder.le32(0x8233) + TNEFBuilder.le32(5)
        let multiShort = TNEFBuilder.le16(0x1002) + TNEFBuilder.le16(0x6001) + TNEFBuilder.le32(3) + [1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0]
        let multiBinary = TNEFBuilder.le16(0x1102) + TNEFBuilder.le16(0x6002) + TNEFBuilder.le32(2)
            + TNEFBuilder.le32(1) + [0xEE, 0, 0, 0] + TNEFBuilder.le32(5) + TNEFBuilder.padded([1, 2, 3, 4, 5])
        b.attachment([namedString, namedID, multiShort, multiBinary, TNEFBuilder.unicode(0x3707, "after.txt")])
        let r = read(b.bytes).result
        #expect(r.names == ["after.txt"])
        #expect(r.entries[0].issues.isEmpty, "\(r.entries[0].issues)")
    }

    @Test func budgetLimitsAreReported() throws {
        let six = try TNEFFixture.bytes("six-files.tnef")
        let full = read(six).result
        let entries = read(six) { $0.maxEntries = 2 }.result
        #expect(entries.names == ["file 0.dat", "file 1.dat"])
        #expect(entries.limits.map(\.limitKind) == [.entries])

        let total = full.entries[0].bytes.count + 10
        let bytes = read(six) { $0.maxTotalBytes = total }.result
        #expect(bytes.entries.count == 2)
        #expect(bytes.entries[0].complete)
        #expect(!bytes.entries[1].complete && bytes.entries[1].bytes == Array(full.entries[1].bytes.prefix(10)))
        #expect(bytes.limits.map(\.limitKind) == [.totalBytes])

        let each = read(six) { $0.maxEntryBytes = 50 }.result
        #expect(each.entries.count == 6)
        #expect(each.entries.allSatisfy { $0.bytes.count <= 50 })
        #expect(each.limits.allSatisfy { $0.limitKind == .entryBytes } && !each.limits.isEmpty)
    }

    @Test func traversalNamesAreFlagged() {
        var b = TNEFBuilder()
        b.renderData()
        b.attachData([1])
        b.attachment([TNEFBuilder.unicode(0x3707, "../../etc/evil.txt")])
        let r = read(b.bytes).result
        #expect(r.names == ["../../etc/evil.txt"])
        #expect(r.entries[0].issues == [.pathTraversal("'..' component")])
    }

    @Test func differentLegacyAndMAPIDataAreBothGiven() {
        var b = TNEFBuilder()
        b.renderData()
        b.attachData(Array("legacy".utf8))
        b.attachment([TNEFBuilder.unicode(0x3707, "two.bin"), TNEFBuilder.binary(0x3701, Array("mapi!".utf8))])
        b.renderData()
        b.attachData(Array("same".utf8))
        b.attachment([TNEFBuilder.unicode(0x3707, "one.bin"), TNEFBuilder.binary(0x3701, Array("same".utf8))])
        let r = read(b.bytes).result
        #expect(r.names == ["two.bin", "two.bin", "one.bin"])
        #expect(r.entries.map(\.bytes) == [Array("legacy".utf8), Array("mapi!".utf8), Array("same".utf8)])
    }

    @Test func oleObjectIsGivenWithoutItsInterfaceID() {
        let storage: [UInt8] = [0x0B, 0, 0, 0, 0, 0, 0, 0, 0xC0, 0, 0, 0, 0, 0, 0, 0x46]
        let ole: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]
        var b = TNEFBuilder()
        b.renderData()
        b.attachment([TNEFBuilder.unicode(0x3001, "Picture"), TNEFBuilder.binary(0x3701, storage + ole, type: 0x000D), TNEFBuilder.long(0x3705, 6)])
        let m = read(b.bytes)
        #expect(m.result.entries.map(\.bytes) == [ole])
        #expect(m.attachments.map(\.content) == [.oleStorage])
        #expect(m.attachments.map(\.method) == [6])
    }

    @Test func unknownLevelAndAttributesBeforeRendDataAreReported() {
        var b = TNEFBuilder()
        b.attribute(level: 7, id: 0x0001_8004, [1, 2])
        b.attachData([4, 2])
        let r = read(b.bytes).result
        #expect(r.notes.contains { $0.contains("unknown level 7") })
        #expect(r.entries.map(\.bytes) == [[4, 2]])
        #expect(damaged(r.entries[0].issues, "before any attAttachRendData"))
    }
}

@Suite("TNEF against tnefparse", .enabled(if: TNEFFixture.hasTnefparse,
                                            "no .venv with tnefparse (python3 -m venv .venv && .venv/bin/pip install tnefparse==1.4.0; .ci/run makes it)"))
struct TNEFTnefparseTests {
    /// tnefparse names an attachment by PR_ATTACH_LONG_FILENAME, else attAttachTitle/PR_ATTACH_FILENAME, and does
    /// not name embedded messages; it gives MAPI values with their 4-byte padding. Names are compared where it
    /// gives one; MAPI data up to that padding.
    @Test(arguments: TNEFFixture.names)
    func sameNamesAndBytes(_ name: String) throws {
        let input = try TNEFFixture.bytes(name)
        let ours = TNEF.readMessage(input, budget: UnpackBudget())
        let process = Process()
        process.executableURL = TNEFFixture.python
        process.arguments = [TNEFFixture.directory.appendingPathComponent("tnefparse_dump.py").path,
                             TNEFFixture.directory.appendingPathComponent(name).path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let lines = String(decoding: output, as: UTF8.self).split(separator: "\n")
        #expect(lines.count == ours.result.entries.count, "\(name): tnefparse \(lines.count), ours \(ours.result.entries.count)")
        for (i, line) in lines.enumerated() where i < ours.result.entries.count {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            try #require(fields.count == 3)
            let theirName = String(decoding: hex(fields[1]), as: UTF8.self)
            let theirData = hex(fields[2])
            let entry = ours.result.entries[i]
            if fields[0] == "embedded" {
                #expect(ours.attachments[i].content == .embeddedMessage)
                #expect(theirName.isEmpty, "tnefparse now names embedded messages: \(theirName)")
                #expect(theirData.starts(with: entry.bytes) && theirData.dropFirst(entry.bytes.count).allSatisfy { $0 == 0 }
                        && theirData.count - entry.bytes.count < 4, "\(name): embedded \(i)")
            } else {
                #expect(theirName == entry.path, "\(name) \(i)")
                #expect(theirData == entry.bytes, "\(name) \(i) \(entry.path)")
            }
        }
    }

    private func hex(_ s: String) -> [UInt8] {
        var out: [UInt8] = []
        var it = s.utf8.makeIterator()
        func nibble(_ c: UInt8) -> UInt8 { c >= 0x61 ? c - 0x61 + 10 : c - 0x30 }
        while let a = it.next(), let b = it.next() { out.append(nibble(a) << 4 | nibble(b)) }
        return out
    }
}

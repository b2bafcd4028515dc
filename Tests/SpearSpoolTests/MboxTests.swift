import Foundation
import Testing
import TestSupport
@testable import SpearSpool

@Suite struct MboxTests {
    let messages = [
        "Subject: one\n\nHello\nFrom the start of a line\n>From quoted once\n>>From quoted twice\nbye\n",
        "Subject: two\n\n\nblank lines around\n\n",
        "Subject: three\n\nlast\n",
    ]

    @Test func mboxrdRoundTrip() throws {
        let dir = TempDir()
        let path = dir.write("box", Mbox.build(messages))
        let items = try readAll([path]) { $0.mboxVariant = .mboxrd }
        #expect(items.map(\.text) == messages)
        let auto = try readAll([path])
        #expect(auto.map(\.text) == messages)
    }

    @Test func mboxoRoundTrip() throws {
        // mboxo cannot carry an original ">From " line; leave those out.
        let plain = ["Subject: a\n\nFrom here\nFrom there\n>not a from\n", "Subject: b\n\nx\n"]
        let dir = TempDir()
        let path = dir.write("box", Mbox.build(plain, escape: Mbox.escapeO))
        let items = try readAll([path]) { $0.mboxVariant = .mboxo }
        #expect(items.map(\.text) == plain)
        // mboxo leaves ">>From " alone where mboxrd would remove one level.
        let two = dir.write("two", Mbox.fromLine + "S: x\n\n>>From a\n>From b\n\n")
        #expect(try readAll([two]) { $0.mboxVariant = .mboxo }.map(\.text) == ["S: x\n\n>>From a\nFrom b\n"])
        #expect(try readAll([two]) { $0.mboxVariant = .mboxrd }.map(\.text) == ["S: x\n\n>From a\nFrom b\n"])
    }

    @Test func contentLengthKeepsFromLinesInBody() throws {
        let body = "line\n\nFrom evil@example.com Mon Jan 1 00:00:00 2026\nstill body\n>From kept as is\n"
        let first = "Subject: cl\nContent-Length: \(body.utf8.count)\n\n" + body
        let second = "Subject: next\n\nok\n"
        let dir = TempDir()
        let path = dir.write("box", Mbox.fromLine + first + "\n" + Mbox.fromLine + second + "\n")
        for variant in [MboxVariant.mboxcl2, .auto] {
            let items = try readAll([path]) { $0.mboxVariant = variant }
            #expect(items.map(\.text) == [first, second], "variant \(variant)")
        }
        // Without the blank line after the counted body, and at EOF without a trailing newline.
        let tight = dir.write("tight", Mbox.fromLine + first + Mbox.fromLine + "Content-Length: 2\n\nab")
        #expect(try readAll([tight]).map(\.text) == [first, "Content-Length: 2\n\nab"])
        // The mboxrd reading splits the same file in three.
        #expect(try readAll([path]) { $0.mboxVariant = .mboxrd }.count == 3)
    }

    @Test func invalidContentLengthFallsBack() throws {
        let dir = TempDir()
        for length in [3, 10_000, 25] {
            let text = Mbox.fromLine + "Content-Length: \(length)\n\nbody text\n\n>From x\n\n"
                + Mbox.fromLine + "Subject: 2\n\nsecond\n\n"
            let path = dir.write("box\(length)", text)
            let items = try readAll([path])
            #expect(items.map(\.text) == ["Content-Length: \(length)\n\nbody text\n\nFrom x\n", "Subject: 2\n\nsecond\n"],
                    "length \(length)")
            #expect(items.map { $0.message?.offset } == [0, Mbox.fromLine.utf8.count + "Content-Length: \(length)\n\nbody text\n\n>From x\n\n".utf8.count])
        }
    }

    @Test func crlfMbox() throws {
        // (Swift treats "\r\n" as one Character, so escape first, then convert line endings.)
        let crlf = messages.map { $0.replacingOccurrences(of: "\n", with: "\r\n") }
        let text = Mbox.build(messages).replacingOccurrences(of: "\n", with: "\r\n")
        let dir = TempDir()
        let path = dir.write("box", text)
        let items = try readAll([path])
        #expect(items.map(\.text) == crlf)
        // Content-Length with CRLF.
        let body = "a\r\nFrom b\r\n"
        let m1 = "Content-Length: \(body.utf8.count)\r\n\r\n" + body
        let cl = dir.write("cl", "From x\r\n" + m1 + "\r\nFrom y\r\nS: 2\r\n\r\nz\r\n\r\n")
        #expect(try readAll([cl]).map(\.text) == [m1, "S: 2\r\n\r\nz\r\n"])
    }

    @Test func offsetsPointAtFromLines() throws {
        let dir = TempDir()
        let path = dir.write("box", Mbox.build(messages))
        let file = readBytes(path)
        let items = try readAll([path])
        #expect(items.compactMap { $0.message?.offset } == Mbox.offsets(messages))
        for item in items {
            let offset = try #require(item.message?.offset)
            #expect(Array(file[offset..<offset + 5]) == Array("From ".utf8))
        }
    }

    @Test func gzipEqualsPlain() throws {
        let dir = TempDir()
        let path = dir.write("box", Mbox.build(messages))
        let gz = try gzip(path)
        #expect(SpoolDetector.detect(gz) == .mbox)
        let plain = try readAll([path]).map { [$0.text, "\($0.message?.offset ?? -1)"] }
        let packed = try readAll([gz]) { $0.readBufferSize = 64 }.map { [$0.text, "\($0.message?.offset ?? -1)"] }
        #expect(plain == packed)
        // Concatenated members read as one stream.
        let doubled = dir.write("double.gz", readBytes(gz) + readBytes(gz))
        #expect(try readAll([doubled]).count == 2 * messages.count)
    }

    @Test func corruptGzipFailsThenContinues() throws {
        let dir = TempDir()
        var big: [String] = []
        for i in 0..<2000 { big.append("Subject: \(i)\n\n" + String(repeating: "payload \(i) ", count: 40) + "\n") }
        let path = dir.write("box", Mbox.build(big))
        var bytes = readBytes(try gzip(path))
        for i in stride(from: bytes.count / 2, to: bytes.count / 2 + 64, by: 1) { bytes[i] ^= 0x5A }
        let corrupt = dir.write("corrupt.gz", bytes)
        let truncated = dir.write("truncated.gz", Array(readBytes(path + ".gz").prefix(bytes.count / 2)))
        let next = dir.write("next", Mbox.build(["Subject: after\n\nok\n"]))
        let items = try readAll([corrupt, truncated, next]) { $0.readBufferSize = 4096 }
        let failures = items.compactMap(\.failure)
        #expect(failures.count == 2)
        #expect(failures.map(\.source) == [corrupt, truncated])
        #expect(failures.allSatisfy { $0.offset != nil })
        #expect(failures[1].reason.contains("truncated"))
        #expect(items.last?.text == "Subject: after\n\nok\n")
        // Deflate may decode damaged data into garbage before the CRC catches it, so only the messages of
        // the truncated file (a clean prefix) are checked against the originals.
        let fromTruncated = items.compactMap(\.message).filter { $0.source == truncated }
        #expect(fromTruncated.count > 0 && fromTruncated.count < big.count)
        for (i, m) in fromTruncated.enumerated() { #expect(m.bytes.elementsEqual(big[i].utf8)) }
    }

    @Test func largeMboxAcrossChunks() throws {
        var rng = SplitMix64(seed: 7)
        var list: [String] = []
        var size = 0
        while size < 5_000_000 {
            let lines = Int.random(in: 1...400, using: &rng)
            var body = "Subject: \(list.count)\n\n"
            for j in 0..<lines {
                body += j % 37 == 0 ? "From inside \(j)\n" : String(repeating: "x", count: Int.random(in: 0...200, using: &rng)) + "\n"
            }
            list.append(body)
            size += body.utf8.count
        }
        let dir = TempDir()
        let path = dir.write("box", Mbox.build(list))
        let reader = try SpoolReader(paths: [path], options: { var o = SpoolOptions(); o.readBufferSize = 64 << 10; return o }())
        var count = 0
        let offsets = Mbox.offsets(list)
        while let item = reader.next() {
            let m = try #require(item.message)
            #expect(m.bytes.elementsEqual(list[count].utf8))
            #expect(m.offset == offsets[count])
            count += 1
        }
        #expect(count == list.count)
        #expect(reader.bytesRead == SpoolReader.totalBytes(of: [path]))
    }

    @Test func oversizedMessageIsCut() throws {
        let huge = "Subject: big\n\n" + String(repeating: "0123456789abcdef\n", count: 20_000)
        let list = ["Subject: small\n\nhi\n", huge, "Subject: after\n\nstill here\n"]
        let dir = TempDir()
        let path = dir.write("box", Mbox.build(list))
        let items = try readAll([path]) { $0.maxMessageBytes = 1000; $0.readBufferSize = 4096 }
        #expect(items.count == 3)
        let cut = try #require(items[1].message)
        #expect(cut.bytes == Array(huge.utf8.prefix(1000)))
        #expect(cut.originalSize == huge.utf8.count)
        #expect(items[0].message?.originalSize == nil)
        #expect(items[2].text == list[2])
        #expect(items[2].message?.offset == Mbox.offsets(list)[2])
        // A Content-Length body larger than the limit is not trusted and the message is still cut.
        let cl = dir.write("cl", Mbox.fromLine + "Content-Length: 5000\n\n" + String(repeating: "y", count: 5000) + "\n")
        let clItems = try readAll([cl]) { $0.maxMessageBytes = 100 }
        #expect(clItems.count == 1 && clItems[0].message?.originalSize == 5023)
    }

    @Test func edgeCases() throws {
        let dir = TempDir()
        // One gigantic line without newline.
        let giant = dir.write("giant", "From a\n" + String(repeating: "z", count: 300_000))
        let g = try readAll([giant]) { $0.readBufferSize = 4096 }
        #expect(g.count == 1 && g[0].message?.bytes.count == 300_000)
        // From_ line at EOF, with and without newline; NUL bytes kept.
        let atEOF = dir.write("eof", "From a\nS: 1\n\nx\0y\n\nFrom b")
        #expect(try readAll([atEOF]).map(\.text) == ["S: 1\n\nx\0y\n", ""])
        // No blank line before From: body text, not a separator.
        let noBlank = dir.write("noblank", "From a\nS: 1\n\nx\nFrom b\ny\n")
        #expect(try readAll([noBlank]).map(\.text) == ["S: 1\n\nx\nFrom b\ny\n"])
        // Data before the first From_ line is reported, then messages follow.
        let lead = dir.write("lead", "garbage\n\nFrom a\nS: 1\n\nx\n")
        let l = try readAll([lead]) { $0.format = .mbox }
        #expect(l.count == 2 && l[0].failure?.offset == 0 && l[1].message?.offset == 9)
        // Leading empty lines are not data.
        let blankLead = dir.write("blanklead", "\n\r\n\nFrom a\nS: 1\n\nx\n")
        #expect(try readAll([blankLead]) { $0.format = .mbox }.map(\.text) == ["S: 1\n\nx\n"])
        // Forced mbox on a file with no From_ line, and an empty file.
        let none = dir.write("none", "just text\n")
        let empty = dir.write("empty", "")
        let n = try readAll([none, empty]) { $0.format = .mbox }
        #expect(n.compactMap(\.failure).count == 2)
        #expect(n[1].failure?.reason == "empty file")
    }

    @Test func fuzzNeverCrashesAndAccountsForEveryByte() throws {
        var rng = SplitMix64(seed: 42)
        let pieces: [[UInt8]] = ["From ", "\n", "\r\n", "\n\n", "From x\n", ">From ", "Content-Length: 3\n", "Content-Length: 0\n",
                                 "Content-Length: 12\n", "\n\nFrom y\n"].map { Array($0.utf8) }
        let dir = TempDir()
        for round in 0..<150 {
            var data: [UInt8] = Bool.random(using: &rng) ? Array("From start\n".utf8) : []
            for _ in 0..<Int.random(in: 0...120, using: &rng) {
                if Bool.random(using: &rng) {
                    data += pieces[Int.random(in: 0..<pieces.count, using: &rng)]
                } else {
                    for _ in 0..<Int.random(in: 0...30, using: &rng) { data.append(UInt8.random(in: 0...255, using: &rng)) }
                }
            }
            let path = dir.write("f\(round)", data)
            let limit = Int.random(in: 1...200, using: &rng)
            let items = try readAll([path]) {
                $0.format = .mbox
                $0.mboxVariant = .mboxcl2  // no unescaping: message bytes are verbatim slices of the file
                $0.maxMessageBytes = limit
                $0.readBufferSize = 64
            }
            // Every byte is in a From_ line, a message, a dropped separator newline, or reported leading data.
            var position = 0
            for item in items {
                if let f = item.failure {
                    #expect((f.offset == 0 || (f.offset == nil && data.isEmpty)) && position == 0)
                    position = data.count  // leading data: recomputed below from the next message
                    continue
                }
                let m = try #require(item.message)
                let offset = try #require(m.offset)
                if position == data.count && offset < data.count { position = offset }
                let gap = offset - position
                let leadingBlank = position == 0 && data[0..<offset].allSatisfy { $0 == 10 || $0 == 13 }
                #expect(gap >= 0 && (gap <= 2 || leadingBlank), "round \(round) gap \(gap)")
                #expect(Array(data[offset..<min(offset + 5, data.count)]) == Array("From ".utf8))
                var lineEnd = offset
                while lineEnd < data.count && data[lineEnd] != 10 { lineEnd += 1 }
                let start = min(lineEnd + 1, data.count)
                #expect(Array(data[start..<min(start + m.bytes.count, data.count)]) == m.bytes, "round \(round)")
                position = start + (m.originalSize ?? m.bytes.count)
                #expect(m.bytes.count <= limit)
            }
            if !items.isEmpty, items.last?.failure == nil {
                #expect(data.count - position >= 0 && data.count - position <= 2, "round \(round) tail")
            }
        }
    }
}

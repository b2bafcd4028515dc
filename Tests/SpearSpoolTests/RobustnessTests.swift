import Foundation
import Testing
import TestSupport
@testable import SpearSpool

@Suite struct RobustnessTests {
    @Test func fuzzAllVariantsAndDamagedGzip() throws {
        var rng = SplitMix64(seed: 99)
        let pieces = ["From ", "\n", "\r\n", "\n\n", "From x\n", ">From ", ">>From ", "Content-Length: 4\n",
                      "content-length:0\r\n", "\n\nFrom y\n", "\0"].map { Array($0.utf8) }
        let dir = TempDir()
        for round in 0..<60 {
            var data: [UInt8] = Array("From start\n".utf8)
            for _ in 0..<Int.random(in: 0...200, using: &rng) {
                if Bool.random(using: &rng) {
                    data += pieces[Int.random(in: 0..<pieces.count, using: &rng)]
                } else {
                    for _ in 0..<Int.random(in: 0...40, using: &rng) { data.append(UInt8.random(in: 0...255, using: &rng)) }
                }
            }
            let path = dir.write("f\(round)", data)
            var gz = readBytes(try gzip(path))
            for _ in 0..<Int.random(in: 0...3, using: &rng) where gz.count > 20 {
                gz[Int.random(in: 10..<gz.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
            if Bool.random(using: &rng) { gz = Array(gz.prefix(Int.random(in: 0...gz.count, using: &rng))) }
            let damaged = dir.write("f\(round).gz", gz)
            for variant in MboxVariant.allCases {
                let items = try readAll([path, damaged]) {
                    $0.format = .mbox
                    $0.mboxVariant = variant
                    $0.maxMessageBytes = Int.random(in: 1...300, using: &rng)
                    $0.readBufferSize = 64
                }
                let fromPlain = items.filter {
                    $0.message?.source == path || $0.failure?.source == path
                }
                let fromLines = data.indices.filter { i in
                    (i == 0 || data[i - 1] == 10) && data[i...].starts(with: "From ".utf8)
                }.count
                #expect(fromPlain.count >= 1 && fromPlain.count <= fromLines, "round \(round) \(variant)")
                let total = fromPlain.compactMap(\.message).reduce(0) { $0 + ($1.originalSize ?? $1.bytes.count) }
                #expect(total <= data.count)
            }
        }
    }

    @Test func manyWrongContentLengthsStayLinear() throws {
        // Every message claims to run to the end of the file; each claim must be checked and rejected.
        var text = ""
        for i in 0..<3000 { text += "From a\nContent-Length: 5000000\n\nmessage \(i)\n\n" }
        let dir = TempDir()
        let path = dir.write("box", text)
        let start = ContinuousClock.now
        let items = try readAll([path]) { $0.readBufferSize = 4096 }
        #expect(items.count == 3000)
        #expect(items[2999].text == "Content-Length: 5000000\n\nmessage 2999\n")
        #expect(ContinuousClock.now - start < .seconds(20))
    }

    @Test func fifoIsNotOpened() throws {
        let dir = TempDir()
        let fifo = dir.url("pipe")
        #expect(mkfifo(fifo, 0o600) == 0)
        dir.write("t/a", "a")
        #expect(mkfifo(dir.url("t/b"), 0o600) == 0)
        let items = try readAll([fifo, dir.url("t")])
        #expect(items.count == 3)
        #expect(items[0].failure?.source == fifo)
        #expect(items[1].text == "a")
        #expect(items[2].failure?.source == dir.url("t/b"))
    }

    @Test("a file that changes between being opened and read is failed, with the reason; read again unchanged, it is a message")
    func fileChangedWhileRead() throws {
        let dir = TempDir()
        dir.write("m.eml", "From: a@example.jp\r\nSubject: half\r\n")
        let path = dir.url("m.eml")
        let file = try FileSource(path: path, noFollow: true)
        // Still being written: the rest arrives after the reader opened it.
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data("\r\nthe body\r\n".utf8))
        try handle.close()
        let item = MessageFile(path: path, noFollow: true, options: SpoolOptions(), opened: file).next()
        let reason = try #require(item?.failure?.reason)
        #expect(reason == "changed while being read (35 bytes when opened, 47 after); rerun to read it complete")
        // Once still, the rerun reads it whole.
        let again = MessageFile(path: path, noFollow: true, options: SpoolOptions()).next()
        #expect(again?.text == "From: a@example.jp\r\nSubject: half\r\n\r\nthe body\r\n")
    }
}

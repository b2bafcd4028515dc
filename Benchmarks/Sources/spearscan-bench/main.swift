import Foundation
import SpearCore
import SpearClassify
import SpearMIME
import SpearScan

/// Single-core throughput of the scan pipeline (parse + decode + MD5/SHA-1/SHA-256 of every attachment) on
/// base64-heavy mail, and the cost of a small message. Prints one line per measurement.

func makeBase64Message(attachments: Int, bytesEach: Int, seed: UInt64) -> [UInt8] {
    var rng = seed
    func next() -> UInt8 {
        rng = rng &* 6364136223846793005 &+ 1442695040888963407
        return UInt8(truncatingIfNeeded: rng >> 33)
    }
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    var out = Array("""
        From: "Sender" <sender@example.jp>\r
        To: someone@example.co.jp\r
        Subject: benchmark\r
        Date: Wed, 12 Jun 2019 10:31:07 +0900\r
        MIME-Version: 1.0\r
        Content-Type: multipart/mixed; boundary="BENCH-BOUNDARY"\r
        \r
        --BENCH-BOUNDARY\r
        Content-Type: text/plain; charset=utf-8\r
        \r
        See the attached files.\r

        """.utf8)
    for a in 0..<attachments {
        out += Array("--BENCH-BOUNDARY\r\nContent-Type: application/octet-stream; name=\"file\(a).bin\"\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=\"file\(a).bin\"\r\n\r\n".utf8)
        var column = 0
        var i = 0
        while i < bytesEach {
            let v = UInt32(next()) << 16 | UInt32(next()) << 8 | UInt32(next())
            out.append(alphabet[Int(v >> 18 & 63)]); out.append(alphabet[Int(v >> 12 & 63)])
            out.append(alphabet[Int(v >> 6 & 63)]); out.append(alphabet[Int(v & 63)])
            i += 3
            column += 4
            if column == 76 { out += [13, 10]; column = 0 }
        }
        out += [13, 10]
    }
    out += Array("--BENCH-BOUNDARY--\r\n".utf8)
    return out
}

func measure(_ label: String, bytes: Int, repeats: Int, _ body: () -> Void) {
    var times: [Double] = []
    for _ in 0..<repeats {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    times.sort()
    let median = times[times.count / 2]
    let mbps = Double(bytes) / 1_000_000 / median
    print(String(format: "%-44@ %10.3f ms median  %8.1f MB/s  (%d runs, best %.3f ms)", label as NSString, median * 1000, mbps, repeats, times[0] * 1000))
}

if let k = CommandLine.arguments.firstIndex(of: "--spool"), k + 1 < CommandLine.arguments.count {
    let sample = CommandLine.arguments.firstIndex(of: "--sample").flatMap { Int(CommandLine.arguments[$0 + 1]) } ?? 1_000
    SpoolStageBench.run(directory: CommandLine.arguments[k + 1], sample: sample)
    exit(0)
}
if let k = CommandLine.arguments.firstIndex(of: "--stages"), k + 1 < CommandLine.arguments.count {
    func value(_ flag: String) -> Int? { CommandLine.arguments.firstIndex(of: flag).flatMap { Int(CommandLine.arguments[$0 + 1]) } }
    do {
        try StageBreakdownBench.run(directory: CommandLine.arguments[k + 1], sample: value("--sample") ?? 2_000,
                                    maxSize: value("--max-size") ?? 15_000)
    } catch {
        print("stages: \(error)")
        exit(1)
    }
    exit(0)
}
if CommandLine.arguments.contains("--decoders") {
    DecoderBench.run()
    exit(0)
}
if CommandLine.arguments.contains("--sender") {
    SenderBench.run(profileOnly: CommandLine.arguments.contains("--profile-sender"))
    exit(0)
}
let scanner = MessageScanner()
if CommandLine.arguments.contains("--profile-lure") { /* handled below, after the lure is built */ }
if CommandLine.arguments.contains("--profile-once") {
    // One scan of a 16 MB message, for valgrind --tool=callgrind.
    let message = makeBase64Message(attachments: 2, bytesEach: 6 << 20, seed: 1)
    _ = scanner.scan(message, source: "profile")
    exit(0)
}
let profilingLure = CommandLine.arguments.contains("--profile-lure")
let big = profilingLure ? [] : makeBase64Message(attachments: 8, bytesEach: 12 << 20, seed: 42)
var attachmentsOnly = ScanOptions()
attachmentsOnly.messageDigest = false
let parseAndHash = MessageScanner(options: attachmentsOnly)
if !profilingLure {
measure("parse + decode + MD5/SHA-1/SHA-256 per attachment (\(big.count / 1_000_000) MB)", bytes: big.count, repeats: 5) {
    let r = parseAndHash.scan(big, source: "bench")
    precondition(r.report.attachments.count == 8)
}
measure("the same + SHA-256 of the whole message", bytes: big.count, repeats: 5) {
    let r = scanner.scan(big, source: "bench")
    precondition(r.report.attachments.count == 8)
}
}
let small = makeBase64Message(attachments: 1, bytesEach: 36 << 10, seed: 7)
let smallWorker = try Magic()
measure("scan: 50 KB message", bytes: small.count, repeats: 200) {
    _ = scanner.scan(small, source: "bench", magic: smallWorker)
}
let json = scanner.scan(small, source: "bench", magic: smallWorker).report
measure("render JSON of the 50 KB message's report", bytes: small.count, repeats: 200) {
    _ = ReportRenderer.json(json)
}
// A typical lure: a 50 KB zip holding one script, base64 in a message. Unpack + classify + hash, one libmagic
// handle reused as a worker would.
func crc32(_ data: [UInt8]) -> UInt32 {
    var table = [UInt32](repeating: 0, count: 256)
    for i in 0..<256 {
        var c = UInt32(i)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        table[i] = c
    }
    var crc: UInt32 = 0xFFFF_FFFF
    for b in data { crc = table[Int((crc ^ UInt32(b)) & 0xFF)] ^ (crc >> 8) }
    return crc ^ 0xFFFF_FFFF
}

func storedZip(name: String, data: [UInt8]) -> [UInt8] {
    func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
    func le32(_ v: UInt32) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 24 & 0xFF)] }
    let n = Array(name.utf8), crc = crc32(data), size = UInt32(data.count)
    var out: [UInt8] = [0x50, 0x4B, 3, 4] + le16(20) + le16(0) + le16(0) + le16(0) + le16(0) + le32(crc) + le32(size) + le32(size) + le16(n.count) + le16(0) + n + data
    let central = out.count
    out += [0x50, 0x4B, 1, 2] + le16(20) + le16(20) + le16(0) + le16(0) + le16(0) + le16(0) + le32(crc) + le32(size) + le32(size)
        + le16(n.count) + le16(0) + le16(0) + le16(0) + le16(0) + le32(0) + le32(0) + n
    let centralSize = out.count - central
    out += [0x50, 0x4B, 5, 6] + le16(0) + le16(0) + le16(1) + le16(1) + le32(UInt32(centralSize)) + le32(UInt32(central)) + le16(0)
    return out
}

var script: [UInt8] = []
while script.count < 50_000 { script += Array("WScript.Echo(\"spearscan benchmark line \(script.count)\");\r\n".utf8) }
let lureZip = storedZip(name: "invoice.js", data: script)
var lure = Array("From: a@example.jp\r\nTo: b@example.co.jp\r\nSubject: lure\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n--B\r\nContent-Type: application/zip; name=invoice.zip\r\nContent-Transfer-Encoding: base64\r\n\r\n".utf8)
lure += Array(Data(lureZip).base64EncodedString(options: .lineLength76Characters).utf8) + Array("\r\n--B--\r\n".utf8)
let worker = try Magic()
if CommandLine.arguments.contains("--profile-lure") {
    for _ in 0..<20 { _ = scanner.scan(lure, source: "bench", magic: worker) }
    exit(0)
}
measure("libmagic on the 50 KB script (description + MIME)", bytes: script.count, repeats: 100) { _ = worker.identify(script) }
let prefix8k = Array(script.prefix(8192))
measure("libmagic on 8 KB of the script", bytes: prefix8k.count, repeats: 100) { _ = worker.identify(prefix8k) }
let tiny = Array("WScript.Echo(1);\r\n".utf8)
measure("libmagic on a 17-byte script", bytes: tiny.count, repeats: 100) { _ = worker.identify(tiny) }
measure("libmagic on the 50 KB zip", bytes: lureZip.count, repeats: 100) { _ = worker.identify(lureZip) }
measure("scan: lure with a 50 KB zip holding one script", bytes: lure.count, repeats: 300) {
    let r = scanner.scan(lure, source: "bench", magic: worker)
    precondition(r.report.attachments.first?.children.first?.category == .script)
}
if CommandLine.arguments.count > 2, CommandLine.arguments[1] == "--write-small" {
    try Data(small).write(to: URL(fileURLWithPath: CommandLine.arguments[2]))
}

if CommandLine.arguments.contains("--breakdown") {
    // Where the time goes: the same bytes through each step alone.
    let payload = (0..<(64 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 2654435761 >> 13) }
    measure("MD5 + SHA-1 + SHA-256 of 64 MiB", bytes: payload.count, repeats: 3) { _ = Digests(of: payload) }
    let encoded = Array(big[1000..<(big.count - 1000)])
    measure("base64-decode the big message's bytes", bytes: encoded.count, repeats: 3) { _ = Base64.decode(encoded) }
}

import Foundation
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

let scanner = MessageScanner()
if CommandLine.arguments.contains("--profile-once") {
    // One scan of a 16 MB message, for valgrind --tool=callgrind.
    let message = makeBase64Message(attachments: 2, bytesEach: 6 << 20, seed: 1)
    _ = scanner.scan(message, source: "profile")
    exit(0)
}
let big = makeBase64Message(attachments: 8, bytesEach: 12 << 20, seed: 42)
var attachmentsOnly = ScanOptions()
attachmentsOnly.messageDigest = false
let parseAndHash = MessageScanner(options: attachmentsOnly)
measure("parse + decode + MD5/SHA-1/SHA-256 per attachment (\(big.count / 1_000_000) MB)", bytes: big.count, repeats: 5) {
    let r = parseAndHash.scan(big, source: "bench")
    precondition(r.report.attachments.count == 8)
}
measure("the same + SHA-256 of the whole message", bytes: big.count, repeats: 5) {
    let r = scanner.scan(big, source: "bench")
    precondition(r.report.attachments.count == 8)
}
let small = makeBase64Message(attachments: 1, bytesEach: 36 << 10, seed: 7)
measure("scan: 50 KB message", bytes: small.count, repeats: 200) {
    _ = scanner.scan(small, source: "bench")
}
let json = scanner.scan(small, source: "bench").report
measure("render JSON of the 50 KB message's report", bytes: small.count, repeats: 200) {
    _ = ReportRenderer.json(json)
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

import Foundation
import SpearMIME

/// Single-core throughput of each transfer and header decoder on its own, on generated input, so a change to
/// one decoder shows in its own line (issue #12's "no decoder slower by more than 5 %").
enum DecoderBench {
    /// `SPEARSCAN_BENCH_REPEATS=1` runs each measurement once, for `valgrind --tool=callgrind` (instruction counts
    /// are repeatable on this noisy machine; wall times move by a quarter between runs).
    static func run() {
        let once = ProcessInfo.processInfo.environment["SPEARSCAN_BENCH_REPEATS"] == "1"
        var rng: UInt64 = 7
        func next() -> UInt8 {
            rng = rng &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(truncatingIfNeeded: rng >> 33)
        }
        let payload = (0..<(8 << 20)).map { _ in next() }
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

        // base64, 76 columns, CRLF, padded.
        var b64: [UInt8] = []
        b64.reserveCapacity(payload.count * 4 / 3 + payload.count / 38)
        var column = 0
        var i = 0
        while i + 3 <= payload.count {
            let v = UInt32(payload[i]) << 16 | UInt32(payload[i + 1]) << 8 | UInt32(payload[i + 2])
            b64 += [alphabet[Int(v >> 18 & 63)], alphabet[Int(v >> 12 & 63)], alphabet[Int(v >> 6 & 63)], alphabet[Int(v & 63)]]
            i += 3
            column += 4
            if column == 76 { b64 += [13, 10]; column = 0 }
        }
        // The same without its line breaks' regularity: 60-column LF lines with a trailing space.
        var ragged: [UInt8] = []
        column = 0
        for c in b64 where c != 13 && c != 10 {
            ragged.append(c)
            column += 1
            if column == 60 { ragged += [0x20, 10]; column = 0 }
        }

        // quoted-printable: Japanese-ish UTF-8 text with soft breaks at 76 columns.
        var qp: [UInt8] = []
        let hex = Array("0123456789ABCDEF".utf8)
        column = 0
        for (k, b) in payload.prefix(4 << 20).enumerated() {
            let byte = k % 5 == 0 ? UInt8(0x41 + Int(b) % 26) : (k % 7 == 0 ? 0x20 : b)
            if byte == 0x20 || (byte >= 0x21 && byte <= 0x7E && byte != 0x3D) {
                qp.append(byte); column += 1
            } else {
                qp += [0x3D, hex[Int(byte >> 4)], hex[Int(byte & 15)]]; column += 3
            }
            if column >= 73 { qp += [0x3D, 13, 10]; column = 0 }
        }

        // uuencode: 45 bytes a line.
        var uu = Array("begin 644 file.bin\n".utf8)
        func enc(_ v: UInt8) -> UInt8 { v == 0 ? 0x60 : v + 0x20 }
        var p = 0
        let uuPayload = payload.prefix(4 << 20)
        while p < uuPayload.count {
            let n = min(45, uuPayload.count - p)
            uu.append(enc(UInt8(n)))
            var q = p
            while q < p + n {
                let a = uuPayload[q], b = q + 1 < p + n ? uuPayload[q + 1] : 0, c = q + 2 < p + n ? uuPayload[q + 2] : 0
                uu += [enc(a >> 2), enc((a << 4 | b >> 4) & 63), enc((b << 2 | c >> 6) & 63), enc(c & 63)]
                q += 3
            }
            uu.append(10)
            p += n
        }
        uu += Array("`\nend\n".utf8)
        let uuBody = uu[...]

        // Encoded words: a Japanese subject, 4 words, and an RFC 2231 filename in 3 pieces.
        let subject = Array("=?ISO-2022-JP?B?GyRCQ21KOEZiTUYkTjNOR3cbKEI=?= =?UTF-8?B?44CQ6YeN6KaB44CR5rOo5paH5YaF5a6544Gu56K66KqN?= =?UTF-8?Q?=E3=81=94=E7=A2=BA=E8=AA=8D?= =?Shift_JIS?B?gqiSbYLngrk=?=".utf8)
        let params = Array("attachment; filename*0*=utf-8''%E6%B3%A8%E6%96%87; filename*1*=%E5%86%85%E5%AE%B9; filename*2=.zip; size=1234".utf8)

        measure("base64 76-col CRLF (11 MB)", bytes: b64.count, repeats: once ? 1 : 15) { _ = Base64.decode(b64) }
        measure("base64 60-col LF, trailing space (11 MB)", bytes: ragged.count, repeats: once ? 1 : 15) { _ = Base64.decode(ragged) }
        measure("quoted-printable (\(qp.count >> 20) MB)", bytes: qp.count, repeats: once ? 1 : 15) { _ = QuotedPrintable.decode(qp) }
        measure("uuencode (\(uu.count >> 20) MB)", bytes: uu.count, repeats: once ? 1 : 15) { _ = UUEncode.decodeBody(uuBody) }
        measure("encoded words, 4-word subject x 20,000", bytes: subject.count * 20_000, repeats: once ? 1 : 9) {
            for _ in 0..<(once ? 2_000 : 20_000) { _ = HeaderText.decodeUnstructured(subject) }
        }
        measure("RFC 2231 parameters x 20,000", bytes: params.count * 20_000, repeats: once ? 1 : 9) {
            for _ in 0..<(once ? 2_000 : 20_000) { _ = Parameters.parse(params) }
        }
    }
}

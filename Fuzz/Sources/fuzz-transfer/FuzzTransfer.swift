import FuzzDriver
import Foundation
import SpearMIME

/// Transfer decodings: the input decoded as base64, quoted-printable (both line-break modes) and as text that may
/// hold uuencoded blocks, with no crash; and the input encoded by an independent encoder (Foundation's base64,
/// the harness's own quoted-printable and uuencode) must decode back to the input exactly — also base64 without its
/// `=` padding, which senders really omit.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTransfer(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = input(data, size)
    _ = Base64.decode(bytes)
    _ = QuotedPrintable.decode(bytes)
    _ = QuotedPrintable.decode(bytes, lineBreaks: .preserve)
    for block in UUEncode.findBlocks(in: bytes[...]) { _ = block.bytes.count }
    _ = UUEncode.decodeBody(bytes[...])

    let encoded = Array(Data(bytes).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed]).utf8)
    let decoded = Base64.decode(encoded)
    require(decoded.bytes == bytes && decoded.invalidCharacters == 0, "base64 of \(bytes.count) bytes decoded to \(decoded.bytes.count)")
    let unpadded = Base64.decode(encoded.filter { $0 != UInt8(ascii: "=") })
    require(unpadded.bytes == bytes, "unpadded base64 of \(bytes.count) bytes decoded to \(unpadded.bytes.count)")

    let qp = QuotedPrintable.decode(quotedPrintable(bytes))
    require(qp.bytes == bytes && qp.invalidEscapes == 0, "quoted-printable of \(bytes.count) bytes decoded to \(qp.bytes.count)")

    let uu = Array("Hello,\r\n\r\nbegin 644 file.bin\r\n".utf8) + uuencode(bytes) + Array("end\r\n".utf8)
    let blocks = UUEncode.findBlocks(in: uu[...])
    require(blocks.count == 1 && blocks[0].bytes == bytes && !blocks[0].truncated,
            "uuencoded \(bytes.count) bytes found as \(blocks.map(\.bytes.count))")
    return 0
}

/// Every byte outside printable ASCII (and `=`) escaped, soft line breaks before 76 characters.
func quotedPrintable(_ bytes: [UInt8]) -> [UInt8] {
    let hex = Array("0123456789ABCDEF".utf8)
    var out: [UInt8] = [], line = 0
    for b in bytes {
        let literal = (33...126).contains(b) && b != UInt8(ascii: "=")
        let width = literal ? 1 : 3
        if line + width > 75 { out += Array("=\r\n".utf8); line = 0 }
        if literal { out.append(b) } else { out += [UInt8(ascii: "="), hex[Int(b >> 4)], hex[Int(b & 15)]] }
        line += width
    }
    return out
}

/// Classic uuencode: 45 bytes a line, a length character, backquote for zero; a "`" line before `end`.
func uuencode(_ bytes: [UInt8]) -> [UInt8] {
    func char(_ v: UInt8) -> UInt8 { v == 0 ? UInt8(ascii: "`") : v + 32 }
    var out: [UInt8] = []
    var k = 0
    while k < bytes.count {
        let chunk = Array(bytes[k..<min(k + 45, bytes.count)])
        out.append(char(UInt8(chunk.count)))
        var i = 0
        while i < chunk.count {
            let a = chunk[i], b = i + 1 < chunk.count ? chunk[i + 1] : 0, c = i + 2 < chunk.count ? chunk[i + 2] : 0
            out += [char(a >> 2), char((a << 4 | b >> 4) & 63), char((b << 2 | c >> 6) & 63), char(c & 63)]
            i += 3
        }
        out += [13, 10]
        k += 45
    }
    return out + Array("`\r\n".utf8)
}

@_cdecl("fuzz_transfer_main")
public func fuzzTransferMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzTransfer)
}

import SpearMIME
import Testing

@Suite("transfer encodings")
struct TransferEncodingTests {
    @Test("base64 tolerates line breaks and white space; stray characters are skipped and counted")
    func base64Lenient() {
        let r = Base64.decode(Array("aGVs\r\n bG8g\td29y!!bGQ=".utf8))
        #expect(String(decoding: r.bytes, as: UTF8.self) == "hello world")
        #expect(r.invalidCharacters == 2)
    }

    @Test("a final group without its padding keeps its bytes and is reported as missing padding, not truncation")
    func missingPadding() {
        for (text, expected) in [("aGk", "hi"), ("aA", "h"), ("aGk=", "hi"), ("aA=", "h"), ("c3BlYXI", "spear")] {
            let body = TransferDecoder.decode(Array(text.utf8)[...], encoding: .base64)
            #expect(body.bytes == Array(expected.utf8), "\(text)")
            #expect(!body.issues.contains { $0.0 == .base64Truncated }, "\(text)")
            #expect(body.issues.contains { $0.0 == .base64MissingPadding } == !text.hasSuffix("=") || text == "aA=", "\(text)")
        }
    }

    @Test("a final group of one character encodes no byte: the rest is kept, base64_truncated reported")
    func oneCharacterGroup() {
        let body = TransferDecoder.decode(Array("c3BlYXJzQ".utf8)[...], encoding: .base64)
        #expect(body.bytes == Array("spears".utf8))
        #expect(body.issues.map(\.0) == [.base64Truncated])
    }

    @Test("a lone '=' that completes no group is a stray character, as binascii has it")
    func strayPadding() {
        // `aG=k`: two sextets, one '=', then more data: the '=' is skipped.
        let r = Base64.decode(Array("aG=k".utf8))
        #expect(r.bytes == Array("hi".utf8))
        #expect(r.invalidCharacters == 1)
        #expect(!r.dataAfterPadding)
        // At a group boundary too.
        #expect(Base64.decode(Array("aGk=\n=aGk=".utf8)).bytes == Array("hihi".utf8))
        // More '=' straight after a padding is harmless.
        let extra = Base64.decode(Array("aA===".utf8))
        #expect(extra.bytes == Array("h".utf8))
        #expect(extra.invalidCharacters == 0)
    }

    @Test("long base64 decodes exactly (fast path and slow path agree)")
    func longBase64() {
        let bytes = (0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 7919) }
        let encoded = encodeBase64(bytes)
        #expect(Base64.decode(encoded).bytes == bytes)
    }

    @Test("quoted-printable: soft breaks, lower-case hex, malformed escapes kept, trailing blanks dropped")
    func quotedPrintable() {
        let r = QuotedPrintable.decode(Array("caf=C3=a9 =\r\nsoft=20\r\nbad=ZZ end   \r\nlast= \n".utf8))
        #expect(String(decoding: r.bytes, as: UTF8.self) == "café soft \r\nbad=ZZ end\r\nlast")
        #expect(r.invalidEscapes == 1)
    }

    @Test("an unknown transfer encoding keeps the body as is and is reported")
    func unknown() {
        let m = parse("Content-Transfer-Encoding: x-gzip64\nContent-Type: application/octet-stream\n\nraw\n")
        #expect(m.root.transferEncoding == .unknown("x-gzip64"))
        #expect(m.has(.unknownTransferEncoding))
        #expect(decodedBody(m.root) == "raw\r\n")
    }

    @Test("lenient spellings of Content-Transfer-Encoding", arguments: [("7-bit", TransferEncoding.sevenBit), ("8bits", .eightBit), ("base64;", .base64), ("\"Quoted-Printable\"", .quotedPrintable), ("x-uuencode", .uuencode)])
    func spellings(raw: String, expected: TransferEncoding) {
        #expect(TransferEncoding(parsing: Array(raw.utf8)) == expected)
    }

    @Test("uuencoded blocks inside text are found and decoded; prose starting with 'begin' is not")
    func uuencode() {
        let text = "Hello,\nbegin the meeting at 10.\nbegin 644 hello.txt\n&:&5L;&\\*\n`\nend\nbye\n"
        let blocks = UUEncode.findBlocks(in: Array(text.utf8)[...])
        #expect(blocks.count == 1)
        #expect(String(decoding: blocks[0].rawName, as: UTF8.self) == "hello.txt")
        #expect(String(decoding: blocks[0].bytes, as: UTF8.self) == "hello\n")
        #expect(!blocks[0].truncated)
    }

    @Test("a uuencoded block with no end line is truncated")
    func uuTruncated() {
        let blocks = UUEncode.findBlocks(in: Array("begin 600 x.bin\n&:&5L;&\\*\n".utf8)[...])
        #expect(blocks.first?.truncated == true)
        #expect(blocks.first?.bytes == Array("hello\n".utf8))
    }
}

/// A plain base64 encoder for test data.
func encodeBase64(_ bytes: [UInt8]) -> [UInt8] {
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    var out: [UInt8] = []
    var i = 0
    var column = 0
    while i < bytes.count {
        let b0 = UInt32(bytes[i]), b1 = i + 1 < bytes.count ? UInt32(bytes[i + 1]) : 0, b2 = i + 2 < bytes.count ? UInt32(bytes[i + 2]) : 0
        let v = b0 << 16 | b1 << 8 | b2
        out.append(alphabet[Int(v >> 18 & 63)])
        out.append(alphabet[Int(v >> 12 & 63)])
        out.append(i + 1 < bytes.count ? alphabet[Int(v >> 6 & 63)] : 0x3D)
        out.append(i + 2 < bytes.count ? alphabet[Int(v & 63)] : 0x3D)
        i += 3
        column += 4
        if column == 76 { out += [0x0D, 0x0A]; column = 0 }
    }
    return out
}

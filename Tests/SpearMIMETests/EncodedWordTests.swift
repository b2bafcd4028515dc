import SpearMIME
import Testing

@Suite("RFC 2047 encoded words")
struct EncodedWordTests {
    func decode(_ s: String) -> HeaderText.Decoded { HeaderText.decodeUnstructured(Array(s.utf8)) }

    @Test("B and Q words; white space between adjacent words is dropped, around text kept")
    func basics() {
        #expect(decode("=?UTF-8?B?5rOo5paH?= =?UTF-8?Q?=E5=86=85=E5=AE=B9?=").text == "注文内容")
        #expect(decode("Re: =?iso-8859-1?q?caf=E9_cr=E8me?= ok").text == "Re: café crème ok")
        #expect(decode("=?utf-8?q?a?=\n =?utf-8?q?b?=").text == "ab")
    }

    @Test("a UTF-8 character split across two words is joined before decoding")
    func splitUTF8() {
        // 注 is E6 B3 A8: the first word carries E6 B3, the second A8.
        let d = decode("=?UTF-8?B?5rM=?= =?UTF-8?B?qA==?=")
        #expect(d.text == "注")
        #expect(d.issues.isEmpty)
    }

    @Test("ISO-2022-JP split across words (escape sequence in one, characters in the next)")
    func splitISO2022JP() {
        // ESC $ B 0x43 0x6D ("注") | 0x4A 0x38 ("文") ESC ( B
        let d = decode("=?ISO-2022-JP?B?GyRCQ20=?= =?ISO-2022-JP?B?SjgbKEI=?=")
        #expect(d.text == "注文")
    }

    @Test("words glued to text and the RFC 2231 language suffix are decoded")
    func lenient() {
        #expect(decode("Fwd:=?utf-8?q?x?=").text == "Fwd:x")
        #expect(decode("=?utf-8*ja?q?y?=").text == "y")
    }

    @Test("an unknown encoding letter and an unknown charset are reported")
    func bad() {
        #expect(decode("=?utf-8?x?abc?=").issues.contains { if case .invalidEncodedWord = $0 { true } else { false } })
        #expect(decode("=?x-nonsense?q?abc?=").issues.contains(.unknownCharset("x-nonsense")))
    }

    @Test("encoded words inside a quoted display name are decoded")
    func quotedDisplayName() {
        let (addresses, _, _) = AddressParser.parse(Array("\"=?ISO-2022-JP?B?GyRCN1BNfRsoQg==?=\" <keiri@example.co.jp>".utf8))
        #expect(addresses == [Address(name: "経理", address: "keiri@example.co.jp")])
    }
}

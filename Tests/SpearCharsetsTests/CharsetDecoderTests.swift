import SpearCharsets
import Testing

@Suite("charset decoding")
struct CharsetDecoderTests {
    @Test("labels resolve to the decoders real mail needs", arguments: [
        ("Shift_JIS", "CP932"), ("x-sjis", "CP932"), ("windows-31j", "CP932"), ("ISO-2022-JP", "ISO-2022-JP"),
        ("\"utf8\"", "UTF-8"), ("ISO-8859-1", "windows-1252"), ("latin1", "windows-1252"), ("gb2312", "GB18030"),
        ("ks_c_5601-1987", "CP949"), ("EUC-KR", "CP949"), ("euc-jp", "EUC-JP"), ("iso-8859-15", "ISO-8859-15"),
        ("windows-1251", "windows-1251"), ("KOI8-U", "KOI8-U"), ("Big5", "BIG5-HKSCS"), ("UTF-16", "UTF-16"),
    ])
    func resolve(label: String, name: String) {
        #expect(Charset.resolve(label: label)?.name == name)
    }

    @Test("unknown and hostile labels resolve to nothing", arguments: ["bad-charset", "x-unknown-42", "../../etc", "utf-8; rm -rf /", ""])
    func unknownLabels(label: String) {
        #expect(Charset.resolve(label: label) == nil)
    }

    @Test("ISO-2022-JP with the Windows extensions Japanese mail uses (NEC row 13, half-width kana)")
    func iso2022jpExtensions() {
        // ESC $ B, "①" is JIS row 13 0x2D21, "㈱" 0x2D6A; ESC ( I, half-width "ｱ" 0x31; ESC ( B back to ASCII.
        let bytes: [UInt8] = [0x1B, 0x24, 0x42, 0x2D, 0x21, 0x2D, 0x6A, 0x1B, 0x28, 0x49, 0x31, 0x1B, 0x28, 0x42] + Array(" ok".utf8)
        let d = CharsetDecoder.decode(bytes, label: "iso-2022-jp")
        #expect(d.string == "①㈱ｱ ok")
        #expect(d.isClean)
    }

    @Test("注文内容の確認 in ISO-2022-JP, Shift_JIS, EUC-JP and UTF-8")
    func japaneseLure() {
        let iso: [UInt8] = [0x1B, 0x24, 0x42, 0x43, 0x6D, 0x4A, 0x38, 0x46, 0x62, 0x4D, 0x46, 0x24, 0x4E, 0x33, 0x4E, 0x47, 0x27, 0x1B, 0x28, 0x42]
        let sjis: [UInt8] = [0x92, 0x8D, 0x95, 0xB6, 0x93, 0xE0, 0x97, 0x65, 0x82, 0xCC, 0x8A, 0x6D, 0x94, 0x46]
        let euc: [UInt8] = [0xC3, 0xED, 0xCA, 0xB8, 0xC6, 0xE2, 0xCD, 0xC6, 0xA4, 0xCE, 0xB3, 0xCE, 0xC7, 0xA7]
        #expect(CharsetDecoder.decode(iso, label: "ISO-2022-JP").string == "注文内容の確認")
        #expect(CharsetDecoder.decode(sjis, label: "shift_jis").string == "注文内容の確認")
        #expect(CharsetDecoder.decode(euc, label: "euc-jp").string == "注文内容の確認")
        #expect(CharsetDecoder.decode(Array("注文内容の確認".utf8), label: "utf-8").string == "注文内容の確認")
    }

    @Test("a bad byte costs one replacement character, not the text")
    func lossy() {
        var bytes: [UInt8] = [0x92, 0x8D, 0x95, 0xB6]   // 注文 in Shift_JIS
        bytes.append(0xFF)                              // never valid in CP932
        bytes += [0x82, 0xCC]                           // の
        let d = CharsetDecoder.decode(bytes, label: "Shift_JIS")
        #expect(d.string == "注文\u{FFFD}の")
        #expect(d.replacements == 1)
        #expect(!d.isClean)
    }

    @Test("invalid UTF-8 is repaired and counted")
    func invalidUTF8() {
        let d = CharsetDecoder.decode([0x61, 0xC3, 0x28, 0x62], label: "utf-8")
        #expect(d.string == "a\u{FFFD}(b")
        #expect(d.replacements == 1)
    }

    @Test("an unknown label falls back to a guess and says so")
    func unknownLabelGuess() {
        let d = CharsetDecoder.decode(Array("café".utf8), label: "bad-charset")
        #expect(d.string == "café")
        #expect(d.unknownLabel)
    }

    @Test("8-bit bytes under a 7-bit label are mislabelled and guessed", arguments: ["us-ascii", "iso-2022-jp"])
    func mislabelled(label: String) {
        let sjis: [UInt8] = [0x92, 0x8D, 0x95, 0xB6, 0x8F, 0x91]  // 注文書
        let d = CharsetDecoder.decode(sjis, label: label)
        #expect(d.mislabelled)
        #expect(d.string == "注文書")
    }

    @Test("guessing raw bytes: UTF-8, then CP932, then EUC-JP, then windows-1252")
    func guess() {
        #expect(CharsetDecoder.guess(Array("請求書".utf8)).charset == .utf8)
        #expect(CharsetDecoder.guess([0x90, 0xBF, 0x8B, 0x81, 0x8F, 0x91]).string == "請求書")   // CP932
        #expect(CharsetDecoder.guess([0xC0, 0xC1, 0xB5, 0xE1, 0xBD, 0xF1]).string == "請求書")   // EUC-JP
        #expect(CharsetDecoder.guess([0x93, 0x71, 0x75, 0x6F, 0x74, 0x65, 0x94]).string == "\u{201C}quote\u{201D}")
    }

    @Test("windows-1252 maps 0x80–0x9F to punctuation, the ISO-8859-1 label included")
    func windows1252() {
        #expect(CharsetDecoder.decode([0x80, 0x20, 0x96, 0x20, 0xE9], label: "iso-8859-1").string == "€ – é")
    }

    @Test("UTF-16 with a byte-order mark")
    func utf16() {
        #expect(CharsetDecoder.decode([0xFF, 0xFE, 0x4B, 0x30, 0x6A, 0x30], label: "utf-16").string == "かな")
    }

    @Test("GB2312 text decodes through GB18030, KOI8-R and EUC-KR through their supersets")
    func otherAsian() {
        #expect(CharsetDecoder.decode([0xD6, 0xD0, 0xCE, 0xC4], label: "gb2312").string == "中文")
        #expect(CharsetDecoder.decode([0xF0, 0xD2, 0xC9, 0xD7, 0xC5, 0xD4], label: "koi8-r").string == "Привет")
        #expect(CharsetDecoder.decode([0xC7, 0xD1, 0xB1, 0xDB], label: "ks_c_5601-1987").string == "한글")
    }
}

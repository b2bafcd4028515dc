import SpearDomains
import Testing

@Suite("Punycode")
struct PunycodeTests {
    /// RFC 3492 section 7.1 sample strings (A, B, C, D, E, I, J, K, L, P, Q, S).
    static let samples: [(unicode: String, punycode: String)] = [
        ("\u{0644}\u{064A}\u{0647}\u{0645}\u{0627}\u{0628}\u{062A}\u{0643}\u{0644}\u{0645}\u{0648}\u{0634}\u{0639}\u{0631}\u{0628}\u{064A}\u{061F}",
         "egbpdaj6bu4bxfgehfvwxn"),
        ("他们为什么不说中文", "ihqwcrb4cv8a8dqg056pqjye"),
        ("他們爲什麽不說中文", "ihqwctvzc91f659drss3x8bo0yb"),
        ("Pročprostěnemluvíčesky", "Proprostnemluvesky-uyb24dma41a"),
        ("למההםפשוטלאמדבריםעברית", "4dbcagdahymbxekheh6e0a7fei0b"),
        ("почемужеонинеговорятпорусски", "b1abfaaepdrnnbgefbadotcwatmq2g4l"),
        ("PorquénopuedensimplementehablarenEspañol", "PorqunopuedensimplementehablarenEspaol-fmd56a"),
        ("TạisaohọkhôngthểchỉnóitiếngViệt", "TisaohkhngthchnitingVit-kjcr8268qyxafd2f1b9g"),
        ("3年B組金八先生", "3B-ww4c5e180e575a65lsy2b"),
        ("MajiでKoiする5秒前", "MajiKoi5-783gue6qz075azm5e"),
        ("ひとつ屋根の下2", "2-u9tlzr9756bt3uc0v"),
        ("-> $1.00 <-", "-> $1.00 <--"),
    ]

    @Test("RFC 3492 samples encode, decode and round-trip")
    func rfcSamples() {
        for (unicode, punycode) in Self.samples {
            #expect(Punycode.encode(unicode) == punycode, "encode(\(unicode))")
            #expect(Punycode.decode(punycode) == unicode, "decode(\(punycode))")
            #expect(Punycode.decode("xn--" + punycode) == unicode, "decode(xn--\(punycode))")
            #expect(Punycode.encode(unicode).flatMap(Punycode.decode) == unicode)
        }
        // RFC 3492 writes sample I with a mixed-case annotation: digits are case-insensitive.
        #expect(Punycode.decode("b1abfaaepdrnnbgefbaDotcwatmq2g4l") == "почемужеонинеговорятпорусски")
        #expect(Punycode.decode("XN--80AK6AA92E") == "аррӏе")
    }

    @Test("domains: toUnicode and toASCII")
    func domains() {
        #expect(Punycode.toUnicode("xn--80ak6aa92e.com") == "аррӏе.com")
        #expect(Punycode.toUnicode("www.xn--pple-43d.com") == "www.аpple.com")
        #expect(Punycode.toUnicode("www.example.com") == "www.example.com")
        #expect(Punycode.toUnicode("xn--zz!.xn--.com") == "xn--zz!.xn--.com")  // invalid labels stay as written
        #expect(Punycode.toUnicode("") == "")
        #expect(Punycode.toASCII("аpple.com") == "xn--pple-43d.com")
        #expect(Punycode.toASCII("食狮.公司.cn") == "xn--85x722f.xn--55qx5d.cn")
        #expect(Punycode.encode("abc") == "abc-")
        #expect(Punycode.decode("") == "")
    }

    @Test("invalid input is nil")
    func invalid() {
        #expect(Punycode.decode("xn--") == nil)            // nothing after the prefix
        #expect(Punycode.decode("abc!") == nil)            // not a base-36 digit
        #expect(Punycode.decode("xn--z") == nil)           // a number cut short
        #expect(Punycode.decode("bücher") == nil)          // non-ASCII
        #expect(Punycode.decode("ib9b") == nil)            // decodes to U+D800, a surrogate
        #expect(Punycode.decode("99999999999") == nil)     // overflow
        #expect(Punycode.decode("xn--abc-99999999999999999999") == nil)
    }

    @Test("hostile input: long and overflowing, no crash")
    func hostile() {
        #expect(Punycode.decode(String(repeating: "9", count: 100_000)) == nil)
        #expect(Punycode.decode(String(repeating: "9", count: 1_000)) == nil)
        #expect(Punycode.decode(String(repeating: "a-", count: 400) + String(repeating: "zz", count: 100)) == nil)
        #expect(Punycode.encode(String(repeating: "ü", count: 5_000)) == nil)
        let long = String(repeating: "ü日本", count: 300)
        #expect(Punycode.encode(long).flatMap(Punycode.decode) == long)
        let highest = String(repeating: "\u{10FFFF}\u{80}", count: 400)
        #expect(Punycode.encode(highest).flatMap(Punycode.decode) == highest)
        _ = Punycode.toUnicode(String(repeating: "xn--99999999.", count: 10_000))
    }
}

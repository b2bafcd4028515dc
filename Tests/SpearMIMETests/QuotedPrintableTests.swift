import SpearMIME
import Testing

/// Quoted-printable cases found by DecoderDifferentialTests, pinned without Python.
@Suite("quoted-printable")
struct QuotedPrintableTests {
    func decode(_ s: String) -> QuotedPrintable.Result { QuotedPrintable.decode(Array(s.utf8), lineBreaks: .preserve) }

    @Test("'==' is one '=' (as Python's email reads it) and the byte after it is not re-read; counted as malformed")
    func doubleEquals() {
        let r = decode("x==41 a==\nb===3D")
        #expect(String(decoding: r.bytes, as: UTF8.self) == "x=41 a=\nb==")
        #expect(r.invalidEscapes == 3)
    }

    @Test("trailing blanks of the last line (no line break after it) are transport padding too")
    func trailingBlanksAtEnd() {
        #expect(decode("end \t").bytes == Array("end".utf8))
        #expect(decode("a=20 ").bytes == Array("a ".utf8))
        #expect(decode("soft=  ").bytes == Array("soft".utf8))
        #expect(decode("\t\r\n  ").bytes == Array("\r\n".utf8))
        #expect(QuotedPrintable.decode(Array("x \n y\t".utf8)).bytes == Array("x\r\n y".utf8))
        // Blanks before a soft break at the very end are data.
        #expect(decode("a \t=").bytes == Array("a \t".utf8))
        #expect(decode("a  = \t").bytes == Array("a  ".utf8))
    }

    @Test("'=' then blanks then a line break is a soft break (rule 3 deletes the blanks first); '=' cut from its hex digits by a line break is kept")
    func softBreaks() {
        #expect(decode("a= \t\r\nb=\nc").bytes == Array("abc".utf8))
        #expect(decode("=4=\n1").bytes == Array("=41".utf8))
        #expect(decode("=4\n1").bytes == Array("=4\n1".utf8))
    }

    @Test("'=' before a lone CR is kept with the bytes after it (Python skips to the next LF and drops them)")
    func equalsBeforeLoneCR() {
        let r = decode("a=\rb\nc")
        #expect(r.bytes == Array("a=\rb\nc".utf8))
        #expect(r.invalidEscapes == 1)
    }
}

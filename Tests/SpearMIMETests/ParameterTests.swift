import SpearMIME
import Testing

@Suite("Content-Type and Content-Disposition parameters")
struct ParameterTests {
    func params(_ s: String) -> (String, Parameters, [Parameters.Issue]) {
        let (head, p, issues) = Parameters.parse(Array(s.utf8))
        return (String(decoding: head, as: UTF8.self), p, issues)
    }

    @Test("RFC 2231 continuations with charset and percent-encoding")
    func continuations() {
        let (head, p, issues) = params("attachment; filename*0*=UTF-8''%E8%AB%8B%E6%B1%82; filename*1*=%E6%9B%B8.pdf; filename*2=\".exe\"")
        #expect(head == "attachment")
        #expect(p["filename"] == "請求書.pdf.exe")
        #expect(issues.isEmpty)
    }

    @Test("sections out of order are assembled in order; a gap is reported")
    func order() {
        let (_, p, _) = params("x; name*1=\"b\"; name*0=\"a\"")
        #expect(p["name"] == "ab")
        let (_, _, issues) = params("x; name*0=\"a\"; name*2=\"c\"")
        #expect(issues.contains(.incompleteContinuation("name")))
    }

    @Test("the RFC 2231 form wins over a plain value")
    func precedence() {
        let (_, p, _) = params("attachment; filename=\"fallback.txt\"; filename*=utf-8''real.exe")
        #expect(p["filename"] == "real.exe")
    }

    @Test("encoded words inside quoted values, raw UTF-8 and raw Shift_JIS names")
    func nonStandardNames() {
        #expect(params("attachment; filename=\"=?UTF-8?B?6KuL5rGC5pu4LnBkZg==?=\"").1["filename"] == "請求書.pdf")
        #expect(params("attachment; filename=\"請求書.pdf\"").1["filename"] == "請求書.pdf")
        var sjis = Array("attachment; filename=\"".utf8)
        sjis += [0x90, 0xBF, 0x8B, 0x81, 0x8F, 0x91] + Array(".lzh\"".utf8)
        let (_, p, issues) = Parameters.parse(sjis)
        #expect(p["filename"] == "請求書.lzh")
        #expect(issues.contains(.text(.raw8bit(charset: "CP932"))))
    }

    @Test("lenient syntax: missing semicolons, spaces around '=', unquoted values with spaces")
    func lenientSyntax() {
        let (head, p, _) = params("multipart/mixed boundary=\"abc\"")
        #expect(head == "multipart/mixed")
        #expect(p["boundary"] == "abc")
        #expect(params("text/plain; charset = utf-8").1["charset"] == "utf-8")
        #expect(params("attachment; filename=my report.pdf").1["filename"] == "my report.pdf")
    }

    @Test("a duplicated parameter is reported and the first value used")
    func duplicate() {
        let (_, p, issues) = params("attachment; filename=\"a.txt\"; filename=\"a.exe\"")
        #expect(p["filename"] == "a.txt")
        #expect(issues.contains(.duplicate("filename")))
    }

    @Test("a name given only in Content-Type name= is the part's filename")
    func nameOnly() {
        let m = parse("Content-Type: application/octet-stream; name=\"only-name.bin\"\n\nxx\n")
        #expect(m.root.filename == "only-name.bin")
    }
}

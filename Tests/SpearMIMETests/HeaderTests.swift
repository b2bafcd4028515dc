import SpearMIME
import Testing

@Suite("header fields")
struct HeaderTests {
    @Test("folded fields are unfolded; repeated fields are kept in order")
    func unfoldingAndRepeats() {
        let m = parse("Received: from a\n\tby b; Wed, 12 Jun 2019 10:00:00 +0900\nReceived: from c by d\nSubject: one\n two\n\nbody\n")
        let received = m.headers.all("received")
        #expect(received.count == 2)
        #expect(String(decoding: received[0].unfolded, as: UTF8.self) == "from a\tby b; Wed, 12 Jun 2019 10:00:00 +0900")
        #expect(String(decoding: received[1].unfolded, as: UTF8.self) == "from c by d")
        #expect(m.headers.text("subject") == "one two")
    }

    @Test("white space before the colon is tolerated and recorded")
    func obsoleteSyntax() {
        let m = parse("Subject : hello\n\nbody\n")
        #expect(m.headers.text("subject") == "hello")
        #expect(m.has(.obsoleteHeaderSyntax))
    }

    @Test("a line that is not a field is skipped and recorded; the fields after it still count")
    func malformedLine() {
        let m = parse("Subject: s\nThis is not a header\nContent-Type: text/html\n\n<p>x</p>\n")
        #expect(m.root.contentType.mimeType == "text/html")
        #expect(m.has(.malformedHeaderLine))
    }

    @Test("a duplicated Content-Type is an evasive defect; the first one is used")
    func duplicateContentType() {
        let m = parse("Content-Type: text/plain\nContent-Type: multipart/mixed; boundary=x\n\n--x\n\nhidden\n--x--\n")
        #expect(m.root.contentType.mimeType == "text/plain")
        let d = m.defects.first { $0.code == .duplicateHeader }
        #expect(d?.severity == .evasive)
        #expect(d?.detail.contains("multipart/mixed") == true)
    }

    @Test("an mbox From_ line before the header is skipped")
    func mboxFromLine() {
        let m = parse("From someone@example.com Wed Jan 12 08:08:13 2005\nSubject: hi\n\nbody\n")
        #expect(m.headers.text("subject") == "hi")
        #expect(m.defects.isEmpty)
    }

    @Test("raw UTF-8 in a header is RFC 6532 text; raw Shift_JIS is guessed and reported")
    func raw8bit() {
        let utf8 = HeaderText.decodeUnstructured(Array("注文内容の確認".utf8))
        #expect(utf8.text == "注文内容の確認")
        #expect(utf8.issues.isEmpty)
        let sjis = HeaderText.decodeUnstructured([0x92, 0x8D, 0x95, 0xB6, 0x8F, 0x91])
        #expect(sjis.text == "注文書")
        #expect(sjis.issues == [.raw8bit(charset: "CP932")])
    }

    @Test("NUL bytes in a header are evasive")
    func nul() {
        let m = MIMEParser().parse(Array("Subject: a\u{0}b\r\n\r\nx".utf8))
        #expect(m.defects.contains { $0.code == .nulByte && $0.severity == .evasive })
    }

    @Test("the header block limit fires and is reported; the parse still finishes")
    func headerLimit() {
        var options = ParseOptions()
        options.maxHeaderBytes = 1000
        let long = "X-Junk: " + String(repeating: "a", count: 5000) + "\nSubject: after\n\nbody\n"
        let m = parse(long, options: options)
        #expect(m.has(.headerLimitExceeded))
        #expect(m.has(.longHeaderLine))
        // The field that crossed the limit is kept, cut; the fields after it are not.
        #expect(m.headers.first("x-junk")?.rawValue.count ?? 0 > 900)
        #expect(m.headers.text("subject") == nil)
        #expect(decodedBody(m.root) == "body\r\n")
    }

    @Test("a message of header fields only, without a blank line, has an empty body")
    func headersOnly() {
        let m = parse("Subject: only headers\nFrom: a@example.com")
        #expect(m.headers.text("subject") == "only headers")
        #expect(decodedBody(m.root) == "")
        #expect(m.defects.isEmpty)
    }
}

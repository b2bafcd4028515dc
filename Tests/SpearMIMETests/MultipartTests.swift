import SpearMIME
import Testing

@Suite("multipart structure")
struct MultipartTests {
    @Test("preamble and epilogue are kept; parts get IMAP section numbers", arguments: [true, false])
    func basic(crlf: Bool) {
        let m = parse("""
            Content-Type: multipart/mixed; boundary="b1"

            preamble text
            --b1
            Content-Type: text/plain

            first
            --b1
            Content-Type: multipart/alternative; boundary=b2

            --b2

            inner
            --b2--
            --b1--
            epilogue text

            """, crlf: crlf)
        guard case .multipart(let preamble, let parts, let epilogue) = m.root.content else { Issue.record("not multipart"); return }
        #expect(String(decoding: preamble, as: UTF8.self) == "preamble text")
        #expect(String(decoding: epilogue, as: UTF8.self).hasPrefix("epilogue text"))
        #expect(parts.map(\.path) == ["1", "2"])
        #expect(children(parts[1]).map(\.path) == ["2.1"])
        #expect(decodedBody(parts[0]) == "first")
        #expect(decodedBody(children(parts[1])[0]) == "inner")
        #expect(m.defects.isEmpty, "\(m.defects)")
    }

    @Test("boundary lines with trailing white space still delimit")
    func trailingWhitespace() {
        let m = parse("Content-Type: multipart/mixed; boundary=b\n\n--b \t\n\none\n--b\t\n\ntwo\n--b--  \n")
        #expect(children(m.root).map(decodedBody) == ["one", "two"])
        #expect(m.defects.isEmpty)
    }

    @Test("a missing final boundary at the end of the message keeps every part and is a warning (readers agree)")
    func missingFinalBoundary() {
        let m = parse("Content-Type: multipart/mixed; boundary=b\n\n--b\n\none\n--b\nContent-Type: application/pdf\n\nPDFDATA\n")
        #expect(children(m.root).count == 2)
        #expect(decodedBody(children(m.root)[1]) == "PDFDATA\r\n")
        #expect(m.defects.contains { $0.code == .missingFinalBoundary && $0.severity == .warning })
    }

    @Test("an inner multipart left open is closed by its parent's boundary")
    func innerLeftOpen() {
        let m = parse("""
            Content-Type: multipart/mixed; boundary=outer

            --outer
            Content-Type: multipart/alternative; boundary=inner

            --inner

            a
            --outer
            Content-Type: application/zip; name=x.zip

            ZIP
            --outer--

            """)
        let parts = children(m.root)
        #expect(parts.count == 2)
        #expect(parts[1].filename == "x.zip")
        #expect(m.defects.first { $0.code == .missingFinalBoundary }?.where == "1")
    }

    @Test("a boundary that is a prefix of another does not match it", arguments: [("abc", "abcdef"), ("abcdef", "abc")])
    func prefixBoundaries(outer: String, inner: String) {
        let m = parse("""
            Content-Type: multipart/mixed; boundary=\(outer)

            --\(outer)
            Content-Type: multipart/mixed; boundary=\(inner)

            --\(inner)

            i1
            --\(inner)

            i2
            --\(inner)--
            --\(outer)

            o2
            --\(outer)--

            """)
        let parts = children(m.root)
        #expect(parts.count == 2)
        #expect(children(parts[0]).map(decodedBody) == ["i1", "i2"])
        #expect(decodedBody(parts[1]) == "o2")
        #expect(m.defects.isEmpty, "\(m.defects)")
    }

    @Test("a nested multipart reusing its parent's boundary is reported")
    func reusedBoundary() {
        let m = parse("Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: multipart/alternative; boundary=b\n\n--b\n\nx\n--b--\n")
        #expect(m.has(.reusedBoundary))
    }

    @Test("multipart without boundary, and with no delimiter line at all")
    func noBoundary() {
        #expect(parse("Content-Type: multipart/mixed\n\nbody\n").has(.missingBoundaryParameter))
        let m = parse("Content-Type: multipart/mixed; boundary=zz\n\nno delimiters here\n")
        #expect(m.has(.missingStartBoundary))
        guard case .multipart(let preamble, let parts, _) = m.root.content else { Issue.record("kept as multipart"); return }
        #expect(parts.isEmpty)
        #expect(String(decoding: preamble, as: UTF8.self).contains("no delimiters"))
    }

    @Test("message/rfc822 is parsed as a nested message, its parts numbered under it")
    func nestedMessage() {
        let m = parse("""
            Content-Type: multipart/mixed; boundary=b

            --b

            see attached
            --b
            Content-Type: message/rfc822

            Subject: inner
            Content-Type: multipart/mixed; boundary=c

            --c

            inner text
            --c
            Content-Type: application/octet-stream; name=payload.bin

            DATA
            --c--
            --b--

            """)
        let attached = children(m.root)[1]
        guard case .message(_, let inner) = attached.content else { Issue.record("not a message"); return }
        #expect(inner.headers.text("subject") == "inner")
        #expect(inner.root.leaves.map(\.path) == ["2.1", "2.2"])
        #expect(inner.root.leaves[1].messageDepth == 1)
        #expect(inner.root.leaves[1].filename == "payload.bin")
    }

    @Test("base64-encoded message/rfc822 is decoded, parsed and reported")
    func encodedMessage() {
        // "Subject: hidden\r\n\r\nsecret" in base64.
        let m = parse("Content-Type: message/rfc822\nContent-Transfer-Encoding: base64\n\nU3ViamVjdDogaGlkZGVuDQoNCnNlY3JldA==\n")
        guard case .message(let bytes, let inner) = m.root.content else { Issue.record("not a message"); return }
        #expect(String(decoding: bytes, as: UTF8.self) == "Subject: hidden\r\n\r\nsecret")
        #expect(inner.headers.text("subject") == "hidden")
        #expect(m.has(.encodedMessage))
    }

    @Test("a base64-encoded multipart is decoded and parsed, and flagged evasive")
    func encodedMultipart() {
        // "--x\r\n\r\nhi\r\n--x--\r\n" in base64.
        let m = parse("Content-Type: multipart/mixed; boundary=x\nContent-Transfer-Encoding: base64\n\nLS14DQoNCmhpDQotLXgtLQ0K\n")
        #expect(children(m.root).map(decodedBody) == ["hi"])
        #expect(m.defects.contains { $0.code == .encodedMultipart && $0.severity == .evasive })
    }

    @Test("multipart/digest parts default to message/rfc822")
    func digest() {
        let m = parse("Content-Type: multipart/digest; boundary=d\n\n--d\n\nSubject: one\n\nbody\n--d--\n")
        guard case .message(_, let inner) = children(m.root)[0].content else { Issue.record("not a message"); return }
        #expect(inner.headers.text("subject") == "one")
    }

    @Test("nesting 10,000 deep stops at the depth limit, is reported, and finishes")
    func deepNesting() {
        var text = ""
        for i in 0..<10_000 { text += "Content-Type: multipart/mixed; boundary=b\(i)\n\n--b\(i)\n" }
        text += "\ninnermost\n"
        let m = parse(text)
        #expect(m.has(.nestingLimitExceeded))
        var depth = 0
        var part = m.root
        while let first = children(part).first { part = first; depth += 1 }
        #expect(depth == ParseOptions.default.maxDepth)
    }

    @Test("the part limit stops creating parts, keeps the rest opaque, and is reported")
    func partLimit() {
        var options = ParseOptions()
        options.maxParts = 10
        var text = "Content-Type: multipart/mixed; boundary=p\n\n"
        for i in 0..<50 { text += "--p\n\npart \(i)\n" }
        text += "--p--\n"
        let m = parse(text, options: options)
        #expect(children(m.root).count == 10)
        #expect(m.has(.partLimitExceeded))
    }

    @Test("empty input and binary input give analyses with defects")
    func degenerate() {
        #expect(MIMEParser().parse([]).has(.emptyMessage))
        let binary = MIMEParser().parse((0..<1024).map { UInt8($0 % 256) })
        #expect(binary.has(.notAMessage))
        #expect(binary.root.contentType.mimeType == "application/octet-stream")
    }

    @Test("a part whose header runs into the next boundary has an empty body")
    func headerIntoBoundary() {
        let m = parse("Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n--b\n\nsecond\n--b--\n")
        #expect(children(m.root).count == 2)
        #expect(decodedBody(children(m.root)[0]) == "")
        #expect(m.has(.missingHeaderBodySeparator))
    }
}

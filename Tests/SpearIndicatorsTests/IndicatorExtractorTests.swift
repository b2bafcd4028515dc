import SpearCore
import SpearDomains
@testable import SpearIndicators
import Testing

@Suite("Indicators of a message: bodies, HTML links, headers, files; context, limits, defanging")
struct IndicatorExtractorTests {
    static let psl = PublicSuffixList(rules: "jp\nco.jp\nne.jp\ncom\nnet\norg\n")
    private let extractor = IndicatorExtractor(psl: IndicatorExtractorTests.psl)

    private func run(_ bodies: [BodyText], from: [String] = [], replyTo: [String] = [], client: String? = nil,
                     files: [AttachmentReport] = []) -> IndicatorExtractor.Output {
        extractor.extract(.init(bodies: bodies, from: from, replyTo: replyTo, clientAddress: client, files: files))
    }

    private func text(_ s: String, _ type: String = "text/plain") -> BodyText {
        BodyText(mimePath: "1", contentType: type, text: s, forwarded: false)
    }

    @Test("A URL gives its registrable domain (by the PSL) or its address; each indicator once")
    func domainsAndAddresses() {
        let out = run([text("https://a.b.example.co.jp/x https://www.example.co.jp/y http://192.0.2.7/z http://[2001:db8::1]/w")])
        let pairs = out.indicators.map { "\($0.type.rawValue) \($0.value)" }
        #expect(pairs == ["url https://a.b.example.co.jp/x", "domain example.co.jp", "url https://www.example.co.jp/y",
                          "url http://192.0.2.7/z", "ipv4 192.0.2.7", "url http://[2001:db8::1]/w", "ipv6 2001:db8::1"])
        #expect(out.indicators.allSatisfy { $0.location == "body 1" && $0.context == .content })
    }

    @Test("Below a signature delimiter a link is marked signature; beside an unsubscribe line, footer; in the text, content")
    func contexts() {
        let body = """
        ご確認ください: https://lure.example.com/invoice
        よろしくお願いします。

        --\u{20}
        株式会社サンプル https://www.sample-corp.co.jp/
        """
        let out = run([text(body), text("メールマガジン\n配信停止はこちら https://news.example.net/unsub?u=1\n")])
        let contexts = Dictionary(out.indicators.filter { $0.type == .url }.map { ($0.value, $0.context) }, uniquingKeysWith: { a, _ in a })
        #expect(contexts["https://lure.example.com/invoice"] == .content)
        #expect(contexts["https://www.sample-corp.co.jp/"] == .signature)
        #expect(contexts["https://news.example.net/unsub?u=1"] == .footer)
        let ruled = run([text("本文 https://a.example.com/\n\n\n──────────────\n営業部 https://corp.example.co.jp/")])
        #expect(ruled.indicators.first { $0.value == "https://corp.example.co.jp/" }?.context == .signature)
    }

    @Test("Seen in a signature and again in the text, an indicator is content, located where the text has it")
    func contentWins() {
        let out = run([text("本文\n\n-- \nhttps://corp.example.com/"), text("see https://corp.example.com/ now")])
        let url = out.indicators.first { $0.value == "https://corp.example.com/" }
        #expect(url?.context == .content && url?.location == "body 2")
    }

    @Test("HTML: href with the text shown, src, protocol-relative targets, entities; a link shown as another site is a finding")
    func html() {
        let html = """
        <html><body><p>Dear customer,</p>
        <a class=x href="http://evil.example.net/login?a=1&amp;b=2">https://www.bank.co.jp/</a>
        <A HREF='https://shop.example.com/sale'>shop.example.com</A>
        <a href=https://files.example.org/report.zip>report.zip</a>
        <img src="//cdn.example.net/logo.png" alt="">
        <a href="#top">top</a> <a href="mailto:x@example.com">mail</a>
        <p>also https://plain.example.com/in-text</p>
        </body></html>
        """
        let out = run([text(html, "text/html")])
        let urls = out.indicators.filter { $0.type == .url }.map(\.value)
        #expect(urls == ["http://evil.example.net/login?a=1&b=2", "https://shop.example.com/sale", "https://files.example.org/report.zip",
                         "http://cdn.example.net/logo.png", "https://plain.example.com/in-text"])
        #expect(out.indicators.first { $0.value == "http://cdn.example.net/logo.png" }?.location == "body 1 src")
        let mismatches = out.findings.filter { $0.id == .linkTextMismatch }
        #expect(mismatches.count == 1)
        #expect(mismatches.first?.evidence.contains("https://www.bank.co.jp/") == true)
        #expect(mismatches.first?.evidence.contains("evil.example.net") == true)
        #expect(mismatches.first?.severity == .low)
    }

    @Test("A link whose text is a file name or the same site is no mismatch")
    func noMismatch() {
        let html = #"<a href="https://dl.example.com/a">invoice.txt</a><a href="https://www.example.com/">example.com</a><a href="https://t.example.com/c">Click here</a>"#
        #expect(run([text(html, "text/html")]).findings.isEmpty)
    }

    @Test("An HTML body of 1,000,000 links: the first 500 listed, the cap reported")
    func millionLinks() {
        var html = "<html><body>"
        html.reserveCapacity(40_000_000)
        for k in 0..<1_000_000 { html += "<a href=\"https://site\(k % 1000).example.com/p\(k)\">x</a>" }
        let out = run([text(html, "text/html")])
        #expect(out.indicators.filter { $0.type == .url }.count == 500)
        #expect(out.findings.contains { $0.id == .indicatorsCapped && $0.evidence.contains("more than 500 links") })
    }

    @Test("Header addresses and the first external hop; every file with its hashes")
    func headersAndFiles() {
        var file = AttachmentReport(filename: "run.js", size: 15, md5: "0123", sha1: "4567", sha256: "89ab", mimePath: "2",
                                    origin: .archive, forwarded: false, findings: [], content: [])
        file.path = "invoice/run.js"
        file.category = .script
        let out = run([], from: ["Sales@Example.CO.JP"], replyTo: ["reply@free.example.com"], client: "203.0.113.9", files: [file])
        #expect(out.indicators.map { "\($0.type.rawValue) \($0.value) \($0.location) \($0.context.rawValue)" } == [
            "email sales@example.co.jp header From header", "email reply@free.example.com header Reply-To header",
            "ipv4 203.0.113.9 header Received header", "file \(file.sha256) 2:invoice/run.js content",
        ])
        #expect(out.indicators.last?.file == FileIndicator(name: "run.js", category: "script", size: 15, md5: file.md5, sha1: file.sha1,
                                                           sha256: file.sha256))
    }

    @Test("At most perMessage indicators, and the cap is said")
    func messageCap() {
        var limits = IndicatorLimits()
        limits.perMessage = 5
        let small = IndicatorExtractor(psl: Self.psl, limits: limits)
        let body = (0..<10).map { "https://h\($0).example.com/" }.joined(separator: " ")
        let out = small.extract(.init(bodies: [text(body)], from: [], replyTo: [], clientAddress: nil, files: []))
        #expect(out.indicators.count == 5)
        #expect(out.findings.contains { $0.id == .indicatorsCapped && $0.evidence.contains("only the first 5") })
    }

    @Test("Defanged values for pasting: hxxp, [.] in hosts and domains, [@] in addresses")
    func defang() {
        #expect(Indicator(type: .url, value: "https://evil.example.com/a.b?c=d.e", location: "", context: .content).defanged
                == "hxxps://evil[.]example[.]com/a.b?c=d.e")
        #expect(Indicator(type: .domain, value: "example.co.jp", location: "", context: .content).defanged == "example[.]co[.]jp")
        #expect(Indicator(type: .ipv4, value: "192.0.2.1", location: "", context: .content).defanged == "192[.]0[.]2[.]1")
        #expect(Indicator(type: .email, value: "a.b@example.com", location: "", context: .header).defanged == "a.b[@]example[.]com")
    }
}

@testable import SpearIndicators
import Testing

@Suite("URLs in text as mail writes them")
struct URLScannerTests {
    private func urls(_ text: String) -> [String] { URLScanner.find(in: text, limit: 100).found.map(\.url) }

    @Test("A URL ends where Japanese text, white space, quotes or sentence punctuation begin")
    func boundaries() {
        #expect(urls("詳細はhttps://example.co.jp/order?id=1をご確認ください。") == ["https://example.co.jp/order?id=1"])
        #expect(urls("See https://example.com/a. Then \"http://example.org/b\", and (http://example.net/c).")
                == ["https://example.com/a", "http://example.org/b", "http://example.net/c"])
        #expect(urls("wiki: https://en.example.org/wiki/Foo_(bar) ok") == ["https://en.example.org/wiki/Foo_(bar)"])
        #expect(urls("www.example.jp/top を見て") == ["http://www.example.jp/top"])
        #expect(urls("ftp://files.example.com/pub/a.zip") == ["ftp://files.example.com/pub/a.zip"])
    }

    @Test("Not URLs: no dot in the host, a number where a TLD should be, a word that merely contains http")
    func rejects() {
        #expect(urls("http://localhost/x and https://intranet/ and xhttp://example.com") == [])
        #expect(urls("version http://1.2/ here") == [])
        #expect(urls("mailto:someone@example.com") == [])
    }

    @Test("Defanged URLs are refanged and marked obfuscated; plain ones are not")
    func obfuscated() {
        let found = URLScanner.find(in: "hxxps://evil-site[.]example[.]com/payload.zip and h**p://a(.)example(dot)net[:]8080/x and https://ok.example.com/",
                                    limit: 10).found
        #expect(found.map(\.url) == ["https://evil-site.example.com/payload.zip", "http://a.example.net:8080/x", "https://ok.example.com/"])
        #expect(found.map(\.obfuscated) == [true, true, false])
        #expect(found.map(\.host) == ["evil-site.example.com", "a.example.net", "ok.example.com"])
    }

    @Test("Full-width URLs, as a Japanese input method writes them, are folded to ASCII")
    func fullWidth() {
        #expect(urls("こちら：ｈｔｔｐｓ：／／ｅｘａｍｐｌｅ．ｊｐ／ｄｏｃｓ？ｉｄ＝３です") == ["https://example.jp/docs?id=3"])
    }

    @Test("Inside angle brackets or 「」 a URL goes on over line breaks; after a full line it goes on with URL-like text only")
    func wrapped() {
        #expect(urls("<https://example.com/a/very/long/path\r\n   /continued?x=1>") == ["https://example.com/a/very/long/path/continued?x=1"])
        #expect(urls("「https://example.co.jp/files/\n2019/report.zip」") == ["https://example.co.jp/files/2019/report.zip"])
        let full = "Download: https://downloads.example.com/files/2019/06/quarterly-report-abcdefgh"
        #expect(full.utf8.count >= URLScanner.wrapWidth)
        #expect(urls(full + "\n12345/part2.zip\nThanks") == ["https://downloads.example.com/files/2019/06/quarterly-report-abcdefgh12345/part2.zip"])
        #expect(urls(full + "\nThanks") == ["https://downloads.example.com/files/2019/06/quarterly-report-abcdefgh"])
        #expect(urls("short https://example.com/a\n12345/b") == ["https://example.com/a"])
    }

    @Test("Hosts: IPv4, bracketed IPv6, a port and user info; the line each URL starts on")
    func hosts() {
        let found = URLScanner.find(in: "a\nhttp://192.0.2.7/x\nhttp://[2001:DB8::1]:8080/y\nhttps://user:pw@Mail.Example.COM:443/z", limit: 10).found
        #expect(found.map(\.host) == ["192.0.2.7", "[2001:db8::1]", "mail.example.com"])
        #expect(found.map(\.line) == [1, 2, 3])
    }

    @Test("At most the limit, and says there were more")
    func limit() {
        let text = (0..<50).map { "https://example.com/\($0)" }.joined(separator: " ")
        let (found, more) = URLScanner.find(in: text, limit: 10)
        #expect(found.count == 10 && more)
        #expect(!URLScanner.find(in: text, limit: 50).more)
    }
}

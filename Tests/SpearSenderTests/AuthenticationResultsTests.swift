import SpearCore
@testable import SpearSender
import SpearMIME
import Testing

@Suite("Authentication-Results")
struct AuthenticationResultsTests {
    @Test("RFC 8601 syntax: comments, properties, several methods")
    func parse() throws {
        let h = try #require(AuthenticationResultsParser.parseAR(
            "mx.example.co.jp (Postfix) 1; spf=pass (sender IP is 192.0.2.1) smtp.mailfrom=bounce@news.example.net; dkim=fail reason=\"bad sig\" header.d=example.com; dmarc=fail (p=reject) header.from=example.com"))
        #expect(h.authservID == "mx.example.co.jp")
        #expect(h.results.map(\.method) == ["spf", "dkim", "dmarc"])
        #expect(h.results.map(\.result) == ["pass", "fail", "fail"])
        #expect(h.results[0].properties["smtp.mailfrom"] == "bounce@news.example.net")
        #expect(h.results[1].properties["header.d"] == "example.com")
        #expect(AuthenticationResultsParser.parseAR("mx.example.co.jp; none")?.results.isEmpty == true)
    }

    @Test("folded lines, nested comments, quoted parentheses, non-ASCII values, hostile text")
    func foldedAndHostile() throws {
        let h = try #require(AuthenticationResultsParser.parseAR(
            " mx.example.co.jp;\r\n\tSPF=Pass (a (nested) comment)\r\n\tsmtp.mailfrom=\"a(b)c@example.com\";\r\n\tdkim/1=none; dmarc=fail header.from=例え.jp"))
        #expect(h.authservID == "mx.example.co.jp")
        #expect(h.results.map(\.method) == ["spf", "dkim", "dmarc"])
        #expect(h.results[0].result == "pass")
        #expect(h.results[0].properties["smtp.mailfrom"] == "a(b)c@example.com")
        #expect(h.results[2].properties["header.from"] == "例え.jp")
        #expect(AuthenticationResultsParser.parseAR("") == nil)
        #expect(AuthenticationResultsParser.parseAR(";;;") == nil)
        #expect(AuthenticationResultsParser.parseAR("id; ((((((")?.results.isEmpty == true)
        #expect(AuthenticationResultsParser.parseAR("id; =; ==; a=; =b")?.results.map(\.method) == ["a"])  // no method, no result
    }

    @Test("trusted: a configured authserv-id, above the entry hop or just below it (where milters write); below the next hop, the sender wrote them")
    func trust() {
        let message = MIMEParser().parse(Array("""
            Authentication-Results: mx.example.co.jp; dmarc=fail header.from=example.co.jp\r
            Received: from attacker.example by mx.example.co.jp; Wed, 12 Jun 2019 10:31:07 +0900\r
            Authentication-Results: mx.example.co.jp; dmarc=pass header.from=example.co.jp\r
            Received: from x by relay.attacker.example; Wed, 12 Jun 2019 10:30:00 +0900\r
            Authentication-Results: mx.example.co.jp; dkim=pass\r
            From: a@example.co.jp\r
            \r
            body\r

            """.utf8))
        let parsed = AuthenticationResultsParser.parse(message.headers, trustedIDs: ["mx.example.co.jp"], trustedRelays: [])
        #expect(parsed.map(\.trusted) == [true, true, false])
        let none = AuthenticationResultsParser.parse(message.headers, trustedIDs: [], trustedRelays: [])
        #expect(none.allSatisfy { !$0.trusted })
    }
}

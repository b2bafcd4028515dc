import SpearMIME
import Testing

@Suite("addresses and dates")
struct AddressAndDateTests {
    func addresses(_ s: String) -> [Address] { AddressParser.parse(Array(s.utf8)).addresses }

    @Test("display names, quoted names with commas, comments, groups")
    func lists() {
        #expect(addresses("Yamada Taro <yamada@example.co.jp>, \"Suzuki, Hanako\" <suzuki@example.co.jp>") == [
            Address(name: "Yamada Taro", address: "yamada@example.co.jp"),
            Address(name: "Suzuki, Hanako", address: "suzuki@example.co.jp"),
        ])
        #expect(addresses("jdoe@example.com (John Doe)") == [Address(name: "John Doe", address: "jdoe@example.com")])
        #expect(addresses("team: a@example.com, b@example.com;, c@example.com") == [
            Address(name: nil, address: "a@example.com", group: "team"),
            Address(name: nil, address: "b@example.com", group: "team"),
            Address(name: nil, address: "c@example.com"),
        ])
        #expect(addresses("undisclosed-recipients:;").isEmpty)
        #expect(addresses("<@relay.example:user@example.com>") == [Address(name: nil, address: "user@example.com")])
    }

    @Test("a display name that holds an address is kept as written (the deception is visible)")
    func deceptiveName() {
        #expect(addresses("\"yamada@corp.example.co.jp\" <x@elsewhere.example>") == [
            Address(name: "yamada@corp.example.co.jp", address: "x@elsewhere.example"),
        ])
    }

    @Test("RFC 5322 and obsolete dates to ISO 8601 in their own offset", arguments: [
        ("Wed, 12 Jun 2019 10:31:07 +0900", "2019-06-12T10:31:07+09:00"),
        ("12 Jun 2019 10:31 +0900", "2019-06-12T10:31:00+09:00"),
        ("Wed, 11 Feb 98 11:51 CST", "1998-02-11T11:51:00-06:00"),
        ("Mon, 1 Apr 2019 01:02:03 GMT", "2019-04-01T01:02:03Z"),
        ("Tue, 2 Jul 2019 09:00:00 -0000 (UTC)", "2019-07-02T09:00:00Z"),
        ("Wed Jan 12 08:08:13 2005", "2005-01-12T08:08:13Z"),
        ("2019-06-12T10:31:07+09:00", "2019-06-12T10:31:07+09:00"),
    ])
    func dates(text: String, iso: String) {
        #expect(MailDate.parse(text)?.iso8601 == iso)
    }

    @Test("nonsense is not a date")
    func badDates() {
        #expect(MailDate.parse("Malformed Date.") == nil)
        #expect(MailDate.parse("32 Foo 2019") == nil)
    }

    @Test("epoch seconds account for the offset")
    func epoch() {
        #expect(MailDate.parse("Thu, 1 Jan 1970 09:00:00 +0900")?.epochSeconds == 0)
    }
}

import Foundation
@testable import SpearDomains
import Testing

/// The byte-level list parser gives exactly the rules that reading every line through `DomainName` gives.
@Suite struct PublicSuffixListParsingTests {
    static let systemList: String? = try? String(contentsOfFile: PublicSuffixList.defaultPath, encoding: .utf8)

    /// The straightforward reading: each line's first blank-separated token, through DomainName.
    static func reference(_ text: String) -> (Set<String>, Set<String>, Set<String>) {
        var rules = Set<String>(), wildcards = Set<String>(), exceptions = Set<String>()
        for line in text.split(whereSeparator: \.isNewline) {
            guard let token = line.split(whereSeparator: \.isWhitespace).first, !token.hasPrefix("//") else { continue }
            var rule = Substring(token)
            var kind = 0
            if rule.hasPrefix("!") { kind = 1; rule = rule.dropFirst() } else if rule.hasPrefix("*.") { kind = 2; rule = rule.dropFirst(2) }
            guard let name = DomainName(String(rule)) else { continue }
            switch kind {
            case 1: exceptions.insert(name.unicode)
            case 2: wildcards.insert(name.unicode)
            default: rules.insert(name.unicode)
            }
        }
        return (rules, wildcards, exceptions)
    }

    @Test(.enabled(if: systemList != nil, "Debian's publicsuffix package is not installed"))
    func theSystemListParsesAsTheReferenceReadsIt() throws {
        let text = try #require(Self.systemList)
        let fast = PublicSuffixList(rules: text)
        let (rules, wildcards, exceptions) = Self.reference(text)
        #expect(fast.rules == rules)
        #expect(fast.wildcards == wildcards)
        #expect(fast.exceptions == exceptions)
        #expect(fast.ruleCount > 9_000)
    }

    @Test func oddLinesParseAsTheReferenceReadsThem() {
        let text = "  // comment\r\nCOM\r\n\t*.Kawasaki.JP  trailing words\n!City.Kawasaki.jp\nxn--55qx5d.cn\n公司.CN\n"
            + "bad..rule\n.lead\ntrail.\n*.\n!\n\n   \nsub.example.co.jp"
        let fast = PublicSuffixList(rules: text)
        let (rules, wildcards, exceptions) = Self.reference(text)
        #expect(fast.rules == rules && fast.wildcards == wildcards && fast.exceptions == exceptions)
        #expect(fast.rules.contains("com") && fast.rules.contains("公司.cn") && fast.wildcards.contains("kawasaki.jp"))
    }
}

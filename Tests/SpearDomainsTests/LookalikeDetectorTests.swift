import SpearDomains
import Testing

@Suite("Look-alike domains")
struct LookalikeDetectorTests {
    let detector = LookalikeDetector(protected: LookalikeDetector.wellKnown + ["example.com", "modem.jp"],
                                     psl: PublicSuffixList(rules: handWrittenRules))

    /// (candidate, protected, technique)
    static let positives: [(String, String, String)] = [
        // homoglyph
        ("xn--pple-43d.com", "apple.com", "homoglyph"),
        ("xn--80ak6aa92e.com", "apple.com", "homoglyph"),
        ("аррӏе.com", "apple.com", "homoglyph"),
        ("mail.xn--pple-43d.com", "apple.com", "homoglyph"),
        ("dһl.com", "dhl.com", "homoglyph"),                      // short names: homoglyph still counts
        ("раураӏ.net", "paypal.com", "homoglyph"),                 // whole-script, other TLD
        ("apple.сom", "apple.com", "homoglyph"),                   // Cyrillic с in the TLD
        ("ｍｉｃｒｏｓｏｆｔ.com", "microsoft.com", "homoglyph"),
        // rn_m
        ("rnicrosoft.com", "microsoft.com", "rn_m"),
        ("clocomo.ne.jp", "docomo.ne.jp", "rn_m"),
        ("modern.jp", "modem.jp", "rn_m"),
        // digit_letter
        ("paypa1.com", "paypal.com", "digit_letter"),
        ("g00gle.com", "google.com", "digit_letter"),
        ("5mbc.co.jp", "smbc.co.jp", "digit_letter"),
        ("dh1.com", "dhl.com", "digit_letter"),
        ("a0l.com", "aol.com", "digit_letter"),
        ("paypai.com", "paypal.com", "digit_letter"),
        ("m1zuhobank.co.jp", "mizuhobank.co.jp", "digit_letter"),
        // mixed_script
        ("xn--mazom-3ve.com", "amazon.com", "mixed_script"),       // аmazom: Cyrillic а, one edit away
        ("pаypal-secure.com", "paypal.com", "mixed_script"),       // contains the name
        // hyphen
        ("pay-pal.com", "paypal.com", "hyphen"),
        ("sagawaexp.co.jp", "sagawa-exp.co.jp", "hyphen"),
        ("ra-kuten.co.jp", "rakuten.co.jp", "hyphen"),
        ("mizuhobank-co-jp.com", "mizuhobank.co.jp", "hyphen"),
        ("apple-com.evil.example", "apple.com", "hyphen"),
        ("nta-go-jp-refund.net", "nta.go.jp", "hyphen"),
        ("mizuhobank-co.jp", "mizuhobank.co.jp", "hyphen"),       // the dot before "co" turned into a hyphen
        ("mail.smbc-co.jp", "smbc.co.jp", "hyphen"),
        // tld_swap
        ("example.co.jp", "example.com", "tld_swap"),
        ("rakuten.com", "rakuten.co.jp", "tld_swap"),
        ("mufg.co.jp", "mufg.jp", "tld_swap"),
        ("www.smbc.com", "smbc.co.jp", "tld_swap"),
        // subdomain_prefix
        ("apple.com.example.net", "apple.com", "subdomain_prefix"),
        ("www.amazon.co.jp.evil.example", "amazon.co.jp", "subdomain_prefix"),
        ("login.apple.com-verify.example.net", "apple.com", "subdomain_prefix"),
        ("nta.go.jp.tax-refund.example", "nta.go.jp", "subdomain_prefix"),
        ("japanpost.jp-delivery.info", "japanpost.jp", "subdomain_prefix"),
        ("mufg.jp.co", "mufg.jp", "subdomain_prefix"),
        // edit_distance
        ("appel.com", "apple.com", "edit_distance"),                // transposition
        ("aplle.net", "apple.com", "edit_distance"),
        ("amazonn.co.jp", "amazon.co.jp", "edit_distance"),
        ("mizuhbnk.co.jp", "mizuhobank.co.jp", "edit_distance"),   // 2 edits from a 10-letter name
        ("kuronekoyamoto.co.jp", "kuronekoyamato.co.jp", "edit_distance"),
    ]

    @Test("every technique is found")
    func positives() {
        for (candidate, protected, technique) in Self.positives {
            let found = detector.match(candidate)
            #expect(found?.protected == protected, "\(candidate): \(String(describing: found))")
            #expect(found?.technique == technique, "\(candidate): \(String(describing: found))")
            #expect(found?.candidate == candidate.lowercased())
            #expect(found.map { !$0.detail.isEmpty && !$0.detail.contains("\n") } == true)
        }
    }

    @Test("the evidence line")
    func detail() {
        #expect(detector.match("xn--pple-43d.com") == LookalikeMatch(
            candidate: "xn--pple-43d.com", protected: "apple.com", technique: "homoglyph",
            detail: "xn--pple-43d.com (аpple.com) has the skeleton of apple.com"))
        #expect(detector.match("аpple.com")?.detail == "аpple.com (xn--pple-43d.com) has the skeleton of apple.com")
        #expect(detector.match("Rnicrosoft.COM.")?.candidate == "rnicrosoft.com")
        #expect(detector.match("user@paypa1.com")?.technique == "digit_letter")
    }

    @Test("the real domains, their subdomains and unrelated domains are not matched")
    func negatives() {
        let negatives = [
            "apple.com", "www.apple.com", "APPLE.COM.", "user@apple.com", "mail.google.com", "example.com",
            "sub.example.com", "google.co.jp", "ymail.com", "paypay.ne.jp", "jp-bank.japanpost.jp", "smtp.docomo.ne.jp",
            // Unrelated, and legitimately different brands.
            "apple-store-review.example", "github.com", "wikipedia.org", "nikkei.com", "pineapple.com",
            "snapple.com", "maple.com", "bigglobe.ne.jp", "dhs.gov", "nta.com", "ntt.co.jp", "ups.co.jp",
            "applecross.net", "googleapis.com", "amazonaws.com", "microsoftonline.com", "mail.com", "mail.ru",
            "aple.com",  // 4 letters: too short for an edit
            "aoi.com",   // i/l alone does not make a look-alike of a 3-letter name (aol.com)
            "smbc-card.jp", "ntt-co.com",  // a hyphen where a dot would give another name, not a protected one
            // Not names.
            "", "com", "co.jp", ".", "a..b", "@", "192.0.2.1", "[192.0.2.1]", "[IPv6:2001:db8::1]",
        ]
        for domain in negatives {
            #expect(detector.match(domain) == nil, "\(domain): \(String(describing: detector.match(domain)))")
        }
    }

    @Test("the well-known list does not match itself")
    func wellKnownAreClean() {
        let plain = LookalikeDetector(protected: LookalikeDetector.wellKnown, psl: PublicSuffixList(rules: handWrittenRules))
        #expect(LookalikeDetector.wellKnown.count >= 30)
        for domain in LookalikeDetector.wellKnown {
            #expect(plain.match(domain) == nil, "\(domain)")
            #expect(plain.match("www." + domain) == nil, "www.\(domain)")
        }
        for required in ["apple.com", "microsoft.com", "google.com", "amazon.co.jp", "amazon.com", "rakuten.co.jp",
                         "yahoo.co.jp", "gmail.com", "outlook.com", "docomo.ne.jp", "mufg.jp", "smbc.co.jp",
                         "mizuhobank.co.jp", "japanpost.jp", "sagawa-exp.co.jp", "kuronekoyamato.co.jp", "nta.go.jp",
                         "paypal.com", "dhl.com", "line.me"] {
            #expect(LookalikeDetector.wellKnown.contains(required), "\(required)")
        }
    }

    @Test("without a Public Suffix List, organisational domains are guessed")
    func withoutList() {
        let guessing = LookalikeDetector(protected: LookalikeDetector.wellKnown, psl: nil)
        #expect(guessing.match("xn--pple-43d.com")?.technique == "homoglyph")
        #expect(guessing.match("rakuten.com")?.technique == "tld_swap")
        #expect(guessing.match("amazon.co.jp.example.com")?.technique == "subdomain_prefix")
        #expect(guessing.match("www.amazon.co.jp") == nil)
        #expect(guessing.match("mail.docomo.ne.jp") == nil)
    }

    @Test("the system list gives the same answers",
          .enabled(if: PublicSuffixList.system != nil,
                   "\(PublicSuffixList.defaultPath) is missing: apt-get install publicsuffix"))
    func withSystemList() {
        let system = LookalikeDetector(protected: LookalikeDetector.wellKnown + ["example.com", "modem.jp"],
                                       psl: PublicSuffixList.system)
        for (candidate, protected, technique) in Self.positives where !candidate.hasSuffix(".example") {
            let found = system.match(candidate)
            #expect(found?.protected == protected && found?.technique == technique,
                    "\(candidate): \(String(describing: found))")
        }
        #expect(system.match("foo.github.io") == nil)
        #expect(system.match("apple.github.io")?.technique == "tld_swap")
    }

    @Test("protected domains given in Unicode or with subdomains")
    func protectedForms() {
        let psl = PublicSuffixList(rules: handWrittenRules)
        let custom = LookalikeDetector(protected: ["mail.Example.CO.JP.", "日本郵便.jp", "", "com", "a..b"], psl: psl)
        #expect(custom.match("www.example.co.jp") == nil)        // same organisation as the protected host
        #expect(custom.match("example.jp")?.protected == "mail.example.co.jp")
        #expect(custom.match("xn--wtqu35cb2as82i.jp") == nil)        // 日本郵便.jp written in ASCII
        #expect(custom.match("xn--wtqu35cb2as82i.com")?.technique == "tld_swap")
        #expect(custom.match("日本郵便.com")?.protected == "日本郵便.jp")
    }

    @Test("protects: the protected domains, their subdomains and organisations, nothing else")
    func protects() {
        let detector = LookalikeDetector(protected: ["minato-shoji.co.jp"], psl: PublicSuffixList(rules: "jp\nco.jp\ncom\n"))
        #expect(detector.protects("minato-shoji.co.jp"))
        #expect(detector.protects("mail.minato-shoji.co.jp"))
        #expect(detector.protects("keiri@minato-shoji.co.jp"))
        #expect(!detector.protects("minato-shoji.jp"))
        #expect(!detector.protects("co.jp"))
        #expect(!detector.protects(""))
    }
}

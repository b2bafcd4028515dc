import SpearDomains
import Testing

@Suite("Confusables")
struct ConfusablesTests {
    @Test("look-alikes share the skeleton of what they imitate")
    func sameSkeleton() {
        let pairs: [(String, String)] = [
            ("аррӏе", "apple"),              // Cyrillic а, р, р, ӏ (palochka), е
            ("аpple", "apple"),              // one Cyrillic а
            ("gοοgle", "google"),            // Greek omicron
            ("gօօgle", "google"),            // Armenian oh
            ("ΑΡΡLΕ", "apple"),              // Greek capitals
            ("ｇｏｏｇｌｅ", "google"),        // full-width Latin
            ("𝐚𝐩𝐩𝐥𝐞", "apple"),              // mathematical bold
            ("ⅿicrosoft", "microsoft"),      // small Roman numeral one thousand
            ("раураӏ", "paypal"),            // all Cyrillic
            ("һttps", "https"),              // Cyrillic shha
            ("ԁocomo", "docomo"),            // Cyrillic komi de
            ("rnicrosoft", "microsoft"),     // rn → m
            ("vvikipedia", "wikipedia"),     // vv → w
            ("clocomo", "docomo"),           // cl → d
            ("g00gle", "google"),            // 0 → o
            ("paypa1", "paypal"),            // 1 → l
            ("PayPaI", "paypal"),            // I → l, case folded
            ("app\u{200B}le", "apple"),      // zero-width space dropped
            ("sagawa\u{2010}exp", "sagawa-exp"), // Unicode hyphen
            ("example。com", "example。com"), // unmapped characters stay
        ]
        for (lookalike, original) in pairs {
            #expect(Confusables.skeleton(lookalike) == Confusables.skeleton(original), "\(lookalike) vs \(original)")
        }
        #expect(Confusables.skeleton("аррӏе") == "apple")
        #expect(Confusables.skeleton("PayPaI.com") == "paypal.com")
    }

    @Test("different things keep different skeletons")
    func differentSkeletons() {
        #expect(Confusables.skeleton("apple") != Confusables.skeleton("appie"))
        #expect(Confusables.skeleton("paypal") != Confusables.skeleton("paypai"))
        #expect(Confusables.skeleton("日本") == "日本")
        #expect(Confusables.skeleton("é") == "e\u{301}")     // NFD: accents are not dropped
        #expect(Confusables.skeleton("é") == Confusables.skeleton("e\u{301}"))
        #expect(Confusables.skeleton("") == "")
    }

    @Test("scripts of the letters")
    func scripts() {
        #expect(Confusables.scripts("apple") == ["Latin"])
        #expect(Confusables.scripts("аpple") == ["Latin", "Cyrillic"])
        #expect(Confusables.scripts("раураӏ") == ["Cyrillic"])
        #expect(Confusables.scripts("αβγ") == ["Greek"])
        #expect(Confusables.scripts("օ") == ["Armenian"])
        #expect(Confusables.scripts("ｇｏｏｇｌｅ") == ["Latin"])
        #expect(Confusables.scripts("日本のドメイン") == ["Han", "Hiragana", "Katakana"])
        #expect(Confusables.scripts("ラーメン") == ["Katakana"])  // ー is Common
        #expect(Confusables.scripts("123-") == [])
        #expect(Confusables.scripts("𝐚") == [])                  // mathematical letters are Common
    }

    @Test("mixed scripts within a label")
    func mixedScripts() {
        #expect(Confusables.hasMixedScripts("аpple"))
        #expect(Confusables.hasMixedScripts("pаypal-secure"))
        #expect(Confusables.hasMixedScripts("gοogle"))
        #expect(!Confusables.hasMixedScripts("apple"))
        #expect(!Confusables.hasMixedScripts("раураӏ"))               // whole-script: caught by skeleton instead
        #expect(!Confusables.hasMixedScripts("日本のドメインexample"))  // Japanese with Latin is allowed
        #expect(!Confusables.hasMixedScripts("한국abc"))
    }
}

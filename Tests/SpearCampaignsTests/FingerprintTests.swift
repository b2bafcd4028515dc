import SpearCore
import Foundation
@testable import SpearCampaigns
import Testing

/// Body normalisation and MinHash: what makes two bodies "the same text" or near-identical.
@Suite struct FingerprintTests {
    static let lure = "いつもお世話になっております。ご注文内容の確認をお願いいたします。添付ファイルをご確認ください。"

    @Test func fullWidthHalfWidthLineEndingsAndSpacesNormaliseAlike() throws {
        let a = try #require(BodyNormalizer.normalize("ＡＢＣ商事　御中\r\n\r\n" + Self.lure + "  \r\n", isHTML: false))
        let b = try #require(BodyNormalizer.normalize("ABC商事 御中\n" + Self.lure + "\n\n", isHTML: false))
        #expect(a == b)
    }

    /// The fast fold must be NFKC exactly, or fingerprints would depend on which path a text took.
    @Test func simpleCompatibilityFoldIsFoundationNFKC() throws {
        var checked = 0
        for range in [0x00...0x7F, 0x3000...0x30FF, 0x4E00...0x9FFF, 0xFF00...0xFF65] {
            for value in range {
                guard let u = Unicode.Scalar(value) else { continue }
                let text = String(Character(u))
                guard let folded = NFKC.simple(text) else { continue }
                #expect(folded == text.precomposedStringWithCompatibilityMapping, "U+\(String(value, radix: 16))")
                checked += 1
            }
        }
        #expect(checked > 21_000)
        let mixed = "【重要】ご注文（No.１２３）：確認のお願い　ヴァイオリン、ゞ。Order #42"
        #expect(NFKC.simple(mixed) == mixed.precomposedStringWithCompatibilityMapping)
        // A voiced sound mark composes with the kana before it: not for the fast path.
        #expect(NFKC.simple("か\u{3099}") == nil)
        #expect(NFKC.simple("e\u{301}") == nil)
        #expect(NFKC.simple("①") == nil)
    }

    @Test func htmlReducesToTheSameTextAsPlain() throws {
        let html = "<html><head><style>p{color:red}</style><title>x</title></head><body><p>ABC&amp;Co.&nbsp;様</p>"
            + "<!-- tracking --><div>" + Self.lure + "</div><script>alert(1)</script></body></html>"
        let plain = "ABC&Co. 様\n" + Self.lure
        #expect(BodyNormalizer.normalize(html, isHTML: true) == BodyNormalizer.normalize(plain, isHTML: false))
    }

    @Test func quotedRepliesAreDropped() throws {
        let reply = "Thanks, the order is confirmed for Friday delivery to the usual warehouse.\n\n"
            + "On Mon, 4 Mar 2019, Alice <a@example.com> wrote:\n> anything at all\n> more"
        let outlook = "Thanks, the order is confirmed for Friday delivery to the usual warehouse.\n"
            + "-----Original Message-----\nFrom: someone\nTotally different quoted text here."
        let own = BodyNormalizer.normalize("Thanks, the order is confirmed for Friday delivery to the usual warehouse.", isHTML: false)
        #expect(BodyNormalizer.normalize(reply, isHTML: false) == own)
        #expect(BodyNormalizer.normalize(outlook, isHTML: false) == own)
        #expect(BodyNormalizer.normalize("> only a quote of something long enough to count as text", isHTML: false) == nil)
    }

    @Test(arguments: ["", "see attached", "Sent from my iPhone", "添付をご確認ください。", "\n\n  \n"])
    func boilerplateIsNoFingerprint(body: String) {
        #expect(BodyNormalizer.normalize(body, isHTML: false) == nil)
    }

    /// Jaccard similarity of the 4-gram shingle sets, computed exactly, for comparison with the estimate.
    func jaccard(_ a: String, _ b: String) -> Double {
        func shingles(_ s: String) -> Set<String> {
            let u = Array(s.unicodeScalars.filter { !$0.properties.isWhitespace })
            return Set((0...(u.count - 4)).map { String(String.UnicodeScalarView(u[$0..<$0 + 4])) })
        }
        let x = shingles(a), y = shingles(b)
        return Double(x.intersection(y).count) / Double(x.union(y).count)
    }

    @Test func estimatesFollowTheExactJaccardSimilarity() throws {
        let names = ["山田", "佐藤", "鈴木", "高橋"]
        let base = Self.lure + "ご不明な点がございましたら担当までご連絡ください。よろしくお願いいたします。"
        let texts = names.enumerated().map { i, n in "\(n)様\n" + base + "\nご注文番号: \(40_000 + i * 137)" }
        for i in 1..<texts.count {
            let a = try #require(MinHash(text: texts[0])), b = try #require(MinHash(text: texts[i]))
            let exact = jaccard(texts[0], texts[i])
            #expect(abs(a.similarity(to: b) - exact) < 0.2, "estimate \(a.similarity(to: b)) vs exact \(exact)")
            #expect(a.similarity(to: b) >= MinHash.similarityThreshold)
        }
        let unrelated = try #require(MinHash(text: "The quarterly budget review moves to Thursday afternoon in room 4B; bring the figures."))
        let lure = try #require(MinHash(text: texts[0]))
        #expect(lure.similarity(to: unrelated) < 0.2)
        #expect(lure.similarity(to: lure) == 1)
    }

    @Test func signaturesRoundTripThroughHexAndAreStable() throws {
        let m = try #require(MinHash(text: Self.lure))
        #expect(MinHash(hex: m.hex) == m)
        #expect(m.hex.count == MinHash.count * 8)
        #expect(MinHash(hex: String(m.hex.dropLast())) == nil)
        #expect(MinHash(hex: String(repeating: "g", count: 512)) == nil)
        // Stable across runs and machines: a fixed text has a fixed first value.
        #expect(MinHash(text: Self.lure)?.hex == m.hex)
        #expect(MinHash(text: "short") == nil)
    }

    @Test func bulkRuleCountsExactlyAtTheThreshold() {
        let rule = BulkRule()
        #expect(!rule.isBulk(distinctRecipients: 9, distinctDomains: 9))
        #expect(rule.isBulk(distinctRecipients: 10, distinctDomains: 1))
        let byDomain = BulkRule(threshold: 10, unit: .domain)
        #expect(!byDomain.isBulk(distinctRecipients: 50, distinctDomains: 9))
        #expect(byDomain.isBulk(distinctRecipients: 10, distinctDomains: 10))
    }

    @Test func theLinkerJoinsBridgedCampaigns() {
        func message(_ sha: String, text: String?, payloads: [String], to: [String]) -> CampaignMessage {
            CampaignMessage(sha256: sha, messageID: nil, date: nil, subject: nil, sender: nil, recipients: to, targeted: false,
                            fingerprints: MessageFingerprints(text: text, minhash: nil, payloads: payloads))
        }
        var linker = CampaignLinker()
        linker.add(message("1", text: "t1", payloads: [], to: ["a@x"]))
        linker.add(message("2", text: nil, payloads: ["p1"], to: ["b@x"]))
        #expect(linker.campaigns(rule: BulkRule()).count == 2)
        // A message with both fingerprints bridges the two campaigns.
        linker.add(message("3", text: "t1", payloads: ["p1"], to: ["a@x", "c@y"]))
        let campaigns = linker.campaigns(rule: BulkRule(threshold: 3))
        #expect(campaigns.count == 1)
        #expect(campaigns.first?.distinctRecipients == 3 && campaigns.first?.bulk == true)
        // The same raw message twice is one message.
        linker.add(message("3", text: "t1", payloads: ["p1"], to: ["z@z"]))
        #expect(linker.campaigns(rule: BulkRule()).first?.messages == 3)
    }
}

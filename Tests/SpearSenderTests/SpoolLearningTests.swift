import SpearCore
import Foundation
import SpearDomains
@testable import SpearSender
import SpearMIME
import Testing

/// Spool learning in the sender stage (issue #14): a learned MX operator's Authentication-Results count by
/// position, lookalikes of learned correspondents and their people's names at free mail are flagged, and the
/// learning rules refuse what an attacker's volume alone could buy.
@Suite("spool learning: learned operators, correspondents and names")
struct SpoolLearningTests {
    static let psl = PublicSuffixList(rules: "com\nnet\norg\njp\nco.jp\nne.jp\nac.jp\ngo.jp\ntest\n")

    func analyzer(_ knowledge: SpoolKnowledge = SpoolKnowledge(), config: SenderConfig = SenderConfig()) -> SenderAnalyzer {
        SenderAnalyzer(config: config, keys: .offline, dns: nil, psl: Self.psl, knowledge: knowledge)
    }

    func analyze(_ headers: String, _ a: SenderAnalyzer) -> SenderReport {
        let text = headers.replacingOccurrences(of: "\n", with: "\r\n") + "\r\nbody\r\n"
        return a.analyze(MIMEParser().parse(Array(text.utf8)), parsed: nil)
    }

    func ids(_ r: SenderReport) -> Set<String> { Set(r.indicators.map(\.id)) }

    /// ひばり企画's mail arrives through a filtering provider: its hosts write the top of the header.
    static func hosted(ar: String, from: String, extra: String = "") -> String {
        """
        Received: from filter3.mailshield-cloud.jp (filter3.mailshield-cloud.jp [10.20.0.3]) by store1.mailshield-cloud.jp with LMTP for <sato@hibari-kikaku.co.jp>; Wed, 9 Oct 2019 09:00:05 +0900
        \(ar)
        Received: from mail.sender.test (mail.sender.test [203.0.113.9]) by mx01.mailshield-cloud.jp with ESMTPS for <sato@hibari-kikaku.co.jp>; Wed, 9 Oct 2019 09:00:03 +0900
        \(extra)From: \(from)
        To: sato@hibari-kikaku.co.jp
        Subject: ご確認
        """
    }

    static let providerFail = "Authentication-Results: mx.mailshield-cloud.jp; spf=fail smtp.mailfrom=aoba-kensetsu.co.jp; dmarc=fail header.from=aoba-kensetsu.co.jp"
    static let operatorKnowledge = SpoolKnowledge(operators: [
        LearnedOperator(recipientOrg: "hibari-kikaku.co.jp", operatorOrg: "mailshield-cloud.jp", messages: 95, total: 98),
    ])

    @Test("a provider's dmarc=fail above its entry hop is only carried until the spool teaches who the provider is")
    func learnedOperatorTrusted() throws {
        let headers = Self.hosted(ar: Self.providerFail, from: "山本 <yamamoto@aoba-kensetsu.co.jp>")
        let before = analyze(headers, analyzer())
        #expect(before.authResults.headers.first?.trusted == false)
        #expect(before.spoofed != true)
        let after = analyze(headers, analyzer(Self.operatorKnowledge))
        let header = try #require(after.authResults.headers.first)
        #expect(header.trusted && header.trustBasis == "learned_operator")
        #expect(after.spoofed == true, "\(after.indicators.map { "\($0.id) \($0.weight)" })")
        #expect(after.observation?.applied.operatorOrg == "mailshield-cloud.jp")
        #expect(before.observation?.relayOrg == "mailshield-cloud.jp")
        #expect(before.observation?.recipientOrgs == ["hibari-kikaku.co.jp"])
    }

    @Test("a forged result claiming the provider's authserv-id below its entry hop stays untrusted after learning")
    func forgedBelowOperator() {
        let headers = """
            Received: from filter3.mailshield-cloud.jp (filter3.mailshield-cloud.jp [10.20.0.3]) by store1.mailshield-cloud.jp with LMTP for <sato@hibari-kikaku.co.jp>; Wed, 9 Oct 2019 09:00:05 +0900
            Received: from mail.sender.test (mail.sender.test [203.0.113.9]) by mx01.mailshield-cloud.jp with ESMTPS for <sato@hibari-kikaku.co.jp>; Wed, 9 Oct 2019 09:00:03 +0900
            Authentication-Results: mx.mailshield-cloud.jp; spf=pass smtp.mailfrom=aoba-kensetsu.co.jp; dmarc=pass header.from=aoba-kensetsu.co.jp
            From: 山本 <yamamoto@aoba-kensetsu.co.jp>
            To: sato@hibari-kikaku.co.jp
            """
        let r = analyze(headers, analyzer(Self.operatorKnowledge))
        #expect(r.authResults.headers.allSatisfy { !$0.trusted })
        #expect((r.indicators.first { $0.id == "auth_dmarc_pass" }?.weight ?? 0) == 0)
    }

    @Test("a configured trust list wins over a learned operator")
    func configuredWins() {
        var config = SenderConfig()
        config.trustedAuthservIDs = ["mx.other.test"]
        let r = analyze(Self.hosted(ar: Self.providerFail, from: "yamamoto@aoba-kensetsu.co.jp"), analyzer(Self.operatorKnowledge, config: config))
        #expect(r.authResults.headers.first?.trusted == false)
        #expect(r.observation?.applied.operatorOrg == nil)
    }

    static let partner = Correspondent(recipientOrg: "minato-shoji.co.jp", senderOrg: "aoba-kensetsu.co.jp", messages: 14, days: 9, firstSeen: "2019-04-02")

    static func toMinato(from: String, extra: String = "") -> String {
        """
        Received: from mx1.minato-shoji.co.jp (mx1.minato-shoji.co.jp [192.0.2.25]) by mbox.minato-shoji.co.jp with LMTP for <k-ito@minato-shoji.co.jp>; Wed, 9 Oct 2019 09:00:05 +0900
        Received: from mail.sender.test (mail.sender.test [203.0.113.9]) by mx1.minato-shoji.co.jp with ESMTPS for <k-ito@minato-shoji.co.jp>; Wed, 9 Oct 2019 09:00:03 +0900
        \(extra)From: \(from)
        To: k-ito@minato-shoji.co.jp
        Subject: お見積りの件
        """
    }

    @Test("lookalikes of a learned correspondent are flagged, in each way a domain can imitate it",
          arguments: ["aoba-kensetsv.co.jp", "a0ba-kensetsu.co.jp", "aobakensetsu.co.jp", "aoba-kensetsu.jp",
                      "aoba-kensetsu-co-jp.net", "aoba-kenssetsu.co.jp"])
    func correspondentLookalike(domain: String) throws {
        let knowledge = SpoolKnowledge(correspondents: [Self.partner])
        let headers = Self.toMinato(from: "山本 一郎 <yamamoto@\(domain)>")
        #expect(!ids(analyze(headers, analyzer())).contains("lookalike_correspondent_domain"))
        let r = analyze(headers, analyzer(knowledge))
        let hit = try #require(r.indicators.first { $0.id == "lookalike_correspondent_domain" })
        #expect(hit.evidence.contains("aoba-kensetsu.co.jp") && hit.evidence.contains("14 authenticated messages"))
        #expect(hit.weight == 50)
        #expect(r.spoofed == true)
        #expect(r.observation?.applied.match == "lookalike:aoba-kensetsu.co.jp")
    }

    @Test("the correspondent itself, an unrelated organisation and a correspondent of another organisation are not lookalikes")
    func notLookalikes() {
        let knowledge = SpoolKnowledge(correspondents: [Self.partner,
            Correspondent(recipientOrg: "tsubasa-u.ac.jp", senderOrg: "hoshizora-unyu.co.jp", messages: 5, days: 3, firstSeen: "2019-05-01")])
        let a = analyzer(knowledge)
        for from in ["yamamoto@aoba-kensetsu.co.jp", "yamamoto@mail.aoba-kensetsu.co.jp", "info@kawasemi-soft.jp", "x@hoshizora-unyo.co.jp"] {
            let r = analyze(Self.toMinato(from: from), a)
            #expect(!ids(r).contains("lookalike_correspondent_domain"), "\(from): \(r.indicators.map(\.id))")
        }
    }

    @Test("a correspondent's person's name at a free-mail address is impersonation; another name is not")
    func nameAtFreeMail() throws {
        let knowledge = SpoolKnowledge(correspondents: [Self.partner], names: [
            CorrespondentName(recipientOrg: "minato-shoji.co.jp", senderOrg: "aoba-kensetsu.co.jp", name: "山本一郎", messages: 6),
        ])
        let a = analyzer(knowledge)
        let r = analyze(Self.toMinato(from: "山本　一郎 <ichiro.yamamoto88@gmail.com>"), a)
        let hit = try #require(r.indicators.first { $0.id == "correspondent_name_freemail" })
        #expect(hit.evidence.contains("aoba-kensetsu.co.jp"))
        #expect(r.spoofed == true)
        #expect(r.observation?.applied.match == "name:aoba-kensetsu.co.jp")
        let other = analyze(Self.toMinato(from: "田中 花子 <hanako.tanaka@gmail.com>"), a)
        #expect(!ids(other).contains("correspondent_name_freemail"))
        #expect(other.observation?.fromName == "田中花子")
    }

    @Test("effect(of:) makes the same decisions as analyze, so a rescored message is not rescored again")
    func effectMatchesAnalyze() throws {
        let knowledge = SpoolKnowledge(operators: Self.operatorKnowledge.operators, correspondents: [Self.partner])
        let a = analyzer(knowledge)
        for headers in [Self.hosted(ar: Self.providerFail, from: "x@aoba-kensetsu.co.jp"),
                        Self.toMinato(from: "x@aoba-kensetsv.co.jp"), Self.toMinato(from: "x@example.test")] {
            let o = try #require(analyze(headers, a).observation)
            #expect(a.effect(of: o) == o.applied)
            // Scored without the knowledge, the same message is due for rescoring once it is learned.
            let old = try #require(analyze(headers, analyzer()).observation)
            #expect(old.applied == LearnedEffect())
        }
        // The name rule too, and a name with a hidden NUL is the same key.
        let named = analyzer(SpoolKnowledge(correspondents: [Self.partner], names: [
            CorrespondentName(recipientOrg: "minato-shoji.co.jp", senderOrg: "aoba-kensetsu.co.jp", name: "山本一郎", messages: 2)]))
        let o = try #require(analyze(Self.toMinato(from: "山本 一郎 <y88@gmail.com>"), named).observation)
        #expect(o.applied.match == "name:aoba-kensetsu.co.jp" && named.effect(of: o) == o.applied)
        #expect(LearnedIndex.nameKey("山本\u{0} 一郎") == "山本一郎" && LearnedIndex.nameKey("山本\u{200B}一郎") == "山本一郎")
        let hosted = try #require(analyze(Self.hosted(ar: Self.providerFail, from: "x@aoba-kensetsu.co.jp"), analyzer()).observation)
        #expect(a.effect(of: hosted) != hosted.applied)
    }

    // MARK: - Learning rules

    @Test("an operator needs 20 messages and 90 % of the top; the most frequent relay wins")
    func operatorRules() {
        let a = analyzer()
        func learn(_ relays: [LearnedOperator]) -> [String] {
            a.learn(from: SpoolEvidence(relays: relays, correspondents: [], names: []), rules: LearningRules()).operators.map(\.operatorOrg)
        }
        #expect(learn([LearnedOperator(recipientOrg: "hibari-kikaku.co.jp", operatorOrg: "mailshield-cloud.jp", messages: 95, total: 100),
                       LearnedOperator(recipientOrg: "hibari-kikaku.co.jp", operatorOrg: "attacker.test", messages: 5, total: 100)]) == ["mailshield-cloud.jp"])
        #expect(learn([LearnedOperator(recipientOrg: "hibari-kikaku.co.jp", operatorOrg: "mailshield-cloud.jp", messages: 19, total: 19)]).isEmpty)
        #expect(learn([LearnedOperator(recipientOrg: "hibari-kikaku.co.jp", operatorOrg: "mailshield-cloud.jp", messages: 80, total: 100)]).isEmpty)
    }

    @Test("a lookalike with a shorter authenticated history than the real partner is refused, not protected")
    func lookalikeRefused() {
        let a = analyzer()
        let fake = Correspondent(recipientOrg: "minato-shoji.co.jp", senderOrg: "aoba-kensetsv.co.jp", messages: 1_000, days: 3, firstSeen: "2019-01-01")
        let k = a.learn(from: SpoolEvidence(relays: [], correspondents: [fake, Self.partner], names: []), rules: LearningRules())
        #expect(k.admitted.map(\.senderOrg) == ["aoba-kensetsu.co.jp"])
        #expect(k.correspondents.first { $0.senderOrg == "aoba-kensetsv.co.jp" }?.refusedAsLookalikeOf == "aoba-kensetsu.co.jp")
        // The refused one's mail is still a lookalike of the partner.
        let r = analyze(Self.toMinato(from: "x@aoba-kensetsv.co.jp"), analyzer(k))
        #expect(ids(r).contains("lookalike_correspondent_domain"))
        // Lookalikes of the recipient itself and of well-known brands are never admitted.
        let own = Correspondent(recipientOrg: "minato-shoji.co.jp", senderOrg: "minato-shoji.jp", messages: 50, days: 20, firstSeen: "2019-01-01")
        let brand = Correspondent(recipientOrg: "minato-shoji.co.jp", senderOrg: "rnizuhobank.co.jp", messages: 50, days: 20, firstSeen: "2019-01-01")
        let k2 = a.learn(from: SpoolEvidence(relays: [], correspondents: [own, brand], names: []), rules: LearningRules())
        #expect(k2.admitted.isEmpty)
        #expect(k2.correspondents.count == 2)
    }

    @Test("too few messages or days is not a correspondent; names only of admitted correspondents; caps reported")
    func correspondentRulesAndCaps() {
        let a = analyzer()
        var rules = LearningRules()
        let one = Correspondent(recipientOrg: "minato-shoji.co.jp", senderOrg: "nishiki-bussan.co.jp", messages: 9, days: 1, firstSeen: "2019-04-02")
        let names = [CorrespondentName(recipientOrg: "minato-shoji.co.jp", senderOrg: "nishiki-bussan.co.jp", name: "錦太郎", messages: 9),
                     CorrespondentName(recipientOrg: "minato-shoji.co.jp", senderOrg: "aoba-kensetsu.co.jp", name: "山本一郎", messages: 4)]
        let k = a.learn(from: SpoolEvidence(relays: [], correspondents: [one, Self.partner], names: names), rules: rules)
        #expect(k.admitted.map(\.senderOrg) == ["aoba-kensetsu.co.jp"])
        #expect(k.names.map(\.name) == ["山本一郎"])
        // One authenticated message each way is enough: only the recipient organisation can send the reply.
        var replied = one
        replied.messages = 1
        replied.days = 1
        replied.replies = 1
        #expect(a.learn(from: SpoolEvidence(relays: [], correspondents: [replied], names: []), rules: rules).admitted.map(\.senderOrg) == ["nishiki-bussan.co.jp"])
        rules.maxCorrespondents = 1
        let many = ["hoshizora-unyu.co.jp", "sakura-seimitsu.co.jp", "kawasemi-soft.jp"].enumerated().map {
            Correspondent(recipientOrg: "minato-shoji.co.jp", senderOrg: $0.element, messages: 5 + $0.offset, days: 2 + $0.offset, firstSeen: "2019-04-02")
        }
        let capped = a.learn(from: SpoolEvidence(relays: [], correspondents: many, names: []), rules: rules)
        #expect(capped.admitted.map(\.senderOrg) == ["kawasemi-soft.jp"])
        #expect(capped.capped == ["correspondents"])
    }

    @Test("lookalike keys select every technique's candidates and little else")
    func keys() {
        let k = LookalikeKeys.keys("aoba-kensetsu.co.jp", psl: Self.psl)
        for d in ["aoba-kensetsv.co.jp", "a0ba-kensetsu.co.jp", "aobakensetsu.jp", "aoba-kensetsu-co-jp.net", "aoba-kenestsu.co.jp", "aoba-kensetsu.co.jp.evil.test"] {
            #expect(!k.isDisjoint(with: LookalikeKeys.keys(d, psl: Self.psl)), "\(d)")
        }
        #expect(k.isDisjoint(with: LookalikeKeys.keys("hoshizora-unyu.co.jp", psl: Self.psl)))
    }
}

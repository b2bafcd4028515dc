import SpearCore
import SpearDomains

/// The rules that turn a store's observations into knowledge (issue #14), and why an attacker's volume cannot buy
/// trust with them.
///
/// **Operators.** For each recipient organisation with at least `operatorMinMessages` messages, the organisation
/// that wrote the topmost Received on at least `operatorMinShare` of them is its MX operator (its own, or a
/// filtering or hosting provider). Its Authentication-Results then count as trusted *by position*: only those
/// above the operator's entry hop, the topmost Received whose client is outside the operator
/// (`RecipientBorder`). The topmost Received of a message in a spool is written by whoever delivered it there,
/// never by the sender, so no number of messages from an attacker moves the operator; and a forged
/// Authentication-Results stands below the entry hop whoever the operator is, so claiming the operator's
/// authserv-id from the wrong position is never trusted. What learning needs is a spool of one organisation's
/// delivered mail; a folder of messages collected from elsewhere simply has no operator above the share.
///
/// **Correspondents.** A sender organisation with at least `correspondentMinMessages` *authenticated* messages
/// (an aligned DKIM signature we verified, or a trusted dmarc=pass) on `correspondentMinDays` distinct days, or
/// with one authenticated message each way (the recipient organisation's own authenticated mail to it: a reply,
/// which only the recipient can send), is a correspondent of the recipient organisation, and its domain is protected against lookalikes for that
/// organisation's mail. An attacker can authenticate mail of a lookalike domain of their own, so volume alone
/// could make a lookalike a "correspondent": candidates are therefore admitted strongest first (days, then
/// messages, then the earliest), and one that imitates a correspondent already admitted, the recipient
/// organisation itself, or a configured or well-known domain is refused and reported (`refusedAsLookalikeOf`).
/// To displace a real partner an attacker would need a longer authenticated history with the recipient than
/// the partner has. A refused domain that is honest (two partners with similar names) is added to
/// `protected_domains` by the analyst.
///
/// **Names.** The display names on an admitted correspondent's authenticated mail; the same name from a
/// free-mail address is impersonation evidence.
enum SpoolLearner {
    static func learn(_ evidence: SpoolEvidence, rules: LearningRules, detector: LookalikeDetector, psl: PublicSuffixList?) -> SpoolKnowledge {
        var capped = evidence.capped
        // Operators: the most frequent top relay per recipient organisation, if its share is high enough.
        var best: [String: LearnedOperator] = [:]
        for r in evidence.relays where r.messages > (best[r.recipientOrg]?.messages ?? 0) { best[r.recipientOrg] = r }
        let operators = best.values.filter { $0.total >= rules.operatorMinMessages && $0.share >= rules.operatorMinShare }
            .sorted { $0.recipientOrg < $1.recipientOrg }

        // Correspondents, strongest first.
        let ordered = evidence.correspondents.sorted {
            ($0.days, $0.messages, $1.firstSeen, $1.senderOrg) > ($1.days, $1.messages, $0.firstSeen, $0.senderOrg)
        }
        var admittedCount = 0
        var decided: [Correspondent] = []
        // Admitted correspondents per recipient organisation by lookalike key: a candidate is compared with the
        // few that share a key, not with every one admitted before it.
        var byRecipient: [String: [String: [String]]] = [:]
        for var c in ordered where c.senderOrg != c.recipientOrg
            && ((c.messages >= rules.correspondentMinMessages && c.days >= rules.correspondentMinDays) || (c.messages >= 1 && c.replies >= 1)) {
            if let m = detector.match(c.senderOrg) {
                c.refusedAsLookalikeOf = m.protected
            } else if let m = LookalikeDetector(protected: [c.recipientOrg], psl: psl).match(c.senderOrg) {
                c.refusedAsLookalikeOf = m.protected
            } else if !detector.protects(c.senderOrg), let imitated = Self.imitated(c.senderOrg, among: byRecipient[c.recipientOrg] ?? [:], psl: psl) {
                c.refusedAsLookalikeOf = imitated
            } else if admittedCount >= rules.maxCorrespondents {
                if !capped.contains("correspondents") { capped.append("correspondents") }
                continue
            } else {
                admittedCount += 1
                for key in LookalikeKeys.keys(c.senderOrg, psl: psl) { byRecipient[c.recipientOrg, default: [:]][key, default: []].append(c.senderOrg) }
            }
            decided.append(c)
        }
        let admitted = Set(decided.filter { $0.refusedAsLookalikeOf == nil }.map { $0.recipientOrg + "\u{0}" + $0.senderOrg })
        var names: [CorrespondentName] = []
        for n in evidence.names.sorted(by: { ($0.messages, $1.name) > ($1.messages, $0.name) })
        where admitted.contains(n.recipientOrg + "\u{0}" + n.senderOrg) {
            guard names.count < rules.maxNames else {
                if !capped.contains("names") { capped.append("names") }
                break
            }
            names.append(n)
        }
        names.sort { ($0.recipientOrg, $0.senderOrg, $0.name) < ($1.recipientOrg, $1.senderOrg, $1.name) }
        decided.sort { ($0.recipientOrg, $0.senderOrg) < ($1.recipientOrg, $1.senderOrg) }
        return SpoolKnowledge(operators: operators, correspondents: decided, names: names, capped: capped)
    }

    /// The admitted correspondent (found by key index) that `org` imitates.
    static func imitated(_ org: String, among index: [String: [String]], psl: PublicSuffixList?) -> String? {
        var seen = Set<String>()
        var candidates: [String] = []
        for key in LookalikeKeys.keys(org, psl: psl) {
            for c in index[key] ?? [] where seen.insert(c).inserted { candidates.append(c) }
        }
        guard !candidates.isEmpty else { return nil }
        return LookalikeDetector(protected: candidates.sorted(), psl: psl).match(org)?.protected
    }
}

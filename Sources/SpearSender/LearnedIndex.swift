import Foundation
import SpearCore
import SpearDomains

/// Learned knowledge (`SpoolKnowledge`) arranged for a lookup per message: operators by recipient organisation,
/// correspondents by recipient organisation and lookalike key (`LookalikeKeys`), names by recipient organisation
/// and name key. Its size is bounded by the learning caps (`LearningRules`), not by the store.
final class LearnedIndex: Sendable {
    let operators: [String: LearnedOperator]
    private let correspondents: [String: [String: [Correspondent]]]
    private let names: [String: [String: CorrespondentName]]
    private let psl: PublicSuffixList?
    private let verdicts = SharedMemo<String, CorrespondentMatch?>(limit: 100_000)

    /// A correspondent imitated by a message's sender.
    struct CorrespondentMatch: Sendable {
        var recipientOrg: String
        var correspondent: Correspondent
        /// Set for a lookalike domain; nil for a name at a free-mail address.
        var lookalike: LookalikeMatch?
        var name: CorrespondentName?

        var effect: String { (lookalike == nil ? "name:" : "lookalike:") + correspondent.senderOrg }
    }

    init(_ knowledge: SpoolKnowledge, psl: PublicSuffixList?) {
        self.psl = psl
        operators = Dictionary(knowledge.operators.map { ($0.recipientOrg, $0) }, uniquingKeysWith: { a, _ in a })
        var byKey: [String: [String: [Correspondent]]] = [:]
        var admitted: [String: [String: Correspondent]] = [:]
        for c in knowledge.admitted {
            admitted[c.recipientOrg, default: [:]][c.senderOrg] = c
            for key in LookalikeKeys.keys(c.senderOrg, psl: psl) { byKey[c.recipientOrg, default: [:]][key, default: []].append(c) }
        }
        correspondents = byKey
        var byName: [String: [String: CorrespondentName]] = [:]
        for n in knowledge.names where admitted[n.recipientOrg]?[n.senderOrg] != nil {
            if let old = byName[n.recipientOrg]?[n.name], old.messages >= n.messages { continue }
            byName[n.recipientOrg, default: [:]][n.name] = n
        }
        names = byName
        self.admittedByOrg = admitted
    }

    private let admittedByOrg: [String: [String: Correspondent]]

    /// The learned operator whose border applies: the organisation that wrote the topmost Received is the one
    /// learned for a recipient organisation, and not that organisation itself.
    func operatorOrg(recipientOrgs: [String], relayOrg: String?) -> String? {
        guard let relayOrg else { return nil }
        for r in recipientOrgs {
            if let o = operators[r], o.operatorOrg == relayOrg, o.operatorOrg != r { return relayOrg }
        }
        return nil
    }

    /// The operators of these recipient organisations other than themselves.
    func operatorOrgs(of recipientOrgs: [String]) -> [String] {
        recipientOrgs.compactMap { r in operators[r].flatMap { $0.operatorOrg == r ? nil : $0.operatorOrg } }
    }

    /// The correspondent of a recipient organisation that the sender imitates: its domain (a lookalike of the
    /// correspondent's, not the correspondent's own and not a protected or well-known domain), or, from a
    /// free-mail address, the display name of one of its people.
    func match(fromOrg: String?, fromName: String?, fromFreeMail: Bool, recipientOrgs: [String],
               detector: LookalikeDetector) -> CorrespondentMatch? {
        guard let fromOrg, !recipientOrgs.isEmpty else { return nil }
        let memoKey = [fromOrg, fromName ?? "", fromFreeMail ? "1" : "0"].joined(separator: "\u{0}") + "\u{0}" + recipientOrgs.joined(separator: ",")
        return verdicts.value(for: memoKey) {
            if fromFreeMail {
                guard let fromName else { return nil }
                for r in recipientOrgs {
                    if let n = names[r]?[fromName], let c = admittedByOrg[r]?[n.senderOrg] {
                        return CorrespondentMatch(recipientOrg: r, correspondent: c, lookalike: nil, name: n)
                    }
                }
                return nil
            }
            if detector.protects(fromOrg) || recipientOrgs.contains(fromOrg) { return nil }
            let keys = LookalikeKeys.keys(fromOrg, psl: psl)
            for r in recipientOrgs {
                guard let index = correspondents[r], admittedByOrg[r]?[fromOrg] == nil else { continue }
                var seen = Set<String>()
                var candidates: [Correspondent] = []
                for key in keys { for c in index[key] ?? [] where seen.insert(c.senderOrg).inserted { candidates.append(c) } }
                // The most established correspondent first, so that the evidence names it.
                for c in candidates.sorted(by: { ($0.days, $0.messages, $1.senderOrg) > ($1.days, $1.messages, $0.senderOrg) }) {
                    if let m = LookalikeDetector(protected: [c.senderOrg], psl: psl).match(fromOrg) {
                        return CorrespondentMatch(recipientOrg: r, correspondent: c, lookalike: m, name: nil)
                    }
                }
            }
            return nil
        }
    }

    /// The display name as a key: NFKC, white space removed, lower-cased; nil when too short to mean a person
    /// (one character, or fewer than four ASCII letters).
    static func nameKey(_ name: String?) -> String? {
        guard let name else { return nil }
        let folded = NFKC.of(name).lowercased()
        // White space, quotes, control and format characters (a NUL or a zero-width space hidden in the name)
        // do not make another name.
        let key = String(folded.unicodeScalars.filter {
            !$0.properties.isWhitespace && $0 != "\"" && $0 != "'" && $0.properties.generalCategory != .control
                && $0.properties.generalCategory != .format
        }.map(Character.init))
        let count = key.unicodeScalars.count
        guard count >= 2, key.unicodeScalars.contains(where: { !$0.isASCII }) || count >= 4 else { return nil }
        // A name that is an address says nothing about a person (display_name_address judges it).
        if key.utf8.contains(0x40) { return nil }
        return key
    }
}

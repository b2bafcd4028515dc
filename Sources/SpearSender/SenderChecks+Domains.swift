import SpearCore
import Foundation
import SpearMIME
import SpearDomains

/// The From domain (or the envelope's, or a Reply-To's) imitates a protected domain, a well-known brand or
/// free-mail provider, or the organisation the message is addressed to.
///
/// The recipients' organisations are protected for each message without configuration: an attacker writing to
/// staff of minato-shoji.co.jp from minato-shoji.jp or rninato-shoji.co.jp imitates the one organisation every
/// recipient trusts. Mail from the recipient's own organisation is internal, not a lookalike. A domain that
/// resembles an organisation is cleared when that organisation vouches for the message (`vouch(by:)`): a sister
/// domain the organisation signs for is its own.
struct LookalikeCheck: SenderCheck {
    let detector: LookalikeDetector
    /// The analyzer's verdicts by domain: a spool repeats its sender domains, and each is compared with every
    /// protected and well-known domain once per run, not once per message.
    let cache: LookalikeCache
    let recipients: RecipientLookalikes

    func evaluate(_ c: SenderContext) -> [SenderIndicator] {
        var out: [SenderIndicator] = []
        var seen = Set<String>()
        let candidates = [c.fromDomain, c.domain(of: c.envelope)] + c.replyTo.map(\.domain)
        for case let domain? in candidates where seen.insert(domain).inserted {
            var id = "lookalike_domain", whose = ""
            var found = cache.match(domain, detector)
            if found == nil, !c.isFreeMail(domain), !c.isESPBounce(domain) {
                for org in c.recipientOrgs {
                    if let m = recipients.match(domain, recipientOrg: org, detector: detector) {
                        found = m
                        id = "lookalike_recipient_domain"
                        whose = " (the recipients' organisation, from To/Cc/Delivered-To)"
                        break
                    }
                }
            }
            guard let m = found else { continue }
            let evidence = "\(domain) imitates \(m.protected)\(whose) (\(m.technique)): \(m.detail)"
            if let org = c.org(m.protected), let vouched = c.vouch(by: org) {
                out.append(SenderIndicator(id: "lookalike_vouched", weight: 0,
                                           evidence: evidence + "; but \(vouched), so \(org) sent it itself", axis: .name))
                continue
            }
            var weight = domain == c.fromDomain ? 50 : 25
            if !LookalikeDetector.wellKnown.contains(m.protected), Self.weakAcrossTLDs.contains(m.technique),
               Self.tld(domain) != Self.tld(m.protected) {
                // Two real organisations often share a name under different TLDs (a company's .com abroad and
                // another's .co.jp here): the same name or a near spelling there is a hint, not a verdict, for the
                // recipients' organisation and a configured one alike. Under the same TLD (minato-shoji.jp for
                // minato-shoji.co.jp) it is the classic cheap registration. Global brands (the well-known list)
                // keep the full weight: their names under another TLD are the attack.
                weight = 15
            }
            out.append(SenderIndicator(id: id, weight: weight, evidence: evidence + (weight == 15 ? " (under another top-level domain: may be an unrelated organisation of the same name)" : ""),
                                       axis: .name))
        }
        return out
    }

    /// Techniques that real, unrelated organisations' domains also show between each other.
    static let weakAcrossTLDs: Set<String> = ["tld_swap", "edit_distance"]

    static func tld(_ domain: String) -> Substring {
        let d = domain.hasSuffix(".") ? domain.dropLast() : Substring(domain)
        return d.lastIndex(of: ".").map { d[d.index(after: $0)...] } ?? d
    }
}

/// Lookalike verdicts against the recipients' organisations, shared by the scanning threads of one analyzer.
///
/// The recipient set changes with every message, but a spool is addressed to the same few organisations: one
/// single-domain detector per recipient organisation and one verdict per (sender domain, recipient organisation)
/// are kept, so a message costs a dictionary lookup per pair after the first.
final class RecipientLookalikes: Sendable {
    /// nil for an organisation the analyzer's own detector protects already (configured, or well known).
    private let detectors = SharedMemo<String, LookalikeDetector?>(limit: 10_000)
    private let verdicts = SharedMemo<String, LookalikeMatch?>()
    let psl: PublicSuffixList?

    init(psl: PublicSuffixList?) { self.psl = psl }

    func match(_ domain: String, recipientOrg: String, detector: LookalikeDetector) -> LookalikeMatch? {
        verdicts.value(for: domain + "\u{0}" + recipientOrg) {
            guard let own = detectors.value(for: recipientOrg, compute: {
                detector.protects(recipientOrg) ? nil : LookalikeDetector(protected: [recipientOrg], psl: psl)
            }) else { return nil }
            // A real protected or well-known domain is not a lookalike of a recipient (google.com writing to
            // google.co.jp staff).
            return detector.protects(domain) ? nil : own.match(domain)
        }
    }
}

/// The Message-ID was made in another organisation than both From and the envelope sender.
struct MessageIDCheck: SenderCheck {
    func evaluate(_ c: SenderContext) -> [SenderIndicator] {
        guard let idDomain = c.messageIDDomain, let idOrg = c.org(idDomain), let fromOrg = c.fromOrg,
              idOrg != fromOrg, idOrg != c.envelopeOrg, !c.isMailingList, !c.isESPBounce(idDomain) else { return [] }
        // Webmail and large providers mint IDs on their own hosts (mail.gmail.com…): only unrelated ones count.
        if c.isFreeMail(c.fromDomain) { return [] }
        return [SenderIndicator(id: "message_id_mismatch", weight: 10,
                                evidence: "Message-ID was made at \(idDomain), unrelated to From (\(fromOrg))")]
    }
}

/// The Date header is far from when the first trusted server received the message.
struct DateSkewCheck: SenderCheck {
    func evaluate(_ c: SenderContext) -> [SenderIndicator] {
        guard let date = c.date, let received = c.firstTrustedHop?.date else { return [] }
        let skew = date.epochSeconds - received.epochSeconds
        if skew > 2 * 3600 {
            return [SenderIndicator(id: "date_skew", weight: 10, evidence: "Date \(date.iso8601) is \(skew / 3600) h after the first trusted Received (\(received.iso8601))")]
        }
        if skew < -3 * 86_400 {
            return [SenderIndicator(id: "date_skew", weight: 10, evidence: "Date \(date.iso8601) is \(-skew / 86_400) days before the first trusted Received (\(received.iso8601))")]
        }
        return []
    }
}

/// The first external hop (the server that handed the message to a trusted one) names a host unrelated to From.
struct FirstHopCheck: SenderCheck {
    func evaluate(_ c: SenderContext) -> [SenderIndicator] {
        guard let hop = c.firstTrustedHop, let fromOrg = c.fromOrg, !c.isMailingList else { return [] }
        let names = [hop.fromReverse, hop.from].compactMap { $0 }.filter { $0.utf8.contains(UInt8(ascii: ".")) && !$0.hasPrefix("[") }
        guard !names.isEmpty else { return [] }
        if names.contains(where: { c.org($0) == fromOrg || c.org($0) == c.envelopeOrg }) { return [] }
        if c.isESPBounce(names.first) || c.isFreeMail(c.fromDomain) { return [] }
        return [SenderIndicator(id: "first_hop_unrelated", weight: 5,
                                evidence: "the first external hop was \(names.joined(separator: " / ")), unrelated to From (\(fromOrg))")]
    }
}

/// Lookalike verdicts by domain, shared by the scanning threads of one analyzer.
final class LookalikeCache: Sendable {
    private let verdicts = SharedMemo<String, LookalikeMatch?>()

    func match(_ domain: String, _ detector: LookalikeDetector) -> LookalikeMatch? {
        verdicts.value(for: domain) { detector.match(domain) }
    }
}

/// The sender imitates a correspondent the spool taught (issue #14): a lookalike of a domain the recipients'
/// organisation really corresponds with (`fabrikam-gl0bal.com` to someone who corresponds with
/// `fabrikam-global.com`, neither in any list), or, from a free-mail address, the display name of one of that
/// correspondent's people.
struct CorrespondentCheck: SenderCheck {
    func evaluate(_ c: SenderContext) -> [SenderIndicator] {
        guard let m = c.correspondentMatch, let from = c.from else { return [] }
        let who = m.correspondent
        let history = "\(who.messages) authenticated messages to \(m.recipientOrg) on \(who.days) days since \(who.firstSeen)"
        if let look = m.lookalike {
            let evidence = "\(from.domain ?? from.address) imitates \(who.senderOrg), a correspondent of \(m.recipientOrg) learned from the spool (\(history)) (\(look.technique)): \(look.detail)"
            if let vouched = c.vouch(by: who.senderOrg) {
                return [SenderIndicator(id: "lookalike_vouched", weight: 0, evidence: evidence + "; but \(vouched), so \(who.senderOrg) sent it itself", axis: .name)]
            }
            let weak = LookalikeCheck.weakAcrossTLDs.contains(look.technique) && LookalikeCheck.tld(from.domain ?? "") != LookalikeCheck.tld(who.senderOrg)
            return [SenderIndicator(id: "lookalike_correspondent_domain", weight: weak ? 15 : 50,
                                    evidence: evidence + (weak ? " (under another top-level domain: may be an unrelated organisation of the same name)" : ""),
                                    axis: .name)]
        }
        guard let name = m.name else { return [] }
        return [SenderIndicator(id: "correspondent_name_freemail", weight: 40,
                                evidence: "display name \"\(from.name ?? name.name)\" is that of a person at \(who.senderOrg), a correspondent of \(m.recipientOrg) (\(name.messages) authenticated messages under that name; \(history)), but the address is \(from.address) at a free-mail provider",
                                axis: .name)]
    }
}

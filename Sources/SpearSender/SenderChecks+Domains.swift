import Foundation
import SpearMIME
import SpearDomains

/// The From domain imitates a protected domain or a well-known brand or free-mail provider.
struct LookalikeCheck: SenderCheck {
    let detector: LookalikeDetector
    /// The analyzer's verdicts by domain: a spool repeats its sender domains, and each is compared with every
    /// protected and well-known domain once per run, not once per message.
    let cache: LookalikeCache

    func evaluate(_ c: SenderContext) -> [SenderIndicator] {
        var out: [SenderIndicator] = []
        var seen = Set<String>()
        let candidates = [c.fromDomain, c.domain(of: c.envelope)] + c.replyTo.map(\.domain)
        for case let domain? in candidates where seen.insert(domain).inserted {
            guard let m = cache.match(domain, detector) else { continue }
            let weight = domain == c.fromDomain ? 50 : 25
            out.append(SenderIndicator(id: "lookalike_domain", weight: weight,
                                       evidence: "\(domain) imitates \(m.protected) (\(m.technique)): \(m.detail)"))
        }
        return out
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

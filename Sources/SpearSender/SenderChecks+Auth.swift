import SpearCore
import SpearMIME
/// Authentication-Results: trusted headers (a configured authserv-id, or the recipient's border MX by position)
/// count fully; others are reported, their failures weigh a quarter and their passes nothing.
struct AuthResultsCheck: SenderCheck {
    func evaluate(_ c: SenderContext) -> [SenderIndicator] {
        let trusted = c.authResults.filter(\.trusted)
        let considered = trusted.isEmpty ? c.authResults.filter { !$0.header.lowercased().hasPrefix("arc") }.prefix(1).map { $0 } : trusted
        guard let first = considered.first else { return [] }
        let scale = first.trusted ? 4 : 1
        let basis = first.trustBasis == "recipient_border" ? " (the recipient's border, above its entry hop)"
            : first.trustBasis == "learned_operator" ? " (the MX operator learned from the spool for the recipients' organisation, above its entry hop)" : ""
        let source = first.trusted ? "trusted \(first.header) from \(first.authservID)\(basis)"
            : "untrusted \(first.header)\(first.authservID.isEmpty ? "" : " from " + first.authservID) (not a configured authserv-id nor the recipient's border above its entry hop: the sender may have written it)"
        var out: [SenderIndicator] = []
        // Per method, the worst result counts: two "trusted" headers that disagree mean one of them is forged.
        for method in ["dmarc", "spf", "dkim"] {
            let results = considered.flatMap(\.results).filter { $0.method == method }
            guard !results.isEmpty else { continue }
            let worst = results.first { ["fail", "softfail", "permerror"].contains($0.result) } ?? results[0]
            let conflict = Set(results.map(\.result)).count > 1 ? " (other headers claiming the same server say \(Set(results.map(\.result)).sorted().joined(separator: "/")): one is forged)" : ""
            let weight: Int
            switch (method, worst.result) {
            case ("dmarc", "fail"): weight = 15 * scale
            case ("spf", "fail"): weight = 5 * scale
            case ("spf", "softfail"): weight = 3 * scale
            case ("dkim", "fail"): weight = 3 * scale
            // A pass in a header of unknown provenance is exactly what a forger writes: it is shown, not counted.
            case ("dmarc", "pass") where conflict.isEmpty: weight = first.trusted ? -40 : 0
            default: continue
            }
            let detail = worst.properties.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: " ")
            // A mailing list rewrites the subject or body and resends from its own server: DKIM, SPF and so DMARC
            // fail for honest posts (RFC 7960). A failure on a list weighs a quarter, like an untrusted header.
            let onList = c.isMailingList && weight > 0
            out.append(SenderIndicator(id: "auth_\(method)_\(worst.result)", weight: onList ? weight / 4 : weight,
                                       evidence: "\(source): \(method)=\(worst.result)\(detail.isEmpty ? "" : " " + detail)\(conflict)"
                                           + (onList ? " (a mailing list: List-* headers present)" : "")))
        }
        return out
    }
}

/// Our own DKIM verification: a signature that passes and is aligned with From vouches for the sender; a
/// failing one is evidence of tampering (or of a mailing list that rewrote the message).
struct DKIMCheck: SenderCheck {
    func evaluate(_ c: SenderContext) -> [SenderIndicator] {
        var out: [SenderIndicator] = []
        if let aligned = c.dkim.first(where: { $0.result == "pass" && $0.alignment != nil }) {
            out.append(SenderIndicator(id: "dkim_aligned_pass", weight: -40,
                                       evidence: "DKIM signature of \(aligned.domain ?? "") (s=\(aligned.selector ?? "")) verifies and is \(aligned.alignment!)-aligned with From"))
        } else if let fail = c.dkim.first(where: { $0.result == "fail" }) {
            out.append(SenderIndicator(id: "dkim_fail", weight: c.isMailingList ? 0 : 15,
                                       evidence: "DKIM signature of \(fail.domain ?? "") fails: \(fail.reason ?? "")" + (c.isMailingList ? " (a mailing list may have changed the message)" : "")))
        }
        if let l = c.dkim.first(where: { $0.bodyLength != nil && $0.result == "pass" }) {
            out.append(SenderIndicator(id: "dkim_body_length", weight: 5,
                                       evidence: "the DKIM signature of \(l.domain ?? "") covers only the first \(l.bodyLength!) bytes of the body (l=): text may have been appended"))
        }
        return out
    }
}

/// SPF fails for the envelope domain. Evaluated now from the headers (`spf_fail_now`), moderate weight: today's DNS
/// is not the DNS of the day the message was sent (providers change, records are tightened), and forwarding breaks
/// SPF legitimately. Evaluated at arrival (`spf_fail`, the milter: the client, HELO and envelope the MTA saw, against
/// the DNS of that moment), the real check: only forwarding excuses it; a softfail there weighs a little.
struct SPFCheck: SenderCheck {
    func evaluate(_ c: SenderContext) -> [SenderIndicator] {
        guard let spf = c.spf else { return [] }
        let list = c.isMailingList ? " (a mailing list)" : ""
        if spf.atArrival {
            switch spf.result {
            case .fail:
                return [SenderIndicator(id: "spf_fail", weight: c.isMailingList ? 0 : 35,
                                        evidence: "SPF of \(spf.domain) fails at arrival for client \(spf.ip) (\(spf.explanation))" + list)]
            case .softfail:
                return [SenderIndicator(id: "spf_softfail", weight: c.isMailingList ? 0 : 10,
                                        evidence: "SPF of \(spf.domain) soft-fails at arrival for client \(spf.ip) (\(spf.explanation))" + list)]
            default: return []
            }
        }
        guard spf.result == .fail else { return [] }
        return [SenderIndicator(id: "spf_fail_now", weight: c.isMailingList ? 0 : 20,
                                evidence: "SPF of \(spf.domain) evaluated now fails for client \(spf.ip) (\(spf.explanation)); "
                                    + "archived mail may have been sent under older DNS" + list)]
    }
}

/// DMARC fails at arrival: the From domain publishes a policy and neither DKIM nor SPF (evaluated by spearscan as
/// the message arrived) passes aligned with it — what a receiver enforcing DMARC would quarantine or reject. Under
/// `p=quarantine` or `p=reject` the domain's owner says such mail is not theirs: spoofed on its own. Under `p=none`
/// they only monitor (their own mail may still fail): weak. Mailing lists break DMARC legitimately. Only at
/// arrival: from a spool, SPF is today's DNS and the path is what the headers say.
struct DMARCCheck: SenderCheck {
    func evaluate(_ c: SenderContext) -> [SenderIndicator] {
        guard let dmarc = c.dmarc, dmarc.atArrival, dmarc.result == .fail else { return [] }
        let enforced = dmarc.policy == "reject" || dmarc.policy == "quarantine"
        let weight = c.isMailingList ? 0 : (enforced ? 45 : 10)
        return [SenderIndicator(id: "dmarc_fail", weight: weight,
                                evidence: "DMARC of \(dmarc.fromDomain) (p=\(dmarc.policy ?? "none")) fails at arrival: no aligned DKIM or SPF pass"
                                    + (c.isMailingList ? " (a mailing list)" : ""))]
    }
}

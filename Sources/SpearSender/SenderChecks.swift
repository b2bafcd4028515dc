import SpearCore
import SpearMIME
/// A sender heuristic: one small type per indicator.
protocol SenderCheck {
    func evaluate(_ c: SenderContext) -> [SenderIndicator]
}

/// The header From's organisation differs from the envelope sender's (Return-Path, or what the receiving server
/// recorded). Mailing lists and email service providers do this legitimately, and weigh little.
struct EnvelopeAlignmentCheck: SenderCheck {
    func evaluate(_ c: SenderContext) -> [SenderIndicator] {
        guard let fromOrg = c.fromOrg, let envOrg = c.envelopeOrg, fromOrg != envOrg else { return [] }
        let evidence = "From \(c.from?.address ?? "") is in \(fromOrg) but the envelope sender \(c.envelope ?? "") is in \(envOrg)"
        if c.isESPBounce(c.domain(of: c.envelope)) {
            return [SenderIndicator(id: "envelope_mismatch_esp", weight: 0, evidence: evidence + " (a known email service provider's bounce domain)")]
        }
        if c.isMailingList {
            return [SenderIndicator(id: "envelope_mismatch_list", weight: 5, evidence: evidence + " (a mailing list: List-* headers present)")]
        }
        return [SenderIndicator(id: "envelope_mismatch", weight: 30, evidence: evidence)]
    }
}

/// A Sender header in another organisation than From.
struct SenderHeaderCheck: SenderCheck {
    func evaluate(_ c: SenderContext) -> [SenderIndicator] {
        guard let s = c.sender, let sOrg = c.org(s.domain), let fromOrg = c.fromOrg, sOrg != fromOrg else { return [] }
        return [SenderIndicator(id: "sender_mismatch", weight: c.isMailingList ? 0 : 10,
                                evidence: "Sender \(s.address) is in \(sOrg), From in \(fromOrg)" + (c.isMailingList ? " (a mailing list)" : ""))]
    }
}

/// Replies go to another organisation than From; worse when that is free mail while From claims a company.
struct ReplyToCheck: SenderCheck {
    func evaluate(_ c: SenderContext) -> [SenderIndicator] {
        guard let fromOrg = c.fromOrg else { return [] }
        var out: [SenderIndicator] = []
        for r in c.replyTo {
            guard let rDomain = r.domain, let rOrg = c.org(rDomain), rOrg != fromOrg else { continue }
            if c.isMailingList && c.listDomains.contains(where: { c.org($0) == rOrg }) { continue }  // replies to the list
            if c.isFreeMail(rDomain) && !c.isFreeMail(c.fromDomain) {
                out.append(SenderIndicator(id: "reply_to_free_mail", weight: 35,
                                           evidence: "From \(c.from?.address ?? "") claims \(fromOrg) but replies go to free mail \(r.address)",
                                           axis: .name))
            } else {
                out.append(SenderIndicator(id: "reply_to_mismatch", weight: 15, evidence: "Reply-To \(r.address) is in \(rOrg), From in \(fromOrg)",
                                           axis: .name))
            }
        }
        return Array(out.prefix(2))
    }
}

/// A display name holding an address other than the real one, or naming a protected person or brand.
///
/// Mail programs show the name and hide the address, so `"info@mofa.go.jp (外務省)" <x@docomo.ne.jp>` reads as
/// mail from mofa.go.jp. That is deception on its own, whatever authenticates the real address: a DMARC pass of
/// the attacker's free-mail domain proves the account, not the name (the indicator is on the `name` axis, which
/// authentication does not offset). Exceptions, each with its own id: the same organisation (by the Public Suffix
/// List; a free-mail provider is not one organisation, its accounts are different people), a mailing list that
/// rewrote From to its own address and put the author's in the name, and a notification service writing
/// "someone@… via Service" from its own no-reply address with its domain authenticated.
struct DisplayNameCheck: SenderCheck {
    func evaluate(_ c: SenderContext) -> [SenderIndicator] {
        guard let from = c.from, let name = from.name else { return [] }
        var out: [SenderIndicator] = []
        if let (shown, folded) = Self.address(in: name), shown.lowercased() != from.address.lowercased() {
            let shownDomain = c.domain(of: shown)
            let freeMail = c.isFreeMail(shownDomain)
            if c.org(shownDomain) != c.fromOrg || freeMail {
                let evidence = "display name \"\(name)\" shows \(shown)\(folded ? " (full-width characters read as ASCII)" : "") but the address is \(from.address)"
                    + (freeMail && c.org(shownDomain) == c.fromOrg ? " (another account of the free-mail provider \(c.fromOrg ?? ""))" : "")
                if c.isMailingList, let fromOrg = c.fromOrg, c.listDomains.contains(where: { c.org($0) == fromOrg }), !c.isFreeMail(c.fromDomain) {
                    out.append(SenderIndicator(id: "display_name_address_list", weight: 5,
                                               evidence: evidence + " (a mailing list in \(fromOrg) rewrote From to its own address: the name holds the author's)",
                                               axis: .name))
                } else if let marker = Self.serviceNotice(c, name: name, address: from.address) {
                    out.append(SenderIndicator(id: "display_name_address_service", weight: 15,
                                               evidence: evidence + " (a notification from \(from.address), \(marker), its domain authenticated: the service names who acted)",
                                               axis: .name))
                } else {
                    out.append(SenderIndicator(id: "display_name_address", weight: 40, evidence: evidence, axis: .name))
                }
            }
        }
        let protectedHere = c.config.protectedDomains.contains { c.fromOrg == c.org($0) }
        if !protectedHere, let named = c.config.protectedNames.first(where: { name.localizedStandardContainsCompat($0) }) {
            // The configuration says only the protected domains use this name, so the name alone decides (40):
            // authentication of the address cannot make the name honest.
            out.append(SenderIndicator(id: "display_name_protected", weight: 40,
                                       evidence: "display name \"\(name)\" names \"\(named)\" but the address \(from.address) is outside the protected domains",
                                       axis: .name))
        }
        return out
    }

    /// The first thing in `name` that looks like an address, and whether full-width characters ("＠", "．") had to
    /// be read as ASCII to see it.
    static func address(in name: String) -> (String, Bool)? {
        var text = name
        var folded = false
        if name.utf8.contains(where: { $0 >= 0x80 }) {
            let scalars = name.unicodeScalars.map { u -> Unicode.Scalar in
                switch u.value {
                case 0xFF01...0xFF5E: folded = true; return Unicode.Scalar(u.value - 0xFEE0)!
                case 0x3000: return " "
                default: return u
                }
            }
            if folded { text = String(String.UnicodeScalarView(scalars)) }
        }
        guard text.utf8.contains(UInt8(ascii: "@")) else { return nil }  // most names: nothing to split
        for word in text.split(whereSeparator: { " <>\"'()[],;:\u{3000}【】「」『』〈〉《》（）".contains($0) }) {
            var w = Substring(word)
            while w.last == "." { w = w.dropLast() }
            let parts = w.split(separator: "@", omittingEmptySubsequences: false)
            if parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix(".") { return (String(w), folded) }
        }
        return nil
    }

    /// Why a display-name address in a notification is the service naming who acted: a no-reply or notification
    /// local part at a domain that is not free mail and authenticated itself, and a "via"/"経由" in the name.
    /// nil otherwise.
    static func serviceNotice(_ c: SenderContext, name: String, address: String) -> String? {
        guard let at = address.lastIndex(of: "@"), !c.isFreeMail(c.fromDomain), c.fromAuthenticated else { return nil }
        let local = address[..<at].lowercased()
        let automated = ["noreply", "no-reply", "no_reply", "donotreply", "do-not-reply", "do_not_reply", "notification",
                         "notify", "calendar"]
        guard let kind = automated.first(where: { local.contains($0) }) else { return nil }
        let lower = name.lowercased()
        let words = lower.split(whereSeparator: { " ()[]'\"".contains($0) })
        guard let marker = words.contains("via") ? "via" : (lower.contains("経由") ? "経由" : nil) else { return nil }
        return "a \(kind) address, \"\(marker)\" in the name"
    }
}

extension String {
    /// Case-insensitive containment that also folds full-width ASCII.
    func localizedStandardContainsCompat(_ other: String) -> Bool {
        func fold(_ s: String) -> String {
            String(String.UnicodeScalarView(s.unicodeScalars.map { u in
                (u.value >= 0xFF01 && u.value <= 0xFF5E) ? Unicode.Scalar(u.value - 0xFEE0)! : u
            })).lowercased()
        }
        return !other.isEmpty && fold(self).contains(fold(other))
    }
}

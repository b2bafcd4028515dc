import SpearMIME
/// One piece of sender evidence: a stable id, how much it weighs toward "spoofed" (negative weighs against),
/// and the header values it rests on.
public struct SenderIndicator: Sendable, Encodable, Equatable {
    public var id: String
    public var weight: Int
    public var evidence: String
}

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
                                           evidence: "From \(c.from?.address ?? "") claims \(fromOrg) but replies go to free mail \(r.address)"))
            } else {
                out.append(SenderIndicator(id: "reply_to_mismatch", weight: 15, evidence: "Reply-To \(r.address) is in \(rOrg), From in \(fromOrg)"))
            }
        }
        return Array(out.prefix(2))
    }
}

/// A display name holding an address other than the real one, or naming a protected person or brand.
struct DisplayNameCheck: SenderCheck {
    func evaluate(_ c: SenderContext) -> [SenderIndicator] {
        guard let from = c.from, let name = from.name else { return [] }
        var out: [SenderIndicator] = []
        if let shown = Self.address(in: name), shown.lowercased() != from.address.lowercased() {
            let shownOrg = c.org(shown.split(separator: "@").last.map(String.init))
            if shownOrg != c.fromOrg {
                out.append(SenderIndicator(id: "display_name_address", weight: 40,
                                           evidence: "display name shows \(shown) but the address is \(from.address)"))
            }
        }
        let protectedHere = c.config.protectedDomains.contains { c.fromOrg == c.org($0) }
        if !protectedHere, let named = c.config.protectedNames.first(where: { name.localizedStandardContainsCompat($0) }) {
            out.append(SenderIndicator(id: "display_name_protected", weight: 35,
                                       evidence: "display name \"\(name)\" names \"\(named)\" but the address \(from.address) is outside the protected domains"))
        }
        return out
    }

    /// The first thing in `name` that looks like an address.
    static func address(in name: String) -> String? {
        guard name.utf8.contains(UInt8(ascii: "@")) else { return nil }  // most names: nothing to split
        for word in name.split(whereSeparator: { " <>\"'()[],;".contains($0) }) {
            let parts = word.split(separator: "@")
            if parts.count == 2, !parts[0].isEmpty, parts[1].contains(".") { return String(word) }
        }
        return nil
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

import SpearCore
import SpearDomains
import SpearMIME

/// What the sender checks look at, read once from the message header.
struct SenderContext {
    var config: SenderConfig
    var psl: PublicSuffixList?
    var from: Address?
    var fromCount: Int
    var sender: Address?
    var replyTo: [Address]
    var returnPath: String?
    /// The envelope sender from a trusted Received (`envelope-from`) or trusted Authentication-Results (`smtp.mailfrom`).
    var recordedEnvelope: String?
    var messageIDDomain: String?
    var date: MailDate?
    var received: [ReceivedHeader]
    var isMailingList: Bool
    var listDomains: Set<String>
    var authResults: [AuthResultsHeader]
    var dkim: [DKIMResult]
    /// The analyzer's configured domain lists as sets, and its organisational domains across messages (a spool
    /// repeats its domains).
    let lists: SenderDomainLists
    let organizations: SharedMemo<String, String?>
    /// SPF evaluated now (nil when offline or no client address is known).
    var spf: SPFResult? = nil
    /// DMARC evaluated from this run's DKIM and SPF (nil when offline or without one From).
    var dmarc: DMARCResult? = nil
    /// The organisational domains the message was addressed to (`RecipientDomains`), in header order.
    var recipientOrgs: [String] = []
    /// Where the recipient's organisation took the message in, found by position (nil when the top of the header
    /// was not written by a recipient organisation).
    var border: RecipientBorder? = nil
    /// A learned correspondent of the recipients' organisation that the sender imitates (issue #14).
    var correspondentMatch: LearnedIndex.CorrespondentMatch? = nil

    /// Organisational domains already worked out for this message: the checks ask for the same few domains
    /// dozens of times, and each Public Suffix List lookup was a sixth of scoring time (callgrind).
    let orgMemo = OrgMemo()

    /// The organisational domain (PSL), lower-cased; the last two labels when the list is unavailable.
    func org(_ domain: String?) -> String? {
        guard let domain else { return nil }
        if let known = orgMemo.entries[domain] { return known }
        let result = organizations.value(for: domain) { computeOrg(domain) }
        orgMemo.entries[domain] = result
        return result
    }

    private func computeOrg(_ domain: String) -> String? { Self.organizationalDomain(domain, psl: psl) }

    /// The organisational domain of `domain` (or of an address's domain) by the list, or guessed from its last
    /// labels without one.
    static func organizationalDomain(_ domain: String, psl: PublicSuffixList?) -> String? {
        var d = domain.lowercased().trimmingCharacters(in: ". <>")
        guard !d.isEmpty else { return nil }
        if let at = d.lastIndex(of: "@") { d = String(d[d.index(after: at)...]) }
        if let psl, let o = psl.organizationalDomain(of: d) { return o }
        let labels = d.split(separator: ".")
        return labels.suffix(labels.count >= 3 && ["co", "ne", "or", "ac", "go", "com", "net", "org"].contains(labels[labels.count - 2]) ? 3 : 2).joined(separator: ".")
    }

    func domain(of address: String?) -> String? {
        guard let a = address, let at = a.lastIndex(of: "@") else { return nil }
        let d = a[a.index(after: at)...].lowercased().trimmingCharacters(in: ". <>")
        return d.isEmpty ? nil : d
    }

    var fromDomain: String? { from?.domain }
    var fromOrg: String? { org(fromDomain) }
    var envelope: String? { returnPath.flatMap { $0.isEmpty ? nil : $0 } ?? recordedEnvelope }
    var envelopeOrg: String? { org(domain(of: envelope)) }

    func isFreeMail(_ domain: String?) -> Bool {
        guard let d = domain?.lowercased() else { return false }
        let free = lists.freeMail
        return free.contains(d) || free.contains(org(d) ?? "")
    }

    /// The domain is an ESP's bounce domain or a subdomain of one.
    func isESPBounce(_ domain: String?) -> Bool {
        guard let d = domain?.lowercased() else { return false }
        let esp = lists.espBounce
        var rest = Substring(d)
        while true {
            if esp.contains(String(rest)) { return true }
            guard let dot = rest.firstIndex(of: ".") else { return false }
            rest = rest[rest.index(after: dot)...]
        }
    }

    /// The first Received header written by a trusted server (the hop where the message entered), or the
    /// topmost one when nothing is configured.
    var firstTrustedHop: ReceivedHeader? {
        let trusted = lists.trusted
        if trusted.isEmpty { return border?.entryHop ?? received.first }
        return received.last { r in r.by.map { by in trusted.contains { by.lowercased() == $0 || by.lowercased().hasSuffix("." + $0) } } ?? false }
    }
}

extension SenderContext {
    /// The From domain authenticated itself: a trusted `dmarc=pass`, or a DKIM signature we verified that is
    /// aligned with From.
    var fromAuthenticated: Bool {
        dkim.contains { $0.result == "pass" && $0.alignment != nil }
            || authResults.contains { $0.trusted && $0.results.contains { $0.method == "dmarc" && $0.result == "pass" } }
    }

    /// Evidence that the organisation `org` itself sent the message, whatever the From domain: a DKIM signature of
    /// that organisation that verifies (ours, or `dkim=pass header.d=` in a trusted Authentication-Results), or a
    /// trusted `spf=pass` for an envelope sender there. Nobody but the organisation can sign for it or send from
    /// the addresses its SPF lists, so a domain that resembles it and comes with such evidence is its own.
    func vouch(by org: String) -> String? {
        if let d = dkim.first(where: { $0.result == "pass" && self.org($0.domain) == org }) {
            return "a DKIM signature of \(d.domain ?? "") (s=\(d.selector ?? "")) verifies"
        }
        for h in authResults where h.trusted {
            for r in h.results where r.result == "pass" {
                if r.method == "dkim", let d = r.properties["header.d"] ?? r.properties["header.i"], self.org(domain(of: d) ?? d) == org {
                    return "trusted \(h.header) from \(h.authservID): dkim=pass header.d=\(d)"
                }
                if r.method == "spf", let m = r.properties["smtp.mailfrom"], self.org(domain(of: m) ?? m) == org {
                    return "trusted \(h.header) from \(h.authservID): spf=pass smtp.mailfrom=\(m)"
                }
            }
        }
        return nil
    }
}

/// The per-message memo of `SenderContext.org` (a class so the value-type context can fill it from its checks).
final class OrgMemo {
    var entries: [String: String?] = [:]
}

/// The configured domain lists as sets, made once per analyzer (the checks consult them for every message).
struct SenderDomainLists: Sendable {
    let freeMail: Set<String>
    let espBounce: Set<String>
    /// Trusted relays and authserv-ids.
    let trusted: Set<String>
    /// Trusted authserv-ids (whose Authentication-Results count).
    let trustedIDs: Set<String>

    init(_ config: SenderConfig) {
        freeMail = config.freeMail
        espBounce = config.espBounce
        trusted = Set(config.trustedRelays + config.trustedAuthservIDs)
        trustedIDs = Set(config.trustedAuthservIDs)
    }
}

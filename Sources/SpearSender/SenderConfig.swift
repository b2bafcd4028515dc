/// What the sender checks need to know about the user's world. Everything works without it; it makes the
/// verdict sharper: which domains and names are yours to protect, and whose Authentication-Results to trust.
public struct SenderConfig: Sendable, Equatable, Decodable {
    /// The user's own organisation and its partners: lookalikes of these, and mail claiming them from elsewhere.
    public var protectedDomains: [String] = []
    /// People and brands whose names in a display name from another domain are suspicious ("総務部", "Example Bank").
    public var protectedNames: [String] = []
    /// authserv-ids whose Authentication-Results headers are trusted (your own MX).
    public var trustedAuthservIDs: [String] = []
    /// Internal relays whose Received headers are trusted (so the hop before them is "the first external hop").
    public var trustedRelays: [String] = []
    /// Replaces the built-in free-mail list when given.
    public var freeMailDomains: [String]?
    /// Added to the free-mail list.
    public var extraFreeMailDomains: [String] = []
    /// Added to the built-in list of email-service-provider bounce domains.
    public var espBounceDomains: [String] = []

    public init() {}

    enum CodingKeys: String, CodingKey {
        case protectedDomains = "protected_domains", protectedNames = "protected_names",
             trustedAuthservIDs = "trusted_authserv_ids", trustedRelays = "trusted_relays",
             freeMailDomains = "free_mail_domains", extraFreeMailDomains = "extra_free_mail_domains",
             espBounceDomains = "esp_bounce_domains"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        protectedDomains = try c.decodeIfPresent([String].self, forKey: .protectedDomains)?.map { $0.lowercased() } ?? []
        protectedNames = try c.decodeIfPresent([String].self, forKey: .protectedNames) ?? []
        trustedAuthservIDs = try c.decodeIfPresent([String].self, forKey: .trustedAuthservIDs)?.map { $0.lowercased() } ?? []
        trustedRelays = try c.decodeIfPresent([String].self, forKey: .trustedRelays)?.map { $0.lowercased() } ?? []
        freeMailDomains = try c.decodeIfPresent([String].self, forKey: .freeMailDomains)?.map { $0.lowercased() }
        extraFreeMailDomains = try c.decodeIfPresent([String].self, forKey: .extraFreeMailDomains)?.map { $0.lowercased() } ?? []
        espBounceDomains = try c.decodeIfPresent([String].self, forKey: .espBounceDomains)?.map { $0.lowercased() } ?? []
    }

    /// The free-mail domains in force.
    public var freeMail: Set<String> { Set(freeMailDomains ?? FreeMailDomains.builtIn).union(extraFreeMailDomains) }
    public var espBounce: Set<String> { Set(ESPDomains.builtIn).union(espBounceDomains) }
}

/// Free-mail providers: a sender there writes as an individual, so a company name in the display name or a
/// Reply-To there from a company's From is a classic lure. Overridable with `free_mail_domains`.
public enum FreeMailDomains {
    public static let builtIn: [String] = [
        "gmail.com", "googlemail.com", "yahoo.com", "yahoo.co.jp", "ybb.ne.jp", "outlook.com", "outlook.jp",
        "hotmail.com", "hotmail.co.jp", "live.com", "live.jp", "msn.com", "icloud.com", "me.com", "mac.com",
        "aol.com", "gmx.com", "gmx.net", "gmx.de", "mail.com", "yandex.ru", "yandex.com", "mail.ru", "qq.com",
        "163.com", "126.com", "sina.com", "naver.com", "daum.net", "hanmail.net", "protonmail.com", "proton.me",
        "tutanota.com", "zoho.com", "excite.co.jp", "nifty.com", "infoseek.jp", "goo.jp", "livedoor.com",
        "docomo.ne.jp", "ezweb.ne.jp", "au.com", "softbank.ne.jp", "i.softbank.jp", "rakuten.jp", "fastmail.com",
    ]
}

/// Bounce (Return-Path) domains of email service providers: newsletters sent through them have an envelope
/// sender in another organisation than From, legitimately.
public enum ESPDomains {
    public static let builtIn: [String] = [
        "amazonses.com", "sendgrid.net", "mailgun.org", "mailgun.net", "mcsv.net", "mcdlv.net", "mailchimpapp.net",
        "rsgsv.net", "sparkpostmail.com", "mandrillapp.com", "postmarkapp.com", "cmail19.com", "cmail20.com",
        "createsend.com", "exacttarget.com", "bounces.google.com", "salesforce.com", "hubspotemail.net",
        "constantcontact.com", "sendinblue.com", "brevo.com", "mktomail.com", "blastmail.jp", "benchmarkemail.com",
        "cuenote.jp", "bme.jp", "aspmx.jp", "mailpv.net", "bounce.esp.example",
    ]
}

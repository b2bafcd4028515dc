/// DMARC (RFC 7489) as spearscan evaluated it itself, from its own DKIM verification and SPF evaluation: what the
/// JSON calls `sender.dmarc`, and what the milter's Authentication-Results says. Not what a header claims (that is
/// `auth_results.dmarc`).
public struct DMARCResult: Sendable, Encodable, Equatable {
    public enum Code: String, Sendable, Encodable {
        /// An aligned DKIM pass or an aligned SPF pass.
        case pass
        /// A policy is published and neither passes aligned.
        case fail
        /// No policy published for the From domain or its organisation.
        case none
        /// The policy could not be read (DNS failure).
        case temperror
    }

    public var result: Code
    /// The RFC5322.From domain judged.
    public var fromDomain: String
    /// The published policy that applies (`p=`, or `sp=` for a subdomain found through its organisation).
    public var policy: String?
    /// What passed aligned: `dkim`, `spf`, both or neither.
    public var dkimAligned: Bool
    public var spfAligned: Bool
    /// SPF went into it as evaluated at arrival (true) or now from the headers (false).
    public var atArrival: Bool

    public init(result: Code, fromDomain: String, policy: String?, dkimAligned: Bool, spfAligned: Bool, atArrival: Bool) {
        self.result = result
        self.fromDomain = fromDomain
        self.policy = policy
        self.dkimAligned = dkimAligned
        self.spfAligned = spfAligned
        self.atArrival = atArrival
    }

    enum CodingKeys: String, CodingKey {
        case result, fromDomain = "from_domain", policy, dkimAligned = "dkim_aligned", spfAligned = "spf_aligned", atArrival = "at_arrival"
    }
}

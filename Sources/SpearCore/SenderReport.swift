/// The sender verdict of one message: what the JSON calls `sender`.
///
/// Two questions are scored apart (`SenderIndicator.Axis`): `domain`, whether the message really came from the
/// From domain, and `name`, whether what the reader is shown (display name, a domain imitating another, where
/// replies go) is honest. Authentication only answers the first: a DMARC pass of the attacker's own domain must
/// not cancel a display name holding someone else's address. The combined `score` is the sum of the two axis
/// scores (each bounded at 0 first), and `spoofed` is true when it reaches 40, so whenever either axis says
/// spoofed.
public struct SenderReport: Sendable, Encodable {
    /// true: spoofed; false: the sender checks out; nil: not enough evidence either way.
    public var spoofed: Bool?
    /// 0–100: the two axis scores added.
    public var score: Int
    /// Is the From domain authentic?
    public var domain: AxisVerdict
    /// Is the name shown honest?
    public var name: AxisVerdict
    public var indicators: [SenderIndicator]
    public var dkim: [DKIMResult]
    public var authResults: AuthResultsSummary
    /// SPF evaluated now against today's DNS; nil when DNS is not allowed or no client address is known.
    public var spf: SPFResult?
    /// DMARC evaluated by spearscan from its own DKIM and SPF results; nil when DNS is not allowed or no From.
    public var dmarc: DMARCResult?
    /// What the message tells the spool (for learning; not in the JSON).
    public var observation: SenderObservation?
    /// The Internet client of the first external hop, the address SPF checks (an indicator; not in the JSON).
    public var clientAddress: String?

    public init(spoofed: Bool?, score: Int, domain: AxisVerdict, name: AxisVerdict, indicators: [SenderIndicator],
                dkim: [DKIMResult], authResults: AuthResultsSummary, spf: SPFResult?) {
        self.spoofed = spoofed
        self.score = score
        self.domain = domain
        self.name = name
        self.indicators = indicators
        self.dkim = dkim
        self.authResults = authResults
        self.spf = spf
    }

    /// One question's verdict: the sum of its indicators' weights, bounded to 0–100, and spoofed at 40 or more.
    public struct AxisVerdict: Sendable, Encodable, Equatable {
        /// true: spoofed; false: checked and honest; nil: nothing to judge by.
        public var spoofed: Bool?
        public var score: Int

        /// The score at which an axis says spoofed.
        public static let threshold = 40

        public init(indicators: [SenderIndicator], axis: SenderIndicator.Axis, decidable: Bool) {
            score = max(0, min(100, indicators.reduce(0) { $1.axis == axis ? $0 + $1.weight : $0 }))
            spoofed = score >= Self.threshold ? true : (decidable ? false : nil)
        }

        enum CodingKeys: String, CodingKey { case spoofed, score }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(spoofed, forKey: .spoofed)
            try c.encode(score, forKey: .score)
        }
    }

    enum CodingKeys: String, CodingKey { case spoofed, score, domain, name, indicators, dkim, authResults = "auth_results", spf, dmarc }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(spoofed, forKey: .spoofed)
        try c.encode(score, forKey: .score)
        try c.encode(domain, forKey: .domain)
        try c.encode(name, forKey: .name)
        try c.encode(indicators, forKey: .indicators)
        try c.encode(dkim, forKey: .dkim)
        try c.encode(authResults, forKey: .authResults)
        try c.encode(spf, forKey: .spf)
        try c.encode(dmarc, forKey: .dmarc)
    }

    /// The strongest reasons, for one line of text.
    public var topReasons: [String] {
        indicators.filter { $0.weight > 0 }.sorted { $0.weight > $1.weight }.prefix(3).map { "\($0.id): \($0.evidence)" }
    }
}

/// Authentication results in brief: the trusted verdicts (if any header is trusted), every header parsed, and the
/// DMARC policy published for the From domain when DNS was allowed.
public struct AuthResultsSummary: Sendable, Encodable {
    public var trusted: Bool
    public var spf: String?
    public var dkim: String?
    public var dmarc: String?
    public var dmarcPolicy: String?
    public var headers: [AuthResultsHeader]

    public init(trusted: Bool, spf: String?, dkim: String?, dmarc: String?, dmarcPolicy: String?, headers: [AuthResultsHeader]) {
        self.trusted = trusted
        self.spf = spf
        self.dkim = dkim
        self.dmarc = dmarc
        self.dmarcPolicy = dmarcPolicy
        self.headers = headers
    }

    enum CodingKeys: String, CodingKey { case trusted, spf, dkim, dmarc, dmarcPolicy = "dmarc_policy", headers }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(trusted, forKey: .trusted)
        try c.encode(spf, forKey: .spf)
        try c.encode(dkim, forKey: .dkim)
        try c.encode(dmarc, forKey: .dmarc)
        try c.encode(dmarcPolicy, forKey: .dmarcPolicy)
        try c.encode(headers, forKey: .headers)
    }
}

/// One piece of sender evidence: a stable id, which question it answers, how much it weighs toward "spoofed"
/// (negative weighs against), and the header values it rests on.
public struct SenderIndicator: Sendable, Encodable, Equatable {
    public var id: String
    public var weight: Int
    public var evidence: String
    /// The question the indicator answers; its weight counts toward that question's score only.
    public var axis: Axis = .domain

    public init(id: String, weight: Int, evidence: String, axis: Axis = .domain) {
        self.id = id
        self.weight = weight
        self.evidence = evidence
        self.axis = axis
    }

    /// Two questions kept apart, because one can be answered "yes" while the other is "no": a message can come
    /// authentically from the domain in From (the attacker's own free-mail account passes DMARC) and still show
    /// the reader a name that belongs to someone else. Evidence for one must not cancel evidence for the other.
    public enum Axis: String, Sendable, Encodable, Equatable {
        /// Did the message really come from the From domain? (envelope, Authentication-Results, DKIM, SPF, path)
        case domain
        /// Is what the reader is shown honest? (the display name, a domain that imitates another, where replies go)
        case name
    }
}

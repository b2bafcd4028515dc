/// The SPF verdict for the envelope sender, as the JSON's `sender.spf` shows it.
///
/// `evaluated_now` is true for a message read from a spool: the policy and addresses are today's DNS, not the DNS
/// of the day the message was sent, so a `fail` on archived mail may only mean the sender's provider changed since.
/// `at_arrival` is true for one the milter analysed as it arrived: the client, HELO and envelope the MTA saw,
/// against the DNS of that moment — the real check.
public struct SPFResult: Sendable, Encodable, Equatable {
    public enum Code: String, Sendable, Encodable {
        case pass, fail, softfail, neutral, none, permerror, temperror
    }

    public var result: Code
    /// The domain checked: the MAIL FROM domain, or the HELO name when the envelope sender was null.
    public var domain: String
    /// The client address: the connecting client at arrival, else the first trusted external Received hop's.
    public var ip: String
    public var atArrival = false
    /// Evaluated against today's DNS for a message from a spool: everything not checked at arrival.
    public var evaluatedNow: Bool { !atArrival }
    /// `mailfrom`, or `helo` when the envelope sender was null and the HELO name was checked instead.
    public var identity = "mailfrom"
    /// The HELO name checked with it (for the Authentication-Results `smtp.helo`), when known.
    public var helo: String? = nil
    public var explanation: String
    /// DNS-querying terms evaluated (the limit is 10).
    public var lookups: Int

    public init(result: Code, domain: String, ip: String, explanation: String, lookups: Int, atArrival: Bool = false,
                helo: String? = nil) {
        self.atArrival = atArrival
        self.helo = helo
        self.result = result
        self.domain = domain
        self.ip = ip
        self.explanation = explanation
        self.lookups = lookups
    }

    enum CodingKeys: String, CodingKey { case result, domain, ip, evaluatedNow = "evaluated_now", atArrival = "at_arrival", identity, helo, explanation, lookups }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(result, forKey: .result)
        try c.encode(domain, forKey: .domain)
        try c.encode(ip, forKey: .ip)
        try c.encode(evaluatedNow, forKey: .evaluatedNow)
        try c.encode(atArrival, forKey: .atArrival)
        try c.encode(identity, forKey: .identity)
        try c.encodeIfPresent(helo, forKey: .helo)
        try c.encode(explanation, forKey: .explanation)
        try c.encode(lookups, forKey: .lookups)
    }
}

/// The SPF verdict for the envelope sender, as the JSON's `sender.spf` shows it.
///
/// `evaluated_now` is always true: the policy and addresses are today's DNS, not the DNS of the day the
/// message was sent, so a `fail` on archived mail may only mean the sender's provider changed since.
public struct SPFResult: Sendable, Encodable, Equatable {
    public enum Code: String, Sendable, Encodable {
        case pass, fail, softfail, neutral, none, permerror, temperror
    }

    public var result: Code
    /// The domain checked: the MAIL FROM domain, or the HELO name when the envelope sender was null.
    public var domain: String
    /// The client address, from the first trusted external Received hop.
    public var ip: String
    public var evaluatedNow = true
    public var explanation: String
    /// DNS-querying terms evaluated (the limit is 10).
    public var lookups: Int

    public init(result: Code, domain: String, ip: String, evaluatedNow: Bool = true, explanation: String, lookups: Int) {
        self.result = result
        self.domain = domain
        self.ip = ip
        self.evaluatedNow = evaluatedNow
        self.explanation = explanation
        self.lookups = lookups
    }

    enum CodingKeys: String, CodingKey { case result, domain, ip, evaluatedNow = "evaluated_now", explanation, lookups }
}

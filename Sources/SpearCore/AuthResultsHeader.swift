/// One Authentication-Results (RFC 8601), ARC-Authentication-Results or Received-SPF header, parsed.
public struct AuthResultsHeader: Sendable, Encodable, Equatable {
    /// The header name it came from.
    public var header: String
    public var authservID: String
    /// Its position among the message's header fields (0 is the topmost, added last).
    public var position: Int
    public var results: [MethodResult]
    /// Added by a configured authserv-id above any untrusted hop, or by the recipient's own border (see
    /// `trustBasis`): the only kind that counts fully.
    public var trusted: Bool
    /// Why it is trusted: `configured` (a `trusted_authserv_ids` entry above the entry hop, or just below it where
    /// milters write) or `recipient_border` (an authserv-id in the recipient's organisation, above the topmost
    /// Received that organisation's hosts added for a client outside it); nil when untrusted.
    public var trustBasis: String? = nil

    public init(header: String, authservID: String, position: Int, results: [MethodResult], trusted: Bool,
                trustBasis: String? = nil) {
        self.header = header
        self.authservID = authservID
        self.position = position
        self.results = results
        self.trusted = trusted
        self.trustBasis = trustBasis
    }

    public struct MethodResult: Sendable, Encodable, Equatable {
        /// `spf`, `dkim`, `dmarc`, `arc`, …
        public var method: String
        /// `pass`, `fail`, `softfail`, `neutral`, `none`, `temperror`, `permerror`, `policy`…
        public var result: String
        /// `smtp.mailfrom`, `header.from`, `header.d`, … as written.
        public var properties: [String: String]

        public init(method: String, result: String, properties: [String: String]) {
            self.method = method
            self.result = result
            self.properties = properties
        }
    }

    enum CodingKeys: String, CodingKey { case header, authservID = "authserv_id", position, results, trusted, trustBasis = "trust_basis" }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(header, forKey: .header)
        try c.encode(authservID, forKey: .authservID)
        try c.encode(position, forKey: .position)
        try c.encode(results, forKey: .results)
        try c.encode(trusted, forKey: .trusted)
        try c.encode(trustBasis, forKey: .trustBasis)
    }
}

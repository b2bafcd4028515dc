/// The outcome of one DKIM signature.
public struct DKIMResult: Sendable, Encodable, Equatable {
    /// `pass`, `fail`, `neutral` (not verified: offline), `temperror` (DNS), `permerror` (broken signature or key).
    public var result: String
    public var reason: String?
    public var domain: String?
    public var selector: String?
    public var algorithm: String?
    public var canonicalization: String?
    public var keyBits: Int?
    /// `l=` was used: only the first `bodyLength` bytes of the body are signed, so text can be appended.
    public var bodyLength: Int?
    /// d= aligned with the From domain: `strict` (equal), `relaxed` (same organisational domain), or nil.
    public var alignment: String?

    public init(result: String, reason: String? = nil, domain: String? = nil, selector: String? = nil,
                algorithm: String? = nil, canonicalization: String? = nil, keyBits: Int? = nil, bodyLength: Int? = nil,
                alignment: String? = nil) {
        self.result = result
        self.reason = reason
        self.domain = domain
        self.selector = selector
        self.algorithm = algorithm
        self.canonicalization = canonicalization
        self.keyBits = keyBits
        self.bodyLength = bodyLength
        self.alignment = alignment
    }

    enum CodingKeys: String, CodingKey {
        case result, reason, domain, selector, algorithm, canonicalization, keyBits = "key_bits", bodyLength = "body_length", alignment
    }
}

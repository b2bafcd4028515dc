/// The outcome of one TXT lookup.
public enum DNSAnswer: Sendable, Equatable {
    /// TXT: each record's character-strings concatenated (RFC 7208 / RFC 6376 style), decoded as UTF-8 (lossy),
    /// in the order the server sent them.
    case records([String])
    /// The name does not exist (RCODE 3).
    case nxdomain
    /// The name exists but has no TXT record (RCODE 0, no TXT answer for the name or its CNAME chain).
    case noData
    /// Timeout, SERVFAIL, REFUSED, malformed reply, invalid name, no server: a one-line reason.
    case failure(String)
}

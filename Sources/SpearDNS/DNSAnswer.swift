/// The outcome of one lookup.
public enum DNSAnswer: Sendable, Equatable {
    /// The records in the order the server sent them, as text. TXT: each record's character-strings
    /// concatenated (RFC 7208 / RFC 6376 style), decoded as UTF-8 (lossy). A: dotted quad (`192.0.2.1`).
    /// AAAA: RFC 5952 text (`2001:db8::1`). MX: preference, a space, the exchange without a trailing dot
    /// (`10 mx.example.com`; a null MX, RFC 7505, is `0 .`). Text rather than typed values keeps one answer type
    /// for every query; the address forms are exactly what `inet_pton` reads back.
    case records([String])
    /// The name does not exist (RCODE 3).
    case nxdomain
    /// The name exists but has no record of the type asked (RCODE 0, no such answer for the name or its CNAME chain).
    case noData
    /// Timeout, SERVFAIL, REFUSED, malformed reply, invalid name, no server: a one-line reason.
    case failure(String)
}

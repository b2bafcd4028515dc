/// One lookup's way through a resolver's servers and attempts, and the failure it ends with: the same for a
/// blocking lookup (`DNSResolver.lookup`) and for the pump's concurrent ones, so both give the same answers and
/// the same failure reasons.
///
/// Each attempt asks every server not yet settled in turn; a server that answered with an error RCODE or an
/// unreadable reply is settled (not asked again); the lookup ends at the first answer or when every attempt is
/// spent.
struct DNSLookupProgress {
    let servers: [DNSServer]
    let attempts: Int
    let timeout: Double
    private let timeoutText: String
    private var attempt = 0
    private var index = 0
    private var settled = Set<Int>()
    private var timedOut: [String] = []
    private(set) var lastFailure: String

    init(resolver: DNSResolver) {
        servers = resolver.servers
        attempts = resolver.attempts
        timeout = resolver.timeout
        timeoutText = "(\(attempts) attempt\(attempts == 1 ? "" : "s") of \(resolver.formatSeconds(timeout)) s)"
        lastFailure = servers.isEmpty ? "no DNS server" : "no DNS server answered"
    }

    /// The index of the server to ask next, or nil when the lookup has failed with `lastFailure`.
    mutating func nextServer() -> Int? {
        while attempt < attempts, settled.count < servers.count {
            while index < servers.count {
                let i = index
                index += 1
                if !settled.contains(i) { return i }
            }
            attempt += 1
            index = 0
        }
        return nil
    }

    /// What server `index` gave: the answer when it ends the lookup, else nil (ask `nextServer`).
    mutating func record(_ result: DNSTransport.Result, from index: Int) -> DNSAnswer? {
        let server = servers[index]
        switch result {
        case .reply(.answer(let answer)):
            return answer
        case .reply(.serverFailure(let rcode)):
            lastFailure = rcode
            settled.insert(index)
        case .reply(.malformed(let reason)):
            lastFailure = "malformed reply from \(server): \(reason)"
            settled.insert(index)
        case .reply(.truncated), .reply(.unrelated):
            lastFailure = "no usable reply from \(server)"  // not produced by the transport
        case .failed(let reason) where reason.hasPrefix("timeout"):
            if !timedOut.contains(server.description) { timedOut.append(server.description) }
            lastFailure = "timeout: no reply from \(timedOut.joined(separator: ", ")) \(timeoutText)"
        case .failed(let reason):
            lastFailure = reason
        }
        return nil
    }
}

import Foundation

/// A stub resolver for TXT records (DKIM keys, DMARC and SPF policies) and the A, AAAA and MX records SPF
/// needs: it asks recursive nameservers over UDP,
/// falls back to TCP when a reply is truncated, and reads replies strictly.
///
/// Each attempt asks every server in turn, waiting up to `timeout` seconds for each; a server that answers
/// with an error RCODE (SERVFAIL, REFUSED, ...) or an unreadable reply is not asked again. So a name whose
/// servers never answer fails after about `timeout × attempts × servers` seconds.
///
/// Failure reasons: `"invalid name: …"`, `"no DNS server"`, the RCODE name alone (`"SERVFAIL"`, `"REFUSED"`,
/// `"FORMERR"`, `"NOTIMP"`, `"RCODE n"`), `"malformed reply from <server>: …"`, `"timeout: …"`, or a
/// network error naming the server.
public struct DNSResolver: Sendable {
    /// The servers asked, in order.
    let servers: [DNSServer]
    /// Seconds to wait for each server on each attempt.
    let timeout: Double
    /// Rounds over the servers.
    let attempts: Int

    /// nil servers: read nameservers from /etc/resolv.conf (first up to 3; default 127.0.0.1 if none).
    /// A server string is "IP" or "IP:port" or "[IPv6]:port". Strings that are none of these are ignored;
    /// if none is usable, every lookup fails with "no DNS server".
    /// `timeout` is clamped to 1 ms…60 s and `attempts` to 1…10.
    public init(servers: [String]? = nil, timeout: Double = 2.0, attempts: Int = 2) {
        if let servers {
            var parsed: [DNSServer] = []
            for text in servers {
                if let server = DNSServer(text), !parsed.contains(server) { parsed.append(server) }
            }
            self.servers = parsed
        } else {
            let text = (try? String(contentsOfFile: "/etc/resolv.conf", encoding: .utf8)) ?? ""
            let parsed = DNSServer.fromResolvConf(text)
            self.servers = parsed.isEmpty ? [DNSServer.loopback] : parsed
        }
        self.timeout = timeout.isFinite ? min(max(timeout, 0.001), 60) : 2.0
        self.attempts = min(max(attempts, 1), 10)
    }

    /// The TXT records of `name` (normalised: lowercased, trailing dot stripped; an invalid name fails
    /// without any query).
    public func txt(_ name: String) -> DNSAnswer {
        switch DNSName.parse(name) {
        case .success(let parsed): return txt(parsed)
        case .failure(let invalid): return .failure("invalid name: \(invalid)")
        }
    }

    /// The records of `type` at `name` (see `DNSAnswer.records` for their text form); names as for `txt`.
    public func lookup(_ name: String, type: DNSRecordType) -> DNSAnswer {
        switch DNSName.parse(name) {
        case .success(let parsed): return lookup(parsed, type: type)
        case .failure(let invalid): return .failure("invalid name: \(invalid)")
        }
    }

    /// The server strings in use, e.g. "127.0.0.1:53", "[::1]:53".
    var serverDescriptions: [String] { servers.map(\.description) }

    func txt(_ name: DNSName) -> DNSAnswer { lookup(name, type: .txt) }

    func lookup(_ name: DNSName, type: DNSRecordType) -> DNSAnswer {
        var progress = DNSLookupProgress(resolver: self)
        while let index = progress.nextServer() {
            let server = servers[index]
            let id = UInt16.random(in: .min ... .max)
            let query = DNSWire.query(id: id, name: name, type: type)
            var result = DNSTransport.udp(query, id: id, question: name, type: type, server: server, timeout: timeout)
            if result == .reply(.truncated) {
                result = DNSTransport.tcp(query, id: id, question: name, type: type, server: server, timeout: timeout)
            }
            if let answer = progress.record(result, from: index) { return answer }
        }
        return .failure(progress.lastFailure)
    }

    func formatSeconds(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.3g", value)
    }
}

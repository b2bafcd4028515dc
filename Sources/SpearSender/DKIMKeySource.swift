public import SpearDNS
import SpearMIME

/// Where DKIM public keys come from: DNS (`selector._domainkey.domain` TXT), or a key file for offline work.
public struct DKIMKeySource: Sendable {
    enum Backend: Sendable {
        case dns(DNSCache)
        case file([String: [String]])
        case offline
    }

    let backend: Backend

    /// DNS through `cache` (the system resolver, or `--dns-server`).
    public static func dns(_ cache: DNSCache) -> DKIMKeySource { DKIMKeySource(backend: .dns(cache)) }

    /// No lookups at all (`--offline`): signatures are reported as not verified.
    public static let offline = DKIMKeySource(backend: .offline)

    /// A key file: one record per line, `selector._domainkey.domain` then white space then the TXT value, as DNS
    /// would serve it (`v=DKIM1; k=rsa; p=MIIB…`); `#` starts a comment.
    public static func file(contents: String) -> DKIMKeySource {
        var records: [String: [String]] = [:]
        for line in contents.split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) {
            let trimmed = line.trimmingWhitespace()
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            guard let space = trimmed.firstIndex(where: { $0 == " " || $0 == "\t" }) else { continue }
            let name = trimmed[..<space].lowercased().trimmingCharacters(in: ".")
            records[name, default: []].append(String(trimmed[space...].trimmingWhitespace()))
        }
        return DKIMKeySource(backend: .file(records))
    }

    enum Lookup {
        case records([String])
        case missing
        case temporary(String)
        case skipped
    }

    func txt(_ name: String) -> Lookup {
        switch backend {
        case .offline: return .skipped
        case .file(let records): return records[name.lowercased()].map { .records($0) } ?? .missing
        case .dns(let cache):
            switch cache.txt(name) {
            case .records(let r): return .records(r)
            case .nxdomain, .noData: return .missing
            case .failure(let why): return .temporary(why)
            }
        }
    }
}

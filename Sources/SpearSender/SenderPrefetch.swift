import SpearDNS
import SpearDomains
public import SpearMIME

/// The DNS records a message's sender analysis will ask for, worked out from its header alone so that a batch
/// can ask for them ahead (`DNSCache.prefetch`): the key of each DKIM signature (the first 10, as the verifier
/// takes), the From organisation's DMARC policy, and the Return-Path domain's SPF record followed through its
/// include: and redirect= targets as their records arrive (no macros, 10 deep, SPF's own lookup limit).
///
/// A guess by design: a key is asked even when the body hash will fail and the key is never needed, and what
/// it does not foresee (an envelope sender only a trusted Authentication-Results gives, a HELO name, a:/mx:
/// addresses) the analysis looks up itself, as it would without asking ahead. The answers are the same either way.
enum SenderPrefetch {
    static let maxDepth = 10

    static func dkim(_ headers: HeaderFields) -> [DNSPrefetch] {
        headers.all("dkim-signature").prefix(10).compactMap { field in
            guard let tags = TagList.dictionary(String(decoding: field.rawValue, as: UTF8.self)),
                  let d = tags["d"]?.lowercased(), let s = tags["s"] else { return nil }
            return DNSPrefetch("\(s)._domainkey.\(d)", .txt)
        }
    }

    static func policies(_ headers: HeaderFields, psl: PublicSuffixList?) -> [DNSPrefetch] {
        var out: [DNSPrefetch] = []
        if let from = headers.first("from").flatMap({ AddressParser.parse($0.unfolded).addresses.first?.domain }),
           let org = SenderContext.organizationalDomain(from, psl: psl) {
            out.append(DNSPrefetch("_dmarc." + org, .txt))
        }
        if let path = headers.first("return-path").flatMap({ AddressParser.parse($0.unfolded).addresses.first?.address }),
           let at = path.lastIndex(of: "@") {
            let domain = path[path.index(after: at)...].lowercased()
            if SPFEvaluator.isValidDomain(domain) { out.append(spf(domain, depth: 0)) }
        }
        return out
    }

    /// `domain`'s TXT records, and when one is an SPF record, its include: and redirect= targets in turn.
    static func spf(_ domain: String, depth: Int) -> DNSPrefetch {
        guard depth < maxDepth else { return DNSPrefetch(domain, .txt) }
        let follow: @Sendable (DNSAnswer) -> [DNSPrefetch] = { answer in
            guard case .records(let all) = answer else { return [] }
            let records = all.filter(SPFEvaluator.isSPFRecord)
            guard records.count == 1, let record = try? SPFRecord.parse(records[0], domain: domain) else { return [] }
            var targets: [String] = []
            for directive in record.directives {
                if case .include(let target) = directive.mechanism { targets.append(target) }
            }
            if let redirect = record.redirect { targets.append(redirect) }
            return targets.filter { !$0.contains("%") && SPFEvaluator.isValidDomain($0) }.prefix(maxDepth)
                .map { spf($0.lowercased(), depth: depth + 1) }
        }
        return DNSPrefetch(domain, .txt, then: follow)
    }
}

extension SenderAnalyzer {
    public func prefetch(_ headers: HeaderFields) {
        if case .dns(let keyCache) = keys.backend {
            let requests = SenderPrefetch.dkim(headers)
            if !requests.isEmpty { keyCache.prefetch(requests) }
        }
        if let dns {
            let requests = SenderPrefetch.policies(headers, psl: psl)
            if !requests.isEmpty { dns.prefetch(requests) }
        }
    }
}

import SpearCore
import SpearDNS

/// DMARC (RFC 7489 §6.6) from spearscan's own results: the policy record of the From domain, else of its
/// organisational domain (whose `sp=` then applies); a pass needs a DKIM pass or an SPF pass whose domain is
/// aligned with From (`adkim`/`aspf`: relaxed by default, the same organisational domain; strict, the same domain).
struct DMARCEvaluator {
    let dns: DNSCache
    /// The organisational domain of a domain (the Public Suffix List's answer).
    let org: (String) -> String?

    struct Record {
        var policy: String?
        var strictDKIM: Bool
        var strictSPF: Bool
        var subdomainPolicy: String?
    }

    enum Lookup {
        case found(Record)
        /// No DMARC record there (the organisational domain is asked next).
        case none
        /// Records that end discovery (more than one, or one without a usable policy): no DMARC for the message.
        case stop
        case failed
    }

    func evaluate(fromDomain: String, dkim: [DKIMResult], spf: SPFResult?) -> DMARCResult {
        let from = fromDomain.lowercased()
        let fromOrg = org(from) ?? from
        var record: Record?
        switch lookup(from) {
        case .found(let r): record = r
        case .failed: return result(.temperror, from, nil, false, false, spf)
        case .stop: break
        case .none:
            if fromOrg != from {
                switch lookup(fromOrg) {
                case .found(var r):
                    r.policy = r.subdomainPolicy ?? r.policy
                    record = r
                case .failed: return result(.temperror, from, nil, false, false, spf)
                case .none, .stop: break
                }
            }
        }
        let strictDKIM = record?.strictDKIM ?? false, strictSPF = record?.strictSPF ?? false
        func aligned(_ domain: String?, strict: Bool) -> Bool {
            guard let d = domain?.lowercased(), !d.isEmpty else { return false }
            return strict ? d == from : (org(d) ?? d) == fromOrg
        }
        let dkimAligned = dkim.contains { $0.result == "pass" && aligned($0.domain, strict: strictDKIM) }
        let spfAligned = spf.map { $0.result == .pass && aligned($0.domain, strict: strictSPF) } ?? false
        guard let record else { return result(.none, from, nil, dkimAligned, spfAligned, spf) }
        return result(dkimAligned || spfAligned ? .pass : .fail, from, record.policy, dkimAligned, spfAligned, spf)
    }

    private func result(_ code: DMARCResult.Code, _ from: String, _ policy: String?, _ dkim: Bool, _ spf: Bool,
                        _ spfResult: SPFResult?) -> DMARCResult {
        DMARCResult(result: code, fromDomain: from, policy: policy, dkimAligned: dkim, spfAligned: spf, atArrival: spfResult?.atArrival ?? false)
    }

    /// The DMARC record at `_dmarc.domain` (RFC 7489 §6.6.3): TXT records whose first tag is exactly `v=DMARC1`;
    /// none of them, none; more than one, discovery stops. A record without a valid `p=` counts as `p=none` when it
    /// asks for aggregate reports (`rua=`), else it stops discovery too. An invalid `sp=` is ignored.
    func lookup(_ domain: String) -> Lookup {
        switch dns.txt("_dmarc." + domain) {
        case .records(let texts):
            let records = texts.compactMap { text -> [(String, String)]? in
                guard let tags = TagList.parse(text), let first = tags.first, first.0 == "v", first.1 == "DMARC1" else { return nil }
                return tags
            }
            guard !records.isEmpty else { return .none }
            guard records.count == 1 else { return .stop }
            var tags: [String: String] = [:]
            for (k, v) in records[0] where tags[k] == nil { tags[k] = v.lowercased() }
            let policies: Set<String> = ["none", "quarantine", "reject"]
            var policy = tags["p"].flatMap { policies.contains($0) ? $0 : nil }
            if policy == nil {
                guard tags["rua"].map({ !$0.isEmpty }) == true else { return .stop }
                policy = "none"
            }
            return .found(Record(policy: policy, strictDKIM: tags["adkim"] == "s", strictSPF: tags["aspf"] == "s",
                                 subdomainPolicy: tags["sp"].flatMap { policies.contains($0) ? $0 : nil }))
        case .nxdomain, .noData: return .none
        case .failure: return .failed
        }
    }
}

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
        case none
        case failed
    }

    func evaluate(fromDomain: String, dkim: [DKIMResult], spf: SPFResult?) -> DMARCResult {
        let from = fromDomain.lowercased()
        let fromOrg = org(from) ?? from
        var record: Record?
        switch lookup(from) {
        case .found(let r): record = r
        case .failed: return result(.temperror, from, nil, false, false, spf)
        case .none:
            if fromOrg != from {
                switch lookup(fromOrg) {
                case .found(var r):
                    r.policy = r.subdomainPolicy ?? r.policy
                    record = r
                case .failed: return result(.temperror, from, nil, false, false, spf)
                case .none: break
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

    /// The `v=DMARC1` record at `_dmarc.domain`: none when there is none (or more than one, which §6.6.3 says to
    /// ignore), failed when DNS did not answer.
    func lookup(_ domain: String) -> Lookup {
        switch dns.txt("_dmarc." + domain) {
        case .records(let texts):
            let records = texts.filter { $0.lowercased().hasPrefix("v=dmarc1") }
            guard records.count == 1, let tags = TagList.dictionary(records[0]) else { return .none }
            return .found(Record(policy: tags["p"]?.lowercased(), strictDKIM: tags["adkim"]?.lowercased() == "s",
                                 strictSPF: tags["aspf"]?.lowercased() == "s", subdomainPolicy: tags["sp"]?.lowercased()))
        case .nxdomain, .noData: return .none
        case .failure: return .failed
        }
    }
}

import SpearDNS
import SpearDomains
public import SpearMIME

/// The DNS records a message's sender analysis will ask for, worked out from its header alone so that a batch
/// can ask for them ahead (`DNSCache.prefetch`): the key of each DKIM signature (the first 10, as the verifier
/// takes), the From organisation's DMARC policy, and the envelope domain's SPF record followed through its
/// mechanisms as their records arrive (include:, redirect=, a:, mx:; no macros; 10 deep, SPF's own limit).
///
/// A guess by design: a key is asked even when the body hash will fail and the key is never needed, and what
/// it does not foresee (exists:, ptr, names with macros) the analysis looks up itself, as it would without asking
/// ahead. The answers are the same either way.
enum SenderPrefetch {
    static let maxDepth = 10
    private static let mailFrom = Array("smtp.mailfrom=".utf8)

    static func dkim(_ headers: HeaderFields) -> [DNSPrefetch] {
        headers.all("dkim-signature").prefix(10).compactMap { field in
            guard let tags = TagList.dictionary(String(decoding: field.rawValue, as: UTF8.self)),
                  let d = tags["d"]?.lowercased(), let s = tags["s"] else { return nil }
            return DNSPrefetch("\(s)._domainkey.\(d)", .txt)
        }
    }

    /// Memos for asking ahead, shared by an analyzer's threads: a spool repeats its senders, and parsing the
    /// same From and Return-Path values and looking up their organisation again cost most of asking ahead.
    final class Memo: Sendable {
        /// A From value's DMARC policy name.
        let dmarc = SharedMemo<[UInt8], String?>()
        /// A Return-Path value's domain ("" when it has none).
        let envelope = SharedMemo<[UInt8], String>()

        /// Values longer than this are worked out each time, not kept (50,000 keys of at most 256 bytes).
        static let longest = 256

        static func value<V: Sendable>(_ memo: SharedMemo<[UInt8], V>, for raw: ArraySlice<UInt8>, compute: () -> V) -> V {
            raw.count <= longest ? memo.value(for: Array(raw), compute: compute) : compute()
        }
    }

    static func policies(_ headers: HeaderFields, psl: PublicSuffixList?, memo: Memo = Memo(),
                         known: (String) -> Bool = { _ in false }) -> [DNSPrefetch] {
        var out: [DNSPrefetch] = []
        if let field = headers.first("from"), let name = Memo.value(memo.dmarc, for: field.rawValue, compute: {
            AddressParser.parse(field.unfolded).addresses.first?.domain
                .flatMap { SenderContext.organizationalDomain($0, psl: psl) }.map { "_dmarc." + $0 }
        }) {
            out.append(DNSPrefetch(name, .txt))
        }
        // The envelope domain: the Return-Path's; without one, what Authentication-Results record as
        // smtp.mailfrom, and the HELO name (the analysis decides which one a trusted server vouches for).
        var domains: [String] = []
        let path = headers.first("return-path").map { field in
            Memo.value(memo.envelope, for: field.rawValue) {
                guard let address = AddressParser.parse(field.unfolded).addresses.first?.address,
                      let at = address.lastIndex(of: "@") else { return "" }
                return address[address.index(after: at)...].lowercased()
            }
        }
        if let path {
            // Asked for already: its records, and what they lead to, are on their way or here.
            if path.isEmpty || known(path) { return out }
            domains.append(path)
        }
        // SPF is checked for the client of the topmost Received from the Internet, as `evaluateSPF` picks it.
        let hops = headers.all("received").lazy.map { ReceivedHeader.parse($0.unfolded) }
        guard let (hop, ip) = SenderAnalyzer.internetClient(hops) else { return out }
        if path == nil {
            for field in headers.all("authentication-results").prefix(4) {
                let text = ASCIIBytes.lowercased(field.unfolded)
                guard let start = ASCIIBytes.find(mailFrom, in: text) else { continue }
                let value = text[(start + mailFrom.count)...].prefix { !ASCIIBytes.isSpace($0) && $0 != 0x3B && $0 != 0x28 && $0 != 0x29 }
                let domain = value.lastIndex(of: 0x40).map { value[($0 + 1)...] } ?? value
                domains.append(String(decoding: domain, as: UTF8.self))
            }
            if let helo = hop.from?.lowercased().trimmingCharacters(in: "[]") { domains.append(helo) }
        }
        var seen = Set<String>()
        for domain in domains where SPFEvaluator.isValidDomain(domain) && seen.insert(domain).inserted {
            out.append(spf(domain, v4: ip.isV4, depth: 0))
        }
        return out
    }

    /// `domain`'s TXT records, and when one is an SPF record, what its mechanisms look up in turn: include: and
    /// redirect= records, a: addresses and mx: exchanges (of the client address's family).
    static func spf(_ domain: String, v4: Bool, depth: Int) -> DNSPrefetch {
        guard depth < maxDepth else { return DNSPrefetch(domain, .txt) }
        let family: DNSRecordType = v4 ? .a : .aaaa
        let follow: @Sendable (DNSAnswer) -> [DNSPrefetch] = { answer in
            guard case .records(let all) = answer else { return [] }
            let records = all.filter(SPFEvaluator.isSPFRecord)
            guard records.count == 1, let record = try? SPFRecord.parse(records[0], domain: domain) else { return [] }
            var out: [DNSPrefetch] = []
            func usable(_ name: String) -> String? {
                let lower = name.lowercased()
                return !lower.contains("%") && SPFEvaluator.isValidDomain(lower) ? lower : nil
            }
            for directive in record.directives.prefix(maxDepth) {
                switch directive.mechanism {
                case .include(let target):
                    if let t = usable(target) { out.append(spf(t, v4: v4, depth: depth + 1)) }
                case .a(let spec, _, _):
                    if let t = usable(spec ?? domain) { out.append(DNSPrefetch(t, family)) }
                case .mx(let spec, _, _):
                    if let t = usable(spec ?? domain) {
                        out.append(DNSPrefetch(t, .mx, then: { answer in
                            guard case .records(let mx) = answer else { return [] }
                            return mx.prefix(SPFEvaluator.maxMXNames).compactMap { $0.split(separator: " ").last.map(String.init) }
                                .filter { $0 != "." }.map { DNSPrefetch($0, family) }
                        }))
                    }
                default:
                    break
                }
            }
            if let redirect = record.redirect, let t = usable(redirect) { out.append(spf(t, v4: v4, depth: depth + 1)) }
            return out
        }
        return DNSPrefetch(domain, .txt, then: follow)
    }
}

extension SenderAnalyzer {
    public var asksAhead: Bool {
        if dns != nil { return true }
        if case .dns = keys.backend { return true }
        return false
    }

    public func prefetch(_ headers: HeaderFields) {
        if case .dns(let keyCache) = keys.backend {
            let requests = SenderPrefetch.dkim(headers)
            if !requests.isEmpty { keyCache.prefetch(requests) }
        }
        if let dns {
            let requests = SenderPrefetch.policies(headers, psl: psl, memo: prefetchMemo) { dns.isKnown($0, type: .txt) }
            if !requests.isEmpty { dns.prefetch(requests) }
        }
    }
}

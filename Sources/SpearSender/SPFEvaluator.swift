import SpearCore
import SpearDNS

/// RFC 7208 `check_host()`: is `ip` allowed to send mail for `domain`?
///
/// It runs against DNS as it is *now*. Archived mail was sent under the DNS of its day, so a result here says
/// what today's policy makes of the recorded client address, which is why reports mark it "evaluated now".
///
/// Bounds (RFC 7208 4.6.4): at most 10 mechanisms or modifiers that query DNS (`include`, `a`, `mx`, `ptr`,
/// `exists`, `redirect`), at most 10 exchanges per `mx`, at most 2 void lookups (no such name, or no record of
/// the type), each giving `permerror` when passed. Macro expansion is capped at `maxExpansion` bytes. A DNS
/// failure anywhere gives `temperror` at once. `ptr` is never queried (RFC 7208 5.5: "do not use"); it counts
/// as a lookup and does not match.
struct SPFEvaluator {
    static let maxLookups = 10
    static let maxVoidLookups = 2
    static let maxMXNames = 10
    /// Longest string a macro-string may expand to before it is cut to a domain name.
    static let maxExpansion = 4096

    let dns: DNSCache
    let ip: SPFAddress
    /// The MAIL FROM identity, `local@domain` (`postmaster@helo` when the envelope sender was null).
    let sender: String
    let helo: String

    private(set) var lookups = 0
    private(set) var voidLookups = 0

    init(dns: DNSCache, ip: SPFAddress, sender: String, helo: String) {
        self.dns = dns
        self.ip = ip
        self.sender = sender
        self.helo = helo
    }

    /// An outcome that ends the whole evaluation (permerror or temperror), with why.
    struct Abort: Error {
        let result: SPFResult.Code
        let explanation: String
    }

    /// The result for `domain`, and why.
    mutating func checkHost(_ domain: String) -> (SPFResult.Code, String) {
        do {
            return try evaluate(domain: domain.lowercased())
        } catch {
            return (error.result, error.explanation)
        }
    }

    private mutating func evaluate(domain: String) throws(Abort) -> (SPFResult.Code, String) {
        guard Self.isValidDomain(domain) else { return (.none, "\(domain) is not a valid domain name") }
        let records: [String]
        switch dns.txt(domain) {
        case .records(let all): records = all.filter(Self.isSPFRecord)
        case .nxdomain: return (.none, "\(domain) does not exist")
        case .noData: records = []
        case .failure(let why): throw Abort(result: .temperror, explanation: "TXT lookup of \(domain) failed: \(why)")
        }
        guard records.count <= 1 else { throw Abort(result: .permerror, explanation: "\(domain) publishes \(records.count) SPF records") }
        guard let record = records.first else { return (.none, "\(domain) publishes no SPF record") }
        let parsed = try SPFRecord.parse(record, domain: domain)

        for term in parsed.directives {
            if try matches(term.mechanism, domain: domain) {
                let code = term.qualifier
                return (code, "\(domain): \(term.text) matched \(ip)")
            }
        }
        if let redirect = parsed.redirect {
            try count("redirect=\(redirect)")
            let target = try expand(redirect, domain: domain)
            let (code, why) = try evaluate(domain: target)
            if code == .none { throw Abort(result: .permerror, explanation: "redirect=\(target) has no SPF record") }
            return (code, why)
        }
        return (.neutral, "\(domain): no mechanism matched \(ip) (default neutral)")
    }

    private mutating func matches(_ mechanism: SPFRecord.Mechanism, domain: String) throws(Abort) -> Bool {
        switch mechanism {
        case .all:
            return true
        case .ip4(let network, let bits), .ip6(let network, let bits):
            return ip.matches(network, prefix: bits)
        case .include(let spec):
            try count("include:\(spec)")
            let target = try expand(spec, domain: domain)
            let (code, why) = try evaluate(domain: target)
            switch code {
            case .pass: return true
            case .fail, .softfail, .neutral: return false
            case .temperror: throw Abort(result: .temperror, explanation: why)
            case .permerror, .none: throw Abort(result: .permerror, explanation: "include:\(target): \(why)")
            }
        case .a(let spec, let v4, let v6):
            try count("a")
            let target = try spec.map { s throws(Abort) in try expand(s, domain: domain) } ?? domain
            return try addresses(of: target, countVoid: true).contains { ip.matches($0, prefix: ip.isV4 ? v4 : v6) }
        case .mx(let spec, let v4, let v6):
            try count("mx")
            let target = try spec.map { s throws(Abort) in try expand(s, domain: domain) } ?? domain
            guard Self.isValidDomain(target) else { return false }
            let exchanges: [String]
            switch dns.lookup(target, type: .mx) {
            case .records(let mx): exchanges = mx.compactMap { $0.split(separator: " ").last.map(String.init) }.filter { $0 != "." }
            case .nxdomain, .noData: try void(target); return false
            case .failure(let why): throw Abort(result: .temperror, explanation: "MX lookup of \(target) failed: \(why)")
            }
            guard exchanges.count <= Self.maxMXNames else {
                throw Abort(result: .permerror, explanation: "\(target) has \(exchanges.count) MX records (limit \(Self.maxMXNames))")
            }
            for exchange in exchanges where try addresses(of: exchange, countVoid: false).contains(where: { ip.matches($0, prefix: ip.isV4 ? v4 : v6) }) {
                return true
            }
            return false
        case .ptr:
            try count("ptr")
            return false
        case .exists(let spec):
            try count("exists:\(spec)")
            let target = try expand(spec, domain: domain)
            guard Self.isValidDomain(target) else { return false }
            switch dns.lookup(target, type: .a) {
            case .records(let r): return !r.isEmpty
            case .nxdomain, .noData: try void(target); return false
            case .failure(let why): throw Abort(result: .temperror, explanation: "A lookup of \(target) failed: \(why)")
            }
        }
    }

    /// The A (client IPv4) or AAAA (client IPv6) addresses of `name`.
    private mutating func addresses(of name: String, countVoid: Bool) throws(Abort) -> [SPFAddress] {
        guard Self.isValidDomain(name) else { return [] }
        let type: DNSRecordType = ip.isV4 ? .a : .aaaa
        switch dns.lookup(name, type: type) {
        case .records(let r): return r.compactMap(SPFAddress.init)
        case .nxdomain, .noData:
            if countVoid { try void(name) }
            return []
        case .failure(let why): throw Abort(result: .temperror, explanation: "\(type.rawValue == 1 ? "A" : "AAAA") lookup of \(name) failed: \(why)")
        }
    }

    private mutating func count(_ term: String) throws(Abort) {
        lookups += 1
        guard lookups <= Self.maxLookups else {
            throw Abort(result: .permerror, explanation: "more than \(Self.maxLookups) DNS-querying terms (at \(term))")
        }
    }

    private mutating func void(_ name: String) throws(Abort) {
        voidLookups += 1
        guard voidLookups <= Self.maxVoidLookups else {
            throw Abort(result: .permerror, explanation: "more than \(Self.maxVoidLookups) void lookups (at \(name))")
        }
    }

    /// Expands a domain-spec's macros (RFC 7208 7) and shortens the result to 253 characters by dropping
    /// labels on the left (7.3).
    func expand(_ spec: String, domain: String) throws(Abort) -> String {
        var expanded = try SPFMacro.expand(spec, values: SPFMacro.Values(sender: sender, domain: domain, ip: ip, helo: helo),
                                           limit: Self.maxExpansion)
        if expanded.hasSuffix(".") { expanded.removeLast() }
        while expanded.utf8.count > 253, let dot = expanded.firstIndex(of: ".") {
            expanded = String(expanded[expanded.index(after: dot)...])
        }
        return expanded.lowercased()
    }

    static func isSPFRecord(_ text: String) -> Bool {
        let lower = text.lowercased()
        return lower == "v=spf1" || lower.hasPrefix("v=spf1 ")
    }

    /// A name we would query: printable ASCII labels of 1–63 bytes, at most 253 bytes, at least two labels.
    static func isValidDomain(_ name: String) -> Bool {
        let utf8 = Array(name.utf8)
        guard !utf8.isEmpty, utf8.count <= 253, utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return false }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        return labels.count >= 2 && labels.allSatisfy { !$0.isEmpty && $0.utf8.count <= 63 }
    }
}

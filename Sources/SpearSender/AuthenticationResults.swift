import Foundation
import SpearMIME

/// One Authentication-Results (RFC 8601), ARC-Authentication-Results or Received-SPF header, parsed.
public struct AuthResultsHeader: Sendable, Encodable, Equatable {
    /// The header name it came from.
    public var header: String
    public var authservID: String
    /// Its position among the message's header fields (0 is the topmost, added last).
    public var position: Int
    public var results: [MethodResult]
    /// Added by a configured authserv-id above any untrusted hop: the only kind that counts fully.
    public var trusted: Bool

    public struct MethodResult: Sendable, Encodable, Equatable {
        /// `spf`, `dkim`, `dmarc`, `arc`, …
        public var method: String
        /// `pass`, `fail`, `softfail`, `neutral`, `none`, `temperror`, `permerror`, `policy`…
        public var result: String
        /// `smtp.mailfrom`, `header.from`, `header.d`, … as written.
        public var properties: [String: String]
    }

    enum CodingKeys: String, CodingKey { case header, authservID = "authserv_id", position, results, trusted }
}

enum AuthenticationResultsParser {
    /// Every Authentication-Results, ARC-Authentication-Results and Received-SPF header, top to bottom.
    static func parse(_ headers: HeaderFields, trustedIDs: Set<String>, trustedRelays: Set<String>) -> [AuthResultsHeader] {
        var out: [AuthResultsHeader] = []
        // Trust ends at the first Received header not added by a trusted host: anything below it was written
        // before the message reached a trusted server, by whoever sent it.
        var trustOpen = true
        var enteredFromOutside = false
        for (position, field) in headers.enumerated() {
            switch field.key {
            case "received":
                // Internal hops (a trusted server from a trusted server) keep trust open; the entry hop (a trusted
                // server receiving from outside) closes it: every header below was written by the sender.
                let hop = ReceivedHeader.parse(field.text)
                func isTrusted(_ host: String?) -> Bool {
                    guard let h = host?.lowercased() else { return false }
                    return trustedRelays.contains { h == $0 || h.hasSuffix("." + $0) } || trustedIDs.contains(h)
                }
                if isTrusted(hop.by) && (isTrusted(hop.from) || isTrusted(hop.fromReverse)) { continue }
                if isTrusted(hop.by) && !enteredFromOutside {
                    // The entry hop. Milters (OpenDKIM, OpenDMARC) write their results just below it, so results
                    // up to the next Received still count; below that, the sender wrote them.
                    enteredFromOutside = true
                    continue
                }
                trustOpen = false
            case "authentication-results", "arc-authentication-results":
                var text = field.text
                if field.key == "arc-authentication-results", let semi = text.firstIndex(of: ";") {
                    text = String(text[text.index(after: semi)...])  // i=N;
                }
                guard var parsed = parseAR(text) else { continue }
                parsed.header = field.name
                parsed.position = position
                parsed.trusted = trustOpen && trustedIDs.contains(parsed.authservID.lowercased())
                out.append(parsed)
            case "received-spf":
                let text = field.text.trimmingWhitespace()
                let result = text.prefix { !$0.isWhitespace && $0 != "(" && $0 != ";" }.lowercased()
                guard !result.isEmpty else { continue }
                var props: [String: String] = [:]
                if let r = text.range(of: "envelope-from=") {
                    props["smtp.mailfrom"] = String(text[r.upperBound...].prefix { !$0.isWhitespace && $0 != ";" }).trimmingCharacters(in: "\"<>")
                }
                out.append(AuthResultsHeader(header: field.name, authservID: "", position: position,
                                             results: [.init(method: "spf", result: result, properties: props)],
                                             trusted: false))
            default:
                continue
            }
        }
        return out
    }

    /// `authserv-id [version]; method=result (comment) ptype.prop=value …; …`
    static func parseAR(_ raw: String) -> AuthResultsHeader? {
        let text = stripComments(raw)
        var pieces = text.split(separator: ";", omittingEmptySubsequences: false).map { $0.trimmingWhitespace() }
        guard let first = pieces.first, !first.isEmpty else { return nil }
        let id = String(first.split(whereSeparator: { $0 == " " || $0 == "\t" }).first ?? first)
        pieces.removeFirst()
        var results: [AuthResultsHeader.MethodResult] = []
        for piece in pieces where !piece.isEmpty {
            let words = piece.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard let head = words.first, let eq = head.firstIndex(of: "=") else { continue }
            var method = head[..<eq].lowercased()
            if let slash = method.firstIndex(of: "/") { method = String(method[..<slash]) }
            let result = head[head.index(after: eq)...].lowercased()
            var props: [String: String] = [:]
            for w in words.dropFirst() {
                guard let e = w.firstIndex(of: "=") else { continue }
                props[w[..<e].lowercased()] = String(w[w.index(after: e)...]).trimmingCharacters(in: "\"")
            }
            if method == "none" { continue }
            results.append(.init(method: method, result: result, properties: props))
        }
        return AuthResultsHeader(header: "", authservID: id, position: 0, results: results, trusted: false)
    }

    static func stripComments(_ s: String) -> String {
        var out = ""
        var depth = 0
        var quoted = false
        for ch in s {
            if ch == "\"" && depth == 0 { quoted.toggle() }
            if !quoted {
                if ch == "(" { depth += 1; continue }
                if ch == ")" && depth > 0 { depth -= 1; continue }
            }
            if depth == 0 { out.append(ch) }
        }
        return out
    }
}

/// The parts of a Received header the indicators use.
struct ReceivedHeader {
    var from: String?
    /// The reverse name or address in the `from` clause's comment, as the receiving server recorded it.
    var fromReverse: String?
    var by: String?
    /// The client address the receiving server recorded in the `from` clause (`[192.0.2.1]`, `[IPv6:2001:db8::1]`).
    var ip: String?
    var envelopeFrom: String?
    var date: MailDate?

    static func parse(_ text: String) -> ReceivedHeader {
        var r = ReceivedHeader()
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" })
        for (k, w) in words.enumerated() where k + 1 < words.count {
            switch w.lowercased() {
            case "from" where r.from == nil: r.from = String(words[k + 1]).trimmingCharacters(in: "();")
            case "by" where r.by == nil: r.by = String(words[k + 1]).trimmingCharacters(in: "();")
            default: break
            }
        }
        if let open = text.firstIndex(of: "("), let close = text[open...].firstIndex(of: ")") {
            let comment = text[text.index(after: open)..<close]
            if let name = comment.split(whereSeparator: { $0 == " " || $0 == "[" }).first, name.contains(".") {
                r.fromReverse = String(name)
            }
        }
        // The from clause ends where " by " begins; its first address literal is the connecting client.
        let lower = text.lowercased()
        let clauseEnd = lower.range(of: " by ").map { lower.distance(from: lower.startIndex, to: $0.lowerBound) } ?? lower.count
        let clause = text.prefix(clauseEnd)
        if let open = clause.firstIndex(of: "["), let close = clause[open...].firstIndex(of: "]") {
            let literal = String(clause[clause.index(after: open)..<close])
            if SPFAddress(literal) != nil { r.ip = literal }
        }
        if let range = text.range(of: "envelope-from") {
            let rest = text[range.upperBound...].drop { $0 == " " || $0 == "=" || $0 == "<" }
            r.envelopeFrom = String(rest.prefix { $0 != ">" && $0 != ";" && $0 != " " && $0 != ")" })
        }
        if let semi = text.lastIndex(of: ";") { r.date = MailDate.parse(String(text[text.index(after: semi)...])) }
        return r
    }
}

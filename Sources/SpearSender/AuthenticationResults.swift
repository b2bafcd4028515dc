import SpearCore
import Foundation
import SpearMIME

enum AuthenticationResultsParser {
    /// Every Authentication-Results, ARC-Authentication-Results and Received-SPF header, top to bottom.
    /// `received`: the message's Received headers already parsed, top to bottom (else each is parsed here).
    /// `border`: where the recipient's organisation took the message in (`RecipientBorder.find`); its
    /// Authentication-Results above that hop are trusted without configuration.
    static func parse(_ headers: HeaderFields, received: [ReceivedHeader]? = nil, trustedIDs: Set<String>,
                      trustedRelays: Set<String>, border: RecipientBorder? = nil,
                      organization: (String) -> String? = { _ in nil }) -> [AuthResultsHeader] {
        var out: [AuthResultsHeader] = []
        var hops = (received ?? []).makeIterator()
        // Trust ends at the first Received header not added by a trusted host: anything below it was written
        // before the message reached a trusted server, by whoever sent it.
        var trustOpen = true
        var enteredFromOutside = false
        for (position, field) in headers.enumerated() {
            switch field.key {
            case "received":
                // Internal hops (a trusted server from a trusted server) keep trust open; the entry hop (a trusted
                // server receiving from outside) closes it: every header below was written by the sender.
                guard !(trustedIDs.isEmpty && trustedRelays.isEmpty) else { continue }  // nothing is trusted anyway
                let hop = (received == nil ? nil : hops.next()) ?? ReceivedHeader.parse(field.unfolded)
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
                let configured = trustOpen && trustedIDs.contains(parsed.authservID.lowercased())
                // ARC-Authentication-Results are an intermediary's record, carried along: never trusted by position.
                let positional = !configured && field.key == "authentication-results"
                    && border.map { position < $0.position && organization(parsed.authservID) == $0.organization } == true
                parsed.trusted = configured || positional
                parsed.trustBasis = configured ? "configured" : (positional ? (border?.learned == true ? "learned_operator" : "recipient_border") : nil)
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
    /// Reads one header as UTF-8 bytes: comments, ";" and the ASCII separators cannot occur inside a multi-byte
    /// sequence, and Character-wise splitting made this the largest cost of messages with several
    /// Authentication-Results and ARC headers (callgrind).
    static func parseAR(_ raw: String) -> AuthResultsHeader? {
        let bytes = stripComments(Array(raw.utf8))
        let isSpace = ASCIIBytes.isSpace, trimmed = ASCIIBytes.trimmed
        func text(_ slice: ArraySlice<UInt8>) -> String { String(decoding: slice, as: UTF8.self) }
        let pieces = bytes.split(separator: UInt8(ascii: ";"), omittingEmptySubsequences: false).map(trimmed)
        guard let first = pieces.first, !first.isEmpty else { return nil }
        let id = text(first.split(whereSeparator: isSpace).first ?? first)
        var results: [AuthResultsHeader.MethodResult] = []
        let equals = UInt8(ascii: "=")
        for piece in pieces.dropFirst() where !piece.isEmpty {
            let words = piece.split(whereSeparator: isSpace)
            guard let head = words.first, let eq = head.firstIndex(of: equals) else { continue }
            var methodBytes = head[..<eq]
            if let slash = methodBytes.firstIndex(of: UInt8(ascii: "/")) { methodBytes = methodBytes[..<slash] }
            let method = text(methodBytes).lowercased()
            if method == "none" || method.isEmpty { continue }
            let result = text(head[(eq + 1)...]).lowercased()
            var props: [String: String] = [:]
            for w in words.dropFirst() {
                guard let e = w.firstIndex(of: equals) else { continue }
                var value = w[(e + 1)...]
                while value.first == UInt8(ascii: "\"") { value = value.dropFirst() }
                while value.last == UInt8(ascii: "\"") { value = value.dropLast() }
                props[text(w[..<e]).lowercased()] = text(value)
            }
            results.append(.init(method: method, result: result, properties: props))
        }
        return AuthResultsHeader(header: "", authservID: id, position: 0, results: results, trusted: false)
    }

    /// Removes RFC 5322 comments (nested, outside quotes).
    static func stripComments(_ s: String) -> String {
        String(decoding: stripComments(Array(s.utf8)), as: UTF8.self)
    }

    /// The same on UTF-8 bytes ("(", ")" and the quote never occur inside a multi-byte sequence).
    static func stripComments(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var depth = 0
        var quoted = false
        for b in bytes {
            if b == UInt8(ascii: "\"") && depth == 0 { quoted.toggle() }
            if !quoted {
                if b == UInt8(ascii: "(") { depth += 1; continue }
                if b == UInt8(ascii: ")") && depth > 0 { depth -= 1; continue }
            }
            if depth == 0 { out.append(b) }
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
    /// The recipient in the `for` clause (`for <t-yamada@example.co.jp>`), as the receiving server recorded it.
    var forAddress: String?
    /// Sendmail's "(may be forged)": the reverse name was not confirmed by a forward lookup, so it says nothing
    /// about who the client was.
    var reverseUnverified = false
    /// The text after the last ";", parsed only when asked for (`date`): most hops' dates are never needed, and
    /// parsing them all was a tenth of sender scoring (callgrind).
    var dateText: ArraySlice<UInt8>?
    var date: MailDate? { dateText.flatMap(MailDate.parse) }

    static func parse(_ text: String) -> ReceivedHeader { parse(Array(text.utf8)) }

    /// Reads the header's unfolded bytes (Character-wise splitting and Foundation searches made this a third of
    /// sender scoring time; callgrind).
    static func parse(_ bytes: [UInt8]) -> ReceivedHeader {
        var r = ReceivedHeader()
        let n = bytes.count
        let isSpace = ASCIIBytes.isSpace
        func string(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }
        /// A word with "(", ")" and ";" stripped from both ends.
        func trimmed(_ range: Range<Int>) -> String? {
            var lo = range.lowerBound, hi = range.upperBound
            func strip(_ b: UInt8) -> Bool { b == UInt8(ascii: "(") || b == UInt8(ascii: ")") || b == UInt8(ascii: ";") }
            while lo < hi, strip(bytes[lo]) { lo += 1 }
            while hi > lo, strip(bytes[hi - 1]) { hi -= 1 }
            return string(lo..<hi)
        }
        func equalsLower(_ range: Range<Int>, _ word: StaticString) -> Bool {
            guard range.count == word.utf8CodeUnitCount else { return false }
            return word.withUTF8Buffer { w in zip(bytes[range], w).allSatisfy { ($0 | 0x20) == $1 } }
        }

        // Words, and the positions of the first "from" and "by" keywords.
        var words: [Range<Int>] = []
        var k = 0
        while k < n {
            while k < n, isSpace(bytes[k]) { k += 1 }
            let start = k
            while k < n, !isSpace(bytes[k]) { k += 1 }
            if k > start { words.append(start..<k) }
        }
        var byStart = n
        for (w, range) in words.enumerated() where w + 1 < words.count {
            if r.from == nil, equalsLower(range, "from") { r.from = trimmed(words[w + 1]) }
            if r.by == nil, equalsLower(range, "by") { r.by = trimmed(words[w + 1]); byStart = range.lowerBound }
            if r.forAddress == nil, r.by != nil, equalsLower(range, "for") {
                var word = words[w + 1]
                func strip(_ b: UInt8) -> Bool { b == UInt8(ascii: "<") || b == UInt8(ascii: ">") || b == UInt8(ascii: ";") }
                while word.count > 0, strip(bytes[word.lowerBound]) { word = (word.lowerBound + 1)..<word.upperBound }
                while word.count > 0, strip(bytes[word.upperBound - 1]) { word = word.lowerBound..<(word.upperBound - 1) }
                if bytes[word].contains(UInt8(ascii: "@")) { r.forAddress = string(word) }
            }
        }
        if let open = bytes.firstIndex(of: UInt8(ascii: "(")), let close = bytes[open...].firstIndex(of: UInt8(ascii: ")")) {
            var comment = bytes[(open + 1)..<close]
            while comment.first == 0x20 { comment = comment.dropFirst() }
            let nameEnd = comment.firstIndex { $0 == 0x20 || $0 == UInt8(ascii: "[") } ?? comment.endIndex
            if nameEnd > comment.startIndex, comment[comment.startIndex..<nameEnd].contains(UInt8(ascii: ".")) {
                r.fromReverse = string(comment.startIndex..<nameEnd)
            }
        }
        // The from clause ends where "by" begins; its first address literal is the connecting client.
        if let open = bytes[..<byStart].firstIndex(of: UInt8(ascii: "[")),
           let close = bytes[open..<byStart].firstIndex(of: UInt8(ascii: "]")), close - open <= 70 {
            let literal = string((open + 1)..<close)
            if SPFAddress(literal) != nil { r.ip = literal }
        }
        // qmail and others write the client's address bare in a comment: "from ptr (HELO h) (198.51.100.7)". Without
        // it the hop would be judged by names alone, which the sender chooses (its own PTR, its HELO).
        if r.ip == nil {
            var p = 0
            while r.ip == nil, let open = bytes[p..<byStart].firstIndex(of: UInt8(ascii: "(")),
                  let close = bytes[open..<byStart].firstIndex(of: UInt8(ascii: ")")) {
                var t = open + 1
                while t < close {
                    while t < close, bytes[t] == 0x20 || bytes[t] == UInt8(ascii: "[") || bytes[t] == UInt8(ascii: "]") { t += 1 }
                    let start = t
                    while t < close, bytes[t] != 0x20, bytes[t] != UInt8(ascii: "["), bytes[t] != UInt8(ascii: "]") { t += 1 }
                    if t > start, t - start <= 45, SPFAddress(string(start..<t)) != nil { r.ip = string(start..<t); break }
                }
                p = close + 1
            }
        }
        if let at = ASCIIBytes.find(Array("envelope-from".utf8), in: bytes) {
            var p = at + 13
            while p < n, bytes[p] == 0x20 || bytes[p] == UInt8(ascii: "=") || bytes[p] == UInt8(ascii: "<") { p += 1 }
            var q = p
            while q < n, ![UInt8(ascii: ">"), UInt8(ascii: ";"), 0x20, UInt8(ascii: ")")].contains(bytes[q]) { q += 1 }
            r.envelopeFrom = string(p..<q)
        }
        r.reverseUnverified = r.fromReverse != nil && ASCIIBytes.find(Array("may be forged".utf8), in: bytes) != nil
        if let semi = bytes.lastIndex(of: UInt8(ascii: ";")) { r.dateText = bytes[(semi + 1)..<n] }
        return r
    }
}

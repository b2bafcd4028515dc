public import SpearCore

/// The Authentication-Results header (RFC 8601) the milter adds: the DKIM, SPF and DMARC results spearscan itself
/// computed for the arriving message, under its authserv-id, one method a line:
///
///     Authentication-Results: mx.example.jp;
///         dkim=pass header.d=example.com header.s=sel1 header.a=rsa-sha256;
///         spf=pass smtp.mailfrom=info@example.com;
///         dmarc=pass (p=reject) header.from=example.com
///
/// Only what was evaluated as the message arrived is said under this MTA's name: SPF and DMARC are left out when SPF
/// did not check the connecting client (an authenticated submission, an internal client whose Received headers SPF
/// was taken from, `--offline`), DMARC also when there was no single From; `dkim=none` says there was no signature.
public enum AuthResultsWriter {
    /// The header's value (without the leading space the MTA may want).
    public static func value(authservID: String, sender: SenderReport) -> String {
        var methods: [String] = []
        if sender.dkim.isEmpty {
            methods.append("dkim=none")
        }
        for d in sender.dkim {
            var m = "dkim=\(token(d.result))"
            if d.result != "pass", let reason = d.reason { m += " (\(comment(reason)))" }
            if let domain = d.domain { m += " header.d=\(pvalue(domain))" }
            if let selector = d.selector { m += " header.s=\(pvalue(selector))" }
            if let algorithm = d.algorithm { m += " header.a=\(pvalue(algorithm))" }
            methods.append(m)
        }
        if let spf = sender.spf, spf.atArrival {
            let identity = spf.identity == "helo" ? " smtp.helo=\(pvalue(spf.domain))" : " smtp.mailfrom=\(pvalue(spf.domain))"
            methods.append("spf=\(spf.result.rawValue)" + identity)
        }
        if let dmarc = sender.dmarc, dmarc.atArrival {
            var m = "dmarc=\(dmarc.result.rawValue)"
            if let policy = dmarc.policy { m += " (p=\(comment(policy)))" }
            m += " header.from=\(pvalue(dmarc.fromDomain))"
            methods.append(m)
        }
        return ([pvalue(authservID)] + methods).joined(separator: ";\n\t")
    }

    /// A result word: letters only (results are spearscan's own words; anything else would break the syntax).
    private static func token(_ text: String) -> String {
        let t = String(String.UnicodeScalarView(text.unicodeScalars.filter { ("a"..."z").contains($0) || ("A"..."Z").contains($0) }))
        return t.isEmpty ? "neutral" : t
    }

    /// A property value as it may stand (a domain, an address of dot-atoms), else quoted; never a control character.
    static func pvalue(_ text: String) -> String {
        let clean = text.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }
        let atom = clean.allSatisfy { s in
            ("a"..."z").contains(s) || ("A"..."Z").contains(s) || ("0"..."9").contains(s) || "!#$%&'*+-/=?^_`{|}~.@".unicodeScalars.contains(s)
        }
        if atom && !clean.isEmpty && clean.filter({ $0 == "@" }).count <= 1 { return String(String.UnicodeScalarView(clean)) }
        var quoted = "\""
        for s in clean {
            if s == "\"" || s == "\\" { quoted += "\\" }
            quoted.unicodeScalars.append(s)
        }
        return quoted + "\""
    }

    /// Text for a comment: no parentheses, backslashes or control characters, at most 80 characters.
    private static func comment(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.filter { $0.value >= 0x20 && $0.value < 0x7F && !"()\\".unicodeScalars.contains($0) }.prefix(80)))
    }
}

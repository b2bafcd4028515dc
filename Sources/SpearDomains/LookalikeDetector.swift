/// A domain that imitates a protected one, and how.
public struct LookalikeMatch: Sendable, Equatable {
    /// The domain examined (lower-cased, trailing dot removed, as written: "xn--" stays "xn--").
    public var candidate: String
    /// The protected domain it imitates, as configured.
    public var protected: String
    /// "homoglyph", "mixed_script", "edit_distance", "rn_m", "digit_letter", "hyphen", "tld_swap",
    /// "subdomain_prefix".
    public var technique: String
    /// One line of evidence, e.g. "xn--pple-43d.com (аpple.com) has the skeleton of apple.com".
    public var detail: String

    public init(candidate: String, protected: String, technique: String, detail: String) {
        self.candidate = candidate
        self.protected = protected
        self.technique = technique
        self.detail = detail
    }
}

/// Judges whether a domain imitates one of a set of protected domains.
///
/// Organisational domains are compared (with the Public Suffix List, or without one by a guess from the last
/// labels: two, or three under a two-letter country code with a second level like "co"/"ne"/"com"). Every rule
/// works on the name, the label left of the public suffix, in Unicode. In order of precedence:
///  * homoglyph: the name (or the whole organisational domain) is not ASCII and has the protected one's skeleton;
///  * rn_m: rn↔m, vv↔w, cl↔d turn one ASCII name into the other;
///  * digit_letter: 0↔o, 1↔l↔i, 5↔s (with the above) turn one ASCII name into the other;
///  * mixed_script: the name mixes scripts (UTS #39 "highly restrictive") and its skeleton is within the edit
///    distance below of the protected name's, or contains it;
///  * subdomain_prefix: the protected domain spelled out as labels left of another organisation
///    ("apple.com.example.net", "www.apple.com-verify.example.net", "japanpost.jp-delivery.info");
///  * hyphen: the names are equal once hyphens are removed, or a label is the protected domain with its dots
///    turned into hyphens ("mizuhobank-co-jp.com", "apple-com.example.net"), or the registrable domain is the
///    protected one with a dot turned into a hyphen ("example-co.jp" for "example.co.jp");
///  * tld_swap: the same name under another public suffix (example.co.jp vs example.com);
///  * edit_distance: Damerau–Levenshtein distance 1 between names of ≥ 5 letters, 2 when the protected one has
///    ≥ 10 (both names must have 5: "mail" is not an edit of "gmail").
/// Protected names shorter than 4 letters ("dhl", "nta") are matched only by homoglyph, rn_m and digit_letter
/// (visual swaps; for digit_letter a digit must be involved: "aoi" is not "aol") and by the whole domain spelled
/// out (subdomain_prefix, and hyphen in "nta-go-jp.com"); mixed_script, the other hyphen rule and tld_swap need
/// 4 letters, edit_distance 5.
/// A domain equal to a protected one, a subdomain of one, or in the organisation of one is never a match. When
/// several protected domains are imitated, the most telling technique wins, then the same public suffix, then the
/// order of the list.
public struct LookalikeDetector: Sendable {
    /// Well-known brands and free-mail providers checked even with no configuration: pass
    /// `yours + LookalikeDetector.wellKnown` (the detector checks exactly the list it is given). Related real
    /// domains of the same brands are listed too, so that they are not taken for look-alikes of each other
    /// (google.co.jp is not a tld_swap of google.com, ymail.com not an edit of gmail.com, paypay.ne.jp not of
    /// paypal.com).
    public static let wellKnown: [String] = [
        // Global brands, payment and delivery.
        "apple.com", "icloud.com", "microsoft.com", "office.com", "live.com", "google.com", "google.co.jp",
        "amazon.com", "amazon.co.jp", "paypal.com", "dhl.com", "fedex.com", "ups.com", "facebook.com",
        "instagram.com", "netflix.com", "visa.com", "mastercard.com", "docusign.net", "docusign.com", "dropbox.com",
        // Free mail.
        "gmail.com", "outlook.com", "outlook.jp", "hotmail.com", "yahoo.com", "yahoo.co.jp", "ymail.com",
        "aol.com", "email.com",
        // Japan: portals, carriers, banks, cards, payments, post and delivery, government.
        "rakuten.co.jp", "rakuten-card.co.jp", "docomo.ne.jp", "au.com", "ezweb.ne.jp", "softbank.jp",
        "line.me", "mufg.jp", "smbc.co.jp", "mizuhobank.co.jp", "resonabank.co.jp", "japannetbank.co.jp",
        "jcb.co.jp", "aeon.co.jp", "paypay.ne.jp", "mercari.com", "japanpost.jp", "jp-bank.japanpost.jp",
        "sagawa-exp.co.jp", "kuronekoyamato.co.jp", "nta.go.jp", "mynumbercard.go.jp",
    ]

    /// A protected domain with everything the comparisons need worked out once (a class: entries are not copied).
    private final class Protected: Sendable {
        let configured: String
        /// The domain in Unicode, and with a leading dot for the subdomain test.
        let domain: String
        let dotDomain: String
        let organization: String
        let name: String
        let suffix: String
        let letters: Int
        let skeleton: String
        let nameSkeleton: String
        let swapKey: String
        let rnKey: String
        let dehyphenated: String
        let dashed: String
        let labels: [String]
        let labelSkeletons: [String]
        let nameScalars: [Unicode.Scalar]
        let nameSkeletonScalars: [Unicode.Scalar]

        init(name domainName: DomainName, orgLabels: [String]) {
            configured = domainName.written
            domain = domainName.unicode
            dotDomain = "." + domain
            organization = orgLabels.joined(separator: ".")
            name = orgLabels[0]
            suffix = orgLabels.dropFirst().joined(separator: ".")
            letters = LookalikeDetector.letterCount(name)
            skeleton = Confusables.skeleton(organization)
            nameSkeleton = Confusables.skeleton(name)
            swapKey = LookalikeDetector.swapKey(name, digits: true)
            rnKey = LookalikeDetector.swapKey(name, digits: false)
            dehyphenated = name.replacingHyphens()
            dashed = orgLabels.joined(separator: "-")
            labels = orgLabels
            labelSkeletons = orgLabels.map(Confusables.skeleton)
            nameScalars = Array(name.unicodeScalars)
            nameSkeletonScalars = Array(nameSkeleton.unicodeScalars)
        }
    }

    private let psl: PublicSuffixList?
    private let entries: [Protected]

    /// Domains that are not names ("", "a..b") and public suffixes are ignored; duplicates are checked once.
    public init(protected: [String], psl: PublicSuffixList?) {
        self.psl = psl
        var seen = Set<String>()
        var entries: [Protected] = []
        for configured in protected {
            guard let name = DomainName(configured), seen.insert(name.unicode).inserted else { continue }
            let suffixCount = Self.suffixLabelCount(name.unicodeLabels, psl: psl)
            guard name.unicodeLabels.count > suffixCount else { continue }
            entries.append(Protected(name: name, orgLabels: Array(name.unicodeLabels.suffix(suffixCount + 1))))
        }
        self.entries = entries
    }

    /// nil when `domain` is one of the protected domains (or a subdomain of one) or resembles none of them.
    /// An e-mail address is read as its domain (the part after the last "@").
    public func match(_ domain: String) -> LookalikeMatch? {
        var text = Substring(domain)
        if let at = text.lastIndex(of: "@") { text = text[text.index(after: at)...] }
        guard let name = DomainName(String(text)) else { return nil }
        // Address literals ("[192.0.2.1]", "192.0.2.1", "[IPv6:…]") are not names.
        if name.written.contains(where: { $0 == "[" || $0 == ":" })
            || name.labels.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }) {
            return nil
        }
        let suffixCount = Self.suffixLabelCount(name.unicodeLabels, psl: psl)
        let count = name.unicodeLabels.count
        guard count > suffixCount else { return nil }
        let orgLabels = Array(name.unicodeLabels.suffix(suffixCount + 1))
        let organization = orgLabels.joined(separator: ".")
        let unicode = name.unicode
        if entries.contains(where: {
            $0.organization == organization || unicode == $0.domain || unicode.hasSuffix($0.dotDomain)
        }) {
            return nil
        }
        let candidate = Candidate(name: name, orgLabels: orgLabels,
                                  subdomain: Array(name.unicodeLabels.prefix(count - suffixCount - 1)))
        var best: (rank: Int, match: LookalikeMatch)?
        for entry in entries {
            guard let found = compare(candidate, entry) else { continue }
            if best.map({ found.rank < $0.rank }) ?? true { best = found }
            if found.rank == 0 { break }
        }
        return best?.match
    }

    /// true when `domain` is one of the protected domains, a subdomain of one, or in the organisation of one: the
    /// domains `match` never reports. Callers that protect more domains per message (the recipients'
    /// organisations) ask this so that a protected brand is not read as a lookalike of a recipient, nor the
    /// other way round (google.com writing to someone at google.co.jp).
    public func protects(_ domain: String) -> Bool {
        var text = Substring(domain)
        if let at = text.lastIndex(of: "@") { text = text[text.index(after: at)...] }
        guard let name = DomainName(String(text)) else { return false }
        let suffixCount = Self.suffixLabelCount(name.unicodeLabels, psl: psl)
        guard name.unicodeLabels.count > suffixCount else { return false }
        let organization = name.unicodeLabels.suffix(suffixCount + 1).joined(separator: ".")
        let unicode = name.unicode
        return entries.contains { $0.organization == organization || unicode == $0.domain || unicode.hasSuffix($0.dotDomain) }
    }

    // MARK: - Comparison

    /// The domain examined, with everything the comparisons need worked out once.
    private struct Candidate {
        let name: DomainName
        let organization: String
        let label: String
        let suffix: String
        let isASCII: Bool
        let organizationIsASCII: Bool
        let skeleton: String
        let nameSkeleton: String
        let rnKey: String
        let swapKey: String
        let dehyphenated: String
        let hasMixedScripts: Bool
        let subdomain: [String]
        /// The subdomain's labels and then the name, and their skeletons.
        let labels: [String]
        let labelSkeletons: [String]
        let letters: Int
        /// The name's scalars (its skeleton's when it is not ASCII), for edit distances.
        let nameScalars: [Unicode.Scalar]

        init(name: DomainName, orgLabels: [String], subdomain: [String]) {
            self.name = name
            organization = orgLabels.joined(separator: ".")
            label = orgLabels[0]
            suffix = orgLabels.dropFirst().joined(separator: ".")
            isASCII = label.unicodeScalars.allSatisfy(\.isASCII)
            organizationIsASCII = organization.unicodeScalars.allSatisfy(\.isASCII)
            skeleton = organizationIsASCII ? "" : Confusables.skeleton(organization)
            nameSkeleton = isASCII ? label : Confusables.skeleton(label)
            rnKey = isASCII ? LookalikeDetector.swapKey(label, digits: false) : ""
            swapKey = isASCII ? LookalikeDetector.swapKey(label, digits: true) : ""
            dehyphenated = label.replacingHyphens()
            hasMixedScripts = !isASCII && Confusables.hasMixedScripts(label)
            self.subdomain = subdomain
            labels = subdomain + [label]
            labelSkeletons = labels.map(Confusables.skeleton)
            letters = LookalikeDetector.letterCount(label)
            nameScalars = Array(nameSkeleton.unicodeScalars)
        }

        /// "xn--pple-43d.com (аpple.com)" when written in ASCII with Unicode labels, "аpple.com (xn--pple-43d.com)"
        /// when written in Unicode, else the name.
        var display: String {
            let written = name.written, unicode = name.unicode
            if written != unicode { return "\(written) (\(unicode))" }
            if let ascii = Punycode.toASCII(unicode), ascii != unicode { return "\(unicode) (\(ascii))" }
            return unicode
        }
    }

    /// The techniques from the most to the least telling; `compare` tries them in this order.
    private static let techniques = ["homoglyph", "rn_m", "digit_letter", "mixed_script", "subdomain_prefix",
                                     "hyphen", "tld_swap", "edit_distance"]

    /// The first technique by which `c` imitates `p`, ranked: technique first, then a protected domain under the
    /// same public suffix before one under another (amazonn.co.jp imitates amazon.co.jp rather than amazon.com).
    private func compare(_ c: Candidate, _ p: Protected) -> (rank: Int, match: LookalikeMatch)? {
        let label = c.label
        let sameSuffix = c.suffix == p.suffix
        var otherSuffix: String { sameSuffix ? "" : " under .\(c.suffix) instead of .\(p.suffix)" }
        func found(_ technique: String, _ detail: String) -> (rank: Int, match: LookalikeMatch) {
            ((Self.techniques.firstIndex(of: technique) ?? Self.techniques.count) * 2 + (sameSuffix ? 0 : 1),
             LookalikeMatch(candidate: c.name.written, protected: p.configured, technique: technique, detail: detail))
        }

        // homoglyph
        if !c.organizationIsASCII {
            if c.skeleton == p.skeleton {
                return found("homoglyph", "\(c.display) has the skeleton of \(p.organization)")
            }
            if !c.isASCII, label != p.name, c.nameSkeleton == p.nameSkeleton {
                return found("homoglyph", "\(c.display): the name \(label) has the skeleton of \(p.name) (\(p.organization))\(otherSuffix)")
            }
        }

        let short = p.letters < 4

        // rn_m, digit_letter: ASCII swaps.
        if c.isASCII, label != p.name {
            if c.rnKey == p.rnKey {
                return found("rn_m", "\(c.display): \(label) reads as \(p.name) (rn/m, vv/w, cl/d)\(otherSuffix)")
            }
            if c.swapKey == p.swapKey, !short || label.contains(where: \.isNumber) {
                return found("digit_letter", "\(c.display): \(label) reads as \(p.name) (0/o, 1/l/i, 5/s)\(otherSuffix)")
            }
        }
        let limit = p.letters >= 10 ? 2 : (p.letters >= 5 ? 1 : 0)

        // mixed_script
        if c.hasMixedScripts {
            let scripts = Confusables.scripts(label).sorted().joined(separator: "+")
            if limit > 0, Self.editDistance(c.nameScalars, p.nameSkeletonScalars, limit: limit) <= limit {
                return found("mixed_script", "\(c.display): the name \(label) mixes \(scripts) and looks like \(p.name) (\(p.organization))")
            }
            if !short, c.nameSkeleton.contains(p.nameSkeleton) {
                return found("mixed_script", "\(c.display): the name \(label) mixes \(scripts) and contains \(p.name) (\(p.organization))")
            }
        }

        // subdomain_prefix
        if let spelled = spelledOut(p, in: c) {
            return found("subdomain_prefix", "\(c.display): \(p.organization) spelled out (\(spelled)) in front of another organisation, \(c.organization)")
        }

        // hyphen
        if let dashed = dashedOut(p, in: c) {
            return found("hyphen", "\(c.display): \(dashed) is \(p.organization) with its dots turned into hyphens")
        }
        // Hyphen tests on UTF-8 bytes: Character-wise `contains` for every protected entry was a fifth of sender
        // scoring (callgrind).
        let hyphen = UInt8(ascii: "-")
        if c.organization.utf8.contains(hyphen), String(c.organization.map { $0 == "-" ? "." : $0 }) == p.organization {
            // "example-co.jp" for "example.co.jp": the dot before part of the suffix turned into a hyphen, which
            // makes a name under another suffix that anyone can register.
            return found("hyphen", "\(c.display): \(c.organization) is \(p.organization) with a dot turned into a hyphen")
        }
        if !short, label != p.name, label.utf8.contains(hyphen) || p.name.utf8.contains(hyphen), c.dehyphenated == p.dehyphenated {
            return found("hyphen", "\(c.display): \(label) is \(p.name) with hyphens added or removed\(otherSuffix)")
        }

        // tld_swap
        if !short, label == p.name, !sameSuffix {
            return found("tld_swap", "\(c.display): the name \(p.name) of \(p.organization) under .\(c.suffix)")
        }

        // edit_distance (on skeletons when the name is not ASCII)
        if limit > 0, c.letters >= 5 {
            let distance = Self.editDistance(c.nameScalars, c.isASCII ? p.nameScalars : p.nameSkeletonScalars, limit: limit)
            if distance > 0, distance <= limit {
                let edits = distance == 1 ? "1 edit" : "\(distance) edits"
                return found("edit_distance", "\(c.display): \(label) is \(edits) from \(p.name) (\(p.organization))\(otherSuffix)")
            }
        }
        return nil
    }

    /// The protected organisational domain as consecutive labels left of the candidate's public suffix, starting
    /// in the subdomain, compared by skeleton; its last label may go on after a hyphen ("apple.com-verify",
    /// "japanpost.jp-delivery.info"). Returns those labels joined.
    private func spelledOut(_ p: Protected, in c: Candidate) -> String? {
        let m = p.labels.count, labels = c.labels
        guard !c.subdomain.isEmpty, labels.count >= m else { return nil }
        for start in 0..<min(c.subdomain.count, labels.count - m + 1) {
            var matches = true
            for offset in 0..<m {
                let s = c.labelSkeletons[start + offset], expected = p.labelSkeletons[offset]
                if s == expected { continue }
                if offset == m - 1, s.hasPrefix(expected + "-") { continue }
                matches = false
                break
            }
            if matches { return labels[start..<(start + m)].joined(separator: ".") }
        }
        return nil
    }

    /// A label of the candidate that is the protected organisational domain with its dots turned into hyphens
    /// ("mizuhobank-co-jp.com", "apple-com.example.net"), alone or followed by "-…".
    private func dashedOut(_ p: Protected, in c: Candidate) -> String? {
        c.labels.first { $0 == p.dashed || $0.hasPrefix(p.dashed + "-") }
    }

    // MARK: - Helpers

    /// The public suffix's label count, by the list or by a guess.
    static func suffixLabelCount(_ labels: [String], psl: PublicSuffixList?) -> Int {
        if let psl { return psl.suffixLabelCount(labels) }
        guard labels.count >= 3, let tld = labels.last, tld.count == 2,
              secondLevels.contains(labels[labels.count - 2]) else { return 1 }
        return 2
    }

    private static let secondLevels: Set<String> = [
        "co", "ne", "or", "ac", "ad", "go", "gr", "ed", "lg", "com", "net", "org", "gov", "edu", "mil", "gob",
        "nom", "ltd", "plc", "sch", "nic",
    ]

    /// Letters and digits of a name (its hyphens not counted).
    static func letterCount(_ label: String) -> Int {
        label.reduce(0) { $1 == "-" ? $0 : $0 + 1 }
    }

    /// The name with look-alike ASCII sequences folded: rn→m, vv→w, cl→d, and with `digits` 0→o, 1→l, i→l, 5→s.
    static func swapKey(_ label: String, digits: Bool) -> String {
        var scalars: [Unicode.Scalar] = []
        for scalar in label.unicodeScalars {
            guard digits else { scalars.append(scalar); continue }
            switch scalar {
            case "0": scalars.append("o")
            case "1", "i": scalars.append("l")
            case "5": scalars.append("s")
            default: scalars.append(scalar)
            }
        }
        var out = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            if index + 1 < scalars.count {
                switch (scalars[index], scalars[index + 1]) {
                case ("r", "n"): out.append("m"); index += 2; continue
                case ("v", "v"): out.append("w"); index += 2; continue
                case ("c", "l"): out.append("d"); index += 2; continue
                default: break
                }
            }
            out.append(scalars[index])
            index += 1
        }
        return String(out)
    }

    /// Damerau–Levenshtein distance (optimal string alignment) over Unicode scalars; anything above `limit` is
    /// reported as `limit + 1` (the lengths alone often tell).
    static func editDistance(_ x: [Unicode.Scalar], _ y: [Unicode.Scalar], limit: Int) -> Int {
        if abs(x.count - y.count) > limit { return limit + 1 }
        if x.isEmpty || y.isEmpty { return min(max(x.count, y.count), limit + 1) }
        var previous2 = [Int](repeating: 0, count: y.count + 1)
        var previous = Array(0...y.count)
        var current = [Int](repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            current[0] = i
            var rowMinimum = current[0]
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] {
                    value = min(value, previous2[j - 2] + 1)
                }
                current[j] = value
                rowMinimum = min(rowMinimum, value)
            }
            if rowMinimum > limit { return limit + 1 }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return min(previous[y.count], limit + 1)
    }
}

extension String {
    fileprivate func replacingHyphens() -> String { String(unicodeScalars.filter { $0 != "-" }) }
}

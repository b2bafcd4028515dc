import Foundation

/// Why a Public Suffix List file could not be loaded; the message names the file.
public struct PublicSuffixListError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "cannot load the Public Suffix List \(path): \(reason)" }
}

/// The Public Suffix List (https://publicsuffix.org/list/), as Debian's `publicsuffix` package ships it, and the
/// organisational domains it defines.
///
/// Both the ICANN and the PRIVATE sections apply (DMARC uses both). Rules are held in Unicode; a name is matched
/// label by label in Unicode, so "xn--" and Unicode spellings of the same name give the same answer, each
/// returned in the spelling it was given in.
public struct PublicSuffixList: Sendable {
    public static let defaultPath = "/usr/share/publicsuffix/public_suffix_list.dat"

    /// Loaded once from defaultPath; nil when the file is missing (callers then fall back and say so).
    public static let system: PublicSuffixList? = try? PublicSuffixList(contentsOf: defaultPath)

    /// Normal rules ("co.jp"), Unicode, lower-case.
    private let rules: Set<String>
    /// Wildcard rules by what follows the "*." ("*.ck" → "ck").
    private let wildcards: Set<String>
    /// Exception rules without the "!" ("!www.ck" → "www.ck").
    private let exceptions: Set<String>

    /// How many rules were read (normal, wildcard and exception). Addition to the agreed API.
    public var ruleCount: Int { rules.count + wildcards.count + exceptions.count }

    /// Reads the list from a file; the error names the file and says what was wrong with it.
    public init(contentsOf path: String = PublicSuffixList.defaultPath) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw PublicSuffixListError(path: path, reason: "no such file (install Debian's publicsuffix package)")
        }
        guard !isDirectory.boolValue else { throw PublicSuffixListError(path: path, reason: "is a directory") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PublicSuffixListError(path: path, reason: "cannot be read")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw PublicSuffixListError(path: path, reason: "is not UTF-8 text")
        }
        self.init(rules: text)
        guard ruleCount > 0 else {
            throw PublicSuffixListError(path: path, reason: "holds no rules (not a Public Suffix List?)")
        }
    }

    /// Parses the list's text: one rule per line, read up to the first white space; "//" starts a comment line.
    public init(rules text: String) {
        var rules = Set<String>(), wildcards = Set<String>(), exceptions = Set<String>()
        for line in text.split(whereSeparator: \.isNewline) {
            guard let token = line.split(whereSeparator: \.isWhitespace).first, !token.hasPrefix("//") else {
                continue
            }
            var rule = token
            var isException = false, isWildcard = false
            if rule.hasPrefix("!") {
                isException = true
                rule = rule.dropFirst()
            } else if rule.hasPrefix("*.") {
                isWildcard = true
                rule = rule.dropFirst(2)
            }
            guard let name = DomainName(String(rule)) else { continue }
            let key = name.unicode
            if isException {
                exceptions.insert(key)
            } else if isWildcard {
                wildcards.insert(key)
            } else {
                rules.insert(key)
            }
        }
        self.rules = rules
        self.wildcards = wildcards
        self.exceptions = exceptions
    }

    /// The public suffix of a domain ("www.example.co.jp" → "co.jp"); an unlisted TLD is its own public suffix
    /// (the implicit "*" rule). nil for what is not a domain name (empty, an empty label, a leading dot).
    public func publicSuffix(of domain: String) -> String? {
        guard let name = DomainName(domain) else { return nil }
        let count = suffixLabelCount(name.unicodeLabels)
        return name.labels.suffix(count).joined(separator: ".")
    }

    /// The organisational domain (registrable domain, "eTLD+1") per the PSL algorithm: longest matching rule,
    /// wildcards (*.ck), exceptions (!www.ck), the implicit "*" rule; ICANN and PRIVATE sections both apply
    /// (DMARC uses both). Input is lower-cased, trailing dot removed, IDN labels handled (xn-- and Unicode both
    /// work). nil when the name is itself a public suffix or not a domain name.
    public func organizationalDomain(of domain: String) -> String? {
        guard let name = DomainName(domain) else { return nil }
        let count = suffixLabelCount(name.unicodeLabels)
        guard name.labels.count > count else { return nil }
        return name.labels.suffix(count + 1).joined(separator: ".")
    }

    /// How many rightmost labels (given in Unicode) form the public suffix; at least 1.
    func suffixLabelCount(_ labels: [String]) -> Int {
        var longest = 1  // the implicit "*" rule
        var suffix = ""
        var parent = ""
        for (index, label) in labels.reversed().enumerated() {
            parent = suffix
            suffix = index == 0 ? label : label + "." + suffix
            let length = index + 1
            // An exception prevails over every other rule; its public suffix drops the exception's first label.
            if exceptions.contains(suffix) { return length - 1 }
            if rules.contains(suffix) || (length > 1 && wildcards.contains(parent)) {
                longest = length
            }
        }
        return longest
    }
}

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
    let rules: Set<String>
    /// Wildcard rules by what follows the "*." ("*.ck" → "ck").
    let wildcards: Set<String>
    /// Exception rules without the "!" ("!www.ck" → "www.ck").
    let exceptions: Set<String>

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
    /// Read as UTF-8 bytes (every process that scans mail loads the whole list; Character-wise splitting made
    /// that 60 ms of start-up). ASCII rules without punycode are their own key, lower-cased; the rest go
    /// through `DomainName` for the Unicode form.
    public init(rules text: String) {
        var rules = Set<String>(), wildcards = Set<String>(), exceptions = Set<String>()
        var text = text
        text.withUTF8 { bytes in
            var i = 0
            let n = bytes.count
            while i < n {
                // One line: skip leading blanks, take the token up to a blank or the line's end.
                while i < n, bytes[i] == 0x20 || bytes[i] == 0x09 { i += 1 }
                let start = i
                while i < n, bytes[i] != 0x20, bytes[i] != 0x09, bytes[i] != 0x0A, bytes[i] != 0x0D { i += 1 }
                let end = i
                while i < n, bytes[i] != 0x0A { i += 1 }
                i += 1
                guard end > start else { continue }
                var from = start
                if end - from >= 2, bytes[from] == 0x2F, bytes[from + 1] == 0x2F { continue }  // "//" comment
                var isException = false, isWildcard = false
                if bytes[from] == 0x21 {  // "!"
                    isException = true
                    from += 1
                } else if end - from >= 2, bytes[from] == 0x2A, bytes[from + 1] == 0x2E {  // "*."
                    isWildcard = true
                    from += 2
                }
                guard from < end else { continue }
                let token = UnsafeBufferPointer(rebasing: bytes[from..<end])
                let key: String
                if Self.isPlainASCII(token) {
                    key = String(decoding: token.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
                } else {
                    guard let name = DomainName(String(decoding: token, as: UTF8.self)) else { continue }
                    key = name.unicode
                }
                if isException {
                    exceptions.insert(key)
                } else if isWildcard {
                    wildcards.insert(key)
                } else {
                    rules.insert(key)
                }
            }
        }
        self.rules = rules
        self.wildcards = wildcards
        self.exceptions = exceptions
    }

    /// ASCII letters, digits, hyphens and single inner dots, with no punycode label: a rule that is already in
    /// the form `DomainName` would give it (lower-casing aside).
    private static func isPlainASCII(_ token: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = token.first, let last = token.last, first != 0x2E, last != 0x2E else { return false }
        var previous: UInt8 = 0
        for b in token {
            let ok = (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x2E
            if !ok || (b == 0x2E && previous == 0x2E) { return false }
            previous = b
        }
        // "xn--" labels are decoded to Unicode by DomainName.
        var k = 0
        while k + 4 <= token.count {
            if (k == 0 || token[k - 1] == 0x2E), token[k] | 0x20 == 0x78, token[k + 1] | 0x20 == 0x6E, token[k + 2] == 0x2D,
               token[k + 3] == 0x2D { return false }
            k += 1
        }
        return true
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

    /// Whether `suffix` (lower case, "jp", "co.jp") is a rule of the list, not only the implicit "*": what tells a
    /// domain written in prose ("example.co.jp") from a file name ("readme.txt").
    public func lists(_ suffix: String) -> Bool { rules.contains(suffix) }

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

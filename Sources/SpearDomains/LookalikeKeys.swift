/// Index keys for finding, among many protected domains, the few a domain might imitate, with a hash lookup
/// instead of a comparison with each (learned correspondents can be tens of thousands per store).
///
/// Every technique `LookalikeDetector` knows for names of five letters or more maps both domains to a common key:
/// the name's skeleton with hyphens dropped and look-alike sequences folded (homoglyph, rn_m, digit_letter,
/// hyphen, tld_swap: equal keys), that key with one letter deleted (edit distance 1, including a transposition),
/// and the whole organisational domain with dots and hyphens dropped (a flattened `example-co-jp.net`). The keys
/// only select candidates; `LookalikeDetector` then decides, so a false key match costs one comparison.
public enum LookalikeKeys {
    /// The keys of a domain (or address) that might imitate another; empty for names that are not domains.
    public static func keys(_ domain: String, psl: PublicSuffixList?) -> Set<String> {
        var text = Substring(domain)
        if let at = text.lastIndex(of: "@") { text = text[text.index(after: at)...] }
        guard let name = DomainName(String(text)) else { return [] }
        let labels = name.unicodeLabels
        let suffixCount = LookalikeDetector.suffixLabelCount(labels, psl: psl)
        guard labels.count > suffixCount else { return [] }
        let orgLabels = labels.suffix(suffixCount + 1)
        var out = Set<String>()
        // The name, and any label left of it ("aoba-kensetsu.co.jp.example.net" spells the protected name out).
        for (k, label) in labels.dropLast(suffixCount).enumerated() {
            let key = fold(label)
            guard key.unicodeScalars.count >= 3 else { continue }
            out.insert(key)
            // Deletions of the organisation's name only: a subdomain label spelling a name out matches as a whole.
            if k == labels.count - suffixCount - 1, key.unicodeScalars.count >= 5 {
                let scalars = Array(key.unicodeScalars)
                for skip in scalars.indices {
                    var view = String.UnicodeScalarView()
                    for (j, s) in scalars.enumerated() where j != skip { view.append(s) }
                    out.insert(String(view))
                }
            }
        }
        // The organisational domain flattened: "tsubasa-u.ac.jp" and "tsubasa-u-ac-jp.net" share "tsubasauacjp".
        out.insert(fold(orgLabels.joined()))
        return out
    }

    /// Skeleton, hyphens and dots dropped, look-alike ASCII folded (rn→m, 0→o, 1/i→l, …).
    static func fold(_ label: String) -> String {
        let skeleton = Confusables.skeleton(label.lowercased())
        return LookalikeDetector.swapKey(String(skeleton.unicodeScalars.filter { $0 != "-" && $0 != "." }), digits: true)
    }
}

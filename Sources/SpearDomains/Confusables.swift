import Foundation

/// Visual confusability (UTS #39) for domain names: skeletons and scripts.
public enum Confusables {
    /// UTS #39 skeleton of a string: NFD, each character mapped through the confusables table, NFD again.
    ///
    /// Tailored to case-insensitive domain names: prototypes are lower-case ASCII ("Ρаypаl" and "paypal" share a
    /// skeleton), default-ignorable characters (zero-width joiners, soft hyphens) are dropped as UTS #39 says,
    /// characters whose compatibility decomposition is ASCII (full-width, mathematical, Roman numerals) take it,
    /// and the ASCII confusions 0→o, 1→l, I→l, |→l, then rn→m, vv→w, cl→d are applied.
    public static func skeleton(_ s: String) -> String {
        let isASCII = s.utf8.allSatisfy { $0 < 0x80 }
        var mapped: [Unicode.Scalar] = []
        mapped.reserveCapacity(s.utf8.count)
        for scalar in (isASCII ? s : s.decomposedStringWithCanonicalMapping).unicodeScalars {
            appendPrototype(of: scalar, to: &mapped)
        }
        var out = String.UnicodeScalarView()
        var index = 0
        while index < mapped.count {
            let scalar = mapped[index]
            if index + 1 < mapped.count, let joined = sequencePrototype(scalar, mapped[index + 1]) {
                out.append(joined)
                index += 2
            } else {
                out.append(scalar)
                index += 1
            }
        }
        let result = String(out)
        return result.unicodeScalars.allSatisfy(\.isASCII) ? result : result.decomposedStringWithCanonicalMapping
    }

    /// The scripts used by the letters of s (e.g. ["Latin", "Cyrillic"]); mixed scripts in one label are suspicious.
    /// Names are Unicode's (Scripts.txt, "_" as space); letters of the Common script (mathematical letters) and
    /// everything that is not a letter (digits, "-", marks) are not counted.
    public static func scripts(_ s: String) -> Set<String> {
        var found = Set<String>()
        for scalar in s.unicodeScalars {
            if let script = script(of: scalar) { found.insert(script) }
        }
        return found
    }

    /// Whether the letters of one label mix scripts that UTS #39's "highly restrictive" level does not allow
    /// together (Latin with Han, Hiragana and Katakana, Han with Bopomofo or Hangul are allowed: Japanese,
    /// Chinese and Korean names). Addition to the agreed API.
    public static func hasMixedScripts(_ label: String) -> Bool {
        let used = scripts(label)
        guard used.count > 1 else { return false }
        return !allowedCombinations.contains { used.isSubset(of: $0) }
    }

    private static let allowedCombinations: [Set<String>] = [
        ["Latin", "Han", "Hiragana", "Katakana"],
        ["Latin", "Han", "Bopomofo"],
        ["Latin", "Han", "Hangul"],
    ]

    /// The script of a letter; nil for non-letters and Common letters.
    static func script(of scalar: Unicode.Scalar) -> String? {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: break
        default: return nil
        }
        let value = scalar.value
        if value < 0x80 { return "Latin" }
        var low = 0, high = scriptRanges.count - 1
        while low <= high {
            let mid = (low + high) / 2
            let range = scriptRanges[mid]
            if value < range.first {
                high = mid - 1
            } else if value > range.last {
                low = mid + 1
            } else {
                return range.script
            }
        }
        return nil
    }

    private static func appendPrototype(of scalar: Unicode.Scalar, to out: inout [Unicode.Scalar]) {
        if scalar.isASCII {
            out.append(asciiPrototype(scalar))
            return
        }
        if scalar.properties.isDefaultIgnorableCodePoint { return }
        if let prototype = prototypes[scalar.value] {
            out.append(contentsOf: prototype.unicodeScalars)
            return
        }
        // Full-width ASCII (U+FF01–U+FF5E) directly; other compatibility forms when they decompose to ASCII.
        if (0xFF01...0xFF5E).contains(scalar.value), let ascii = Unicode.Scalar(scalar.value - 0xFEE0) {
            out.append(asciiPrototype(ascii))
            return
        }
        let compatible = String(scalar).decomposedStringWithCompatibilityMapping.unicodeScalars
        if !compatible.isEmpty, compatible.allSatisfy(\.isASCII) {
            out.append(contentsOf: compatible.map(asciiPrototype))
            return
        }
        out.append(scalar)
    }

    /// The ASCII prototypes: lower case, with 0→o, 1/I/|→l.
    private static func asciiPrototype(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        switch scalar {
        case "0": return "o"
        case "1", "I", "|": return "l"
        case "A"..."Z": return Unicode.Scalar(scalar.value + 0x20) ?? scalar
        default: return scalar
        }
    }

    /// rn→m, vv→w, cl→d.
    private static func sequencePrototype(_ first: Unicode.Scalar, _ second: Unicode.Scalar) -> Unicode.Scalar? {
        switch (first, second) {
        case ("r", "n"): return "m"
        case ("v", "v"): return "w"
        case ("c", "l"): return "d"
        default: return nil
        }
    }
}

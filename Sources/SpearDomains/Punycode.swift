/// RFC 3492 Punycode (the bootstring parameters IDNA uses), and the `xn--` form of domain names.
///
/// Hostile input is bounded: labels longer than `maxLabelLength` scalars and every arithmetic overflow give nil,
/// never a trap.
public enum Punycode {
    /// Longest label `decode` and `encode` accept (DNS allows 63 octets; mail headers carry worse).
    public static let maxLabelLength = 1024

    private static let base = 36, tMin = 1, tMax = 26, skew = 38, damp = 700
    private static let initialBias = 72, initialN = 0x80
    /// RFC 3492's maxint: the decoder's and encoder's integers never exceed it.
    private static let maxInt = 0x7FFF_FFFF

    /// Decodes one label; a leading "xn--" (any case) is optional. nil when the input is not valid Punycode
    /// (non-ASCII input, a bad digit, a truncated number, an overflow, a code point that is basic or not a
    /// Unicode scalar) or is a bare "xn--".
    public static func decode(_ label: String) -> String? {
        var input = Array(label.utf8)
        guard input.count <= maxLabelLength else { return nil }
        if hasACEPrefix(input) {
            input.removeFirst(4)
            guard !input.isEmpty else { return nil }
        }
        guard input.allSatisfy({ $0 < 0x80 }) else { return nil }

        var output: [Unicode.Scalar] = []
        var position = 0
        if let delimiter = input.lastIndex(of: UInt8(ascii: "-")) {
            output = input[..<delimiter].map { Unicode.Scalar($0) }
            position = delimiter + 1
        }
        var n = initialN, i = 0, bias = initialBias
        while position < input.count {
            let oldI = i
            var w = 1
            var k = base
            while true {
                guard position < input.count, let digit = digitValue(input[position]) else { return nil }
                position += 1
                guard digit <= (maxInt - i) / w else { return nil }
                i += digit * w
                let t = threshold(k, bias)
                if digit < t { break }
                guard w <= maxInt / (base - t) else { return nil }
                w *= base - t
                k += base
            }
            let count = output.count + 1
            bias = adapt(i - oldI, count, firstTime: oldI == 0)
            guard i / count <= maxInt - n else { return nil }
            n += i / count
            i %= count
            guard n >= initialN, n <= 0x10FFFF, let scalar = Unicode.Scalar(UInt32(n)) else { return nil }
            output.insert(scalar, at: i)
            i += 1
        }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: output)
        return String(view)
    }

    /// Encodes one label as RFC 3492 Punycode, without the "xn--" prefix (use `toASCII` for domains). As in the
    /// RFC, basic code points are copied first and followed by "-" when there are any ("abc" → "abc-").
    /// nil when the label is longer than `maxLabelLength` or an integer would overflow.
    public static func encode(_ label: String) -> String? {
        let input = label.unicodeScalars.map { Int($0.value) }
        guard input.count <= maxLabelLength else { return nil }
        var output: [UInt8] = input.filter { $0 < 0x80 }.map { UInt8($0) }
        let basicCount = output.count
        var handled = basicCount
        if basicCount > 0 { output.append(UInt8(ascii: "-")) }

        var n = initialN, delta = 0, bias = initialBias
        while handled < input.count {
            guard let m = input.filter({ $0 >= n }).min() else { return nil }
            guard m - n <= (maxInt - delta) / (handled + 1) else { return nil }
            delta += (m - n) * (handled + 1)
            n = m
            for c in input {
                if c < n {
                    delta += 1
                    guard delta <= maxInt else { return nil }
                }
                if c == n {
                    var q = delta
                    var k = base
                    while true {
                        let t = threshold(k, bias)
                        if q < t { break }
                        output.append(digitCharacter(t + (q - t) % (base - t)))
                        q = (q - t) / (base - t)
                        k += base
                    }
                    output.append(digitCharacter(q))
                    bias = adapt(delta, handled + 1, firstTime: handled == basicCount)
                    delta = 0
                    handled += 1
                }
            }
            delta += 1
            n += 1
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Every "xn--" label decoded ("xn--80ak6aa92e.com" → "аррӏе.com"). Labels that are not valid Punycode, or
    /// that decode to plain ASCII, are left as written; nothing else changes (no lower-casing).
    public static func toUnicode(_ domain: String) -> String {
        guard domain.utf8.count >= 4 else { return domain }
        return domain.split(separator: ".", omittingEmptySubsequences: false)
            .map { unicodeLabel(String($0)) }
            .joined(separator: ".")
    }

    /// Every label with non-ASCII characters encoded as "xn--…"; nil when one cannot be encoded.
    /// Addition to the agreed API: the inverse of `toUnicode`, used for evidence lines.
    public static func toASCII(_ domain: String) -> String? {
        var labels: [String] = []
        for part in domain.split(separator: ".", omittingEmptySubsequences: false) {
            let label = String(part)
            if label.utf8.allSatisfy({ $0 < 0x80 }) {
                labels.append(label)
            } else {
                guard let encoded = encode(label) else { return nil }
                labels.append("xn--" + encoded)
            }
        }
        return labels.joined(separator: ".")
    }

    /// The label decoded when it is an "xn--" label holding non-ASCII characters, else the label itself.
    static func unicodeLabel(_ label: String) -> String {
        guard hasACEPrefix(Array(label.utf8.prefix(4))), let decoded = decode(label),
              decoded.unicodeScalars.contains(where: { !$0.isASCII }) else { return label }
        return decoded
    }

    private static func hasACEPrefix(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 4 else { return false }
        return (bytes[0] | 0x20) == UInt8(ascii: "x") && (bytes[1] | 0x20) == UInt8(ascii: "n")
            && bytes[2] == UInt8(ascii: "-") && bytes[3] == UInt8(ascii: "-")
    }

    private static func threshold(_ k: Int, _ bias: Int) -> Int {
        if k <= bias { return tMin }
        if k >= bias + tMax { return tMax }
        return k - bias
    }

    private static func adapt(_ delta: Int, _ numPoints: Int, firstTime: Bool) -> Int {
        var delta = firstTime ? delta / damp : delta / 2
        delta += delta / numPoints
        var k = 0
        while delta > ((base - tMin) * tMax) / 2 {
            delta /= base - tMin
            k += base
        }
        return k + (base - tMin + 1) * delta / (delta + skew)
    }

    private static func digitValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return Int(byte - UInt8(ascii: "0")) + 26
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return Int(byte - UInt8(ascii: "a"))
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return Int(byte - UInt8(ascii: "A"))
        default: return nil
        }
    }

    private static func digitCharacter(_ digit: Int) -> UInt8 {
        digit < 26 ? UInt8(ascii: "a") + UInt8(digit) : UInt8(ascii: "0") + UInt8(digit - 26)
    }
}

import Foundation

/// Runs `Tests/Fixtures/oracles/email_oracle.py` (what Python's `email` package makes of a case) over a batch of
/// cases (through ``PythonOracle``): each case tagged with its decoder, each answer with a status.
enum EmailOracle {
    enum Kind: UInt8 {
        case quotedPrintable = 0x51  // Q
        case uuencode = 0x55  // U
        case encodedWords = 0x57  // W
        case parameters = 0x50  // P
    }

    struct Answer: Equatable {
        /// `O` ok, `S` text with lone surrogates, `N` None, `R` uudecode gave up, `E` exception.
        var status: UInt8
        var bytes: [UInt8]

        var ok: Bool { status == 0x4F }
        var text: String { String(decoding: bytes, as: UTF8.self) }
    }

    struct Answers {
        var compat32: Answer
        var `default`: Answer
    }

    struct OracleError: Error, CustomStringConvertible {
        var description: String
    }

    static func run(_ kind: Kind, _ payloads: [[UInt8]]) throws -> [Answers] {
        var input: [UInt8] = []
        for p in payloads {
            input.append(kind.rawValue)
            appendLength(p.count, to: &input)
            input += p
        }
        let output = try PythonOracle.run("email_oracle.py", input: input)
        var answers: [Answers] = []
        answers.reserveCapacity(payloads.count)
        var i = 0
        func next() throws -> Answer {
            guard i + 5 <= output.count else { throw OracleError(description: "oracle output cut short") }
            let status = output[i]
            let n = output[(i + 1)..<(i + 5)].reduce(0) { $0 << 8 | Int($1) }
            guard i + 5 + n <= output.count else { throw OracleError(description: "oracle output cut short") }
            defer { i += 5 + n }
            return Answer(status: status, bytes: Array(output[(i + 5)..<(i + 5 + n)]))
        }
        for _ in payloads { answers.append(Answers(compat32: try next(), default: try next())) }
        guard i == output.count else { throw OracleError(description: "oracle output has \(output.count - i) extra bytes") }
        return answers
    }

    private static func appendLength(_ n: Int, to out: inout [UInt8]) {
        for shift in [24, 16, 8, 0] { out.append(UInt8(truncatingIfNeeded: n >> shift)) }
    }
}

/// SplitMix64 (Steele, Lea, Flood 2014): a tiny seeded generator, so every run makes the same cases.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
    mutating func byte() -> UInt8 { UInt8(truncatingIfNeeded: next()) }
}

/// Printable form of a case for failure messages: ASCII as is, everything else as `\xNN`.
func escaped(_ bytes: some Sequence<UInt8>) -> String {
    var s = ""
    for b in bytes {
        switch b {
        case 0x0A: s += "\\n"
        case 0x0D: s += "\\r"
        case 0x09: s += "\\t"
        case 0x5C: s += "\\\\"
        case 0x20...0x7E: s.unicodeScalars.append(Unicode.Scalar(b))
        default: s += "\\x" + String(b, radix: 16, uppercase: false).leftPadded(2)
        }
    }
    return s
}

extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}

/// Byte strings of a few texts in the charsets Japanese and European mail uses, for the header generators.
enum TextPool {
    static let byCharset: [(label: String, texts: [(text: String, bytes: [UInt8])])] = [
        ("utf-8", [
            ("注文内容の確認", [0xE6, 0xB3, 0xA8, 0xE6, 0x96, 0x87, 0xE5, 0x86, 0x85, 0xE5, 0xAE, 0xB9, 0xE3, 0x81, 0xAE, 0xE7, 0xA2, 0xBA, 0xE8, 0xAA, 0x8D]),
            ("請求書.pdf", [0xE8, 0xAB, 0x8B, 0xE6, 0xB1, 0x82, 0xE6, 0x9B, 0xB8, 0x2E, 0x70, 0x64, 0x66]),
            ("こんにちは", [0xE3, 0x81, 0x93, 0xE3, 0x82, 0x93, 0xE3, 0x81, 0xAB, 0xE3, 0x81, 0xA1, 0xE3, 0x81, 0xAF]),
            ("café crème", [0x63, 0x61, 0x66, 0xC3, 0xA9, 0x20, 0x63, 0x72, 0xC3, 0xA8, 0x6D, 0x65]),
            ("Größe €", [0x47, 0x72, 0xC3, 0xB6, 0xC3, 0x9F, 0x65, 0x20, 0xE2, 0x82, 0xAC]),
            ("Ünïcödé ✓", [0xC3, 0x9C, 0x6E, 0xC3, 0xAF, 0x63, 0xC3, 0xB6, 0x64, 0xC3, 0xA9, 0x20, 0xE2, 0x9C, 0x93]),
            ("日本語テキスト", [0xE6, 0x97, 0xA5, 0xE6, 0x9C, 0xAC, 0xE8, 0xAA, 0x9E, 0xE3, 0x83, 0x86, 0xE3, 0x82, 0xAD, 0xE3, 0x82, 0xB9, 0xE3, 0x83, 0x88]),
            ("Привет", [0xD0, 0x9F, 0xD1, 0x80, 0xD0, 0xB8, 0xD0, 0xB2, 0xD0, 0xB5, 0xD1, 0x82]),
        ]),
        ("iso-2022-jp", [
            ("注文内容の確認", [0x1B, 0x24, 0x42, 0x43, 0x6D, 0x4A, 0x38, 0x46, 0x62, 0x4D, 0x46, 0x24, 0x4E, 0x33, 0x4E, 0x47, 0x27, 0x1B, 0x28, 0x42]),
            ("請求書", [0x1B, 0x24, 0x42, 0x40, 0x41, 0x35, 0x61, 0x3D, 0x71, 0x1B, 0x28, 0x42]),
            ("こんにちは", [0x1B, 0x24, 0x42, 0x24, 0x33, 0x24, 0x73, 0x24, 0x4B, 0x24, 0x41, 0x24, 0x4F, 0x1B, 0x28, 0x42]),
            ("日本語テキスト", [0x1B, 0x24, 0x42, 0x46, 0x7C, 0x4B, 0x5C, 0x38, 0x6C, 0x25, 0x46, 0x25, 0x2D, 0x25, 0x39, 0x25, 0x48, 0x1B, 0x28, 0x42]),
            ("お支払い", [0x1B, 0x24, 0x42, 0x24, 0x2A, 0x3B, 0x59, 0x4A, 0x27, 0x24, 0x24, 0x1B, 0x28, 0x42]),
        ]),
        ("shift_jis", [
            ("注文内容の確認", [0x92, 0x8D, 0x95, 0xB6, 0x93, 0xE0, 0x97, 0x65, 0x82, 0xCC, 0x8A, 0x6D, 0x94, 0x46]),
            ("請求書", [0x90, 0xBF, 0x8B, 0x81, 0x8F, 0x91]),
            ("こんにちは", [0x82, 0xB1, 0x82, 0xF1, 0x82, 0xC9, 0x82, 0xBF, 0x82, 0xCD]),
            ("日本語テキスト", [0x93, 0xFA, 0x96, 0x7B, 0x8C, 0xEA, 0x83, 0x65, 0x83, 0x4C, 0x83, 0x58, 0x83, 0x67]),
            ("お支払い", [0x82, 0xA8, 0x8E, 0x78, 0x95, 0xA5, 0x82, 0xA2]),
        ]),
        ("euc-jp", [
            ("注文内容の確認", [0xC3, 0xED, 0xCA, 0xB8, 0xC6, 0xE2, 0xCD, 0xC6, 0xA4, 0xCE, 0xB3, 0xCE, 0xC7, 0xA7]),
            ("請求書", [0xC0, 0xC1, 0xB5, 0xE1, 0xBD, 0xF1]),
            ("こんにちは", [0xA4, 0xB3, 0xA4, 0xF3, 0xA4, 0xCB, 0xA4, 0xC1, 0xA4, 0xCF]),
            ("日本語テキスト", [0xC6, 0xFC, 0xCB, 0xDC, 0xB8, 0xEC, 0xA5, 0xC6, 0xA5, 0xAD, 0xA5, 0xB9, 0xA5, 0xC8]),
            ("お支払い", [0xA4, 0xAA, 0xBB, 0xD9, 0xCA, 0xA7, 0xA4, 0xA4]),
        ]),
        ("iso-8859-1", [
            ("café crème", [0x63, 0x61, 0x66, 0xE9, 0x20, 0x63, 0x72, 0xE8, 0x6D, 0x65]),
            ("Größe", [0x47, 0x72, 0xF6, 0xDF, 0x65]),
            ("naïve façade", [0x6E, 0x61, 0xEF, 0x76, 0x65, 0x20, 0x66, 0x61, 0xE7, 0x61, 0x64, 0x65]),
            ("Ångström", [0xC5, 0x6E, 0x67, 0x73, 0x74, 0x72, 0xF6, 0x6D]),
            ("señor", [0x73, 0x65, 0xF1, 0x6F, 0x72]),
        ]),
    ]

    /// The label as mailers spell it, in one of its case forms.
    static func spelling(_ label: String, _ r: inout SplitMix64) -> String {
        switch r.below(3) {
        case 0: return label
        case 1: return label.uppercased()
        default: return label == "shift_jis" ? "Shift_JIS" : label == "iso-2022-jp" ? "ISO-2022-JP" : label.capitalized
        }
    }
}

/// Decodes bytes to text for a MIME charset label, never failing.
///
/// An unknown label, a wrong label or bad bytes give a lossy result flagged in `DecodedText`, so callers can
/// record a defect and go on.
public enum CharsetDecoder {
    /// Decodes `bytes` labelled `label`; with no label, bytes are guessed (see `guess`).
    @inlinable  // specialised in the caller: a generic call through witness tables cost more than decoding ASCII
    public static func decode(_ bytes: some Collection<UInt8>, label: String?) -> DecodedText {
        withRaw(bytes) { decode(raw: $0, label: label) }
    }

    /// Decodes `bytes` with an already resolved charset.
    @inlinable
    public static func decode(_ bytes: some Collection<UInt8>, charset: Charset) -> DecodedText {
        withRaw(bytes) { decode(raw: $0, charset: charset) }
    }

    /// Guesses the charset of unlabelled 8-bit text: ASCII, then UTF-8, then the Japanese encodings (CP932 is the
    /// common case for raw Japanese headers), then windows-1252.
    @inlinable
    public static func guess(_ bytes: some Collection<UInt8>) -> DecodedText {
        withRaw(bytes) { guess(raw: $0) }
    }

    @inlinable
    static func withRaw<R>(_ bytes: some Collection<UInt8>, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        if let r = bytes.withContiguousStorageIfAvailable({ body(UnsafeRawBufferPointer($0)) }) { return r }
        return Array(bytes).withUnsafeBytes(body)
    }

    @usableFromInline
    static func decode(raw: UnsafeRawBufferPointer, label: String?) -> DecodedText {
        guard let label, !Charset.normalise(label).isEmpty else { return guess(raw: raw) }
        guard let charset = Charset.resolve(label: label) else {
            var result = guess(raw: raw)
            result.unknownLabel = true
            return result
        }
        return decode(raw: raw, charset: charset)
    }

    @usableFromInline
    static func decode(raw: UnsafeRawBufferPointer, charset: Charset) -> DecodedText {
        switch charset.engine {
        case .ascii:
            if UTF8Encoding.isASCII(raw) { return DecodedText(string: String(decoding: raw, as: UTF8.self), charset: .ascii) }
            var guessed = guess(raw: raw)
            guessed.mislabelled = true
            return guessed
        case .utf8:
            return decodeUTF8(raw)
        case .windows1252:
            return DecodedText(string: Windows1252.decode(raw), charset: .windows1252)
        case .iso2022jp:
            if UTF8Encoding.isASCII(raw) == false, !containsEscape(raw) {
                // 8-bit text with no escape sequence at all: not ISO-2022-JP whatever the label says.
                var guessed = guess(raw: raw)
                guessed.mislabelled = true
                return guessed
            }
            let (sjis, unmappable, sawEightBit) = ISO2022JP.toCP932(raw)
            var result = sjis.withUnsafeBytes { decode(raw: $0, charset: .cp932) }
            result.charset = .iso2022jp
            result.replacements += unmappable
            result.mislabelled = sawEightBit
            return result
        case .iconv(let name):
            if let (utf8, replaced) = Iconv.decode(raw, from: name) {
                return DecodedText(string: String(decoding: utf8, as: UTF8.self), charset: charset, replacements: replaced)
            }
            var result = guess(raw: raw)
            result.unknownLabel = true
            return result
        }
    }

    static func decodeUTF8(_ raw: UnsafeRawBufferPointer) -> DecodedText {
        if let s = String(validating: raw, as: UTF8.self) { return DecodedText(string: s, charset: .utf8) }
        let repaired = String(decoding: raw, as: UTF8.self)
        let original = raw.count
        // Count replaced sequences: each U+FFFD in the output that was not a literal EF BF BD in the input.
        var literal = 0
        if original >= 3 {
            for i in 0..<(original - 2) where raw[i] == 0xEF && raw[i + 1] == 0xBF && raw[i + 2] == 0xBD { literal += 1 }
        }
        let produced = repaired.unicodeScalars.reduce(0) { $0 + ($1 == "\u{FFFD}" ? 1 : 0) }
        return DecodedText(string: repaired, charset: .utf8, replacements: max(1, produced - literal))
    }

    @usableFromInline
    static func guess(raw: UnsafeRawBufferPointer) -> DecodedText {
        if UTF8Encoding.isASCII(raw) {
            if containsEscape(raw), raw.count >= 3 {
                let r = decode(raw: raw, charset: .iso2022jp)
                if r.replacements == 0 { return r }
            }
            return DecodedText(string: String(decoding: raw, as: UTF8.self), charset: .ascii)
        }
        if let s = String(validating: raw, as: UTF8.self) { return DecodedText(string: s, charset: .utf8) }
        let sjis = decode(raw: raw, charset: .cp932)
        let euc = decode(raw: raw, charset: .eucJP)
        let sjisFits = plausible(sjis), eucFits = plausible(euc)
        if sjisFits && eucFits {
            // EUC-JP text often also "decodes" as CP932, but into half-width katakana soup.
            return halfWidthKana(sjis.string) > halfWidthKana(euc.string) ? euc : sjis
        }
        if sjisFits { return sjis }
        if eucFits { return euc }
        return DecodedText(string: Windows1252.decode(raw), charset: .windows1252)
    }

    /// Decoded without errors and without C1 controls (EUC-JP-MS maps stray 0x80–0x9F bytes to them; real text
    /// never holds them).
    private static func plausible(_ d: DecodedText) -> Bool {
        d.replacements == 0 && !d.string.unicodeScalars.contains { $0.value >= 0x80 && $0.value < 0xA0 }
    }

    private static func halfWidthKana(_ s: String) -> Int {
        s.unicodeScalars.reduce(0) { $0 + (($1.value >= 0xFF61 && $1.value <= 0xFF9F) ? 1 : 0) }
    }

    private static func containsEscape(_ raw: UnsafeRawBufferPointer) -> Bool {
        raw.contains(0x1B)
    }
}

import SpearCharsets

/// RFC 2047 encoded words (`=?charset?B|Q?text?=`), decoded the way real mail needs.
///
/// - White space between adjacent encoded words is dropped (RFC 2047 §6.2).
/// - Adjacent words in the same charset are joined as bytes before charset decoding, because mailers split
///   multi-byte characters (and ISO-2022-JP shift sequences) across words.
/// - Words not separated from surrounding text, and words inside quoted strings, are decoded too: that is
///   non-standard but what every mail client does, so an analyst must see the same text.
enum EncodedWords {
    private enum Segment {
        case raw(ArraySlice<UInt8>)
        case word(label: String, bytes: [UInt8])
    }

    static func decode(_ input: ArraySlice<UInt8>) -> HeaderText.Decoded {
        var issues: [HeaderText.Issue] = []
        var segments: [Segment] = []
        var rawStart = input.startIndex
        var i = input.startIndex
        let end = input.endIndex
        while i + 1 < end {
            guard input[i] == 0x3D, input[i + 1] == ASCII.question else { i += 1; continue }
            guard let word = parseWord(input, at: i) else { i += 2; continue }
            if word.invalid {
                issues.append(.invalidEncodedWord(String(decoding: input[i..<word.end], as: UTF8.self)))
                i = word.end
                continue
            }
            let between = input[rawStart..<i]
            // White space alone between two encoded words disappears.
            let previousIsWord: Bool = { if case .word = segments.last { return true } else { return false } }()
            if !(previousIsWord && between.allSatisfy(ASCII.isSpace)) && !between.isEmpty {
                segments.append(.raw(between))
            }
            segments.append(.word(label: word.label, bytes: word.bytes))
            i = word.end
            rawStart = i
        }
        if rawStart < end { segments.append(.raw(input[rawStart..<end])) }

        var text = ""
        var k = 0
        while k < segments.count {
            switch segments[k] {
            case .raw(let bytes):
                text += HeaderText.decodeRaw(bytes, issues: &issues)
                k += 1
            case .word(let label, var bytes):
                // Join following words in the same charset.
                var j = k + 1
                while j < segments.count, case .word(let nextLabel, let more) = segments[j],
                      nextLabel.lowercased() == label.lowercased() {
                    bytes += more
                    j += 1
                }
                let decoded = CharsetDecoder.decode(bytes, label: label)
                if decoded.unknownLabel { issues.append(.unknownCharset(label)) }
                if decoded.replacements > 0 {
                    issues.append(.decodeErrors(charset: decoded.charset.name, count: decoded.replacements))
                }
                text += decoded.string
                k = j
            }
        }
        return HeaderText.Decoded(text: text, issues: issues)
    }

    private struct Word {
        var label: String
        var bytes: [UInt8]
        var end: Int
        var invalid: Bool
    }

    /// Parses an encoded word starting at `start` (which holds `=?`).
    private static func parseWord(_ s: ArraySlice<UInt8>, at start: Int) -> Word? {
        let end = s.endIndex
        var i = start + 2
        let labelStart = i
        while i < end, s[i] != ASCII.question {
            let b = s[i]
            if b <= 0x20 || b >= 0x7F || b == 0x3D || i - labelStart > 64 { return nil }
            i += 1
        }
        guard i + 2 < end, i > labelStart, s[i + 2] == ASCII.question else { return nil }
        var label = String(decoding: s[labelStart..<i], as: UTF8.self)
        if let star = label.firstIndex(of: "*") { label = String(label[..<star]) }  // RFC 2231 language suffix
        let encoding = ASCII.lower(s[i + 1])
        let textStart = i + 3
        var j = textStart
        while j + 1 < end, !(s[j] == ASCII.question && s[j + 1] == 0x3D) { j += 1 }
        guard j + 1 < end else { return nil }
        let text = s[textStart..<j]
        let wordEnd = j + 2
        switch encoding {
        case 0x62:  // b
            let decoded = Base64.decode(text)
            return Word(label: label, bytes: decoded.bytes, end: wordEnd, invalid: false)
        case 0x71:  // q
            return Word(label: label, bytes: decodeQ(text), end: wordEnd, invalid: false)
        default:
            return Word(label: label, bytes: [], end: wordEnd, invalid: true)
        }
    }

    /// The Q encoding: `_` is a space, `=XX` a byte; anything malformed is kept literally.
    static func decodeQ(_ text: ArraySlice<UInt8>) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(text.count)
        var i = text.startIndex
        while i < text.endIndex {
            let b = text[i]
            if b == 0x5F {
                out.append(ASCII.space)
            } else if b == 0x3D, i + 2 < text.endIndex, let h = Hex.value(text[i + 1]), let l = Hex.value(text[i + 2]) {
                out.append(h << 4 | l)
                i += 3
                continue
            } else {
                out.append(b)
            }
            i += 1
        }
        return out
    }
}

enum Hex {
    @inline(__always) static func value(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x30...0x39: return b - 0x30
        case 0x41...0x46: return b - 0x37
        case 0x61...0x66: return b - 0x57
        default: return nil
        }
    }
}

import SpearCharsets

/// Unfolding and decoding of header text.
public enum HeaderText {
    /// Removes folding (CRLF or LF followed by white space keeps the white space) and trims the ends.
    public static func unfold(_ raw: ArraySlice<UInt8>) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(raw.count)
        for b in raw where b != ASCII.cr && b != ASCII.lf { out.append(b) }
        var lo = 0, hi = out.count
        while lo < hi, ASCII.isSpace(out[lo]) { lo += 1 }
        while hi > lo, ASCII.isSpace(out[hi - 1]) { hi -= 1 }
        if lo == 0 && hi == out.count { return out }
        return Array(out[lo..<hi])
    }

    /// The outcome of decoding header text.
    public struct Decoded: Sendable, Equatable {
        public var text: String
        /// Problems met, in words, for defects.
        public var issues: [Issue] = []
    }

    public enum Issue: Sendable, Equatable {
        case raw8bit(charset: String)
        case invalidEncodedWord(String)
        case unknownCharset(String)
        case decodeErrors(charset: String, count: Int)
    }

    /// Decodes unfolded unstructured text (Subject, Comments, display names): RFC 2047 encoded words, raw 8-bit
    /// bytes as UTF-8 (RFC 6532) or, failing that, a guess.
    public static func decodeUnstructured(_ bytes: [UInt8]) -> Decoded {
        EncodedWords.decode(bytes[...])
    }

    /// Decodes raw bytes that carry no encoded words (a parameter value, a quoted name).
    static func decodeRaw(_ bytes: ArraySlice<UInt8>, issues: inout [Issue]) -> String {
        let d = CharsetDecoder.guess(bytes)
        if d.charset != .ascii && d.charset != .utf8 { issues.append(.raw8bit(charset: d.charset.name)) }
        return d.string
    }
}

extension HeaderText.Issue {
    /// The defect recording this issue in `header` of the entity at `location`.
    public func defect(at location: String, header: String) -> Defect {
        switch self {
        case .raw8bit(let charset): Defect(.raw8bitHeader, where: location, "\(header): raw 8-bit bytes, read as \(charset)")
        case .invalidEncodedWord(let w): Defect(.invalidEncodedWord, where: location, "\(header): \(w.prefix(80))")
        case .unknownCharset(let cs): Defect(.unknownCharset, where: location, "\(header): unknown charset \"\(cs.prefix(40))\"")
        case .decodeErrors(let cs, let n): Defect(.charsetDecodeErrors, where: location, "\(header): \(n) bytes not valid \(cs)")
        }
    }
}

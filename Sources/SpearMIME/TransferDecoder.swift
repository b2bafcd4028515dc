/// Removes a Content-Transfer-Encoding.
public enum TransferDecoder {
    public struct Result: Sendable {
        public var bytes: [UInt8]
        /// Problems, as (code, detail) pairs for defects.
        public var issues: [(Defect.Code, String)] = []
    }

    public static func decode(_ body: ArraySlice<UInt8>, encoding: TransferEncoding) -> Result {
        switch encoding {
        case .base64:
            let r = Base64.decode(body)
            var issues: [(Defect.Code, String)] = []
            if r.invalidCharacters > 0 { issues.append((.base64InvalidCharacters, "\(r.invalidCharacters) characters outside the base64 alphabet skipped")) }
            switch r.danglingCharacters {
            case 2, 3:
                issues.append((.base64MissingPadding, "base64 data ends without its '=' padding; the last \(r.danglingCharacters - 1) byte(s) were kept, as mail clients keep them"))
            case 1:
                issues.append((.base64Truncated, "base64 data ends with a single character of a group, which encodes no whole byte; it was dropped"))
            default:
                break
            }
            if r.dataAfterPadding { issues.append((.base64DataAfterPadding, "base64 data continues after '=' padding")) }
            return Result(bytes: r.bytes, issues: issues)
        case .quotedPrintable:
            let r = QuotedPrintable.decode(body)
            return Result(bytes: r.bytes, issues: r.invalidEscapes > 0 ? [(.qpInvalidEscape, "\(r.invalidEscapes) malformed '=' escapes kept literally")] : [])
        case .uuencode:
            let r = UUEncode.decodeBody(body)
            return Result(bytes: r.bytes, issues: r.truncated ? [(.uuencodeTruncated, "uuencoded data incomplete")] : [])
        case .sevenBit, .eightBit, .binary, .unknown:
            return Result(bytes: Array(body))
        }
    }
}

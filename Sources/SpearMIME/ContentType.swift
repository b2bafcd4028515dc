/// A parsed Content-Type, with RFC 2045 defaults applied.
public struct ContentType: Sendable {
    /// Lower-cased media type (`text`), and subtype (`plain`).
    public var type: String
    public var subtype: String
    public var parameters: Parameters

    public init(type: String, subtype: String, parameters: Parameters = Parameters()) {
        self.type = type
        self.subtype = subtype
        self.parameters = parameters
    }

    /// `type/subtype`.
    public var mimeType: String { "\(type)/\(subtype)" }
    public var isMultipart: Bool { type == "multipart" }
    public var isText: Bool { type == "text" }
    /// A message/rfc822 (or message/global) body: a whole message to parse.
    public var isEncapsulatedMessage: Bool { type == "message" && (subtype == "rfc822" || subtype == "global") }
    public var charset: String? { parameters["charset"] }
    public var boundary: String? { parameters["boundary"] }

    /// The default: `text/plain; charset=us-ascii`, or `message/rfc822` inside multipart/digest.
    public static let textPlain = ContentType(type: "text", subtype: "plain")
    public static let messageRFC822 = ContentType(type: "message", subtype: "rfc822")

    /// Parses a head token `type/subtype`. Returns nil when it is not of that shape.
    static func parseHead(_ head: ArraySlice<UInt8>) -> (String, String)? {
        guard let slash = head.firstIndex(of: 0x2F) else { return nil }
        let type = ASCII.trimmed(head[head.startIndex..<slash])
        let subtype = ASCII.trimmed(head[(slash + 1)...])
        guard !type.isEmpty, !subtype.isEmpty,
              type.allSatisfy(isTokenByte), subtype.allSatisfy(isTokenByte) else { return nil }
        return (ASCII.lowercasedString(type), ASCII.lowercasedString(subtype))
    }

    static func isTokenByte(_ b: UInt8) -> Bool {
        b > 0x20 && b < 0x7F && b != 0x28 && b != 0x29 && b != 0x3C && b != 0x3E && b != 0x40 && b != 0x2C
            && b != 0x3B && b != 0x3A && b != 0x5C && b != 0x22 && b != 0x2F && b != 0x5B && b != 0x5D && b != 0x3F && b != 0x3D
    }
}

/// A parsed Content-Disposition.
public struct ContentDisposition: Sendable {
    /// Lower-cased: `attachment`, `inline`, or whatever was written.
    public var type: String
    public var parameters: Parameters

    public var isAttachment: Bool { type == "attachment" }
    public var isInline: Bool { type == "inline" }
    public var filename: String? { parameters["filename"] }
}

/// Content-Transfer-Encoding.
public enum TransferEncoding: Sendable, Equatable, CustomStringConvertible {
    case sevenBit, eightBit, binary, base64, quotedPrintable, uuencode
    case unknown(String)

    /// Parses a header value leniently: case, quotes, a trailing `;`, and spellings such as `7-bit` or `8bits`.
    public init(parsing raw: [UInt8]) {
        var token = ASCII.lowercasedString(raw)
        if let semi = token.firstIndex(of: ";") { token = String(token[..<semi]) }
        token = token.trimmingCharacters(in: " \t\"'")
        switch token {
        case "7bit", "7-bit", "7bits", "", "ascii", "us-ascii": self = .sevenBit
        case "8bit", "8-bit", "8bits": self = .eightBit
        case "binary": self = .binary
        case "base64", "base-64", "b64": self = .base64
        case "quoted-printable", "quoted_printable", "qp": self = .quotedPrintable
        case "x-uuencode", "uuencode", "x-uue", "uue", "x-uu": self = .uuencode
        default: self = .unknown(token)
        }
    }

    public var description: String {
        switch self {
        case .sevenBit: "7bit"
        case .eightBit: "8bit"
        case .binary: "binary"
        case .base64: "base64"
        case .quotedPrintable: "quoted-printable"
        case .uuencode: "x-uuencode"
        case .unknown(let s): s
        }
    }

    /// Whether the body is stored as-is.
    public var isIdentity: Bool {
        switch self {
        case .sevenBit, .eightBit, .binary: true
        default: false
        }
    }
}

extension StringProtocol {
    /// The text without the characters of `set` at either end. By UTF-8 byte when `set` is ASCII (every caller's
    /// case: quotes, brackets, white space), which cannot split a character; no Set or String is built per call.
    public func trimmingCharacters(in set: String) -> String {
        guard set.utf8.allSatisfy({ $0 < 0x80 }) else {
            var s = Substring(self)
            while let f = s.first, set.contains(f) { s = s.dropFirst() }
            while let l = s.last, set.contains(l) { s = s.dropLast() }
            return String(s)
        }
        let whole = Substring(self)
        let bytes = whole.utf8
        var lo = bytes.startIndex, hi = bytes.endIndex
        while lo < hi, set.utf8.contains(bytes[lo]) { lo = bytes.index(after: lo) }
        while hi > lo, set.utf8.contains(bytes[bytes.index(before: hi)]) { hi = bytes.index(before: hi) }
        return String(whole[lo..<hi])
    }
}

/// A deviation from the RFCs found while parsing, with where it was found.
///
/// Attackers use malformed MIME to make scanners and mail clients disagree about what a message holds, so every
/// deviation is recorded rather than silently repaired. `code` is stable: tools may match on it.
public struct Defect: Sendable, Hashable, Codable {
    public var code: Code
    /// The MIME path of the part concerned (`1.2`), or `message` for the top-level header.
    public var `where`: String
    public var detail: String
    /// How much it matters here: the code's usual severity, or what this occurrence showed (a duplicate header
    /// whose values agree is harmless; one whose values differ makes readers disagree).
    public var severity: Severity

    public init(_ code: Code, where path: String, _ detail: String, severity: Severity? = nil) {
        self.code = code
        self.where = path
        self.detail = detail
        self.severity = severity ?? code.severity
    }

    /// A limit fired: what lies beyond it was not inspected, so the message's verdict says so.
    public var stopsInspection: Bool { code.stopsInspection }

    /// How much a defect matters to an analyst.
    public enum Severity: String, Sendable, Codable, Comparable {
        /// Harmless sloppiness, common in legitimate mail.
        case info
        /// Wrong enough that some readers may show the message differently.
        case warning
        /// Readers really disagree about the content (a part one reader shows and another does not): the
        /// kind of malformation used to hide content from scanners.
        case evasive

        private var rank: Int { self == .info ? 0 : self == .warning ? 1 : 2 }
        public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
    }

    public enum Code: String, Sendable, Codable, CaseIterable {
        // Input as a whole
        case emptyMessage = "empty_message"
        case inputTruncated = "input_truncated"
        case notAMessage = "not_a_message"
        case timeLimitExceeded = "time_limit_exceeded"
        case mixedLineEndings = "mixed_line_endings"
        case nulByte = "nul_byte"
        // Headers
        case missingHeaderBodySeparator = "missing_header_body_separator"
        case malformedHeaderLine = "malformed_header_line"
        case obsoleteHeaderSyntax = "obsolete_header_syntax"
        case headerLimitExceeded = "header_limit_exceeded"
        case longHeaderLine = "long_header_line"
        case duplicateHeader = "duplicate_header"
        case raw8bitHeader = "raw_8bit_header"
        case invalidEncodedWord = "invalid_encoded_word"
        case unparseableDate = "unparseable_date"
        case unparseableAddress = "unparseable_address"
        // Parameters and content type
        case malformedContentType = "malformed_content_type"
        case malformedParameter = "malformed_parameter"
        case duplicateParameter = "duplicate_parameter"
        case incompleteRFC2231 = "incomplete_rfc2231_continuation"
        // Charsets
        case unknownCharset = "unknown_charset"
        case mislabelledCharset = "mislabelled_charset"
        case charsetDecodeErrors = "charset_decode_errors"
        // Multipart structure
        case missingBoundaryParameter = "missing_boundary_parameter"
        case missingStartBoundary = "missing_start_boundary"
        case reusedBoundary = "reused_boundary"
        case missingFinalBoundary = "missing_final_boundary"
        case emptyMultipart = "empty_multipart"
        case nestingLimitExceeded = "nesting_limit_exceeded"
        case partLimitExceeded = "part_limit_exceeded"
        case encodedMultipart = "encoded_multipart"
        case encodedMessage = "encoded_message_rfc822"
        // Transfer encodings
        case unknownTransferEncoding = "unknown_transfer_encoding"
        case base64InvalidCharacters = "base64_invalid_characters"
        case base64Truncated = "base64_truncated"
        case base64MissingPadding = "base64_missing_padding"
        case base64DataAfterPadding = "base64_data_after_padding"
        case qpInvalidEscape = "qp_invalid_escape"
        case uuencodeTruncated = "uuencode_truncated"
        case eightBitIn7bitPart = "8bit_in_7bit_part"

        /// The usual severity; the parser raises or lowers it where the occurrence shows more (see README,
        /// "Defects": the rule for each).
        public var severity: Severity {
            switch self {
            case .duplicateHeader, .encodedMultipart, .reusedBoundary, .missingStartBoundary, .nulByte,
                 .base64DataAfterPadding, .missingBoundaryParameter:
                return .evasive
            case .missingFinalBoundary, .nestingLimitExceeded, .partLimitExceeded, .inputTruncated, .timeLimitExceeded,
                 .headerLimitExceeded:
                return .warning
            case .emptyMessage, .notAMessage, .missingHeaderBodySeparator, .malformedHeaderLine, .invalidEncodedWord,
                 .malformedContentType, .unknownCharset, .charsetDecodeErrors, .unknownTransferEncoding,
                 .base64InvalidCharacters, .base64Truncated, .base64MissingPadding, .qpInvalidEscape, .uuencodeTruncated,
                 .incompleteRFC2231, .encodedMessage, .mislabelledCharset, .raw8bitHeader, .emptyMultipart,
                 .duplicateParameter:
                return .warning
            case .mixedLineEndings, .obsoleteHeaderSyntax, .longHeaderLine, .unparseableDate, .unparseableAddress,
                 .malformedParameter, .eightBitIn7bitPart:
                return .info
            }
        }

        /// Limits that stop the parser: the message is then not fully inspected.
        public var stopsInspection: Bool {
            switch self {
            case .nestingLimitExceeded, .partLimitExceeded, .inputTruncated, .timeLimitExceeded, .headerLimitExceeded: true
            default: false
            }
        }
    }
}

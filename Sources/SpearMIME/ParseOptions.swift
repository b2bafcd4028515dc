/// How the parser reads one message, and the bounds on what it will do; each limit that fires is recorded as a
/// defect.
public struct ParseOptions: Sendable, Equatable {
    /// Multipart and message/rfc822 nesting depth; deeper entities are kept as opaque leaves.
    public var maxDepth: Int = 64
    /// Entities (parts) per message; the rest of the message is kept as one opaque leaf.
    public var maxParts: Int = 10_000
    /// Bytes of one header block; later header lines are skipped.
    public var maxHeaderBytes: Int = 1 << 20
    /// Fields in one header block.
    public var maxHeaderFields: Int = 5_000
    /// Wall time for parsing one message, in seconds.
    public var timeLimit: Double = 30

    /// A header line that is not a field ends the header and starts the body (Python's and mime4j's optional
    /// reading), instead of being skipped (mime4j's default, ours too). Either way it is a defect.
    public var malformedHeaderStartsBody = false

    public init() {}

    public static let `default` = ParseOptions()
}

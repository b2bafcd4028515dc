/// How a ``SpoolReader`` reads its paths.
public struct SpoolOptions: Sendable {
    /// Forces every given path to be read as this format; `nil` detects each with ``SpoolDetector``.
    public var format: SpoolFormat?
    /// How to undo `From ` escaping in mbox files.
    public var mboxVariant: MboxVariant = .auto
    /// Messages longer than this are cut (``SpoolMessage/originalSize`` is set) so that one pathological
    /// message cannot exhaust memory; the rest is skipped without being buffered.
    public var maxMessageBytes: Int = 256 << 20
    /// Size of the read buffer (and of the longest line fragment looked at in one piece). Internal: tests
    /// shrink it to push messages across chunk boundaries.
    var readBufferSize: Int = 1 << 20

    public init() {}
}

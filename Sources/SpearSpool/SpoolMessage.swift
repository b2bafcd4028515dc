/// One raw message taken out of a spool, with enough provenance to find it again.
public struct SpoolMessage: Sendable {
    /// The file path as given or joined (not resolved), so reports name what the user passed.
    public var source: String
    /// Byte offset of the message's `From ` line in an mbox (in the decompressed stream for `.gz`);
    /// `nil` for a message that is a whole file.
    public var offset: Int?
    /// The raw message. For an mbox: without the `From ` line, escapes undone, and without the line break
    /// just before the next `From ` line (the blank line's, or the last line's when the writer left no blank
    /// line), so that it ends where MimeKit's `endOffset` does.
    public var bytes: [UInt8]
    /// Set when the message was longer than ``SpoolOptions/maxMessageBytes`` and was cut; ``bytes`` then
    /// holds the first `maxMessageBytes` bytes. Lets a scanner report the truncation instead of guessing.
    public var originalSize: Int?

    public init(source: String, offset: Int?, bytes: [UInt8], originalSize: Int? = nil) {
        self.source = source
        self.offset = offset
        self.bytes = bytes
        self.originalSize = originalSize
    }
}

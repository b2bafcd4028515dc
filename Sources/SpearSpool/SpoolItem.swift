/// One message read from a spool, or one that could not be read (never silently skipped).
///
/// Failures travel in the same stream as messages so that a batch can count and store them in order and
/// keep going: one unreadable file must not stop a scan of a million messages.
public enum SpoolItem: Sendable {
    case message(SpoolMessage)
    /// `source` names the file, `offset` the byte position in an mbox (decompressed for `.gz`) when known,
    /// `reason` is one line for a human.
    case failed(source: String, offset: Int?, reason: String)
}

/// Where a file of the report came from.
public enum Origin: String, Sendable, Codable, CaseIterable {
    /// A MIME part (an attachment, an attached message, a body part kept as a file).
    case mime
    /// A uuencoded block inside a text body.
    case uuencode
    /// A member of its parent archive or disk image.
    case archive
    /// An attachment carried inside a TNEF stream (winmail.dat).
    case tnef
}

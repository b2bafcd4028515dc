/// A zip as seen before its members are read (`Unpacker.peekZip`).
public struct ZipPeek: Sendable {
    /// The members' names, in the archive's order.
    public var names: [String]
    /// The parts that were asked for, by name (cut at the size asked).
    public var parts: [String: [UInt8]]
    /// Its central directory and local headers disagree, in words (see `UnpackResult.headerMismatch`).
    public var headerMismatch: String?
    /// Its central-directory entries overlap, in words (see `UnpackResult.overlappingEntries`).
    public var overlappingEntries: String?
}

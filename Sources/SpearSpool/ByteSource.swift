/// A forward-only stream of bytes: a file, or a file seen through gzip.
///
/// Lets the mbox parser stay ignorant of compression; the parser pulls chunks, never whole files.
protocol ByteSource: AnyObject {
    /// Fills the start of `buffer`; returns the byte count, 0 only at the end of the stream.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
    /// Raw (on-disk) bytes consumed so far, for progress reporting.
    var rawBytesRead: Int { get }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one error type of SpearSpool: a code to branch on, the file it is about, and a one-line description.
///
/// Thrown by ``SpoolReader/init(paths:options:)`` for paths that cannot be read at all; inside a scan the
/// same information becomes a ``SpoolItem/failed(source:offset:reason:)`` item instead.
public struct SpoolError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, stable enough to branch on or to store.
    public enum Code: String, Sendable {
        /// The path does not exist (or a parent is not a directory).
        case notFound
        /// `EACCES`/`EPERM`.
        case permissionDenied
        /// Any other system error while opening or reading.
        case ioError
        /// A device, FIFO or socket: never opened, since that could block or read forever.
        case notRegularFile
        /// A symbolic link where links are not followed.
        case symbolicLink
        /// A zero-length file.
        case emptyFile
        /// No `From ` line where an mbox was expected.
        case notMbox
        /// zlib rejected the data.
        case corruptGzip
        /// The gzip stream ended before its end marker.
        case truncatedGzip
        /// A forced format that cannot apply to the path (e.g. `mbox` on a directory).
        case formatMismatch
        /// The file's size or modification time changed while it was read (still being written, or rewritten).
        case changedWhileRead
    }

    public var code: Code
    public var path: String
    /// One line, without the path.
    public var reason: String

    public init(_ code: Code, path: String, reason: String) {
        self.code = code
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): \(reason)" }

    /// The same problem as an item in the reading stream (the code is for callers of `init`; items carry
    /// the one-line reason).
    func item(offset: Int? = nil) -> SpoolItem {
        .failed(source: path, offset: offset, reason: reason)
    }

    /// Any error met while reading, as a ``SpoolError`` about `path`.
    static func wrap(_ error: any Error, path: String) -> SpoolError {
        (error as? SpoolError) ?? SpoolError(.ioError, path: path, reason: "\(error)")
    }

    /// Maps the current `errno` after a failed system call on `path`.
    static func fromErrno(_ err: Int32, path: String, action: String) -> SpoolError {
        let text = String(cString: strerror(err))
        let code: Code
        switch err {
        case ENOENT, ENOTDIR: code = .notFound
        case EACCES, EPERM: code = .permissionDenied
        case ELOOP: code = .symbolicLink
        default: code = .ioError
        }
        return SpoolError(code, path: path, reason: "\(action): \(text)")
    }
}

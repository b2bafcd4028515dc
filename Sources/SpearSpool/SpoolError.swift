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
    public enum Code: String, Sendable {
        case notFound
        case permissionDenied
        case ioError
        case notRegularFile
        case symbolicLink
        case emptyFile
        case notMbox
        case corruptGzip
        case truncatedGzip
        case formatMismatch
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

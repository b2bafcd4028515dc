import SpearCore
/// Why a file could not be scanned at all. `description` is one line naming the file and the problem.
public struct ScanError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case notFound = "not_found"
        case isDirectory = "is_directory"
        case permissionDenied = "permission_denied"
        case readFailed = "read_failed"
        case extractFailed = "extract_failed"
    }

    public var code: Code
    public var file: String
    public var message: String

    public init(_ code: Code, file: String, _ message: String) {
        self.code = code
        self.file = file
        self.message = message
    }

    public var description: String { "\(file): \(message)" }
}

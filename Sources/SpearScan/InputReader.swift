import SpearCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads one message from a file or standard input with read(2), at most `limit` bytes.
public enum InputReader {
    public struct Input: Sendable {
        public var bytes: [UInt8]
        /// The full size when the input was longer than the limit (for a file: its size; for a pipe: at least
        /// limit + 1).
        public var truncatedFrom: Int?
    }

    /// Reads `path` (`-` is standard input).
    public static func read(_ path: String, limit: Int) throws(ScanError) -> Input {
        if path == "-" { return try readFD(0, name: "-", limit: limit, knownSize: nil) }
        var st = stat()
        guard stat(path, &st) == 0 else { throw error(for: errno, path: path) }
        if (st.st_mode & S_IFMT) == S_IFDIR { throw ScanError(.isDirectory, file: path, "is a directory, not a message file") }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw error(for: errno, path: path) }
        defer { close(fd) }
        let isRegular = (st.st_mode & S_IFMT) == S_IFREG
        return try readFD(fd, name: path, limit: limit, knownSize: isRegular ? Int(st.st_size) : nil)
    }

    private static func readFD(_ fd: Int32, name: String, limit: Int, knownSize: Int?) throws(ScanError) -> Input {
        let want = min(limit, knownSize ?? limit)
        var bytes = [UInt8]()
        bytes.reserveCapacity(knownSize.map { min($0, limit) } ?? 64 << 10)
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var extra = false
        while true {
            let room = knownSize != nil ? min(chunk.count, want - bytes.count) : min(chunk.count, limit + 1 - bytes.count)
            if room <= 0 {
                if knownSize == nil { break }
                // Stat said the file ends here; a file still growing is read only that far.
                break
            }
            let n = chunk.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress, room) }
            if n < 0 {
                if errno == EINTR { continue }
                throw error(for: errno, path: name)
            }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
            if knownSize == nil && bytes.count > limit { extra = true; bytes.removeLast(bytes.count - limit); break }
        }
        if let size = knownSize, size > limit { return Input(bytes: bytes, truncatedFrom: size) }
        return Input(bytes: bytes, truncatedFrom: extra ? limit + 1 : nil)
    }

    private static func error(for code: Int32, path: String) -> ScanError {
        switch code {
        case ENOENT, ENOTDIR: ScanError(.notFound, file: path, "no such file")
        case EACCES, EPERM: ScanError(.permissionDenied, file: path, "permission denied")
        case EISDIR: ScanError(.isDirectory, file: path, "is a directory, not a message file")
        default: ScanError(.readFailed, file: path, String(cString: strerror(code)))
        }
    }
}

/// read(2), named apart from `InputReader.read`.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(fd, buffer, count)
}

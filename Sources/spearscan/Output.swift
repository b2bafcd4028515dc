import SpearStore
#if canImport(Glibc)
import Glibc
#endif

/// Writes to standard output and standard error with write(2): no buffering surprises when piped.
enum Output {
    static func write(_ text: String) { put(text, fd: 1) }

    /// One line on standard error, prefixed with the program name.
    static func error(_ line: String) { put("spearscan: \(line)\n", fd: 2) }

    /// Waits for another process's write lock on the store say so on standard error.
    static var lockWait: LockWait { lockWait(limit: LockWait().limit) }

    static func lockWait(limit: Double) -> LockWait { LockWait(limit: limit, notice: { error($0) }) }

    private static func put(_ text: String, fd: Int32) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n <= 0 { if errno == EINTR { continue }; return }
            offset += n
        }
    }
}

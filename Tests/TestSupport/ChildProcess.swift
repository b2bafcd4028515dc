public import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Helper programs the tests start (dnsmasq, PostgreSQL's tools), without a shell and without Foundation's
/// `Process`: with a `Process` child alive, Foundation never noticed the exit of the `spearscan` child a CLI
/// test ran next (it stayed a zombie and the test timed out).
public enum ChildProcess {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// posix_spawn of `arguments[0]` with stdin/stdout on /dev/null, stderr appended to `stderrPath`, descriptors
    /// from 3 closed.
    public static func spawn(_ arguments: [String], stderrPath: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_APPEND, 0)
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        if let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") {  // RTLD_DEFAULT (glibc 2.34+)
            _ = unsafeBitCast(symbol, to: CloseFrom.self)(&actions, 3)
        }
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, arguments[0], &actions, nil, &argv, environ)
        guard rc == 0 else { throw Failure(description: "posix_spawn \(arguments[0]): \(String(cString: strerror(rc)))") }
        return pid
    }

    /// Runs a program to its end; its exit status (or 128 + signal), stderr in `stderrPath`.
    @discardableResult
    public static func run(_ arguments: [String], stderrPath: String) throws -> Int32 {
        let pid = try spawn(arguments, stderrPath: stderrPath)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    }

    public static func isRunning(_ pid: pid_t) -> Bool {
        var status: Int32 = 0
        return waitpid(pid, &status, WNOHANG) == 0
    }

    public static func stop(_ pid: pid_t) {
        guard pid > 0 else { return }
        kill(pid, SIGKILL)
        var status: Int32 = 0
        _ = waitpid(pid, &status, 0)
    }
}

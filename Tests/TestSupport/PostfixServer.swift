import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real Postfix (Debian's `postfix` package) of the test's own, configured and queued in a temporary directory:
/// SMTP on a free loopback port, `smtpd_milters` pointing at the milter under test, every recipient of
/// `example.jp` delivered by Postfix's `virtual` agent to one Maildir, its log in a file. XCLIENT is allowed from
/// loopback, so a test can make a message arrive from any client address and HELO (as a real MX sees them).
/// Postfix's master must run as root; `available` says whether this machine can (CI runs as root).
public final class PostfixServer: @unchecked Sendable {
    public static let postfix = "/usr/sbin/postfix"
    /// Whether the Postfix suites run: this machine can, or CI says they must (`SPEARSCAN_REQUIRE_POSTFIX=1`: then
    /// a machine that cannot fails them instead of skipping).
    public static var available: Bool {
        (FileManager.default.isExecutableFile(atPath: postfix) && getuid() == 0)
            || ProcessInfo.processInfo.environment["SPEARSCAN_REQUIRE_POSTFIX"] == "1"
    }
    public static let unavailable = "Postfix needs root and Debian's postfix package (.ci/run installs it)"

    public let directory: String
    public let smtpPort: UInt16
    private var config: String { directory + "/etc" }
    public var maildir: String { directory + "/mail/box" }
    public var logPath: String { directory + "/maillog" }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// `milter`: the `smtpd_milters` value (`inet:127.0.0.1:PORT`); `settings`: more main.cf lines, which win.
    public init(milter: String, settings: [String: String] = [:]) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("spear-postfix-\(UUID().uuidString)").path
        guard let port = Self.freeTCPPort() else { throw Failure(description: "no free port") }
        smtpPort = port
        let fm = FileManager.default
        for sub in ["etc", "queue", "data", "mail"] { try fm.createDirectory(atPath: directory + "/" + sub, withIntermediateDirectories: true) }
        // Postfix's own processes must reach the queue and the mail (as `postfix`, and the delivery user nobody).
        chmod(directory, 0o755)
        chown(directory + "/data", Self.uid("postfix"), gid_t(bitPattern: -1))
        chown(directory + "/mail", 65_534, 65_534)
        // The configuration is Tests/Fixtures/postfix/ (shared with the milter benchmark), `settings` appended.
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/postfix")
        let main = try String(contentsOf: fixtures.appendingPathComponent("main.cf"), encoding: .utf8)
            .replacingOccurrences(of: "@DIR@", with: directory).replacingOccurrences(of: "@MILTER@", with: milter)
            + settings.sorted { $0.key < $1.key }.map { "\($0.key) = \($0.value)\n" }.joined()
        try main.write(toFile: config + "/main.cf", atomically: true, encoding: .utf8)
        try String(contentsOf: fixtures.appendingPathComponent("master.cf"), encoding: .utf8)
            .replacingOccurrences(of: "@PORT@", with: "\(smtpPort)")
            .write(toFile: config + "/master.cf", atomically: true, encoding: .utf8)
        _ = fm.createFile(atPath: directory + "/start.err", contents: nil)
        let status = try ChildProcess.run([Self.postfix, "-c", config, "start"], stderrPath: directory + "/start.err")
        guard status == 0 else {
            let why = "postfix start exited \(status): \(log.suffix(600))"
            stop()
            throw Failure(description: why)
        }
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if Self.connects(smtpPort) { return }
            usleep(50_000)
        }
        stop()
        throw Failure(description: "Postfix did not listen on \(smtpPort): \(log.suffix(600))")
    }

    /// Stops the master and its children and removes the directory.
    public func stop() {
        _ = try? ChildProcess.run([Self.postfix, "-c", config, "abort"], stderrPath: "/dev/null")
        try? FileManager.default.removeItem(atPath: directory)
    }

    public var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// The delivered messages (Maildir `new/`), oldest first by file name.
    public func delivered() -> [[UInt8]] {
        let dir = maildir + "/new"
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted()
        return names.compactMap { FileManager.default.contents(atPath: dir + "/" + $0).map { [UInt8]($0) } }
    }

    /// Waits until `count` messages were delivered and nothing is left in the queue, at most `seconds`.
    public func waitForDelivery(_ count: Int, seconds: Double = 30) -> [[UInt8]] {
        let deadline = Date().addingTimeInterval(seconds)
        var messages = delivered()
        while messages.count < count && Date() < deadline {
            usleep(50_000)
            messages = delivered()
        }
        return messages
    }

    private static func uid(_ user: String) -> uid_t {
        getpwnam(user).map { $0.pointee.pw_uid } ?? uid_t(bitPattern: -1)
    }

    public static func connects(_ port: UInt16) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var sin = sockaddr_in()
        sin.sin_family = sa_family_t(AF_INET)
        sin.sin_port = port.bigEndian
        sin.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return withUnsafePointer(to: &sin) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    /// A loopback TCP port nobody listens on right now.
    public static func freeTCPPort() -> UInt16? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var sin = sockaddr_in()
        sin.sin_family = sa_family_t(AF_INET)
        sin.sin_port = 0
        sin.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &sin) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        return ok ? UInt16(bigEndian: sin.sin_port) : nil
    }
}

public import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
public import SpearDNS

/// A real DNS server for tests outside SpearDNSTests (sender SPF/DKIM/DMARC tests, CLI tests): Debian's
/// dnsmasq on 127.0.0.1 and a free port, serving the records the test passes as dnsmasq options
/// (`--txt-record=`, `--host-record=`, `--mx-host=`, `--local=/zone/`). Started without a shell, ready once it
/// answers a probe record; killed (SIGKILL, reaped with waitpid) when released.
///
/// Spawned with posix_spawn, not Foundation's `Process`, with every inherited descriptor above 2 closed: with a
/// `Process` dnsmasq alive, Foundation never noticed the exit of the `spearscan` child a CLI test ran next (it
/// stayed a zombie and the test timed out).
public final class DNSMasqServer: @unchecked Sendable {
    public static let path = "/usr/sbin/dnsmasq"
    public static var available: Bool { FileManager.default.isExecutableFile(atPath: path) }

    public let port: UInt16
    private let pid: pid_t

    public struct StartFailure: Error, CustomStringConvertible {
        public let description: String
    }

    /// `records`: dnsmasq options. A TXT value longer than 255 bytes may be given whole: dnsmasq splits it into
    /// 255-byte character-strings, which resolvers concatenate back. Commas separate strings in a
    /// `--txt-record` value, so values must not contain commas.
    public init(records: [String]) throws {
        var lastError = "no free port"
        for _ in 0..<3 {
            guard let port = Self.freePort() else { continue }
            let log = FileManager.default.temporaryDirectory.appendingPathComponent("spear-dnsmasq-\(getpid())-\(port).log")
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            let arguments = [
                Self.path, "--no-daemon", "--conf-file=/dev/null", "--pid-file=", "--no-resolv", "--no-hosts",
                "--port=\(port)", "--listen-address=127.0.0.1", "--bind-interfaces",
                "--txt-record=ready.dnsmasq.test,ready",
            ] + records
            let pid = try ChildProcess.spawn(arguments, stderrPath: log.path)
            let probe = DNSResolver(servers: ["127.0.0.1:\(port)"], timeout: 0.1, attempts: 1)
            let start = Date()
            while ChildProcess.isRunning(pid), Date().timeIntervalSince(start) < 3 {
                if probe.txt("ready.dnsmasq.test") == .records(["ready"]) {
                    try? FileManager.default.removeItem(at: log)
                    self.port = port
                    self.pid = pid
                    return
                }
                usleep(20_000)
            }
            ChildProcess.stop(pid)
            lastError = (try? String(contentsOf: log, encoding: .utf8)) ?? "dnsmasq did not answer"
            try? FileManager.default.removeItem(at: log)
        }
        throw StartFailure(description: "dnsmasq did not start: \(lastError)")
    }

    /// "127.0.0.1:PORT", for `--dns-server` and `DNSResolver(servers:)`.
    public var server: String { "127.0.0.1:\(port)" }

    public func resolver(timeout: Double = 1.0, attempts: Int = 2) -> DNSResolver {
        DNSResolver(servers: [server], timeout: timeout, attempts: attempts)
    }

    deinit { ChildProcess.stop(pid) }

    /// A loopback port free for UDP and TCP right now; also used for a "dead server" (nothing listens there).
    public static func freePort() -> UInt16? {
        for _ in 0..<20 {
            guard let udp = bind(stream: false, port: 0) else { continue }
            close(udp.fd)
            guard let tcp = bind(stream: true, port: udp.port) else { continue }
            close(tcp.fd)
            return udp.port
        }
        return nil
    }

    private static func bind(stream: Bool, port: UInt16) -> (fd: Int32, port: UInt16)? {
        #if canImport(Glibc)
        let type = Int32(stream ? SOCK_STREAM.rawValue : SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        #else
        let type = stream ? SOCK_STREAM : SOCK_DGRAM
        #endif
        let fd = socket(AF_INET, type, 0)
        guard fd >= 0 else { return nil }
        var sin = sockaddr_in()
        sin.sin_family = sa_family_t(AF_INET)
        sin.sin_port = port.bigEndian
        sin.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &sin) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard ok else { close(fd); return nil }
        return (fd, UInt16(bigEndian: sin.sin_port))
    }
}

import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
@testable import SpearDNS

/// A real DNS server for the tests: Debian's dnsmasq on 127.0.0.1 and a free port, with fixed records.
/// Started without a shell; stopped (SIGTERM, then waited for) when released.
final class DNSMasq {
    static let path = "/usr/sbin/dnsmasq"
    static var available: Bool { FileManager.default.isExecutableFile(atPath: path) }

    static let dkim = "v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA"
    static let dmarc = "v=DMARC1; p=reject"
    /// 600 bytes: dnsmasq stores it as strings of 255 + 255 + 90 bytes, and the reply (over 512 bytes) is
    /// truncated over UDP (TC), so the resolver has to ask again over TCP.
    static let long: String = {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        return String((0..<600).map { alphabet[($0 * 7 + $0 / 64) % alphabet.count] })
    }()

    let port: UInt16
    private let process: Process

    struct StartFailure: Error, CustomStringConvertible {
        let description: String
    }

    init() throws {
        var lastError = "no free port"
        for _ in 0..<3 {
            guard let port = TestNet.freePort() else { continue }
            let log = FileManager.default.temporaryDirectory.appendingPathComponent("speardns-dnsmasq-\(getpid())-\(port).log")
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Self.path)
            process.arguments = [
                "--no-daemon",
                "--conf-file=/dev/null",  // not /etc/dnsmasq.conf
                "--pid-file=",  // no pid file: several test runs may share the machine
                "--no-resolv",
                "--no-hosts",
                "--port=\(port)",
                "--listen-address=127.0.0.1",
                "--bind-interfaces",
                "--local=/example.com/",  // authoritative NXDOMAIN for unknown names under example.com
                "--txt-record=sel._domainkey.example.com,\(Self.dkim)",
                "--txt-record=long.example.com,\(Self.long)",
                "--txt-record=_dmarc.example.com,\(Self.dmarc)",
                "--txt-record=multi.example.com,first record",
                "--txt-record=multi.example.com,second record",
                "--cname=alias.example.com,sel._domainkey.example.com",
                "--cname=alias2.example.com,alias.example.com",
                // A name with an A record and no TXT. (--address=/a-only.example.com/… makes dnsmasq 2.90
                // answer TXT queries with NXDOMAIN under --local, REFUSED without; a host record gives NODATA.)
                "--host-record=a-only.example.com,127.0.0.2",
            ]
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = FileHandle.nullDevice
            process.standardError = try FileHandle(forWritingTo: log)
            try process.run()

            // Wait until it answers (up to ~3 s).
            let probe = DNSResolver(servers: ["127.0.0.1:\(port)"], timeout: 0.1, attempts: 1)
            let start = Date()
            while process.isRunning, Date().timeIntervalSince(start) < 3 {
                if probe.txt("_dmarc.example.com") == .records([Self.dmarc]) {
                    // Started: the log is only for start-up failures (unlinked now, so a killed run leaves none).
                    try? FileManager.default.removeItem(at: log)
                    self.port = port
                    self.process = process
                    return
                }
                usleep(20_000)
            }
            Self.stop(process)
            lastError = (try? String(contentsOf: log, encoding: .utf8)) ?? "dnsmasq did not answer"
            try? FileManager.default.removeItem(at: log)
        }
        throw StartFailure(description: "dnsmasq did not start: \(lastError)")
    }

    var server: String { "127.0.0.1:\(port)" }

    func resolver(timeout: Double = 1.0, attempts: Int = 2) -> DNSResolver {
        DNSResolver(servers: [server], timeout: timeout, attempts: attempts)
    }

    /// SIGKILL and reap with waitpid: Foundation's `waitUntilExit` can block forever on a test thread with no
    /// run loop (seen here: the suite hung).
    static func stop(_ process: Process) {
        let pid = process.processIdentifier
        guard pid > 0 else { return }
        kill(pid, SIGKILL)
        var status: Int32 = 0
        _ = waitpid(pid, &status, 0)
    }

    deinit {
        Self.stop(process)
    }
}

import Foundation
import TestSupport
@testable import SpearDNS

/// A real DNS server for the tests: Debian's dnsmasq on 127.0.0.1 and a free port, with fixed records.
/// Started without a shell; killed and reaped when released.
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

    /// The records every resolver test relies on.
    static let records: [String] = [
        "--local=/example.com/",  // authoritative NXDOMAIN for unknown names under example.com
        "--txt-record=sel._domainkey.example.com,\(dkim)",
        "--txt-record=long.example.com,\(long)",
        "--txt-record=_dmarc.example.com,\(dmarc)",
        "--txt-record=multi.example.com,first record",
        "--txt-record=multi.example.com,second record",
        "--cname=alias.example.com,sel._domainkey.example.com",
        "--cname=alias2.example.com,alias.example.com",
        // A name with an A record and no TXT. (--address=/a-only.example.com/… makes dnsmasq 2.90
        // answer TXT queries with NXDOMAIN under --local, REFUSED without; a host record gives NODATA.)
        "--host-record=a-only.example.com,127.0.0.2",
    ]

    /// Started through DNSMasqServer (posix_spawn, not Foundation's Process: with a Process dnsmasq alive, a CLI
    /// test running in parallel in the same test process never saw its spearscan child exit).
    private let dnsmasq: DNSMasqServer
    let port: UInt16

    init() throws {
        dnsmasq = try DNSMasqServer(records: Self.records)
        port = dnsmasq.port
    }

    var server: String { "127.0.0.1:\(port)" }

    func resolver(timeout: Double = 1.0, attempts: Int = 2) -> DNSResolver {
        DNSResolver(servers: [server], timeout: timeout, attempts: attempts)
    }
}

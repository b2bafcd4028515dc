#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A nameserver address: an IPv4 or IPv6 address and a port.
struct DNSServer: Sendable, Hashable, CustomStringConvertible {
    enum Family: Sendable, Hashable { case v4, v6 }
    let family: Family
    /// 4 or 16 bytes, network order.
    let address: [UInt8]
    let port: UInt16
    /// IPv6 zone (interface index), 0 if none.
    let scopeID: UInt32

    /// Parses "IP", "IP:port", "[IPv6]", "[IPv6]:port" or a bare IPv6 address ("::1", "fe80::1%eth0").
    init?(_ text: String) {
        let text = text.trimmingASCIIWhitespace()
        guard !text.isEmpty, text.utf8.count <= 100 else { return nil }
        var host = Substring(text)
        var port: UInt16 = 53
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { return nil }
            let rest = host[host.index(after: close)...]
            host = host[host.index(after: host.startIndex)..<close]
            if !rest.isEmpty {
                guard rest.hasPrefix(":"), let p = UInt16(rest.dropFirst()), p != 0 else { return nil }
                port = p
            }
        } else if let colon = host.firstIndex(of: ":"), host[host.index(after: colon)...].firstIndex(of: ":") == nil {
            // Exactly one colon: IPv4 with a port.
            guard let p = UInt16(host[host.index(after: colon)...]), p != 0 else { return nil }
            port = p
            host = host[..<colon]
        }
        var scope: UInt32 = 0
        if let percent = host.firstIndex(of: "%") {
            let zone = String(host[host.index(after: percent)...])
            host = host[..<percent]
            if let index = UInt32(zone) {
                scope = index
            } else {
                let index = if_nametoindex(zone)
                guard index != 0 else { return nil }
                scope = index
            }
        }
        let hostString = String(host)
        var v4 = in_addr()
        var v6 = in6_addr()
        if !hostString.contains(":"), scope == 0, inet_pton(AF_INET, hostString, &v4) == 1 {
            family = .v4
            address = withUnsafeBytes(of: &v4) { Array($0) }
        } else if inet_pton(AF_INET6, hostString, &v6) == 1 {
            family = .v6
            address = withUnsafeBytes(of: &v6) { Array($0) }
        } else {
            return nil
        }
        self.port = port
        self.scopeID = scope
    }

    var description: String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        let ok = address.withUnsafeBytes { raw in
            inet_ntop(family == .v4 ? AF_INET : AF_INET6, raw.baseAddress, &buffer, socklen_t(buffer.count)) != nil
        }
        let host = ok ? String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "?"
        return family == .v4 ? "\(host):\(port)" : "[\(host)]:\(port)"
    }

    /// Calls `body` with this server as a socket address.
    func withSockaddr<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> R) -> R {
        switch family {
        case .v4:
            var sin = sockaddr_in()
            sin.sin_family = sa_family_t(AF_INET)
            sin.sin_port = port.bigEndian
            withUnsafeMutableBytes(of: &sin.sin_addr) { $0.copyBytes(from: address) }
            return withUnsafePointer(to: &sin) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        case .v6:
            var sin6 = sockaddr_in6()
            sin6.sin6_family = sa_family_t(AF_INET6)
            sin6.sin6_port = port.bigEndian
            sin6.sin6_scope_id = scopeID
            withUnsafeMutableBytes(of: &sin6.sin6_addr) { $0.copyBytes(from: address) }
            return withUnsafePointer(to: &sin6) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        }
    }

    /// Whether a datagram's source address (from `recvfrom`) is this server.
    func matches(_ storage: sockaddr_storage, length: socklen_t) -> Bool {
        var storage = storage
        switch family {
        case .v4:
            guard Int32(storage.ss_family) == AF_INET, Int(length) >= MemoryLayout<sockaddr_in>.size else { return false }
            return withUnsafeBytes(of: &storage) { raw in
                let sin = raw.load(as: sockaddr_in.self)
                var addr = sin.sin_addr
                return UInt16(bigEndian: sin.sin_port) == port && withUnsafeBytes(of: &addr) { Array($0) } == address
            }
        case .v6:
            guard Int32(storage.ss_family) == AF_INET6, Int(length) >= MemoryLayout<sockaddr_in6>.size else { return false }
            return withUnsafeBytes(of: &storage) { raw in
                let sin6 = raw.load(as: sockaddr_in6.self)
                var addr = sin6.sin6_addr
                return UInt16(bigEndian: sin6.sin6_port) == port && withUnsafeBytes(of: &addr) { Array($0) } == address
            }
        }
    }

    /// Nameservers from resolv.conf text: the first three valid `nameserver` lines.
    static func fromResolvConf(_ text: String) -> [DNSServer] {
        var servers: [DNSServer] = []
        for line in text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count >= 2, fields[0] == "nameserver" else { continue }
            guard let server = DNSServer(String(fields[1])), !servers.contains(server) else { continue }
            servers.append(server)
            if servers.count == 3 { break }
        }
        return servers
    }

    /// 127.0.0.1:53, the resolver's default when resolv.conf names no server.
    static let loopback = DNSServer("127.0.0.1")!
}

extension String {
    func trimmingASCIIWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}

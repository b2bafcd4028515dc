#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An IPv4 or IPv6 address as bytes, for SPF's prefix matches.
struct SPFAddress: Equatable, Sendable, CustomStringConvertible {
    /// 4 or 16 bytes, network order.
    let bytes: [UInt8]

    var isV4: Bool { bytes.count == 4 }

    /// Dotted quad or IPv6 text (an `IPv6:` prefix, as in Received address literals, is accepted). An
    /// IPv4-mapped IPv6 address (`::ffff:192.0.2.1`) becomes IPv4 (RFC 7208 5: evaluated as IPv4).
    init?(_ text: String) {
        var t = Substring(text)
        if t.lowercased().hasPrefix("ipv6:") { t = t.dropFirst(5) }
        guard !t.isEmpty, t.utf8.count <= 64 else { return nil }
        var v4 = in_addr()
        var v6 = in6_addr()
        let s = String(t)
        if !s.contains(":"), inet_pton(AF_INET, s, &v4) == 1 {
            bytes = withUnsafeBytes(of: &v4) { Array($0) }
        } else if inet_pton(AF_INET6, s, &v6) == 1 {
            let b = withUnsafeBytes(of: &v6) { Array($0) }
            bytes = b.prefix(12) == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF] ? Array(b.suffix(4)) : b
        } else {
            return nil
        }
    }

    /// Whether the first `prefix` bits equal those of `network` (same family only).
    func matches(_ network: SPFAddress, prefix: Int) -> Bool {
        guard network.bytes.count == bytes.count else { return false }
        var bits = min(max(prefix, 0), bytes.count * 8)
        for k in 0..<bytes.count where bits > 0 {
            let mask: UInt8 = bits >= 8 ? 0xFF : UInt8(0xFF << (8 - bits) & 0xFF)
            if bytes[k] & mask != network.bytes[k] & mask { return false }
            bits -= 8
        }
        return true
    }

    /// Loopback, private (RFC 1918, RFC 4193), shared (RFC 6598), link-local or unspecified: an address of an
    /// internal hop, never the Internet client SPF is about.
    var isInternal: Bool {
        if isV4 {
            let a = bytes[0], b = bytes[1]
            return a == 10 || a == 127 || a == 0 || (a == 172 && (16...31).contains(b)) || (a == 192 && b == 168)
                || (a == 169 && b == 254) || (a == 100 && (64...127).contains(b))
        }
        if bytes.allSatisfy({ $0 == 0 }) || bytes == [UInt8](repeating: 0, count: 15) + [1] { return true }
        return bytes[0] & 0xFE == 0xFC || (bytes[0] == 0xFE && bytes[1] & 0xC0 == 0x80)
    }

    /// `%{i}`: dotted quad, or 32 dot-separated hex nibbles for IPv6 (RFC 7208 7.3).
    var macroForm: String {
        if isV4 { return bytes.map(String.init).joined(separator: ".") }
        return bytes.flatMap { [String($0 >> 4, radix: 16), String($0 & 0xF, radix: 16)] }.joined(separator: ".")
    }

    var description: String {
        if isV4 { return bytes.map(String.init).joined(separator: ".") }
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        let ok = bytes.withUnsafeBytes { inet_ntop(AF_INET6, $0.baseAddress, &buffer, socklen_t(buffer.count)) != nil }
        return ok ? String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "?"
    }
}

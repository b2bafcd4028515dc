#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Text forms of addresses from replies, without trusting their bytes (fixed-size inputs only).
enum IPAddressText {
    /// RFC 5952 form through inet_ntop (`2001:db8::1`); "?" if `bytes` is not 16 bytes.
    static func v6(_ bytes: [UInt8]) -> String {
        guard bytes.count == 16 else { return "?" }
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        let ok = bytes.withUnsafeBytes { raw in
            inet_ntop(AF_INET6, raw.baseAddress, &buffer, socklen_t(buffer.count)) != nil
        }
        return ok ? String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "?"
    }
}

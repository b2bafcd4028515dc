import Foundation
import TestSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Builds DNS reply packets for parser tests.
struct PacketBuilder {
    var bytes: [UInt8] = []

    /// Header + one question (`name` TXT IN) at offset 12.
    init(id: UInt16, flags: UInt16 = 0x8180, name: String, qtype: UInt16 = 16, qclass: UInt16 = 1,
         qdCount: UInt16 = 1, anCount: UInt16 = 0) {
        u16(id); u16(flags); u16(qdCount); u16(anCount); u16(0); u16(0)
        if qdCount > 0 {
            self.name(name)
            u16(qtype); u16(qclass)
        }
    }

    mutating func u16(_ v: UInt16) { bytes += [UInt8(v >> 8), UInt8(v & 0xFF)] }
    mutating func u32(_ v: UInt32) { u16(UInt16(v >> 16)); u16(UInt16(v & 0xFFFF)) }

    /// An uncompressed name.
    mutating func name(_ text: String) {
        for label in text.split(separator: ".") {
            bytes.append(UInt8(label.utf8.count))
            bytes += Array(label.utf8)
        }
        bytes.append(0)
    }

    /// A compression pointer.
    mutating func pointer(_ offset: Int) { bytes += [0xC0 | UInt8(offset >> 8), UInt8(offset & 0xFF)] }

    /// Resource record header after the owner name has been written; RDATA follows.
    mutating func rrHeader(type: UInt16, rdLength: Int, rrClass: UInt16 = 1) {
        u16(type); u16(rrClass); u32(300); u16(UInt16(rdLength))
    }

    /// A TXT record owned by the question name (pointer to 12) with the given character-strings.
    mutating func txt(owner: Int = 12, _ strings: [String]) {
        pointer(owner)
        let rdata = strings.flatMap { [UInt8($0.utf8.count)] + Array($0.utf8) }
        rrHeader(type: 16, rdLength: rdata.count)
        bytes += rdata
    }

    /// A CNAME owned by the name at `owner` pointing to `target` (uncompressed); returns the target's offset.
    @discardableResult
    mutating func cname(owner: Int = 12, target: String) -> Int {
        pointer(owner)
        var wire: [UInt8] = []
        for label in target.split(separator: ".") { wire.append(UInt8(label.utf8.count)); wire += Array(label.utf8) }
        wire.append(0)
        rrHeader(type: 5, rdLength: wire.count)
        let offset = bytes.count
        bytes += wire
        return offset
    }

    mutating func setAnswerCount(_ n: UInt16) { bytes[6] = UInt8(n >> 8); bytes[7] = UInt8(n & 0xFF) }
}

enum TestNet {
    /// A loopback address family.
    enum Family { case v4, v6 }

    static func socketType(_ stream: Bool) -> Int32 {
        #if canImport(Glibc)
        // CLOEXEC: dnsmasq, started by other tests at the same time, must not inherit the tests' sockets.
        return Int32(stream ? SOCK_STREAM.rawValue : SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        #else
        return stream ? SOCK_STREAM : SOCK_DGRAM
        #endif
    }

    /// Binds a socket to the loopback address of `family`, port `port` (0: any); returns fd and port.
    static func bindLoopback(_ family: Family, port: UInt16 = 0, stream: Bool = false) -> (fd: Int32, port: UInt16)? {
        let fd = socket(family == .v4 ? AF_INET : AF_INET6, socketType(stream), 0)
        guard fd >= 0 else { return nil }
        var ok = false
        var bound: UInt16 = 0
        switch family {
        case .v4:
            var sin = sockaddr_in()
            sin.sin_family = sa_family_t(AF_INET)
            sin.sin_port = port.bigEndian
            sin.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            ok = withUnsafeMutablePointer(to: &sin) { p in
                p.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
                }
            }
            bound = UInt16(bigEndian: sin.sin_port)
        case .v6:
            var sin6 = sockaddr_in6()
            sin6.sin6_family = sa_family_t(AF_INET6)
            sin6.sin6_port = port.bigEndian
            sin6.sin6_addr = in6addr_loopback
            var length = socklen_t(MemoryLayout<sockaddr_in6>.size)
            ok = withUnsafeMutablePointer(to: &sin6) { p in
                p.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
                }
            }
            bound = UInt16(bigEndian: sin6.sin6_port)
        }
        guard ok else { close(fd); return nil }
        return (fd, bound)
    }

    /// A loopback port free for both UDP and TCP right now (bind to port 0, close, pass it on).
    static func freePort() -> UInt16? {
        DNSMasqServer.freePort()
    }

    static let ipv6LoopbackAvailable: Bool = {
        guard let s = bindLoopback(.v6) else { return false }
        close(s.fd)
        return true
    }()
}

/// A UDP socket bound on loopback that never answers: queries to it time out.
final class SilentUDPServer {
    let fd: Int32
    let port: UInt16
    init?() {
        guard let s = TestNet.bindLoopback(.v4) else { return nil }
        fd = s.fd
        port = s.port
    }
    deinit { close(fd) }
}

/// A scripted UDP server on loopback: for each query received, `respond` returns the datagrams to send back
/// (from the same socket, so from the right address) — the tests use it for spoofed and hostile replies.
final class ScriptedUDPServer {
    let port: UInt16
    private let fd: Int32
    private let state = State()
    private let done = DispatchSemaphore(value: 0)

    private final class State: @unchecked Sendable {
        let lock = NSLock()
        var stopped = false
        var received = 0
    }

    init?(family: TestNet.Family, respond: @escaping @Sendable (_ query: [UInt8]) -> [[UInt8]]) {
        guard let s = TestNet.bindLoopback(family) else { return nil }
        fd = s.fd
        port = s.port
        let thread = Thread { [fd, state, done] in
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                state.lock.lock()
                let stop = state.stopped
                state.lock.unlock()
                if stop { break }
                var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                guard poll(&pfd, 1, 50) > 0 else { continue }
                var from = sockaddr_storage()
                var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
                let n = buffer.withUnsafeMutableBytes { raw in
                    withUnsafeMutablePointer(to: &from) { p in
                        p.withMemoryRebound(to: sockaddr.self, capacity: 1) { recvfrom(fd, raw.baseAddress, raw.count, 0, $0, &length) }
                    }
                }
                guard n > 0 else { continue }
                state.lock.lock()
                state.received += 1
                state.lock.unlock()
                for reply in respond(Array(buffer[0..<n])) {
                    _ = reply.withUnsafeBytes { raw in
                        withUnsafePointer(to: &from) { p in
                            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(fd, raw.baseAddress, raw.count, 0, $0, length) }
                        }
                    }
                }
            }
            done.signal()
        }
        thread.start()
    }

    var queriesReceived: Int {
        state.lock.lock()
        defer { state.lock.unlock() }
        return state.received
    }

    deinit {
        state.lock.lock()
        state.stopped = true
        state.lock.unlock()
        done.wait()
        close(fd)
    }
}

/// The query's id and its question section (offset 12 to the end) for building replies.
struct ParsedQuery {
    let id: UInt16
    let flags: UInt16
    let question: [UInt8]
    init?(_ query: [UInt8]) {
        guard query.count > 12 else { return nil }
        id = UInt16(query[0]) << 8 | UInt16(query[1])
        flags = UInt16(query[2]) << 8 | UInt16(query[3])
        question = Array(query[12...])
    }

    /// A reply: our header, the echoed question, then `answers` (raw RR bytes).
    func reply(id: UInt16? = nil, flags: UInt16 = 0x8180, anCount: UInt16 = 0, answers: [UInt8] = [],
               question: [UInt8]? = nil) -> [UInt8] {
        let rid = id ?? self.id
        var out: [UInt8] = [UInt8(rid >> 8), UInt8(rid & 0xFF), UInt8(flags >> 8), UInt8(flags & 0xFF), 0, 1,
                            UInt8(anCount >> 8), UInt8(anCount & 0xFF), 0, 0, 0, 0]
        out += question ?? self.question
        out += answers
        return out
    }
}

/// A TXT RR owned by the question name (pointer to offset 12).
func txtRR(_ strings: [String]) -> [UInt8] {
    let rdata = strings.flatMap { [UInt8($0.utf8.count)] + Array($0.utf8) }
    return [0xC0, 0x0C, 0, 16, 0, 1, 0, 0, 1, 0x2C, UInt8(rdata.count >> 8), UInt8(rdata.count & 0xFF)] + rdata
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One query/reply exchange with one server over UDP or TCP, bounded by a deadline.
enum DNSTransport {
    enum Result: Equatable {
        /// A reply to our question (never `.unrelated`; over UDP, unrelated datagrams are skipped).
        case reply(DNSReply)
        /// No usable reply: timeout, refused, network error.
        case failed(String)
    }

    /// Sends `query` over UDP and waits up to `timeout` seconds for a datagram from `server` that answers it.
    /// Datagrams from other addresses, with another id, or for another question are ignored.
    static func udp(_ query: [UInt8], id: UInt16, question: DNSName, type: DNSRecordType = .txt, server: DNSServer,
                    timeout: Double) -> Result {
        let deadline = Deadline(seconds: timeout)
        let fd: Int32
        switch sendUDP(query, to: server) {
        case .success(let opened): fd = opened
        case .failure(let failure): return .failed(failure.reason)
        }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            switch wait(fd, for: Int16(POLLIN), until: deadline) {
            case .ready: break
            case .timeout: return .failed("timeout")
            case .error(let text): return .failed("poll: \(text)")
            }
            if let result = receiveUDP(fd, into: &buffer, id: id, question: question, type: type, server: server) { return result }
        }
    }

    /// A UDP socket connected to `server` with `query` sent on it (the caller closes it). connect() makes the
    /// kernel drop datagrams from other sources and report ICMP port unreachable.
    static func sendUDP(_ query: [UInt8], to server: DNSServer, nonBlocking: Bool = false) -> Swift.Result<Int32, DNSMalformed> {
        let fd = makeSocket(server.family, stream: false)
        guard fd >= 0 else { return .failure(DNSMalformed("socket: \(errnoText())")) }
        if nonBlocking {
            let flags = fcntl(fd, F_GETFL, 0)
            guard flags >= 0, fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0 else {
                close(fd)
                return .failure(DNSMalformed("fcntl: \(errnoText())"))
            }
        }
        let connected = server.withSockaddr { connect(fd, $0, $1) }
        guard connected == 0 else {
            let failure = DNSMalformed("connect to \(server): \(errnoText())")
            close(fd)
            return .failure(failure)
        }
        let sent = query.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, noSignal) }
        guard sent == query.count else {
            let failure = DNSMalformed("send to \(server): \(errnoText())")
            close(fd)
            return .failure(failure)
        }
        return .success(fd)
    }

    /// Reads one datagram from `fd`, ready for reading: the exchange's result, or nil when there was nothing
    /// to read or the datagram does not answer the query (from elsewhere, another id or question) and the wait
    /// goes on.
    static func receiveUDP(_ fd: Int32, into buffer: inout [UInt8], id: UInt16, question: DNSName, type: DNSRecordType,
                           server: DNSServer) -> Result? {
        var from = sockaddr_storage()
        var fromLength = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let count = buffer.withUnsafeMutableBytes { raw in
            withUnsafeMutablePointer(to: &from) { storage in
                storage.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    recvfrom(fd, raw.baseAddress, raw.count, 0, $0, &fromLength)
                }
            }
        }
        if count < 0 {
            let code = errno
            if code == EINTR || code == EAGAIN || code == EWOULDBLOCK { return nil }
            if code == ECONNREFUSED { return .failed("connection refused by \(server)") }
            return .failed("receive from \(server): \(errnoText(code))")
        }
        guard server.matches(from, length: fromLength) else { return nil }
        let reply = DNSReplyParser.parse(Array(buffer[0..<count]), id: id, question: question, type: type)
        if case .unrelated = reply { return nil }
        return .reply(reply)
    }

    /// Sends `query` over TCP (RFC 1035 4.2.2: two-byte length prefix) and reads one reply, all within `timeout`.
    static func tcp(_ query: [UInt8], id: UInt16, question: DNSName, type: DNSRecordType = .txt, server: DNSServer,
                    timeout: Double) -> Result {
        let deadline = Deadline(seconds: timeout)
        let fd = makeSocket(server.family, stream: true)
        guard fd >= 0 else { return .failed("socket: \(errnoText())") }
        defer { close(fd) }
        let flags = fcntl(fd, F_GETFL, 0)
        guard flags >= 0, fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0 else { return .failed("fcntl: \(errnoText())") }

        if server.withSockaddr({ connect(fd, $0, $1) }) != 0 {
            guard errno == EINPROGRESS || errno == EINTR else { return .failed("TCP connect to \(server): \(errnoText())") }
            switch wait(fd, for: Int16(POLLOUT), until: deadline) {
            case .ready: break
            case .timeout: return .failed("timeout (TCP connect)")
            case .error(let text): return .failed("poll: \(text)")
            }
            var soError: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &soError, &length) == 0 else { return .failed("getsockopt: \(errnoText())") }
            guard soError == 0 else { return .failed("TCP connect to \(server): \(errnoText(soError))") }
        }

        guard query.count <= 65_535 else { return .failed("query too long") }
        let message = [UInt8(query.count >> 8), UInt8(query.count & 0xFF)] + query
        var written = 0
        while written < message.count {
            let n = message.withUnsafeBytes { send(fd, $0.baseAddress! + written, $0.count - written, noSignal) }
            if n > 0 { written += n; continue }
            let code = errno
            guard n < 0, code == EAGAIN || code == EWOULDBLOCK || code == EINTR else {
                return .failed("TCP send to \(server): \(errnoText(code))")
            }
            switch wait(fd, for: Int16(POLLOUT), until: deadline) {
            case .ready: continue
            case .timeout: return .failed("timeout (TCP send)")
            case .error(let text): return .failed("poll: \(text)")
            }
        }

        let prefix: [UInt8]
        switch readExactly(fd, 2, until: deadline) {
        case .success(let bytes): prefix = bytes
        case .failure(let failure): return .failed("TCP \(failure.reason) (\(server))")
        }
        let length = Int(prefix[0]) << 8 | Int(prefix[1])  // at most 65535: a bounded allocation
        guard length >= DNSWire.headerSize else { return .reply(.malformed("TCP reply of \(length) bytes")) }
        let packet: [UInt8]
        switch readExactly(fd, length, until: deadline) {
        case .success(let bytes): packet = bytes
        case .failure(let failure): return .failed("TCP \(failure.reason) (\(server))")
        }
        switch DNSReplyParser.parse(packet, id: id, question: question, type: type) {
        case .unrelated(let reason): return .reply(.malformed("TCP reply does not answer the query: \(reason)"))
        case .truncated: return .reply(.malformed("TC set over TCP"))
        case let reply: return .reply(reply)
        }
    }

    // MARK: - Helpers

    struct Deadline {
        let end: ContinuousClock.Instant
        init(seconds: Double) { end = .now + .milliseconds(Int64((seconds * 1000).rounded(.up))) }
        /// Milliseconds left (0 when passed), capped to fit poll's argument.
        var remainingMilliseconds: Int32 {
            let left = end - .now
            guard left > .zero else { return 0 }
            let (seconds, attoseconds) = left.components
            let ms = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
            return Int32(clamping: ms)
        }
    }

    private enum Readiness { case ready, timeout, error(String) }

    private static func wait(_ fd: Int32, for events: Int16, until deadline: Deadline) -> Readiness {
        while true {
            let ms = deadline.remainingMilliseconds
            guard ms > 0 else { return .timeout }
            var pfd = pollfd(fd: fd, events: events, revents: 0)
            let r = poll(&pfd, 1, ms)
            if r > 0 { return .ready }  // POLLERR/POLLHUP: the following call reports the error
            if r == 0 { continue }  // re-check the clock; returns .timeout once it has passed
            if errno == EINTR { continue }
            return .error(errnoText())
        }
    }

    private static func readExactly(_ fd: Int32, _ count: Int, until deadline: Deadline) -> Swift.Result<[UInt8], DNSMalformed> {
        var out = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let n = out.withUnsafeMutableBytes { recv(fd, $0.baseAddress! + filled, count - filled, 0) }
            if n > 0 { filled += n; continue }
            if n == 0 { return .failure(DNSMalformed("connection closed after \(filled) of \(count) bytes")) }
            let code = errno
            guard code == EAGAIN || code == EWOULDBLOCK || code == EINTR else { return .failure(DNSMalformed("receive: \(errnoText(code))")) }
            switch wait(fd, for: Int16(POLLIN), until: deadline) {
            case .ready: continue
            case .timeout: return .failure(DNSMalformed("timeout"))
            case .error(let text): return .failure(DNSMalformed("poll: \(text)"))
            }
        }
        return .success(out)
    }

    private static func makeSocket(_ family: DNSServer.Family, stream: Bool) -> Int32 {
        let domain = family == .v4 ? AF_INET : AF_INET6
        #if canImport(Glibc)
        let type = Int32(stream ? SOCK_STREAM.rawValue : SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        return socket(domain, type, 0)
        #else
        let fd = socket(domain, stream ? SOCK_STREAM : SOCK_DGRAM, 0)
        if fd >= 0 { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        return fd
        #endif
    }
}

#if canImport(Glibc)
private let noSignal = Int32(MSG_NOSIGNAL)
#else
private let noSignal: Int32 = 0
#endif

func errnoText(_ code: Int32 = errno) -> String {
    String(cString: strerror(code))
}

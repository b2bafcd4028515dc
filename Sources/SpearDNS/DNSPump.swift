import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Concurrent lookups on one thread of their own: up to `maxInFlight` queries out at once, each on its own
/// connected non-blocking UDP socket, all waited for with one poll(). Each lookup goes through the servers and
/// attempts exactly as a blocking `DNSResolver.lookup` does (`DNSLookupProgress`), so it ends with the same
/// answer or failure; a truncated reply is asked again over TCP on the pump's thread (rare: DKIM keys and SPF
/// records fit a datagram).
///
/// The thread starts with the first lookup submitted and ends when nothing is queued or in flight, so an idle
/// pump holds no thread and no socket.
final class DNSPump: @unchecked Sendable {
    struct Request {
        let name: DNSName
        let type: DNSRecordType
    }

    private struct Flight {
        let request: Request
        var progress: DNSLookupProgress
        var server = 0
        var id: UInt16 = 0
        var query: [UInt8] = []
        var fd: Int32 = -1
        var deadline = ContinuousClock.now
    }

    private let resolver: DNSResolver
    let maxInFlight: Int
    private let done: @Sendable (Request, DNSAnswer) -> Void
    private let lock = NSLock()
    private var queued: [Request] = []
    private var running = false
    /// Wakes the poll when lookups are queued while it waits (a pipe).
    private let wake: (read: Int32, write: Int32)
    private var peak = 0

    init(resolver: DNSResolver, maxInFlight: Int, done: @escaping @Sendable (Request, DNSAnswer) -> Void) {
        self.resolver = resolver
        self.maxInFlight = min(max(1, maxInFlight), Self.socketsAllowed())
        self.done = done
        var fds: [Int32] = [-1, -1]
        _ = pipe(&fds)
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL, 0) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        wake = (fds[0], fds[1])
    }

    deinit {
        close(wake.read)
        close(wake.write)
    }

    /// How many sockets the pump may hold: half of what the process's descriptor limit leaves after 64 for
    /// everything else (spool files, the store, libmagic), so a low `ulimit -n` slows asking ahead down instead
    /// of failing lookups with "Too many open files".
    static func socketsAllowed() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max else { return 256 }
        return max(4, (Int(clamping: limit.rlim_cur) - 64) / 2)
    }

    /// The most lookups that were in flight at once.
    var peakInFlight: Int { lock.withLock { peak } }

    /// Queues lookups; `done` is called once for each, on the pump's thread, with its answer.
    func submit(_ requests: [Request]) {
        guard !requests.isEmpty else { return }
        let start: Bool = lock.withLock {
            queued.append(contentsOf: requests)
            if running { return false }
            running = true
            return true
        }
        if start {
            let thread = Thread { [self] in run() }
            thread.name = "dns-pump"
            thread.start()
        } else {
            var one: UInt8 = 1
            _ = write(wake.write, &one, 1)
        }
    }

    private func run() {
        var flights: [Flight] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let fresh: [Request] = lock.withLock {
                let room = maxInFlight - flights.count
                let taken = Array(queued.prefix(max(0, room)))
                queued.removeFirst(taken.count)
                if taken.isEmpty && flights.isEmpty { running = false }
                return taken
            }
            if fresh.isEmpty && flights.isEmpty { return }
            for request in fresh {
                var flight = Flight(request: request, progress: DNSLookupProgress(resolver: resolver))
                if launch(&flight) { flights.append(flight) }
            }
            lock.withLock { peak = max(peak, flights.count) }
            if flights.isEmpty { continue }

            var fds = flights.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
            fds.append(pollfd(fd: wake.read, events: Int16(POLLIN), revents: 0))
            let now = ContinuousClock.now
            let nearest = flights.map(\.deadline).min() ?? now
            let wait = nearest > now ? nearest - now : .zero
            let (seconds, attoseconds) = wait.components
            let ms = Int32(clamping: seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
            let ready = poll(&fds, nfds_t(fds.count), ms)
            if ready < 0 && errno != EINTR { usleep(1_000) }
            if fds[fds.count - 1].revents != 0 {
                var drain = [UInt8](repeating: 0, count: 64)
                while read(wake.read, &drain, drain.count) > 0 {}
            }
            let after = ContinuousClock.now
            var k = 0
            var index = 0
            while k < flights.count {
                var flight = flights[k]
                let revents = fds[index].revents
                index += 1
                var result: DNSTransport.Result?
                if revents != 0 {
                    result = DNSTransport.receiveUDP(flight.fd, into: &buffer, id: flight.id, question: flight.request.name,
                                                     type: flight.request.type, server: resolver.servers[flight.server])
                    if result == .reply(.truncated) {
                        result = DNSTransport.tcp(flight.query, id: flight.id, question: flight.request.name, type: flight.request.type,
                                                  server: resolver.servers[flight.server], timeout: resolver.timeout)
                    }
                }
                if result == nil, after >= flight.deadline { result = .failed("timeout") }
                guard let result else {
                    k += 1
                    continue
                }
                close(flight.fd)
                flight.fd = -1
                if let answer = flight.progress.record(result, from: flight.server) {
                    done(flight.request, answer)
                    flights.remove(at: k)
                } else if launch(&flight) {
                    flights[k] = flight
                    k += 1
                } else {
                    flights.remove(at: k)
                }
            }
        }
    }

    /// Sends the flight's query to its next server: true when it is out and to be waited for; false when the
    /// lookup has ended (every server and attempt spent, `done` called).
    private func launch(_ flight: inout Flight) -> Bool {
        while let server = flight.progress.nextServer() {
            flight.server = server
            flight.id = UInt16.random(in: .min ... .max)
            flight.query = DNSWire.query(id: flight.id, name: flight.request.name, type: flight.request.type)
            switch DNSTransport.sendUDP(flight.query, to: resolver.servers[server], nonBlocking: true) {
            case .success(let fd):
                flight.fd = fd
                flight.deadline = .now + .milliseconds(Int64((resolver.timeout * 1000).rounded(.up)))
                return true
            case .failure(let failure):
                if let answer = flight.progress.record(.failed(failure.reason), from: server) {
                    done(flight.request, answer)
                    return false
                }
            }
        }
        done(flight.request, .failure(flight.progress.lastFailure))
        return false
    }
}

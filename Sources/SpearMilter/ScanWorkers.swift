import Foundation
import NIOConcurrencyHelpers
public import SpearScan

/// The threads that scan arrived messages, each with its own `ScanSession` (libmagic handle), fed through a queue
/// bounded by count and bytes: when it is full, `submit` refuses at once and the milter answers by its
/// `--on-error` rule instead of letting mail wait behind a backlog. A message answered by its time limit while it
/// still waits is dropped from the queue (its ticket is cancelled), so the workers do not spend themselves on
/// answered mail.
final class ScanWorkers: @unchecked Sendable {
    /// A queued message's claim to be scanned; cancelled once the message has been answered without its scan.
    final class Ticket: Sendable {
        private let state = NIOLockedValueBox(false)
        func cancel() { state.withLockedValue { $0 = true } }
        var cancelled: Bool { state.withLockedValue { $0 } }
    }

    typealias Job = (message: ArrivedMessage, ticket: Ticket, done: @Sendable (ScanResult) -> Void, dropped: @Sendable () -> Void)

    private let condition = NSCondition()
    private var jobs: [Job] = []
    private var head = 0
    private var queuedBytes = 0
    private var stopped = false
    private var running = 0
    let capacity: Int
    let byteCapacity: Int
    /// The scanner the threads use, and its generation (a reload replaces it; each thread picks it up before its
    /// next message).
    private let current: NIOLockedValueBox<(generation: Int, scanner: MessageScanner)>

    init(scanner: MessageScanner, count: Int, capacity: Int, byteCapacity: Int) {
        self.capacity = capacity
        self.byteCapacity = byteCapacity
        current = NIOLockedValueBox((0, scanner))
        running = max(1, count)
        for n in 0..<max(1, count) {
            let thread = Thread { [self] in
                var session = ScanSession(scanner: scanner)
                var generation = 0
                while let job = next() {
                    let now = current.withLockedValue { $0 }
                    if now.generation != generation {
                        session = ScanSession(scanner: now.scanner, reusing: session)
                        generation = now.generation
                    }
                    let m = job.message
                    job.done(session.scan(m.bytes, source: "milter:" + (m.envelope.queueID ?? "-"), truncatedFrom: m.truncatedFrom, arrival: m.arrival))
                }
                condition.lock()
                running -= 1
                condition.broadcast()
                condition.unlock()
            }
            thread.name = "milter-scan-\(n)"
            thread.stackSize = 16 << 20
            thread.start()
        }
    }

    /// Messages taken from now on are scanned by `scanner`.
    func replace(scanner: MessageScanner) {
        current.withLockedValue { $0 = ($0.generation + 1, scanner) }
    }

    /// Queues a message; false when the queue is full (by count or bytes) or the workers stopped.
    func submit(_ message: ArrivedMessage, ticket: Ticket, dropped: @escaping @Sendable () -> Void = {},
                done: @escaping @Sendable (ScanResult) -> Void) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        let waiting = jobs.count - head
        guard !stopped, waiting < capacity, waiting == 0 || queuedBytes + message.bytes.count <= byteCapacity else { return false }
        jobs.append((message, ticket, done, dropped))
        queuedBytes += message.bytes.count
        condition.signal()
        return true
    }

    /// Lets the workers finish what is queued, then end; waits for them at most `seconds`.
    func stop(waiting seconds: Double) {
        condition.lock()
        stopped = true
        condition.broadcast()
        let deadline = Date().addingTimeInterval(seconds)
        while running > 0 && condition.wait(until: deadline) {}
        condition.unlock()
    }

    private func next() -> Job? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            while head == jobs.count && !stopped { condition.wait() }
            guard head < jobs.count else { return nil }
            let job = jobs[head]
            head += 1
            queuedBytes -= job.message.bytes.count
            if head > 64 && head * 2 > jobs.count {
                jobs.removeFirst(head)
                head = 0
            }
            if !job.ticket.cancelled { return job }
            job.dropped()
        }
    }
}

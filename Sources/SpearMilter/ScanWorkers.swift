import Foundation
public import SpearScan

/// The threads that scan arrived messages, each with its own `ScanSession` (libmagic handle), fed through a
/// bounded queue: when every worker is busy and the queue is full, `submit` refuses at once and the milter answers
/// by its `--on-error` rule instead of letting mail wait behind a backlog.
final class ScanWorkers: @unchecked Sendable {
    typealias Job = (message: ArrivedMessage, done: @Sendable (ScanResult) -> Void)

    private let condition = NSCondition()
    private var jobs: [Job] = []
    private var head = 0
    private var stopped = false
    let capacity: Int

    init(scanner: MessageScanner, count: Int, capacity: Int) {
        self.capacity = capacity
        for n in 0..<max(1, count) {
            let thread = Thread { [self] in
                let session = ScanSession(scanner: scanner)
                while let job = next() {
                    let m = job.message
                    job.done(session.scan(m.bytes, source: "milter:" + (m.envelope.queueID ?? "-"), truncatedFrom: m.truncatedFrom))
                }
            }
            thread.name = "milter-scan-\(n)"
            thread.stackSize = 16 << 20
            thread.start()
        }
    }

    /// Queues a message; false when the queue is full (or the workers stopped).
    func submit(_ message: ArrivedMessage, done: @escaping @Sendable (ScanResult) -> Void) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !stopped, jobs.count - head < capacity else { return false }
        jobs.append((message, done))
        condition.signal()
        return true
    }

    /// Lets the workers finish what is queued, then end.
    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    private func next() -> Job? {
        condition.lock()
        defer { condition.unlock() }
        while head == jobs.count && !stopped { condition.wait() }
        guard head < jobs.count else { return nil }
        let job = jobs[head]
        head += 1
        if head > 64 && head * 2 > jobs.count {
            jobs.removeFirst(head)
            head = 0
        }
        return job
    }
}

import Foundation
import SpearCore
public import SpearScan
public import SpearStore

/// Stores messages scanned on other threads (the milter's) into a store, on a thread of its own: what piled up
/// while it stored the last group is stored as one group (`ScanStore.insert(group:)`), committed every
/// `commitEvery` messages or `commitInterval` seconds, and whenever no message came for `linger` seconds (mail
/// arriving steadily is committed in groups: a commit a message cost the milter more than its scan). It never
/// makes the caller wait: a message offered while
/// `capacity` messages are waiting is refused at once, and the caller logs it as not stored. Every outcome is
/// reported (`Outcome`); a store that fails stops the writer, and every message after that is reported not stored.
public final class StoreWriter: @unchecked Sendable {
    public enum Outcome: Sendable {
        case stored(sha256: String)
        case duplicate(sha256: String)
        /// The store refused the message's data, or the writer stopped on an error.
        case notStored(sha256: String, reason: String)
    }

    private let queue: BoundedQueue<StoredMessage>
    private let finished = DispatchSemaphore(value: 0)
    private let report: @Sendable (Outcome) -> Void

    /// `store` is used from the writer's thread only, from here on.
    public init(store: any ScanStore, commitEvery: Int = 1_024, commitInterval: Double = 2, linger: Double = 0.05,
                capacity: Int = 4_096, report: @escaping @Sendable (Outcome) -> Void) {
        queue = BoundedQueue(maxItems: capacity, maxBytes: 512 << 20)
        self.report = report
        let owned = UncheckedBox(value: store)
        let thread = Thread { [self] in
            run(owned.value, policy: CommitPolicy(every: commitEvery, interval: commitInterval), linger: linger)
            finished.signal()
        }
        thread.name = "store-writer"
        thread.start()
    }

    /// The scan as the store keeps it (the batch's own rules: its raw SHA-256, campaign inputs, PPAP notice).
    public static func stored(_ result: ScanResult, bytes: [UInt8]) -> StoredMessage? {
        BatchRunner.stored(result, sha256: Digests.sha256(of: bytes), offset: nil, json: false)
    }

    /// Queues a message; false when the writer is that far behind (the message is not stored).
    public func offer(_ message: StoredMessage) -> Bool {
        queue.offer(message, bytes: message.report.attachments.count * 512 + 4_096)
    }

    /// Stores what is queued, commits, and ends the writer.
    public func close() {
        queue.close()
        finished.wait()
    }

    /// Messages count as stored once a commit has made them durable; a commit that fails leaves every message
    /// since the last one not stored.
    private func run(_ store: any ScanStore, policy: CommitPolicy, linger: Double) {
        var policy = policy
        var failure: String?
        var uncommitted: [String] = []
        func fail(_ reason: String, _ also: [StoredMessage]) {
            failure = reason
            for sha in uncommitted + also.map(\.campaign.sha256) { report(.notStored(sha256: sha, reason: reason)) }
            uncommitted = []
        }
        func commit() throws {
            try store.commit()
            for sha in uncommitted { report(.stored(sha256: sha)) }
            uncommitted = []
        }
        while let first = queue.take() {
            let group = [first] + queue.takeWaiting(limit: BatchRunner.groupLimit)
            if let failure {
                for m in group { report(.notStored(sha256: m.campaign.sha256, reason: failure)) }
                continue
            }
            let outcomes: [InsertOutcome]
            do { outcomes = try store.insert(group: group) } catch {
                fail("\(error)", group)
                continue
            }
            for (m, outcome) in zip(group, outcomes) {
                switch outcome {
                case .stored: uncommitted.append(m.campaign.sha256)
                case .duplicate: report(.duplicate(sha256: m.campaign.sha256))
                case .rejected(let reason): report(.notStored(sha256: m.campaign.sha256, reason: reason))
                }
            }
            var due = false
            for _ in group where policy.stored() { due = true }
            // Nothing else waiting: the next message gets `linger` to come and join this transaction; a quiet
            // moment makes the last messages durable.
            if !due && queue.isEmpty && !queue.waitForItem(until: Date().addingTimeInterval(linger)) { due = true }
            if due {
                do { try commit() } catch { fail("\(error)", []) }
            }
        }
        if failure == nil {
            do { try commit() } catch { fail("\(error)", []) }
        }
    }
}

import Foundation
import SpearSpool
public import SpearStore

/// `batch --claim`: a spool shared by scanners that take its chunks from a PostgreSQL store (`PostgresClaims`)
/// instead of dividing it in advance (`--shard`). Each chunk is scanned as a batch of its own files into the
/// store and made durable before it is marked done; a thread renews the chunk's lease meanwhile. When no chunk is
/// left to take but others' leases still run, the scanner waits for them: a scanner that died leaves its chunk
/// to be taken over, so nothing is skipped. PPAP pairing and learning run once, after the last chunk, over the
/// whole store.
public final class ClaimedBatch {
    public let paths: [String]
    public let options: BatchOptions
    private let store: any ScanStore
    private let claims: PostgresClaims
    private let lease: Double
    private let chunkSize: Int
    private let owner: String

    public init(paths: [String], options: BatchOptions, store: any ScanStore, claims: PostgresClaims, lease: Double, chunkSize: Int) {
        self.paths = paths
        self.options = options
        self.store = store
        self.claims = claims
        self.lease = lease
        self.chunkSize = chunkSize
        owner = "\(ProcessInfo.processInfo.hostName):\(getpid()):\(UUID().uuidString.prefix(8))"
    }

    /// What the scanner did, and the chunks it scanned.
    public struct Result: Sendable {
        public var summary: BatchSummary
        public var chunks: [Int]
        /// Chunks set aside after `PostgresClaims.maxAttempts` scanners died on them.
        public var failedChunks: [Int]
    }

    public func run() throws -> Result {
        let start = Date()
        let format = options.spool.format
        let spool = paths.joined(separator: "\n")
        try claims.prepare(spool: spool, size: chunkSize) { SpoolReader.files(of: paths, format: format).map(Self.line) }
        // Each chunk is read as batches over its runs of files of one format, without the end-of-batch passes.
        var chunkOptions = options
        chunkOptions.ppapWindow = 0
        chunkOptions.learn = false
        var result = Result(summary: BatchSummary(), chunks: [], failedChunks: [])
        claiming: while true {
            switch try claims.claim(owner: owner, lease: lease) {
            case .chunk(let chunk):
                let heartbeat = Heartbeat(claims: claims, chunk: chunk.number, owner: owner, lease: lease)
                let summary: BatchSummary
                do {
                    var total = BatchSummary()
                    for (format, files) in Self.runs(chunk.files) {
                        chunkOptions.spool.format = format
                        total.add(try BatchRunner(paths: files, options: chunkOptions, store: store).run())
                    }
                    summary = total
                    try store.commit()
                } catch {
                    heartbeat.stop()
                    throw error
                }
                heartbeat.stop()
                try claims.done(chunk.number, owner: owner)
                result.summary.add(summary)
                result.chunks.append(chunk.number)
            case .wait(let seconds):
                Thread.sleep(forTimeInterval: min(max(seconds, 0.05), 1.0))
            case .finished(let failed):
                result.failedChunks = failed
                break claiming
            }
        }
        // The passes over the whole store, once this scanner's part is in (each scanner's last pass sees all).
        if options.ppapWindow > 0 || options.learn {
            var passes = options
            passes.spool.format = nil
            let closing = try BatchRunner(paths: [], options: passes, store: store).run()
            result.summary.add(closing)
        }
        result.summary.seconds = Date().timeIntervalSince(start)
        return result
    }
}

extension ClaimedBatch {
    /// A chunk's line for a file: its format (or `detect`), a tab, its path with `%`, tab and newline escaped.
    static func line(_ file: (path: String, format: SpoolFormat?)) -> String {
        let path = file.path.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\t", with: "%09")
            .replacingOccurrences(of: "\n", with: "%0A")
        return (file.format?.rawValue ?? "detect") + "\t" + path
    }

    /// A chunk's lines as runs of files of one format, in order.
    static func runs(_ lines: [String]) -> [(SpoolFormat?, [String])] {
        var out: [(SpoolFormat?, [String])] = []
        for line in lines {
            let parts = line.split(separator: "\t", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else { continue }
            let format = SpoolFormat(rawValue: String(parts[0]))
            let path = String(parts[1]).replacingOccurrences(of: "%0A", with: "\n").replacingOccurrences(of: "%09", with: "\t")
                .replacingOccurrences(of: "%25", with: "%")
            if let last = out.last, last.0 == format { out[out.count - 1].1.append(path) } else { out.append((format, [path])) }
        }
        return out
    }
}

/// Renews a chunk's lease every quarter of it on the claims' connection, until stopped.
private final class Heartbeat: @unchecked Sendable {
    private let stopped = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    init(claims: PostgresClaims, chunk: Int, owner: String, lease: Double) {
        let thread = Thread { [stopped, finished] in
            while stopped.wait(timeout: .now() + lease / 4) == .timedOut {
                // A lost lease (or a failed renewal) only means another scanner may take the chunk over; messages are
                // keyed by their SHA-256, so the work already done is not repeated in the store.
                _ = try? claims.renew(chunk, owner: owner, lease: lease)
            }
            finished.signal()
        }
        thread.start()
    }

    func stop() {
        stopped.signal()
        finished.wait()
    }
}

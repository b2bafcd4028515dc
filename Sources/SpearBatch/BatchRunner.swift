import SpearCore
import Foundation
import SpearCampaigns
import SpearClassify
import SpearMIME
public import SpearScan
import SpearSpool
public import SpearStore

/// Scans a spool in parallel: one reader thread streams messages from the spool, `jobs` worker threads hash
/// and scan them (each with its own libmagic handle and store reader), and the calling thread stores results
/// in spool order, committing every `commitEvery` messages or `commitInterval` seconds. Queues are bounded by
/// count and bytes, so memory does not grow with the spool.
public final class BatchRunner {
    public let paths: [String]
    public let options: BatchOptions
    private let store: (any ScanStore)?
    private let lineSink: ((String) -> Void)?
    private let progress: ((BatchProgress) -> Void)?
    /// Messages of this run stored as not inspected: a PPAP archive among them opened afterwards changes the
    /// summary's counts.
    private var lockedThisRun = Set<String>()
    /// What the store had learned when the batch started: the workers' sender stage applies it.
    private var startKnowledge = SpoolKnowledge()

    /// `store` nil writes JSON Lines only; `lineSink` receives one JSON line per message, in spool order.
    public init(paths: [String], options: BatchOptions, store: (any ScanStore)?, lineSink: ((String) -> Void)? = nil,
                progress: ((BatchProgress) -> Void)? = nil) {
        self.paths = paths
        self.options = options
        self.store = store
        self.lineSink = lineSink
        self.progress = progress
    }

    enum Outcome: Sendable {
        case scanned(StoredMessage, line: String?)
        case skipped
        /// Another shard's (`--shard`).
        case otherShard
        case failed(source: String, offset: Int?, reason: String)
    }

    struct Work: Sendable {
        var sequence: Int
        var item: SpoolItem
    }

    /// Runs the batch to the end. Throws only for what stops everything (an unreadable path given on the command
    /// line, a store that cannot be written); a bad message is recorded and the batch goes on.
    public func run() throws -> BatchSummary {
        let start = Date()
        let runStarted = StoreTime.now()
        let learning = options.learn && options.scan.sender != nil ? store : nil
        startKnowledge = try learning?.knowledge() ?? SpoolKnowledge()
        let reader = try SpoolReader(paths: paths, options: options.spool)
        // The spool's size, for a progress bar's ETA only: measured beside the batch (a stat of every file of a
        // large tree takes a while), and not at all when nobody shows progress. 0 until known.
        let total = Counter()
        if progress != nil {
            let paths = paths
            Thread { total.set(SpoolReader.totalBytes(of: paths)) }.start()
        }
        let jobs = max(1, options.jobs)
        // 64 messages per worker wait to be scanned, so that the DNS records the reader asks for as it queues them
        // arrive first; at most 16 MB of them, so a spool of multi-megabyte messages holds a few, not 64 MB.
        let input = BoundedQueue<Work>(maxItems: jobs * 64, maxBytes: 16 << 20)
        // Room for a whole group of results to wait while the writer stores the last one (a store that is a server
        // takes a group in two round trips, and the workers should not stop scanning meanwhile).
        let output = BoundedQueue<(Int, Outcome)>(maxItems: jobs * 64 + Self.groupLimit, maxBytes: 128 << 20)
        let readBytes = Counter()
        // Results are stored in spool order; a slow message must not let the others pile up behind it. The reader
        // takes a slot per message and the writer gives it back once the message is stored, so at most jobs × 128 + 512
        // messages (and two groups) are in flight, whatever happens.
        // (Created empty and filled: libdispatch traps when a semaphore dies below its initial value, as it would
        // after a batch stopped by a store error.)
        let window = DispatchSemaphore(value: 0)
        for _ in 0..<(jobs * 128 + 2 * Self.groupLimit) { window.signal() }

        startReader(reader, into: input, window: window, readBytes: readBytes)
        try startWorkers(jobs, from: input, into: output)
        var summary = BatchSummary()
        lockedThisRun = []
        var pending: [Int: Outcome] = [:]
        var next = 0
        var commits = CommitPolicy(every: options.commitEvery, interval: options.commitInterval)
        var lastProgress = Date.distantPast
        while let first = output.take() {
            // What piled up while the last group was stored is stored as one group (a store that is a server
            // takes a group in two round trips); a writer that keeps up stores one message at a time.
            for (sequence, outcome) in [first] + output.takeWaiting(limit: Self.groupLimit) { pending[sequence] = outcome }
            var ready: [Outcome] = []
            while let outcome = pending.removeValue(forKey: next) {
                next += 1
                ready.append(outcome)
            }
            for start in stride(from: 0, to: ready.count, by: Self.groupLimit) {
                let group = ready[start..<min(ready.count, start + Self.groupLimit)]
                let started = DispatchTime.now().uptimeNanoseconds
                try record(group, into: &summary)
                summary.storeSeconds += Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
                var due = false
                for _ in group {
                    window.signal()
                    if commits.stored() { due = true }
                }
                if due { try store?.commit() }
            }
            if let progress, Date().timeIntervalSince(lastProgress) >= 0.25 {
                lastProgress = Date()
                summary.bytes = readBytes.value
                progress(BatchProgress(summary: summary, totalBytes: total.value, seconds: Date().timeIntervalSince(start)))
            }
        }
        try store?.commit()
        if options.rescan { try store?.rebuildCampaigns() }
        if let store, options.ppapWindow > 0 {
            let started = DispatchTime.now().uptimeNanoseconds
            let pass = PPAPPass(store: store, scanner: MessageScanner(options: scanOptions), spool: options.spool,
                                window: options.ppapWindow, json: writesJSON, lineSink: lineSink)
            let (opened, tried, crowded) = try pass.run()
            summary.ppapTried = tried
            summary.ppapCrowded = crowded
            summary.ppapOpened = opened.count
            // An archive of this run, opened now, is counted by its new verdict.
            for (sha, status) in opened where lockedThisRun.contains(sha) { summary.move(from: .notInspected, to: status) }
            summary.storeSeconds += Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        }
        if let learning {
            let started = DispatchTime.now().uptimeNanoseconds
            let pass = LearningPass(store: learning, scanner: MessageScanner(options: scanOptions), spool: options.spool,
                                    json: writesJSON, rules: options.learningRules, runStarted: runStarted, lineSink: lineSink)
            let (result, moved) = try pass.run()
            summary.learning = result
            // Messages of this run scored again are counted by their new verdict.
            for (from, to) in moved { summary.move(from: from, to: to) }
            summary.storeSeconds += Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        }
        summary.bytes = readBytes.value
        summary.seconds = Date().timeIntervalSince(start)
        progress?(BatchProgress(summary: summary, totalBytes: total.value, seconds: summary.seconds))
        return summary
    }

    /// The reader thread: streams the spool into `input`, one window slot per message, skipping the store's own
    /// files.
    private func startReader(_ reader: SpoolReader, into input: BoundedQueue<Work>, window: DispatchSemaphore, readBytes: Counter) {
        let owned = UncheckedBox(value: reader)  // the reader thread alone uses it from here on
        // The store's own files are never read as messages when it lives inside the spool.
        let excluded = FileIdentity.set(of: store?.files ?? [])
        let sender = scanOptions.sender
        let thread = Thread {
            let reader = owned.value
            var sequence = 0
            while let item = reader.next() {
                window.wait()
                if !excluded.isEmpty, case .message(let m) = item, m.offset == nil,
                   let id = FileIdentity(path: m.source), excluded.contains(id) {
                    window.signal()
                    continue
                }
                let size: Int
                if case .message(let m) = item {
                    size = m.bytes.count
                    // Its DNS records are asked for now, while it waits in the queue behind the others.
                    sender?.prefetch(raw: m.bytes)
                } else {
                    size = 0
                }
                input.put(Work(sequence: sequence, item: item), bytes: size)
                sequence += 1
                readBytes.set(reader.bytesRead)
            }
            input.close()
        }
        thread.name = "spool-reader"
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// The scanning threads: each owns a `ScanSession` (scanner and libmagic handle) and a store reader; the last
    /// to finish closes `output`.
    private func startWorkers(_ jobs: Int, from input: BoundedQueue<Work>, into output: BoundedQueue<(Int, Outcome)>) throws {
        let scanner = MessageScanner(options: scanOptions)
        let lookups = try (0..<jobs).map { _ in try store?.makeReader() }
        let finished = Counter()
        for job in 0..<jobs {
            let lookup = lookups[job].map(UncheckedBox.init)
            let rescan = options.rescan
            let wantJSON = writesJSON
            let shard = options.shard
            let thread = Thread {
                let session = ScanSession(scanner: scanner)
                while let work = input.take() {
                    let outcome = Self.process(work.item, session: session, lookup: lookup?.value, rescan: rescan, json: wantJSON,
                                               shard: shard)
                    output.put((work.sequence, outcome), bytes: outcome.size)
                }
                if finished.increment() == jobs { output.close() }
            }
            thread.name = "scan-\(job)"
            thread.stackSize = 16 << 20
            thread.start()
        }
    }

    /// Whether each message's scan JSON is written (JSON lines, or kept in the store).
    private var writesJSON: Bool { lineSink != nil || options.storeReportJSON }

    private var scanOptions: ScanOptions {
        var scan = Self.storeScanOptions(options.scan, json: writesJSON)
        scan.senderAsksAhead = false  // the reader thread asks, well before a worker parses the message
        if !startKnowledge.isEmpty, let sender = scan.sender { scan.sender = sender.applying(startKnowledge) }
        return scan
    }

    /// A scan's options for messages the store keeps (the batch, and `spearscan rescore`).
    public static func storeScanOptions(_ options: ScanOptions, json: Bool) -> ScanOptions {
        var scan = options
        // The batch hashes the raw message itself (to skip known ones before scanning).
        scan.messageDigest = false
        scan.keepPayloads = false
        // The store keeps each file's MIME type; libmagic's description is written only in JSON.
        scan.magicDescriptions = json
        return scan
    }

    /// Messages stored in one call at most.
    static let groupLimit = 512

    /// Records a group of outcomes in spool order: the scanned messages are stored as one group.
    private func record(_ outcomes: ArraySlice<Outcome>, into summary: inout BatchSummary) throws {
        var stored: ArraySlice<InsertOutcome> = []
        if let store {
            let messages = outcomes.compactMap { outcome -> StoredMessage? in
                if case .scanned(let message, _) = outcome { return message }
                return nil
            }
            if options.rescan {
                // Each removed and stored again in turn, as before groups: a store that numbers rows after the
                // highest one (SQLite) gives each its new, higher number, which tells it from rows of an older
                // version (`meta.iocs_from_row`).
                var each: [InsertOutcome] = []
                for message in messages {
                    try store.remove(sha256: message.campaign.sha256)
                    each += try store.insert(group: [message])
                }
                stored = each[...]
            } else if !messages.isEmpty {
                stored = try store.insert(group: messages)[...]
            }
        }
        for outcome in outcomes {
            var result = InsertOutcome.stored
            if case .scanned = outcome, store != nil { result = stored.popFirst() ?? .stored }
            try record(outcome, stored: result, into: &summary)
        }
    }

    /// Records one outcome; `stored` is what became of a scanned message in the store.
    private func record(_ outcome: Outcome, stored: InsertOutcome, into summary: inout BatchSummary) throws {
        switch outcome {
        case .skipped:
            summary.skipped += 1
        case .otherShard:
            summary.otherShards += 1
        case .failed(let source, let offset, let reason):
            summary.failed += 1
            try store?.recordFailure(source: source, offset: offset, reason: reason)
            lineSink?(Self.json(FailureRecord(source: source, offset: offset, error: reason)) ?? "")
        case .scanned(let message, let line):
            if let store {
                switch stored {
                case .rejected(let reason):
                    summary.failed += 1
                    try store.recordFailure(source: message.report.source, offset: message.offset, reason: "not stored: \(reason)")
                    return
                case .duplicate:
                    summary.skipped += 1
                    return
                case .stored:
                    try store.clearFailure(source: message.report.source, offset: message.offset)
                }
            }
            summary.scanned += 1
            switch message.report.verdict.status {
            case .suspicious: summary.suspicious += 1
            case .notInspected:
                summary.notInspected += 1
                if store != nil { lockedThisRun.insert(message.campaign.sha256) }
            case .clean: break
            }
            if let line { lineSink?(line) }
        }
    }

    private static func process(_ item: SpoolItem, session: ScanSession, lookup: (any StoreReader)?,
                                rescan: Bool, json wantJSON: Bool, shard: Shard?) -> Outcome {
        switch item {
        case .failed(let source, let offset, let reason):
            if let shard, !shard.owns(name: source) { return .otherShard }
            return .failed(source: source, offset: offset, reason: reason)
        case .message(let m):
            if let shard, shard.key == .name, !shard.owns(name: m.source) { return .otherShard }
            let sha = Digests.sha256(of: m.bytes)
            if let shard, shard.key == .hash, !shard.owns(sha256: sha, source: m.source) { return .otherShard }
            if !rescan, let lookup, (try? lookup.contains(sha256: sha)) == true { return .skipped }
            let result = session.scan(m.bytes, source: m.source, truncatedFrom: m.originalSize)
            // A file in a spool that is not mail at all (a README, a script) is not a message to count.
            if let notMail = result.report.defects.first(where: { $0.code == .notAMessage || $0.code == .emptyMessage }) {
                return .failed(source: m.source, offset: m.offset, reason: "not an email message: \(notMail.detail)")
            }
            guard let stored = stored(result, sha256: sha, offset: m.offset, json: wantJSON) else {
                return .failed(source: m.source, offset: m.offset, reason: "the scan report could not be encoded as JSON")
            }
            return .scanned(stored, line: stored.reportJSON)
        }
    }

    /// A scan as the store keeps it: the report with its raw SHA-256, the campaign inputs, the JSON line when
    /// asked for (nil: it could not be encoded), and the passwords a notice without attachments gives.
    public static func stored(_ result: ScanResult, sha256 sha: String, offset: Int?, json wantJSON: Bool) -> StoredMessage? {
        var scan = result
        scan.report.sha256 = sha
        let report = scan.report
        let campaign = CampaignMessage(report: report, texts: scan.texts)
        var line: String?
        if wantJSON {
            line = json(BatchRecord(report: report, offset: offset, campaign: campaign))
            if line == nil { return nil }
        }
        let notice = report.attachments.isEmpty ? PasswordFinder.notice(in: scan.texts.map { ($0.mimePath, $0.text) }).map(\.value) : []
        return StoredMessage(report: report, campaign: campaign, offset: offset, reportJSON: line, passwordNotice: notice)
    }

    static func json(_ value: some Encodable) -> String? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) }
    }
}

extension BatchRunner.Outcome {
    var size: Int {
        if case .scanned(let message, let line) = self {
            return (line?.utf8.count ?? 0) + message.report.attachments.count * 512 + 4_096
        }
        return 0
    }
}

/// When the writer commits: after `every` messages or `interval` seconds, whichever comes first (a batch killed
/// at any moment loses at most that much scanning, never a half-stored message).
struct CommitPolicy {
    let every: Int
    let interval: Double
    private var since = 0
    private var last = Date()

    init(every: Int, interval: Double) {
        self.every = every
        self.interval = interval
    }

    /// Counts one stored message; true when it is time to commit (the count and the clock start again).
    mutating func stored(now: Date = Date()) -> Bool {
        since += 1
        guard since >= every || now.timeIntervalSince(last) >= interval else { return false }
        since = 0
        last = now
        return true
    }
}

/// A thread-safe integer for counts shared between the batch's threads.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    var value: Int { lock.withLock { count } }
    func set(_ v: Int) { lock.withLock { count = v } }
    func increment() -> Int { lock.withLock { count += 1; return count } }
}

/// Hands a non-Sendable object to exactly one thread, which then owns it.
struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
}

/// A file's device and inode: the same file whatever path names it.
struct FileIdentity: Hashable, Sendable {
    var device: UInt64
    var inode: UInt64

    init?(path: String) {
        var st = stat()
        guard lstat(path, &st) == 0 else { return nil }
        device = UInt64(st.st_dev)
        inode = UInt64(st.st_ino)
    }

    static func set(of paths: [String]) -> Set<FileIdentity> { Set(paths.compactMap(FileIdentity.init)) }
}

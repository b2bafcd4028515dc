public import SpearCore
public import SpearScan
public import SpearSpool

/// How a batch runs.
public struct BatchOptions: Sendable {
    /// Scanning threads (each with its own libmagic handle and store reader).
    public var jobs: Int = 2
    /// Scan and store again messages the store already holds.
    public var rescan = false
    public var scan = ScanOptions()
    public var spool = SpoolOptions()
    /// A transaction is committed after this many messages or `commitInterval` seconds, whichever comes first:
    /// a batch killed at any moment loses at most that much scanning, never a half-stored message. Larger
    /// groups write each hot index page once per group instead of once per message.
    public var commitEvery = 1_024
    public var commitInterval = 2.0
    /// Keep each message's whole scan JSON in the store (`messages.report_json`). Off by default: encoding and
    /// storing it was a sixth of a batch's time, and the rows hold what is queried.
    public var storeReportJSON = false
    /// PPAP: after the batch, a stored archive no password opened is tried with the passwords of the notices sent
    /// within this many seconds of it (either side) by the same sender or domain to a common recipient; 0 turns
    /// the pass off.
    public var ppapWindow: Double = 48 * 3_600
    /// Spool learning (issue #14): scan with the MX operators and correspondents the store learned, learn again
    /// at the end of the batch, and rescore the stored messages whose verdict that changes. Store mode only.
    public var learn = true
    public var learningRules = LearningRules()
    /// Several batches sharing one spool: this one takes its shard only; nil takes everything.
    public var shard: Shard?

    public init() {}
}

/// What a batch did.
public struct BatchSummary: Sendable, Hashable, Encodable {
    /// Messages scanned and stored (or written as JSON Lines) in this run.
    public var scanned = 0
    /// Messages the store already held (incremental rerun), and repeated copies of one raw message.
    public var skipped = 0
    /// Messages that could not be read or scanned; recorded with their reason.
    public var failed = 0
    /// Messages (and unreadable files) left to the other shards (`--shard`).
    public var otherShards = 0
    /// Of the scanned messages, those whose verdict is suspicious.
    public var suspicious = 0
    /// Of the scanned messages, those with nothing against them but something not inspected.
    public var notInspected = 0
    /// Raw bytes read from the spool.
    public var bytes = 0
    public var seconds = 0.0
    /// Of `seconds`, the time the writer spent storing (the part that does not run in parallel).
    public var storeSeconds = 0.0
    /// PPAP: locked archives in the store tried with a notice's passwords after the batch, and those opened.
    public var ppapTried = 0
    public var ppapOpened = 0
    /// Archives with more notices near them than one batch tries (the nearest are tried, the rest next time).
    public var ppapCrowded = 0
    /// Spool learning at the end of the batch; nil when it did not run (no store, or `--no-learn`).
    public var learning: LearningSummary?

    public init() {}

    /// A message of this run judged again after the batch (PPAP opened it, learning rescored it) is counted by
    /// its new verdict.
    mutating func move(from old: Verdict.Status, to new: Verdict.Status) {
        if old == .suspicious { suspicious -= 1 }
        if old == .notInspected { notInspected -= 1 }
        if new == .suspicious { suspicious += 1 }
        if new == .notInspected { notInspected += 1 }
    }

    /// Adds another run's counts (a claimed chunk's batch, `ClaimedBatch`); the later learning summary wins.
    mutating func add(_ other: BatchSummary) {
        scanned += other.scanned
        skipped += other.skipped
        failed += other.failed
        otherShards += other.otherShards
        suspicious += other.suspicious
        notInspected += other.notInspected
        bytes += other.bytes
        storeSeconds += other.storeSeconds
        ppapTried += other.ppapTried
        ppapOpened += other.ppapOpened
        ppapCrowded += other.ppapCrowded
        learning = other.learning ?? learning
    }
}

/// Progress for a display: counts so far and the spool's total size, for a rate and an ETA.
public struct BatchProgress: Sendable {
    public var summary: BatchSummary
    public var totalBytes: Int
    public var seconds: Double
}

public import ArgumentParser
import Foundation
import SpearBatch
import SpearCampaigns
import SpearScan
import SpearDNS
import SpearSender
import SpearSpool
import SpearStore
#if canImport(Glibc)
import Glibc
#endif

struct BatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract: "Scan a mail spool (Maildir, mbox, a directory tree, files) in parallel into a store, and find campaigns.",
        discussion: """
            Messages already in the store (same SHA-256 of the raw message) are skipped; --rescan redoes them. A batch \
            killed at any moment keeps every message it had committed; rerun it to finish. A message that cannot be \
            read is recorded as failed with its reason. Exit status: 0 done, nothing suspicious; 1 done, something \
            suspicious (with --fail-on not-inspected: or not inspected); 2 done, but some messages failed, or a path or the store could not be used.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case summary, jsonl }

    @Argument(help: "Maildir folders, mbox files (optionally .gz), directories of messages, or message files.")
    var paths: [String]

    @Option(help: "Input format: maildir, mbox, directory or file (default: detected per path).")
    var inputFormat: SpoolFormat?

    @Option(help: "mbox flavour: auto (Content-Length when it checks out, else mboxrd), mboxo, mboxrd or mboxcl2.")
    var mboxVariant: MboxVariant = .auto

    @Option(help: "The store: a SQLite path (created when missing), sqlite:PATH, or a PostgreSQL URL (postgres://user@host:port/db; PG* variables and ~/.pgpass as libpq reads them).")
    var db: String = "spearscan.db"

    @Option(help: "Seconds to wait for a store another process holds locked (SQLite) or a database that is away (PostgreSQL restarting or unreachable) before giving up.")
    var dbWait: Double = 300

    @Flag(help: "Do not write a store (use with --format jsonl).")
    var noDb = false

    @Option(help: "summary (a summary at the end) or jsonl (one scan JSON line per message on standard output).")
    var format: Format = .summary

    @Option(help: "Scanning threads (default: the number of cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Messages per transaction: a killed batch redoes at most this many (default: 1024, or 2 seconds' worth).")
    var commitEvery: Int = 1_024

    @Option(help: "PPAP: after the batch, open stored password-protected archives with the passwords of notice mails sent within this many hours of them (either side) by the same sender or domain to a common recipient; 0 turns it off.")
    var ppapWindow: Double = 48

    @Flag(help: "Scan and store again messages the store already holds.")
    var rescan = false

    @Option(help: "Take shard K of N (1 <= K <= N) of the spool: N batches, on one machine or several, each with its own --shard, scan every message once.")
    var shard: String?

    @Option(help: "What assigns a message to a shard: hash (of the raw message: even shares) or name (the file's name: each batch reads only its files).")
    var shardBy: Shard.Key = .hash

    @Flag(help: "Share the spool with other scanners through a PostgreSQL store: take chunks of it from the database until none is left; a scanner that dies leaves its chunk to the others once its lease runs out.")
    var claim = false

    @Option(help: "With --claim: the name of the shared run (default: the spool paths as given); scanners of one run must give the same paths.")
    var claimRun: String?

    @Option(help: "With --claim: files per chunk.")
    var claimChunk: Int = 256

    @Option(help: "With --claim: seconds a chunk stays with its scanner without a renewal (renewed every quarter of it).")
    var claimLease: Double = 120

    @Flag(help: "Do not learn from the store: no learned MX operators, correspondents or names are applied, none are learned at the end, nothing is rescored (see `spearscan trust`).")
    var noLearn = false

    @Flag(help: "Also keep each message's whole scan JSON in the store (messages.report_json).")
    var storeJSON = false

    @OptionGroup var bulk: BulkOptionGroup

    @Flag(inversion: .prefixedNo, help: "A progress line on standard error (default: when it is a terminal).")
    var progress: Bool?

    @OptionGroup var scanOptions: ScanOptionGroup

    /// glibc raises its mmap threshold after the first large buffer is freed, and from then on keeps megabyte
    /// buffers (raw messages, decoded attachments) in each thread's heap after they are freed: a spool of large
    /// messages grew the batch past 350 MB. A fixed threshold returns them to the system at once (a little more
    /// system time for page faults), so the peak stays flat whatever the spool holds.
    static func boundMallocRetention() {
        #if canImport(Glibc)
        // mallopt is declared in <malloc.h>, which the Glibc module does not export; looked up by name instead.
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        let mmapThreshold: Int32 = -3, trimThreshold: Int32 = -1  // M_MMAP_THRESHOLD, M_TRIM_THRESHOLD
        _ = mallopt(mmapThreshold, 1 << 20)
        _ = mallopt(trimThreshold, 32 << 20)
        #endif
    }

    func validate() throws {
        if paths.isEmpty { throw ValidationError("name at least one spool PATH") }
        if jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if noDb && format != .jsonl { throw ValidationError("--no-db writes nothing unless --format jsonl") }
        if scanOptions.defang {
            throw ValidationError("--defang is for what scan prints; a batch stores and writes indicators as found (spearscan export shares them, jq can defang)")
        }
        if claim {
            if shard != nil { throw ValidationError("--claim and --shard both divide the spool; give one") }
            if noDb { throw ValidationError("--claim takes its chunks from the store: it needs --db postgres://…") }
            guard case .postgres = try? StoreLocation(db) else { throw ValidationError("--claim needs a PostgreSQL store (--db postgres://…)") }
            if format == .jsonl { throw ValidationError("--claim writes to the store and a summary; JSON Lines come from a batch of its own") }
            if rescan { throw ValidationError("--claim takes each file once; rescan a store with a batch of its own (--rescan)") }
            if claimChunk < 1 { throw ValidationError("--claim-chunk must be at least 1") }
            if !(claimLease >= 2 && claimLease.isFinite) { throw ValidationError("--claim-lease must be at least 2 seconds") }
        }
        if let shard {
            do { _ = try Shard(shard, key: shardBy) } catch { throw ValidationError("--shard: \(error)") }
        }
    }

    func run() async throws {
        Self.boundMallocRetention()
        var options = BatchOptions()
        options.jobs = jobs
        guard commitEvery >= 1 else { throw ValidationError("--commit-every must be at least 1") }
        options.commitEvery = commitEvery
        guard ppapWindow >= 0, ppapWindow.isFinite else { throw ValidationError("--ppap-window must be 0 or more hours") }
        options.ppapWindow = ppapWindow * 3_600
        options.rescan = rescan
        options.shard = try shard.map { try Shard($0, key: shardBy) }
        options.learn = !noLearn
        options.storeReportJSON = storeJSON
        options.scan = try scanOptions.makeOptions()
        options.spool.format = inputFormat
        options.spool.mboxVariant = mboxVariant
        options.spool.maxMessageBytes = options.scan.maxMessageBytes
        let store: (any ScanStore)?
        guard dbWait >= 0, dbWait.isFinite else { throw ValidationError("--db-wait must be 0 or more seconds") }
        do { store = noDb ? nil : try Stores.open(try StoreLocation(db), lockWait: Output.lockWait(limit: dbWait)) } catch {
            Output.error("\(error)")
            throw ExitCode(2)
        }
        let showProgress = progress ?? (isatty(2) != 0)
        let bar = showProgress ? ProgressLine() : nil
        let summary: BatchSummary
        var claimed: ClaimedBatch.Result?
        do {
            if claim, let store, case .postgres(let location) = try StoreLocation(db) {
                let claims = try PostgresClaims(location: location, run: claimRun ?? paths.joined(separator: " "), wait: Output.lockWait(limit: dbWait))
                claimed = try ClaimedBatch(paths: paths, options: options, store: store, claims: claims, lease: claimLease,
                                           chunkSize: claimChunk).run()
                summary = claimed?.summary ?? BatchSummary()
            } else {
                let runner = BatchRunner(paths: paths, options: options, store: store,
                                         lineSink: format == .jsonl ? { Output.write($0 + "\n") } : nil,
                                         progress: bar.map { bar in { bar.show($0) } })
                summary = try runner.run()
            }
        } catch {
            bar?.finish()
            Output.error("\(error)")
            throw ExitCode(2)
        }
        bar?.finish()
        var lines = [Self.describe(summary)]
        if let claimed {
            lines.append("claim: \(claimed.chunks.count) chunks scanned here"
                + (claimed.failedChunks.isEmpty ? "" : "; chunks \(claimed.failedChunks.map(String.init).joined(separator: ", ")) set aside after \(PostgresClaims.maxAttempts) scanners stopped on them"))
        }
        if summary.ppapTried > 0 {
            lines.append("ppap: \(summary.ppapOpened) of \(summary.ppapTried) password-protected archives opened with the password from another message"
                + (summary.ppapCrowded > 0 ? "; \(summary.ppapCrowded) had more than 8 notices near them: the 8 nearest were tried, the rest are tried by the next batch" : ""))
        }
        if let learning = summary.learning { lines.append(Self.describe(learning)) }
        if let dns = (options.scan.sender as? SenderAnalyzer)?.dns {
            let stats = dns.prefetchStats
            lines.append("dns: \(dns.lookups) lookups, \(stats.prefetched) of them asked ahead (at most \(stats.peakInFlight) at once); "
                + "\(stats.waited) times a scan waited for an answer on its way")
            if let notice = dns.unavailableNotice { lines.append("dns: " + notice) }
        }
        if let store {
            let counts = try store.counts()
            let labels = try store.campaignCounts(rule: bulk.rule, linkSimilar: bulk.linkSimilar)
            lines.append("store \(StoreLocation.named(db)): \(counts.messages) messages, \(counts.failed) failed; "
                + "\(labels.campaigns) campaigns of two or more messages or bulk-type (\(labels.bulk) bulk-type, "
                + "\(labels.targeted) targeted, \(labels.bulkAndTargeted) both)")
        }
        let text = lines.joined(separator: "\n") + "\n"
        if format == .jsonl { FileHandle.standardError.write(Data(text.utf8)) } else { Output.write(text) }
        if summary.failed > 0 || !(claimed?.failedChunks.isEmpty ?? true) { throw ExitCode(2) }
        if summary.suspicious > 0 || (scanOptions.failOn == .notInspected && summary.notInspected > 0) { throw ExitCode(1) }
    }

    static func describe(_ l: LearningSummary) -> String {
        var text = "learning: \(l.operators) MX operators (\(l.providers) a provider in front of the organisation), "
            + "\(l.correspondents) correspondents (\(l.refused) refused as lookalikes), \(l.names) names; "
            + "rescored \(l.rescored) stored messages (\(l.nowSuspicious) now suspicious, \(l.noLongerSuspicious) no longer)"
        if l.unavailable > 0 { text += "; \(l.unavailable) to rescore could not be read again from the spool" }
        if !l.capped.isEmpty { text += "; caps reached: \(l.capped.joined(separator: ", ")) (the strongest were learned)" }
        if !l.trusted.isEmpty {
            text += "\ntrusted by position: " + l.trusted.prefix(5).joined(separator: "; ")
                + (l.trusted.count > 5 ? "; \(l.trusted.count - 5) more (spearscan trust)" : "")
        }
        return text
    }

    static func describe(_ s: BatchSummary) -> String {
        let mb = Double(s.bytes) / 1_000_000
        let rate = s.seconds > 0 ? Double(s.scanned + s.skipped) / s.seconds : 0
        return "batch: scanned \(s.scanned), skipped \(s.skipped), failed \(s.failed)"
            + (s.otherShards > 0 ? ", \(s.otherShards) for other shards" : "")
            + "; suspicious \(s.suspicious), not inspected \(s.notInspected); "
            + String(format: "%.1f MB in %.1f s (%.0f messages/s, %.1f MB/s; storing %.1f s)", mb, s.seconds, rate,
                     s.seconds > 0 ? mb / s.seconds : 0, s.storeSeconds)
    }
}

extension SpoolFormat: ExpressibleByArgument {}
extension MboxVariant: ExpressibleByArgument {}
extension Shard.Key: ExpressibleByArgument {}

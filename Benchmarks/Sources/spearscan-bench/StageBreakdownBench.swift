import Foundation
import SpearBatch
import SpearClassify
import SpearCore
import SpearDomains
import SpearIndicators
import SpearScan
import SpearSender
import SpearStore

/// Issue #15's per-stage breakdown: the CPU a batch spends on each small message (under `maxSize` bytes), stage
/// by stage, on one core and in process: the scanner's own stages (`ScanOptions.timeStages`), then what the
/// batch adds — the SHA-256 of the raw message, the store's record (fingerprints, PPAP notice, JSON when asked)
/// and its insert into SQLite (committed every 128, as the batch does). Attachment digests are split off the
/// collect stage by hashing the same decoded bytes again. The sender runs offline (no DNS), as in the suite.
///
///     spearscan-bench --stages DIR [--sample N] [--max-size BYTES]
enum StageBreakdownBench {
    static func run(directory: String, sample: Int, maxSize: Int) throws {
        var files: [String] = []
        if let walker = FileManager.default.enumerator(atPath: directory) {
            for case let path as String in walker where path.hasSuffix(".eml") { files.append(directory + "/" + path) }
        }
        files.sort()
        var messages: [[UInt8]] = []
        for f in files where messages.count < sample {
            if let data = FileManager.default.contents(atPath: f), data.count <= maxSize { messages.append(Array(data)) }
        }
        guard !messages.isEmpty else {
            print("stages: no .eml files of at most \(maxSize) bytes under \(directory)")
            return
        }
        var options = BatchRunner.storeScanOptions(ScanOptions(), json: false)
        options.sender = SenderAnalyzer(keys: .offline, dns: nil)
        options.indicators = IndicatorExtractor(psl: PublicSuffixList.system)  // as the CLI's batch runs it
        options.timeStages = true
        options.keepPayloads = true  // to hash the attachments again; the store never sees them
        let scanner = MessageScanner(options: options)
        let magic = try Magic()
        let dbPath = NSTemporaryDirectory() + "spearscan-stages-\(getpid()).db"
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: dbPath + suffix) } }
        let store = try SQLiteStore(path: dbPath)

        let names = ["parse", "headers", "decode", "digests", "unpack+classify", "sender", "indicators", "report", "message sha256",
                     "store record", "store insert", "total"]
        var samples = names.map { _ in [Double]() }
        func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }
        for (k, bytes) in messages.enumerated() {
            let t0 = now()
            let sha = Digests.sha256(of: bytes)
            let t1 = now()
            var result = scanner.scan(bytes, source: "bench/\(k).eml", magic: magic)
            let times = result.times ?? StageTimes()
            let t2 = now()
            for p in result.payloads where !p.mimePath.contains(":") { _ = Digests(of: p.bytes) }
            let digests = now() - t2
            result.payloads = []
            let t3 = now()
            guard let stored = BatchRunner.stored(result, sha256: sha, offset: nil, json: false) else { continue }
            let t4 = now()
            _ = try store.insert(stored)
            if k % 128 == 127 { try store.commit() }
            let t5 = now()
            let values: [UInt64] = [times.parse, times.headers, times.collect - min(times.collect, digests), digests, times.unpack,
                                    times.sender, times.indicators, times.report, t1 - t0, t4 - t3, t5 - t4]
            let total = values.reduce(0, +)
            for (i, v) in (values + [total]).enumerated() { samples[i].append(Double(v) / 1e6) }
        }
        try store.commit()
        let bytes = messages.reduce(0) { $0 + $1.count }
        print(String(format: "stages: %d messages of at most %d bytes (median %d bytes), one core, ms per message",
                     messages.count, maxSize, messages.map(\.count).sorted()[messages.count / 2]))
        print("  stage              median      mean       p99   share of mean")
        let meanTotal = samples.last!.reduce(0, +) / Double(messages.count)
        for (i, name) in names.enumerated() {
            let sorted = samples[i].sorted()
            let mean = sorted.reduce(0, +) / Double(sorted.count)
            print("  " + name.padding(toLength: 16, withPad: " ", startingAt: 0)
                + String(format: " %8.4f  %8.4f  %8.4f   %5.1f %%", sorted[sorted.count / 2], mean, sorted[sorted.count * 99 / 100],
                         100 * mean / meanTotal))
        }
        print(String(format: "  %.1f MB in %.3f s of stages: %.1f MB/s on one core", Double(bytes) / 1e6,
                     samples.last!.reduce(0, +) / 1000, Double(bytes) / 1e6 / (samples.last!.reduce(0, +) / 1000)))
    }
}

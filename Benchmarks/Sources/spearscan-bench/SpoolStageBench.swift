import Foundation
import SpearClassify
import SpearMIME
import SpearScan
import SpearUnpack

/// Stage costs over real spool messages, in process on one core: MIME parse MB/s, whole-scan latency per
/// message (p50/p99, no process start-up), and unpack + classify cost per attachment. The suite runs it on the
/// same spool as the tools it compares (`spearscan-bench --spool DIR [--sample N]`).
enum SpoolStageBench {
    static func run(directory: String, sample: Int) {
        var files: [String] = []
        if let walker = FileManager.default.enumerator(atPath: directory) {
            for case let path as String in walker where path.hasSuffix(".eml") { files.append(directory + "/" + path) }
        }
        files.sort()
        let step = max(1, files.count / max(1, sample))
        let chosen = stride(from: 0, to: files.count, by: step).prefix(sample).map { files[$0] }
        let messages = chosen.compactMap { FileManager.default.contents(atPath: $0).map { Array($0) } }
        let bytes = messages.reduce(0) { $0 + $1.count }
        guard !messages.isEmpty else {
            print("spool: no .eml files under \(directory)")
            return
        }

        // MIME parse only (headers, structure, no decoding of bodies beyond what the parser does).
        let parser = MIMEParser(limits: .default)
        var parseTimes: [Double] = []
        for _ in 0..<3 {
            let start = DispatchTime.now().uptimeNanoseconds
            for m in messages { _ = parser.parse(m) }
            parseTimes.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        let parseSeconds = parseTimes.min()!
        print(String(format: "spool parse       %6d messages %8.1f MB  %8.1f MB/s (MIME parse, one core)",
                     messages.count, Double(bytes) / 1e6, Double(bytes) / 1e6 / parseSeconds))

        // Whole scan per message, no sender analysis (as `batch --no-sender` scans), in process.
        let magic = try? Magic()
        var options = ScanOptions()
        options.keepPayloads = true
        let scanner = MessageScanner(options: options)
        var latencies: [Double] = []
        var payloads: [Payload] = []
        for m in messages {
            let start = DispatchTime.now().uptimeNanoseconds
            let result = scanner.scan(m, source: "bench", magic: magic)
            latencies.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            payloads += result.payloads.filter { !$0.bytes.isEmpty }
        }
        let total = latencies.reduce(0, +) / 1000
        latencies.sort()
        print(String(format: "spool scan        p50 %.3f ms  p99 %.3f ms  max %.3f ms per message; %.1f MB/s (one core, in process)",
                     latencies[latencies.count / 2], latencies[latencies.count * 99 / 100], latencies.last!,
                     Double(bytes) / 1e6 / total))

        // Unpack (libarchive) + classify (signatures + libmagic) of each decoded attachment, one level.
        let classifier = Classifier()
        var perAttachment: [Double] = []
        for p in payloads.prefix(5_000) {
            let start = DispatchTime.now().uptimeNanoseconds
            let identified = magic?.identify(p.bytes) ?? Magic.Result(description: "libmagic unavailable", mimeType: "application/octet-stream")
            var view: ContainerView?
            if Classifier.mayBeContainer(p.bytes),
               let unpacked = Unpacker.unpack(p.bytes, passwords: [], budget: UnpackBudget(limits: UnpackLimits())) {
                view = ContainerView(names: unpacked.entries.map(\.path)) { name in unpacked.entries.first { $0.path == name }?.bytes }
            }
            _ = classifier.classify(p.bytes, name: p.filename, magic: identified, container: view)
            perAttachment.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        perAttachment.sort()
        if !perAttachment.isEmpty {
            print(String(format: "spool attachment  p50 %.3f ms  p99 %.3f ms per file (unpack + classify, %d files)",
                         perAttachment[perAttachment.count / 2], perAttachment[perAttachment.count * 99 / 100], perAttachment.count))
        }
    }
}

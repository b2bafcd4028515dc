import Foundation
import SpearMIME
import SpearSender

/// Sender scoring without DNS (`SenderAnalyzer.analyze`, the 0.2 ms budget): every message of Samples/,
/// the labelled set and the DKIM fixtures, parsed once beforehand, then analysed round after round. Two key
/// sources: none (`--offline`: DKIM signatures not verified) and the key file (RSA/Ed25519 verification
/// included). Prints the median and 99th percentile of the per-message times, in microseconds.
enum SenderBench {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static func messages() -> [(String, MIMEMessage)] {
        var out: [(String, MIMEMessage)] = []
        // SENDER_BENCH_ONLY=substring: only the matching messages (to profile one).
        let only = ProcessInfo.processInfo.environment["SENDER_BENCH_ONLY"]
        for dir in ["Samples", "Tests/Fixtures/sender", "Tests/Fixtures/dkim"] {
            let url = root.appendingPathComponent(dir)
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []).filter { $0.hasSuffix(".eml") }.sorted()
            for name in names where only.map({ name.contains($0) }) ?? true {
                guard let data = FileManager.default.contents(atPath: url.appendingPathComponent(name).path) else { continue }
                out.append(("\(dir)/\(name)", MIMEParser().parse([UInt8](data))))
            }
        }
        return out
    }

    static func run(profileOnly: Bool) {
        let all = messages()
        guard !all.isEmpty else { print("no messages found under \(root.path)"); return }
        let config = (try? SenderConfig.load(path: root.appendingPathComponent("Tests/Fixtures/sender/config.yaml").path)) ?? SenderConfig()
        let keyText = (try? String(contentsOf: root.appendingPathComponent("Tests/Fixtures/sender/keys.txt"), encoding: .utf8)) ?? ""
        let offline = SenderAnalyzer(config: config, keys: .offline, dns: nil)
        let withKeys = SenderAnalyzer(config: config, keys: .file(contents: keyText), dns: nil)
        if profileOnly {
            // A fixed amount of work for valgrind --tool=callgrind.
            for _ in 0..<20 { for (_, m) in all { _ = offline.analyze(m) } }
            return
        }
        for (label, analyzer) in [("keys offline", offline), ("keys from file", withKeys)] {
            for (_, m) in all { _ = analyzer.analyze(m) }  // warm-up: PSL pages, lazy tables
            var times: [Double] = []
            var slowest: [String: Double] = [:]
            for _ in 0..<200 {
                for (name, m) in all {
                    let start = DispatchTime.now().uptimeNanoseconds
                    let report = analyzer.analyze(m)
                    let micro = Double(DispatchTime.now().uptimeNanoseconds - start) / 1000
                    precondition(report.score >= 0)
                    times.append(micro)
                    slowest[name] = min(slowest[name] ?? .infinity, micro)
                }
            }
            times.sort()
            let median = times[times.count / 2], p99 = times[times.count * 99 / 100]
            let worst = slowest.max { $0.value < $1.value }!
            print(String(format: "sender scoring, %-15@ %4d messages x 200: median %7.1f µs  p99 %7.1f µs  (slowest message, best of 200: %@ %.1f µs)",
                         label as NSString, all.count, median, p99, worst.key as NSString, worst.value))
        }
    }
}

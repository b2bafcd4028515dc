import Foundation
import SpearBatch

/// One self-overwriting status line on standard error: messages, megabytes, rate and ETA.
final class ProgressLine {
    private var width = 0

    func show(_ p: BatchProgress) {
        let s = p.summary
        let mb = Double(s.bytes) / 1_000_000
        let rate = p.seconds > 0 ? mb / p.seconds : 0
        let messages = s.scanned + s.skipped + s.failed
        var line = String(format: "%d messages  %.1f MB  %.0f msg/s  %.1f MB/s", messages, mb,
                          p.seconds > 0 ? Double(messages) / p.seconds : 0, rate)
        if p.totalBytes > 0, rate > 0, s.bytes <= p.totalBytes {
            let left = Double(p.totalBytes - s.bytes) / 1_000_000 / rate
            line += String(format: "  %3.0f%%  ETA %d:%02d", Double(s.bytes) * 100 / Double(p.totalBytes),
                           Int(left) / 60, Int(left) % 60)
        }
        if s.failed > 0 { line += "  failed \(s.failed)" }
        let pad = max(0, width - line.count)
        width = line.count
        FileHandle.standardError.write(Data(("\r" + line + String(repeating: " ", count: pad)).utf8))
    }

    func finish() {
        if width > 0 { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}

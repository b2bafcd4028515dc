import SpearCore
import Foundation
import Testing

/// The shared corpus of other projects' test messages, at `../shared/corpus` beside the checkout. CI always has
/// it; a user's own clone may not, and then these suites skip.
enum Corpus {
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/corpus")

    static var isAvailable: Bool { FileManager.default.fileExists(atPath: root.appendingPathComponent("MANIFEST.md").path) }

    static func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }

    static func bytes(_ relative: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: url(relative)))
    }

    /// Every regular file below `relative`, sorted.
    static func files(under relative: String) -> [URL] {
        let base = url(relative)
        guard let e = FileManager.default.enumerator(at: base, includingPropertiesForKeys: [.isRegularFileKey]) else { return [] }
        var out: [URL] = []
        for case let u as URL in e where (try? u.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            out.append(u)
        }
        return out.sorted { $0.path < $1.path }
    }
}

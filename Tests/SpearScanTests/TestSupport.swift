import SpearCore
import Foundation
import Testing

/// Builds a message from header and body lines, joined with CRLF as on the wire.
func mail(_ lines: String...) -> [UInt8] {
    Array(lines.joined(separator: "\r\n").utf8)
}

/// A fresh, empty directory under the system temporary directory; removed by `remove()`.
struct TempDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("spearscan-tests-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
    }

    var path: String { url.path }

    func remove() { try? FileManager.default.removeItem(at: url) }

    /// Every path below the directory (files, directories, symlinks), relative to it, sorted. Symlinks are
    /// listed, not followed.
    func listing() throws -> [String] {
        try Self.list(url.path)
    }

    static func list(_ root: String) throws -> [String] {
        let fm = FileManager.default
        var out: [String] = []
        func walk(_ relative: String) throws {
            let full = relative.isEmpty ? root : root + "/" + relative
            for name in try fm.contentsOfDirectory(atPath: full) {
                let rel = relative.isEmpty ? name : relative + "/" + name
                out.append(rel)
                let attrs = try fm.attributesOfItem(atPath: root + "/" + rel)
                if attrs[.type] as? FileAttributeType == .typeDirectory { try walk(rel) }
            }
        }
        try walk("")
        return out.sorted()
    }
}

/// The JSON object a renderer produced.
func jsonObject(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
    let value = try JSONSerialization.jsonObject(with: Data(text.utf8))
    return try #require(value as? [String: Any], "top-level JSON is not an object: \(text.prefix(200))", sourceLocation: sourceLocation)
}

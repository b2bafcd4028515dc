import Foundation
@testable import SpearSpool

/// A temporary directory removed when the value goes away; fixtures are built by the tests themselves.
final class TempDir {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "spearspool-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func url(_ name: String) -> String { path + "/" + name }

    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) -> String {
        let full = url(name)
        let dir = (full as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: full, contents: Data(bytes))
        return full
    }

    @discardableResult
    func write(_ name: String, _ text: String) -> String { write(name, Array(text.utf8)) }

    func mkdir(_ name: String) {
        try? FileManager.default.createDirectory(atPath: url(name), withIntermediateDirectories: true)
    }
}

enum Mbox {
    static let fromLine = "From sender@example.com Thu Nov 26 10:00:00 2026\n"

    /// mboxrd writer: one more `>` on every `^>*From ` line.
    static func escapeRD(_ message: String) -> String {
        message.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            let stripped = line.drop { $0 == ">" }
            return stripped.hasPrefix("From ") ? ">" + line : String(line)
        }.joined(separator: "\n")
    }

    /// mboxo writer: `From ` → `>From ` only.
    static func escapeO(_ message: String) -> String {
        message.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            line.hasPrefix("From ") ? ">" + line : String(line)
        }.joined(separator: "\n")
    }

    static func build(_ messages: [String], escape: (String) -> String = escapeRD) -> String {
        messages.map { fromLine + escape($0) + "\n" }.joined()
    }

    /// Offsets of each From_ line in a file built by `build`.
    static func offsets(_ messages: [String], escape: (String) -> String = escapeRD) -> [Int] {
        var result: [Int] = []
        var position = 0
        for m in messages {
            result.append(position)
            position += fromLine.utf8.count + escape(m).utf8.count + 1
        }
        return result
    }
}

func readAll(_ paths: [String], _ configure: (inout SpoolOptions) -> Void = { _ in }) throws -> [SpoolItem] {
    var options = SpoolOptions()
    configure(&options)
    let reader = try SpoolReader(paths: paths, options: options)
    var items: [SpoolItem] = []
    while let item = reader.next() { items.append(item) }
    return items
}

extension SpoolItem {
    var message: SpoolMessage? {
        if case .message(let m) = self { return m }
        return nil
    }

    var text: String? { message.map { String(decoding: $0.bytes, as: UTF8.self) } }

    var failure: (source: String, offset: Int?, reason: String)? {
        if case .failed(let s, let o, let r) = self { return (s, o, r) }
        return nil
    }
}

func gzip(_ path: String) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/gzip")
    process.arguments = ["-k", "-f", "-n", path]
    try process.run()
    process.waitUntilExit()
    return path + ".gz"
}

func readBytes(_ path: String) -> [UInt8] {
    Array(FileManager.default.contents(atPath: path) ?? Data())
}


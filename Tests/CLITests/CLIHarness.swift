import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Runs the built `spearscan` executable, the one SwiftPM put beside this test bundle.
enum CLI {
    /// Samples/ in the checkout: Tests/CLITests/CLIHarness.swift → ../../Samples.
    static let samples: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Samples")

    static func sample(_ name: String) -> String { samples.appendingPathComponent(name).path }

    /// Directories searched for the binary: the test runner's own directory (`.build/<triple>/debug/`), then the
    /// bundle's directory and its parent.
    static let searchedDirectories: [URL] = {
        var dirs: [URL] = []
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            dirs.append(URL(fileURLWithPath: exe).deletingLastPathComponent())
        }
        let bundle = Bundle.main.bundleURL
        dirs.append(bundle)
        dirs.append(bundle.deletingLastPathComponent())
        for bundle in Bundle.allBundles where bundle.bundleURL.pathExtension == "xctest" {
            dirs.append(bundle.bundleURL.deletingLastPathComponent())
        }
        return dirs
    }()

    static let binary: URL? = {
        for dir in searchedDirectories {
            let candidate = dir.appendingPathComponent("spearscan")
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue,
               FileManager.default.isExecutableFile(atPath: candidate.path) {
                return candidate
            }
        }
        return nil
    }()

    struct Result {
        var status: Int32
        var stdout: Data
        var stderr: Data
        var seconds: Double

        var out: String { String(decoding: stdout, as: UTF8.self) }
        var err: String { String(decoding: stderr, as: UTF8.self) }
        /// Non-empty lines of standard output.
        var lines: [String] { out.split(separator: "\n").map(String.init) }
        /// Non-empty lines of standard error.
        var errorLines: [String] { err.split(separator: "\n").map(String.init) }

        /// Standard output as one JSON object.
        func json(sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
            let value = try JSONSerialization.jsonObject(with: stdout)
            return try #require(value as? [String: Any], "stdout is not one JSON object: \(out.prefix(300)) / stderr: \(err)",
                                sourceLocation: sourceLocation)
        }
    }

    struct TimedOut: Error, CustomStringConvertible {
        var arguments: [String]
        var seconds: Double
        var pid: Int32
        var description: String { "spearscan \(arguments.joined(separator: " ")) did not finish within \(Int(seconds)) s; killed" }
    }

    /// Runs `spearscan arguments…` (no shell), standard input from `stdin` (or /dev/null; or, with
    /// `neverEndingStdin`, a pipe that stays open and empty). The process is killed, and `TimedOut` thrown (which
    /// fails the test), after `timeout` seconds.
    static func run(_ arguments: [String], stdin: String? = nil, neverEndingStdin: Bool = false, timeout: Double = 60,
                    sourceLocation: SourceLocation = #_sourceLocation) throws -> Result {
        let binary = try #require(binary, """
            spearscan executable not found next to the test bundle; looked in: \
            \(searchedDirectories.map(\.path).joined(separator: ", ")). Build it with `swift build` first.
            """, sourceLocation: sourceLocation)
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("spearscan-cli-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(at: scratch) }
        // Files rather than pipes: the child can never block on a full pipe while we wait for it.
        let outURL = scratch.appendingPathComponent("stdout"), errURL = scratch.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let outHandle = try FileHandle(forWritingTo: outURL), errHandle = try FileHandle(forWritingTo: errURL)
        defer { try? outHandle.close(); try? errHandle.close() }

        let process = Process()
        process.executableURL = binary
        // Tests never query the machine's resolver: `scan` runs offline unless a test names its own DNS server
        // (a real one on 127.0.0.1) or asks for the default explicitly with `--online-for-test`.
        var arguments = arguments
        if arguments.first == "scan" || arguments.first == "batch", !arguments.contains("--dns-server"), !arguments.contains("--offline") {
            if let k = arguments.firstIndex(of: "--online-for-test") { arguments.remove(at: k) } else { arguments.insert("--offline", at: 1) }
        }
        process.arguments = arguments
        process.standardOutput = outHandle
        process.standardError = errHandle
        let openPipe = Pipe()
        defer { try? openPipe.fileHandleForWriting.close() }
        if neverEndingStdin {
            process.standardInput = openPipe
        } else if let stdin {
            process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: stdin))
        } else {
            process.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        }
        let done = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in done.signal() }
        let start = Date()
        try process.run()
        if done.wait(timeout: .now() + timeout) == .timedOut {
            process.terminate()
            if done.wait(timeout: .now() + 5) == .timedOut {
                kill(process.processIdentifier, SIGKILL)
                _ = done.wait(timeout: .now() + 5)
            }
            throw TimedOut(arguments: arguments, seconds: timeout, pid: process.processIdentifier)
        }
        process.waitUntilExit()
        let seconds = Date().timeIntervalSince(start)
        return Result(status: process.terminationStatus, stdout: try Data(contentsOf: outURL),
                      stderr: try Data(contentsOf: errURL), seconds: seconds)
    }
}

/// A fresh directory under the system temporary directory for one test.
struct Scratch {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("spearscan-clitest-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
    }

    var path: String { url.path }

    func remove() { try? FileManager.default.removeItem(at: url) }

    /// Writes `bytes` to `name` inside the directory and returns its path.
    @discardableResult
    func write(_ name: String, _ bytes: some Sequence<UInt8>) throws -> String {
        let file = url.appendingPathComponent(name)
        try Data(bytes).write(to: file)
        return file.path
    }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String { try write(name, Array(text.utf8)) }

    /// Every entry below `root`, relative to it, sorted; symlinks are listed, not followed.
    static func list(_ root: String) throws -> [String] {
        let fm = FileManager.default
        var out: [String] = []
        func walk(_ relative: String) throws {
            let full = relative.isEmpty ? root : root + "/" + relative
            for name in try fm.contentsOfDirectory(atPath: full) {
                let rel = relative.isEmpty ? name : relative + "/" + name
                out.append(rel)
                if (try fm.attributesOfItem(atPath: root + "/" + rel))[.type] as? FileAttributeType == .typeDirectory {
                    try walk(rel)
                }
            }
        }
        try walk("")
        return out.sorted()
    }
}

/// Lines joined with CRLF.
func crlf(_ lines: [String]) -> String { lines.joined(separator: "\r\n") }

extension Dictionary where Key == String, Value == Any {
    func object(_ key: String) -> [String: Any]? { self[key] as? [String: Any] }
    func objects(_ key: String) -> [[String: Any]] { self[key] as? [[String: Any]] ?? [] }
    func string(_ key: String) -> String? { self[key] as? String }

    /// The codes of the report's defects.
    var defectCodes: [String] { objects("defects").compactMap { $0["code"] as? String } }
    var findingIDs: [String] { objects("findings").compactMap { $0["id"] as? String } }
}

/// The sqlite3 command-line tool, read-only, as an analyst would query the store: the rows, trimmed.
func sqlite3(_ db: String, _ query: String) throws -> String {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
    p.arguments = ["-readonly", "-cmd", ".timeout 5000", db, query]
    let out = Pipe()
    p.standardOutput = out
    p.standardError = FileHandle(forWritingAtPath: "/dev/null")
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
}

import Foundation

/// Runs one of the Python scripts in `Tests/Fixtures/oracles/` over a list of byte strings and returns what it
/// wrote: the differential suites compare our decoders with Python's `email` package, the reference most
/// mail tooling agrees with. Records are framed as a 4-byte little-endian length and the bytes, in files (binary
/// safe, no shell, fixed argv).
enum PythonOracle {
    /// `python3` on PATH; CI has it, a bare machine may not (the suites then skip with a message).
    static let python: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/python3" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    static var isAvailable: Bool { python != nil }

    static let directory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures").appendingPathComponent("oracles")

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func frame(_ records: [[UInt8]]) -> Data {
        var out = Data()
        for r in records {
            var n = UInt32(r.count).littleEndian
            withUnsafeBytes(of: &n) { out.append(contentsOf: $0) }
            out.append(contentsOf: r)
        }
        return out
    }

    static func unframe(_ data: Data) throws -> [[UInt8]] {
        let bytes = [UInt8](data)
        var out: [[UInt8]] = []
        var i = 0
        while i < bytes.count {
            guard i + 4 <= bytes.count else { throw Failure(description: "oracle output cut inside a length") }
            let n = Int(bytes[i]) | Int(bytes[i + 1]) << 8 | Int(bytes[i + 2]) << 16 | Int(bytes[i + 3]) << 24
            guard i + 4 + n <= bytes.count else { throw Failure(description: "oracle output cut inside a record") }
            out.append(Array(bytes[(i + 4)..<(i + 4 + n)]))
            i += 4 + n
        }
        return out
    }

    /// Runs `script` (a file name in the oracles folder) on `input`, returning what it wrote: `script IN OUT`.
    static func run(_ script: String, input: [UInt8]) throws -> [UInt8] {
        guard let python else { throw Failure(description: "python3 not found") }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("spearscan-oracle-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let inURL = dir.appendingPathComponent("in"), outURL = dir.appendingPathComponent("out")
        try Data(input).write(to: inURL)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [directory.appendingPathComponent(script).path, inURL.path, outURL.path]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "\(script) exited \(process.terminationStatus): \(String(decoding: message, as: UTF8.self))")
        }
        return [UInt8](try Data(contentsOf: outURL))
    }

    /// Runs `script` on records framed as above, returning its framed records.
    static func run(_ script: String, _ records: [[UInt8]]) throws -> [[UInt8]] {
        try unframe(Data(run(script, input: [UInt8](frame(records)))))
    }
}

import Foundation
import SpearUnpack
import Testing

/// The benign fixtures in Tests/Fixtures/files: Tests/SpearUnpackTests/X.swift → ../Fixtures/files.
enum Fixture {
    static let directory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures").appendingPathComponent("files")

    static func url(_ name: String) -> URL { directory.appendingPathComponent(name) }

    static func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: url(name).path) }

    static func bytes(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [UInt8] {
        let data = try #require(FileManager.default.contents(atPath: url(name).path),
                                "fixture \(name) missing in \(directory.path)", sourceLocation: sourceLocation)
        return [UInt8](data)
    }

    /// The content every script fixture and archive member `hello.js` holds.
    static var helloJS: [UInt8] { get throws { try bytes("hello.js") } }
    static let readmeTXT: [UInt8] = Array("harmless\n".utf8)
}

/// Whether SpearUnpack will find a 7-Zip executable (the paths SevenZipTool looks at).
enum SevenZip {
    static let available: Bool = ["/usr/bin/7zz", "/usr/local/bin/7zz", "/usr/bin/7z"].contains {
        FileManager.default.isExecutableFile(atPath: $0)
    }
}

/// Unpacks with fresh limits (defaults unless changed by `configure`).
func unpack(_ bytes: [UInt8], passwords: [String] = [], source: String = "option",
            configure: (inout UnpackLimits) -> Void = { _ in }) -> (result: UnpackResult?, budget: UnpackBudget) {
    var limits = UnpackLimits()
    configure(&limits)
    let budget = UnpackBudget(limits: limits)
    let result = Unpacker.unpack(bytes, passwords: passwords.map { PasswordCandidate(value: $0, source: source) }, budget: budget)
    return (result, budget)
}

extension EntryIssue {
    var limitKind: LimitKind? { if case .limit(let kind, _) = self { kind } else { nil } }
    var isPathTraversal: Bool { if case .pathTraversal = self { true } else { false } }
    var isUnreadable: Bool { if case .unreadable = self { true } else { false } }
}

extension UnpackResult {
    /// The kinds of the limits that fired in this archive.
    var limitKinds: [LimitKind] { limits.compactMap(\.limitKind) }
    var names: [String] { entries.map(\.path) }
    func entry(_ name: String) -> ArchiveEntry? { entries.first { $0.path == name } }
}

/// A tiny zip writer for archives made inside the tests: stored (method 0) members only, since the tests have no
/// deflate. Each member can lie about its sizes; the central directory can point anywhere.
enum ZipWriter {
    struct Member {
        var name: [UInt8]
        var data: [UInt8]
        var flags: UInt16 = 0
        /// What the headers claim, when it is not the truth.
        var claimedCompressedSize: UInt32?
        var claimedSize: UInt32?

        init(_ name: String, _ data: [UInt8]) {
            self.name = Array(name.utf8)
            self.data = data
        }
    }

    /// One central-directory record: a name and the local header it points at.
    struct CentralRecord {
        var name: [UInt8]
        var localHeaderOffset: UInt32
        var crc: UInt32
        var compressedSize: UInt32
        var size: UInt32
        var flags: UInt16 = 0
    }

    static func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
    static func le32(_ v: UInt32) -> [UInt8] { [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF), UInt8((v >> 16) & 0xFF), UInt8(v >> 24)] }

    static let dosTime: UInt16 = 9 << 11            // 09:00:00
    static let dosDate: UInt16 = (39 << 9) | (6 << 5) | 10   // 2019-06-10

    static func localHeader(name: [UInt8], flags: UInt16, crc: UInt32, compressedSize: UInt32, size: UInt32) -> [UInt8] {
        var out: [UInt8] = []
        out += le32(0x0403_4B50) + le16(20) + le16(flags) + le16(0) + le16(dosTime) + le16(dosDate)
        out += le32(crc) + le32(compressedSize) + le32(size) + le16(UInt16(name.count)) + le16(0)
        out += name
        return out
    }

    static func centralHeader(_ r: CentralRecord) -> [UInt8] {
        var out: [UInt8] = []
        out += le32(0x0201_4B50) + le16(20) + le16(20) + le16(r.flags) + le16(0) + le16(dosTime) + le16(dosDate)
        out += le32(r.crc) + le32(r.compressedSize) + le32(r.size) + le16(UInt16(r.name.count)) + le16(0) + le16(0)
        out += le16(0) + le16(0) + le32(0x20) + le32(r.localHeaderOffset)
        out += r.name
        return out
    }

    static func endOfCentralDirectory(count: Int, size: Int, offset: Int) -> [UInt8] {
        le32(0x0605_4B50) + le16(0) + le16(0) + le16(UInt16(count)) + le16(UInt16(count))
            + le32(UInt32(size)) + le32(UInt32(offset)) + le16(0)
    }

    /// A well-formed stored zip of `members` (sizes as claimed, when a member claims).
    static func stored(_ members: [Member]) -> [UInt8] {
        var local: [UInt8] = []
        var central: [UInt8] = []
        for m in members {
            let crc = CRC32.checksum(m.data)
            let csize = m.claimedCompressedSize ?? UInt32(m.data.count)
            let size = m.claimedSize ?? UInt32(m.data.count)
            let offset = UInt32(local.count)
            local += localHeader(name: m.name, flags: m.flags, crc: crc, compressedSize: csize, size: size) + m.data
            central += centralHeader(CentralRecord(name: m.name, localHeaderOffset: offset, crc: crc,
                                                   compressedSize: csize, size: size, flags: m.flags))
        }
        return local + central + endOfCentralDirectory(count: members.count, size: central.count, offset: local.count)
    }

    static func stored(_ members: [(String, [UInt8])]) -> [UInt8] { stored(members.map { Member($0.0, $0.1) }) }
}

/// Runs a fixed command line (a literal written in this file, never built from input) under /bin/sh and returns
/// its standard output.
enum Shell {
    static func output(_ literalCommand: StaticString) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "\(literalCommand)"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardInput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw ShellFailed(status: process.terminationStatus) }
        return [UInt8](data)
    }

    /// `data` compressed by `/usr/bin/gzip -c -n` (argument vector, no shell), fed on standard input.
    static func gzip(_ data: [UInt8]) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/gzip")
        process.arguments = ["-c", "-n"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Small inputs only: written whole before reading (gzip's output of them fits in the pipe).
        try input.fileHandleForWriting.write(contentsOf: Data(data))
        try input.fileHandleForWriting.close()
        let compressed = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw ShellFailed(status: process.terminationStatus) }
        return [UInt8](compressed)
    }

    struct ShellFailed: Error { var status: Int32 }
}

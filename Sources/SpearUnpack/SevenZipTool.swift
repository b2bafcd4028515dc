import Foundation

/// Debian's `7zz`, for what libarchive cannot read: encrypted 7z (content or headers).
///
/// Run with a fixed argument vector (no shell, the password as one argument), in a private temporary directory
/// that is removed afterwards, with stdout and stderr discarded, and a time limit. Sizes are checked from the
/// listing before anything is extracted, and extracted files are read back by walking the private directory
/// without following links.
enum SevenZipTool {
    static let executable: String? = ["/usr/bin/7zz", "/usr/local/bin/7zz", "/usr/bin/7z"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    static var isAvailable: Bool { executable != nil }

    /// The members of `bytes` (a 7z archive) decrypted with `password`, or nil when the password is wrong, the
    /// tool fails, or the listing announces more than `maxBytes`.
    static func extract(_ bytes: [UInt8], password: String, maxBytes: Int, timeLimit: Double) -> [(path: String, bytes: [UInt8])]? {
        guard let tool = executable else { return nil }
        let fm = FileManager.default
        let dir = fm.temporaryDirectory.appendingPathComponent("spearscan-7z-\(UUID().uuidString)")
        guard (try? fm.createDirectory(at: dir, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])) != nil else { return nil }
        defer { try? fm.removeItem(at: dir) }
        let archive = dir.appendingPathComponent("in.7z")
        guard fm.createFile(atPath: archive.path, contents: Data(bytes), attributes: [.posixPermissions: 0o600]) else { return nil }

        // List first: the announced sizes must fit before anything is written.
        guard let listing = run(tool, ["l", "-slt", "-p" + password, "--", archive.path], timeLimit: timeLimit, capture: true),
              listing.status == 0 else { return nil }
        var announced = 0
        for line in String(decoding: listing.output, as: UTF8.self).split(separator: "\n") where line.hasPrefix("Size = ") {
            announced += Int(line.dropFirst(7)) ?? 0
        }
        guard announced <= maxBytes else { return nil }
        let out = dir.appendingPathComponent("out")
        guard let extracted = run(tool, ["x", "-y", "-bd", "-p" + password, "-o" + out.path, "--", archive.path],
                                  timeLimit: timeLimit, capture: false), extracted.status == 0 else { return nil }

        var files: [(String, [UInt8])] = []
        var total = 0
        guard let walker = fm.enumerator(at: out, includingPropertiesForKeys: [.isRegularFileKey, .isSymbolicLinkKey]) else { return nil }
        for case let url as URL in walker {
            let values = try? url.resourceValues(forKeys: [.isRegularFileKey, .isSymbolicLinkKey])
            guard values?.isSymbolicLink != true, values?.isRegularFile == true,
                  let data = fm.contents(atPath: url.path) else { continue }
            total += data.count
            guard total <= maxBytes else { return nil }
            let relative = String(url.standardizedFileURL.path.dropFirst(out.standardizedFileURL.path.count + 1))
            files.append((relative, [UInt8](data)))
        }
        return files.sorted { $0.0 < $1.0 }
    }

    private static func run(_ tool: String, _ arguments: [String], timeLimit: Double, capture: Bool) -> (status: Int32, output: [UInt8])? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let pipe = Pipe()
        process.standardOutput = capture ? pipe : FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        var output = Data()
        if capture {
            // Bounded: a listing larger than 4 MiB is not a listing we want.
            while let chunk = try? pipe.fileHandleForReading.read(upToCount: 1 << 16), !chunk.isEmpty {
                if output.count < 4 << 20 { output.append(chunk) }
            }
        }
        let deadline = Date().addingTimeInterval(timeLimit)
        while process.isRunning {
            if Date() > deadline { process.terminate(); process.waitUntilExit(); return nil }
            usleep(2_000)
        }
        // Lets Foundation finish its own bookkeeping of the exit (it keeps the Process alive until then).
        process.waitUntilExit()
        return (process.terminationStatus, [UInt8](output))
    }
}

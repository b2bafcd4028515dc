import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Usage errors are argument-parser validation failures: exit 64 (EX_USAGE) with a message on stderr and
/// nothing on stdout.
@Suite("CLI: usage errors")
struct UsageTests {
    @Test("scan with no files is a usage error: exit 64")
    func noFiles() throws {
        let result = try CLI.run(["scan"])
        #expect(result.status == 64)
        #expect(result.out.isEmpty)
        #expect(result.err.contains("Usage"))
    }

    @Test("Invalid arguments are usage errors too", arguments: [
        ["scan", "-", "-"],
        ["scan", "--format", "xml", "x.eml"],
        ["scan", "--max-message-size", "0", "x.eml"],
        ["scan", "--max-message-size", "lots", "x.eml"],
        ["scan", "--max-depth", "0", "x.eml"],
    ])
    func invalidArguments(arguments: [String]) throws {
        let result = try CLI.run(arguments)
        #expect(result.status == 64, "\(arguments): status \(result.status), stderr: \(result.err)")
        #expect(result.out.isEmpty)
        #expect(!result.err.isEmpty)
    }

    @Test("--help succeeds and documents the exit statuses")
    func help() throws {
        let result = try CLI.run(["scan", "--help"])
        #expect(result.status == 0)
        #expect(result.out.contains("--extract"))
        #expect(result.out.contains("Exit status"))
    }
}

@Suite("CLI harness: the timeout guard")
struct HarnessTests {
    @Test("A run that never ends is killed and reported as a timeout")
    func timeoutKills() throws {
        // spearscan waits for standard input that never comes (the pipe stays open).
        let error = #expect(throws: CLI.TimedOut.self) {
            try CLI.run(["scan", "-"], neverEndingStdin: true, timeout: 1)
        }
        let pid = try #require(error?.pid)
        #expect(kill(pid, 0) != 0, "process \(pid) is still alive")
    }

    @Test("The binary found is the spearscan executable beside the test bundle")
    func binaryLocation() throws {
        let binary = try #require(CLI.binary)
        #expect(binary.lastPathComponent == "spearscan")
        #expect(binary.path.contains("/.build/"))
        let version = try CLI.run(["--version"])
        #expect(version.status == 0)
        #expect(version.out.contains("0.1.0"))
    }
}

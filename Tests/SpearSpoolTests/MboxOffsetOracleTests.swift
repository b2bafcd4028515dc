import Foundation
import Testing
@testable import SpearSpool

/// MimeKit's mbox test data in the shared corpus (`../shared/corpus` beside the checkout; see its MANIFEST.md):
/// inputs, the offsets MimeKit's parser finds in them, and a summary with each message's Subject.
enum MimeKitMbox {
    static let directory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/corpus/jstedfast-MimeKit/UnitTests/TestData/mbox")

    static var isAvailable: Bool {
        FileManager.default.fileExists(atPath: directory.appendingPathComponent("content-length.mbox.txt").path)
    }

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    /// One message of a `*-offsets.json` file. `beginOffset` is just after the From_ line, `headersEndOffset`
    /// just after the blank line ending the header block, `endOffset` just before the line break that comes
    /// before the next From_ line (or at the end of the file). The MIME tree (`body`) is not used here.
    struct Offsets: Decodable {
        var mboxMarkerOffset: Int
        var beginOffset: Int
        var headersEndOffset: Int
        var endOffset: Int
    }
}

/// Our mbox splitting against MimeKit's: every message at the same From_ offset, with exactly the bytes
/// `beginOffset..<endOffset`, for the LF files and for the same files converted to CRLF ("dos").
@Suite(.enabled(if: MimeKitMbox.isAvailable, "the shared corpus (../shared/corpus) is not beside this checkout"))
struct MboxOffsetOracleTests {
    @Test(arguments: ["content-length", "issue1189"], ["unix", "dos"])
    func messagesMatchMimeKitOffsets(name: String, newline: String) throws {
        var file = try MimeKitMbox.bytes(name + ".mbox.txt")
        #expect(!file.contains(0x0D), "the inputs are LF files")
        if newline == "dos" {
            file = file.flatMap { $0 == 0x0A ? [0x0D, 0x0A] : [$0] }
        }
        let json = try MimeKitMbox.bytes("\(name).\(newline)-offsets.json")
        let expected = try JSONDecoder().decode([MimeKitMbox.Offsets].self, from: Data(json))
        let subjects = try Self.summarySubjects(name)
        #expect(subjects.count == expected.count)

        let dir = TempDir()
        let path = dir.write("box", file)
        // The default buffer, and a small one that puts message and Content-Length ends across refills.
        // mboxcl2 undoes no escapes, so its messages are the file's bytes; `auto` may undo mboxrd escapes where
        // a count fails (in the dos files every count is wrong, being of the LF bytes).
        for variant in [MboxVariant.mboxcl2, .auto] {
            for bufferSize in [SpoolOptions().readBufferSize, 4096] {
                let run = "\(name) \(newline) \(variant) buffer \(bufferSize)"
                let items = try readAll([path]) { $0.mboxVariant = variant; $0.readBufferSize = bufferSize }
                let messages = items.compactMap(\.message)
                #expect(messages.count == items.count, "\(run): failed items \(items.compactMap(\.failure))")
                #expect(messages.count == expected.count, "\(run)")
                #expect(messages.map(\.offset) == expected.map(\.mboxMarkerOffset), "\(run)")
                for (i, (m, e)) in zip(messages, expected).enumerated() {
                    let context = "\(run) message \(i) at \(e.mboxMarkerOffset)"
                    let slice = Array(file[e.beginOffset..<e.endOffset])
                    let same = m.bytes == slice || (variant == .auto && m.bytes == Self.unescapedRD(slice))
                    #expect(same, "\(context): \(m.bytes.count) bytes, expected \(slice.count)")
                    #expect(m.originalSize == nil, "\(context)")
                    #expect(Self.headerBlockLength(m.bytes) == e.headersEndOffset - e.beginOffset, "\(context)")
                    if i < subjects.count { #expect(Self.subject(m.bytes) == subjects[i], "\(context)") }
                }
            }
        }
    }

    /// `bytes` with one `>` taken off every line matching `^>+From ` (the mboxrd reading).
    static func unescapedRD(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var lineStart = true
        var i = 0
        while i < bytes.count {
            if lineStart && bytes[i] == 0x3E {
                var j = i
                while j < bytes.count && bytes[j] == 0x3E { j += 1 }
                if bytes[j...].starts(with: Array("From ".utf8)) { i += 1 }
            }
            out.append(bytes[i])
            lineStart = bytes[i] == 0x0A
            i += 1
        }
        return out
    }

    /// The `Subject: ` lines of `<name>-summary.txt`, one per message, in order.
    static func summarySubjects(_ name: String) throws -> [String] {
        let text = String(decoding: try MimeKitMbox.bytes(name + "-summary.txt"), as: UTF8.self)
        return text.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { $0.hasPrefix("Subject: ") }
            .map { String($0.dropFirst("Subject: ".count)) }
    }

    /// Bytes up to and including the first empty line (LF or CRLF); the whole message when there is none.
    static func headerBlockLength(_ bytes: [UInt8]) -> Int {
        var lineStart = 0
        for i in bytes.indices where bytes[i] == 0x0A {
            let line = i - lineStart
            if line == 0 || (line == 1 && bytes[lineStart] == 0x0D) { return i + 1 }
            lineStart = i + 1
        }
        return bytes.count
    }

    /// The raw value of the first `Subject:` field of the header block (these ones are unfolded ASCII).
    static func subject(_ bytes: [UInt8]) -> String? {
        let header = String(decoding: bytes.prefix(headerBlockLength(bytes)), as: UTF8.self)
        for line in header.split(whereSeparator: \.isNewline) where line.lowercased().hasPrefix("subject:") {
            return line.dropFirst("subject:".count).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return nil
    }
}

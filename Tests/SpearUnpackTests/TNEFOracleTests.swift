import Foundation
import SpearUnpack
import Testing

/// MimeKit's TNEF test data (`../shared/corpus/jstedfast-MimeKit/UnitTests/TestData/tnef`): for `<x>.tnef`, the
/// folder `<x>/` holds the extracted attachments (and `message.rtf|html|txt`, the body, which is not an
/// attachment) and `<x>.list` names attachments that must be found (plus `body.*`, again the body).
enum MimeKitTNEF {
    static let directory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/corpus/jstedfast-MimeKit/UnitTests/TestData/tnef")

    static var isAvailable: Bool { FileManager.default.fileExists(atPath: directory.appendingPathComponent("one-file.tnef").path) }

    static let names = [
        "MAPI_ATTACH_DATA_OBJ", "MAPI_OBJECT", "attachments", "body", "christmas", "data-before-name", "garbage-at-end",
        "long-filename", "missing-filenames", "multi-name-property", "multi-value-attribute", "one-file", "panic", "rtf",
        "triples", "two-files", "unicode-mapi-attr", "unicode-mapi-attr-name", "winmail",
    ]

    static func bytes(_ relative: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: directory.appendingPathComponent(relative)))
    }

    /// The oracle's attachment files (body files left out), by file name.
    static func expected(_ name: String) throws -> [String: [UInt8]] {
        let folder = directory.appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: folder.path) else { return [:] }
        var out: [String: [UInt8]] = [:]
        for file in try FileManager.default.contentsOfDirectory(atPath: folder.path) where !file.hasPrefix("message.") {
            out[file] = [UInt8](try Data(contentsOf: folder.appendingPathComponent(file)))
        }
        return out
    }

    static func listed(_ name: String) throws -> [String] {
        let text = String(decoding: try bytes("\(name).list"), as: UTF8.self)
        return text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).map(String.init).filter { !$0.hasPrefix("body.") }
    }

    /// The oracle's file name for each entry: MimeKit writes attachments that share a name as `name.1`, `name.2` …
    static func oracleNames(_ entries: [ArchiveEntry]) -> [String] {
        var total: [String: Int] = [:]
        for e in entries { total[e.path, default: 0] += 1 }
        var seen: [String: Int] = [:]
        return entries.map { e in
            guard total[e.path, default: 0] > 1 else { return e.path }
            seen[e.path, default: 0] += 1
            return "\(e.path).\(seen[e.path]!)"
        }
    }
}

/// Where the oracle differs from us on purpose; each exception is checked, so it cannot hide a real mismatch.
///
/// * **Names (christmas)**: MimeKit names an attachment by PR_ATTACH_LONG_FILENAME, then attAttachTitle, then
///   PR_ATTACH_FILENAME, and keeps PR_DISPLAY_NAME apart; we put PR_DISPLAY_NAME before attAttachTitle (as the
///   pipeline wants), so christmas's "Untitled Attachment"s are ours "Build a train table" and "Christmas
///   Celebration!". The oracle's name must then be one of the entry's other names, from attAttachTitle.
/// * **OLE objects (MAPI_OBJECT, winmail)**: MimeKit writes a PT_OBJECT value other than an embedded message with
///   its 16-byte interface id in front; we give the data after it (the OLE2 file itself, D0 CF 11 E0), so the
///   oracle must be IID_IStorage + our bytes.
/// * **.list order (attachments)**: the .list files come from MimeKit's test, which only checks that each name is
///   found; attachments.list is not in stream order (bookmark.htm is listed first, zappa_av1.jpg comes first in
///   the stream), so names are checked for presence, in stream order only where the folder has them.
/// * **Line endings (data-before-name/boot.ini, long-filename/allproductsmar2000.dat,
///   unicode-mapi-attr-name/spaconsole2.cfg, attachments/bookmark.htm, MAPI_ATTACH_DATA_OBJ/VIA_Nytt_14021.htm)**: the stream holds CRLF text; the oracle files were normalised to LF
///   when MimeKit's repository stored them as text. Ours with every CR LF as LF must be exactly the oracle.
enum MimeKitTNEFExceptions {
    static let lineEndings: Set = ["data-before-name/boot.ini", "long-filename/allproductsmar2000.dat",
                                   "unicode-mapi-attr-name/spaconsole2.cfg", "attachments/bookmark.htm",
                                   "MAPI_ATTACH_DATA_OBJ/VIA_Nytt_14021.htm"]
    static let iidStorage: [UInt8] = [0x0B, 0, 0, 0, 0, 0, 0, 0, 0xC0, 0, 0, 0, 0, 0, 0, 0x46]

    /// The name MimeKit gives an entry: long file name, then attAttachTitle, then PR_ATTACH_FILENAME.
    static func mimeKitName(_ info: TNEFAttachmentInfo, ours: String) -> String {
        for source in [TNEFAttachmentInfo.NameSource.longFilename, .title, .filename] {
            if let n = info.names.first(where: { $0.source == source }) { return n.name }
        }
        return ours
    }

    /// `bytes` with every CR LF as LF, as git stores a text file.
    static func lf(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        for (i, b) in bytes.enumerated() where !(b == 0x0D && i + 1 < bytes.count && bytes[i + 1] == 0x0A) {
            out.append(b)
        }
        return out
    }
}

@Suite("TNEF against MimeKit's test data", .enabled(if: MimeKitTNEF.isAvailable, "../shared/corpus not found: MimeKit's TNEF oracle skipped"))
struct TNEFOracleTests {
    @Test(arguments: MimeKitTNEF.names)
    func everyAttachmentMatchesTheOracle(_ name: String) throws {
        let input = try MimeKitTNEF.bytes("\(name).tnef")
        let read = TNEF.readMessage(input, budget: UnpackBudget())
        let result = read.result
        #expect(result.format == "TNEF")
        #expect(read.attachments.count == result.entries.count)
        var renamed = result.entries
        for i in renamed.indices where i < read.attachments.count {
            renamed[i].path = MimeKitTNEFExceptions.mimeKitName(read.attachments[i], ours: renamed[i].path)
        }
        let ours = MimeKitTNEF.oracleNames(renamed)
        let expected = try MimeKitTNEF.expected(name)
        #expect(Set(ours) == Set(expected.keys), "\(name): entries \(ours), oracle files \(expected.keys.sorted())")
        #expect(ours.count == Set(ours).count, "\(name): two entries map to one oracle file: \(ours)")
        for (i, file) in ours.enumerated() {
            let entry = result.entries[i], info = read.attachments[i]
            guard var want = expected[file] else { continue }
            if info.content == .oleStorage {
                #expect(Array(want.prefix(16)) == MimeKitTNEFExceptions.iidStorage, "\(name)/\(file): oracle lacks the IID")
                want = Array(want.dropFirst(16))
            }
            var got = entry.bytes
            if MimeKitTNEFExceptions.lineEndings.contains("\(name)/\(file)") {
                #expect(got != want, "\(name)/\(file): listed as a line-ending exception but equal")
                got = MimeKitTNEFExceptions.lf(got)
            }
            let same = got == want
            #expect(same, "\(name)/\(file): \(got.count) bytes, oracle \(want.count)")
            #expect(entry.complete, "\(name)/\(file) incomplete: \(entry.issues)")
            #expect(entry.issues.isEmpty, "\(name)/\(file): \(entry.issues)")
        }
        // Every .list name is found (MimeKit's own check).
        for want in try MimeKitTNEF.listed(name) {
            #expect(renamed.contains { $0.path == want }, "\(name): listed attachment \(want) not among \(renamed.map(\.path))")
        }
        // garbage-at-end ends with one stray byte; panic has 17 KB of non-TNEF bytes after its third attachment
        // (MimeKit reports InvalidAttributeLevel | StreamTruncated for the first). Every other stream is clean.
        if name == "garbage-at-end" || name == "panic" {
            #expect(result.damage != nil, "\(name): damage not reported")
        } else {
            #expect(result.damage == nil, "\(name): \(result.damage ?? "")")
            #expect(result.notes.isEmpty, "\(name): \(result.notes)")
        }
        #expect(result.limits.isEmpty)
    }
}

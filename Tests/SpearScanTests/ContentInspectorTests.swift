import Foundation
import SpearClassify
import SpearCore
import SpearMIME
@testable import SpearScan
import SpearUnpack
import Testing

/// The inspectors are asked in a fixed order, each for its own kind of content; the scan's behaviour for each kind
/// is tested through whole messages in ArchiveScanTests and TNEFScanTests.
@Suite("Content inspectors: which inspector takes which content")
struct ContentInspectorTests {
    private static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    private func bytes(_ path: String) throws -> [UInt8] {
        [UInt8](try #require(FileManager.default.contents(atPath: Self.fixtures.appendingPathComponent(path).path)))
    }

    private func first(_ list: [any ContentInspector], _ bytes: [UInt8], category: Category?) -> String? {
        list.first { $0.accepts(bytes, category: category) }.map { String(describing: type(of: $0)) }
    }

    @Test("Before classifying: TNEF goes to the TNEF reader, archives and disk images to libarchive, other files to none")
    func containers() throws {
        #expect(first(ContentInspectors.containers, try bytes("tnef/six-files.tnef"), category: nil) == "TNEFInspector")
        #expect(first(ContentInspectors.containers, try bytes("files/simple.zip"), category: nil) == "ArchiveInspector")
        #expect(first(ContentInspectors.containers, try bytes("files/hello.iso"), category: nil) == "ArchiveInspector")
        #expect(first(ContentInspectors.containers, try bytes("files/hello.js"), category: nil) == nil)
        #expect(first(ContentInspectors.containers, try bytes("files/message.eml"), category: nil) == nil)
    }

    @Test("Once classified: a message file goes to the message inspector, which parses it; nothing else does")
    func classified() throws {
        let eml = try bytes("files/message.eml")
        #expect(first(ContentInspectors.classified, eml, category: .email) == "MessageInspector")
        #expect(first(ContentInspectors.classified, eml, category: .text) == nil)
        #expect(first(ContentInspectors.classified, try bytes("files/simple.zip"), category: .archive) == nil)
        let context = InspectionContext(budget: UnpackBudget(limits: UnpackLimits()), parseOptions: ParseOptions(),
                                        location: "2/1", passwords: { [] })
        guard case .message(let read) = MessageInspector().inspect(eml, in: context, each: { _, _ in }) else {
            Issue.record("the message inspector did not read the message")
            return
        }
        #expect(read.summary.subject == "spearscan fixture message")
        #expect(read.collector.attachments.map(\.filename) == ["hello.js"])
    }

    @Test("TNEF members are the message's attachments and its notes are info; archive members are files in a container")
    func memberRules() {
        #expect(TNEFInspector.rules.membersAreAttachments && TNEFInspector.rules.origin == .tnef)
        #expect(!ArchiveInspector.rules.membersAreAttachments && ArchiveInspector.rules.origin == .archive)
        let tnefNote = TNEFInspector.rules.finding(forNote: "checksum wrong", label: "tnef \"winmail.dat\"")
        #expect(tnefNote.id == .tnefMalformed && tnefNote.severity == .info && tnefNote.evidence == "tnef \"winmail.dat\": checksum wrong")
        let archiveNote = ArchiveInspector.rules.finding(forNote: "7zz missing", label: "archive \"a.7z\"")
        #expect(archiveNote.id == .notInspected && archiveNote.kind == .notInspected)
    }

    @Test("Members let go of their bytes once analysed unless they are to be written out (keepContent)")
    func membersLetGo() throws {
        let zip = try bytes("files/nested.zip")
        for keep in [false, true] {
            var report = AttachmentReport.file(zip, filename: "nested.zip", mimePath: "2", origin: .mime, forwarded: false)
            let analyzer = FileAnalyzer(magic: try? Magic(), limits: UnpackLimits(), passwords: { [] }, parseOptions: ParseOptions(),
                                        keepContent: keep)
            analyzer.analyze(&report, depth: 0, insideContainer: nil)
            let members = report.flattened.dropFirst()
            // nested.zip holds inner.zip, which holds hello.js: both are found and judged either way.
            #expect(members.contains { $0.filename == "hello.js" && $0.category == .script })
            #expect(members.count >= 2)
            #expect(members.allSatisfy { $0.content.isEmpty } == !keep, "keepContent \(keep)")
            #expect(members.allSatisfy { !$0.content.isEmpty } == keep, "keepContent \(keep)")
        }
    }

    @Test("A document zip is only peeked (its relationship parts read, nothing charged); an archive's members are read")
    func documentsPeeked() throws {
        for (name, category, charged) in [("remote-template.docx", Category.word, false), ("simple.zip", Category.archive, true)] {
            var report = AttachmentReport.file(try bytes("files/" + name), filename: name, mimePath: "2", origin: .mime, forwarded: false)
            let analyzer = FileAnalyzer(magic: try? Magic(), limits: UnpackLimits(), passwords: { [] }, parseOptions: ParseOptions())
            analyzer.analyze(&report, depth: 0, insideContainer: nil)
            #expect(report.category == category, "\(name)")
            #expect((analyzer.budget.entries > 0) == charged, "\(name): \(analyzer.budget.entries) members charged")
            #expect(report.children.isEmpty == !charged, "\(name)")
            if name.hasSuffix(".docx") { #expect(report.findings.contains { $0.id == .remoteTemplate }) }
        }
    }

    @Test("A password zip's members come back in the archive's order, the one opened last among them in its place")
    func streamedOrder() throws {
        var report = AttachmentReport.file(try bytes("files/mixed-encryption.zip"), filename: "mixed.zip", mimePath: "2",
                                           origin: .mime, forwarded: false)
        let analyzer = FileAnalyzer(magic: try? Magic(), limits: UnpackLimits(),
                                    passwords: { [PasswordCandidate(value: "abc123", source: "option")] },
                                    parseOptions: ParseOptions(), keepContent: false)
        analyzer.analyze(&report, depth: 0, insideContainer: nil)
        #expect(report.children.map(\.path) == ["readme.txt", "hello.js", "notes.txt"])
        #expect(report.children[1].category == .script && report.children[1].encrypted)
        #expect(report.password?.value == "abc123")
    }
}

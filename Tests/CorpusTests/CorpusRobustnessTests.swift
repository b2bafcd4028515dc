import SpearCore
import Foundation
import SpearMIME
import SpearScan
import Testing

/// Every file of the shared corpus goes through the whole scan: no crash, no hang, and every attachment hashed.
@Suite("whole corpus", .enabled(if: Corpus.isAvailable, "../shared/corpus is not beside the checkout"))
struct CorpusRobustnessTests {
    @Test("every corpus file scans to a report")
    func everyFileScans() throws {
        let files = Corpus.files(under: "").filter { $0.lastPathComponent != "MANIFEST.md" }
        #expect(files.count > 900, "the corpus should hold its 969 files, found \(files.count)")
        var attachments = 0
        var slowest = (0.0, "")
        for url in files {
            let bytes = [UInt8](try Data(contentsOf: url))
            let start = ContinuousClock.now
            let result = MessageScanner().scan(bytes, source: url.path)
            let seconds = (ContinuousClock.now - start) / .seconds(1)
            if seconds > slowest.0 { slowest = (seconds, url.lastPathComponent) }
            #expect(result.report.size == bytes.count)
            for a in result.report.attachments.flatMap(\.flattened) {
                #expect(a.sha256.count == 64)
                attachments += 1
            }
            // A hang detector with a generous bound, not a speed target (those live in Benchmarks/).
            #expect(seconds < 10, "\(url.path) took \(seconds) s")
        }
        print("corpus: \(files.count) files, \(attachments) attachments, slowest \(slowest.1) at \(slowest.0) s")
        #expect(attachments > 300)
    }

    @Test("Python's defective messages yield the defects Python reports", arguments: [
        // Python reports "start boundary not found": the inner multipart reuses the outer boundary.
        ("python-cpython/Lib/test/test_email/data/msg_15.txt", Defect.Code.reusedBoundary),
        ("python-cpython/Lib/test/test_email/data/msg_25.txt", Defect.Code.missingBoundaryParameter),
        ("python-cpython/Lib/test/test_email/data/msg_38.txt", Defect.Code.missingFinalBoundary),
    ])
    func pythonDefects(file: String, code: Defect.Code) throws {
        let message = MIMEParser().parse(try Corpus.bytes(file))
        #expect(message.defects.contains { $0.code == code }, "defects: \(message.defects.map(\.code.rawValue))")
    }

    @Test("MimeKit's stack-overflow message (2,700 folded encoded words in To) parses")
    func hugeAddressHeader() throws {
        let result = MessageScanner().scan(try Corpus.bytes("jstedfast-MimeKit/UnitTests/TestData/messages/stack-overflow.txt"), source: "so")
        #expect(result.report.message.subject == "Message Subject")
        #expect(result.report.message.to.first?.address == "test@test.com")
    }

    @Test("mikel/mail's Shift_JIS message decodes without charset errors")
    func japaneseCharsets() throws {
        let message = MIMEParser().parse(try Corpus.bytes("mikel-mail/spec/fixtures/emails/multi_charset/japanese_shift_jis.eml"))
        #expect(message.defects.allSatisfy { $0.code != .charsetDecodeErrors })
    }
}

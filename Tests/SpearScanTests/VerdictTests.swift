import SpearCore
import SpearMIME
import SpearScan
import Testing

/// The verdict's three states and the rule that sets them (README, "Verdict").
@Suite("Verdict: suspicious, not_inspected, clean")
struct VerdictTests {
    func finding(_ id: String, _ severity: Finding.Severity, _ kind: Finding.Kind = .evidence) -> Finding {
        Finding(id: FindingID(rawValue: id), severity: severity, evidence: id, kind: kind)
    }

    @Test("Evidence of medium severity or more is suspicious, whatever else there is")
    func evidenceWins() {
        let v = Verdict(findings: [finding("encrypted_archive", .low, .notInspected), finding("script_in_archive", .high)])
        #expect(v.status == .suspicious && v.suspicious)
        #expect(v.reasons == ["script_in_archive: script_in_archive"])
        #expect(v.notInspected == ["encrypted_archive: encrypted_archive"])
    }

    @Test("Only something not inspected: not_inspected, and not suspicious")
    func gapAlone() {
        let v = Verdict(findings: [finding("encrypted_archive", .low, .notInspected), finding("password_in_body", .info)])
        #expect(v.status == .notInspected)
        #expect(!v.suspicious)
        #expect(v.reasons.isEmpty)
    }

    @Test("Weak evidence beside something not inspected is suspicious; weak evidence alone is not")
    func weakEvidence() {
        #expect(Verdict(findings: [finding("disk_image", .low)]).status == .clean)
        let v = Verdict(findings: [finding("disk_image", .low), finding("encrypted_document", .low, .notInspected)])
        #expect(v.status == .suspicious)
        #expect(Set(v.reasons) == ["disk_image: disk_image", "encrypted_document: encrypted_document"])
        // Info-level evidence (an opened PPAP zip) does not tip it.
        #expect(Verdict(findings: [finding("encrypted_archive", .info), finding("not_inspected", .low, .notInspected)]).status == .notInspected)
    }

    @Test("No findings at all: clean")
    func nothing() {
        #expect(Verdict(findings: []).status == .clean)
    }

    private func scan(_ bytes: [UInt8]) -> ScanReport { MessageScanner().scan(bytes, source: "verdict.eml").report }

    @Test("A multipart cut short by an enclosing boundary is evasive: readers disagree where its parts end")
    func unclosedInnerMultipart() {
        let report = scan(mail(
            "From: a@example.com", "Subject: nested", "Content-Type: multipart/mixed; boundary=\"OUT\"", "",
            "--OUT", "Content-Type: multipart/alternative; boundary=\"IN\"", "",
            "--IN", "Content-Type: text/plain", "", "text",
            "--OUT", "Content-Type: application/octet-stream; name=\"a.bin\"", "", "data",
            "--OUT--", ""))
        let defect = report.defects.first { $0.code == .missingFinalBoundary }
        #expect(defect?.severity == .evasive)
        #expect(defect?.where == "1")
        #expect(report.verdict.status == .suspicious)
        #expect(report.findings.map(\.id) == ["evasive_mime"])
    }

    @Test("Duplicate headers: the same value twice is info; different Content-Types are evasive; different Subjects a warning")
    func duplicateHeaders() {
        let same = scan(mail("From: a@example.com", "Subject: s", "Subject: s", "Content-Type: text/plain", "Content-Type: TEXT/plain", "", "x"))
        #expect(same.defects.filter { $0.code == .duplicateHeader }.map(\.severity) == [.info, .info])
        #expect(same.verdict.status == .clean)

        let conflicting = scan(mail("From: a@example.com", "Subject: s", "Content-Type: text/plain", "Content-Type: application/x-msdownload", "", "x"))
        #expect(conflicting.defects.first { $0.code == .duplicateHeader }?.severity == .evasive)
        #expect(conflicting.verdict.status == .suspicious)

        let subjects = scan(mail("From: a@example.com", "Subject: one", "Subject: two", "", "x"))
        #expect(subjects.defects.first { $0.code == .duplicateHeader }?.severity == .warning)
        #expect(subjects.verdict.status == .clean)

        let froms = scan(mail("From: a@example.com", "From: ceo@example.org", "Subject: s", "", "x"))
        #expect(froms.defects.first { $0.code == .duplicateHeader }?.severity == .evasive)

        // Boundaries and file names are case-sensitive: two readers would build two different MIME trees.
        let boundaries = scan(mail("From: a@example.com", "Content-Type: multipart/mixed; boundary=\"ABC\"",
                                   "Content-Type: multipart/mixed; boundary=\"abc\"", "", "--ABC", "", "x", "--ABC--", ""))
        #expect(boundaries.defects.first { $0.code == .duplicateHeader }?.severity == .evasive)
        let folded = scan(mail("From: a@example.com", "Content-Type: text/plain;", " charset=utf-8", "Content-Type: Text/Plain; charset=utf-8", "", "x"))
        #expect(folded.defects.first { $0.code == .duplicateHeader }?.severity == .info)
    }

    /// A multipart/mixed of `parts` text parts with `contentType`, scanned with at most `maxParts` parts.
    private func scanParts(_ parts: Int, contentType: String = "text/plain", maxParts: Int) -> ScanReport {
        var options = ScanOptions()
        options.parse.maxParts = maxParts
        var lines = ["From: a@example.com", "Subject: many", "Content-Type: multipart/mixed; boundary=\"B\"", ""]
        for k in 0..<parts { lines += ["--B", "Content-Type: \(contentType)", "", "part \(k)"] }
        lines += ["--B--", ""]
        return MessageScanner(options: options).scan(Array(lines.joined(separator: "\r\n").utf8), source: "m.eml").report
    }

    @Test("A thousand cheap defects cannot hide the limit that fires after them")
    func defectBoundKeepsLimits() {
        // Each part has a cheap defect (a duplicate parameter): 1,500 of them pass the list's bound of 1,000 before
        // the part limit fires.
        let report = scanParts(1_600, contentType: "text/plain; charset=a; charset=b", maxParts: 1_500)
        #expect(report.defects.count > 1_000)
        #expect(report.defects.contains { $0.code == .partLimitExceeded })
        #expect(report.verdict.status == .notInspected)
    }

    @Test("A MIME limit that fires makes the message not_inspected, named in the verdict")
    func mimeLimit() {
        let report = scanParts(6, maxParts: 3)
        #expect(report.defects.contains { $0.code == .partLimitExceeded })
        #expect(report.verdict.status == .notInspected)
        #expect(report.verdict.notInspected.contains { $0.contains("part_limit_exceeded") })
    }
}

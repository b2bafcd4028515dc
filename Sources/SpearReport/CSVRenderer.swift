/// CSV for spreadsheets: one header row, one row per period (no totals row, so that summing a column in a
/// spreadsheet gives the total), counts rather than shares, RFC 4180 quoting and CRLF line ends.
///
/// Columns: `period`, `messages`, `targeted`, `not_inspected_messages`, `counted`, `spoofed`, `spoofed_unknown`, `bulk`, `non_public`
/// (empty without a public-address list), `encrypted_archive`, `attachment_files`, one `attachments_<category>`
/// per category, `archive_content_files`, one `archive_contents_<category>` per leaf category,
/// `archive_contents_not_inspected`, `disk_image_content_files`, one `disk_image_contents_<category>` per leaf
/// category, `disk_image_contents_not_inspected`, `nested_archives`, then the first of each top list: `top_subject`,
/// `top_subject_count`, `top_sender_domain`, `top_sender_domain_count`. Headers and period keys are
/// language-independent.
///
/// Subjects are written by attackers, so a text cell starting with `=`, `+`, `-`, `@`, tab or CR is prefixed
/// with `'` to keep spreadsheets from evaluating it as a formula (CSV injection).
struct CSVRenderer {
    let report: Report

    static func header() -> [String] {
        ["period", "messages", "targeted", "not_inspected_messages", "counted", "spoofed", "spoofed_unknown", "bulk", "non_public",
         "encrypted_archive", "attachment_files"]
            + Breakdown.attachments.keys.map { "attachments_" + $0.jsonKey }
            + ["archive_content_files"]
            + Breakdown.archiveContents.keys.map { "archive_contents_" + $0.jsonKey }
            + ["disk_image_content_files"]
            + Breakdown.diskImageContents.keys.map { "disk_image_contents_" + $0.jsonKey }
            + ["nested_archives", "top_subject", "top_subject_count", "top_sender_domain", "top_sender_domain_count"]
    }

    func row(_ s: PeriodStats) -> [String] {
        var r = [s.period?.key ?? "total", String(s.messages), String(s.targeted), String(s.notInspectedMessages), String(s.counted), String(s.spoofed),
                 String(s.spoofedUnknown), String(s.bulk), s.nonPublic.map(String.init) ?? "", String(s.encryptedArchive),
                 String(s.attachmentFiles)]
        r += Breakdown.attachments.counts(s).map(String.init)
        r.append(String(s.archiveContentFiles))
        r += Breakdown.archiveContents.counts(s).map(String.init)
        r.append(String(s.diskImageContentFiles))
        r += Breakdown.diskImageContents.counts(s).map(String.init)
        r.append(String(s.nestedArchives))
        r += [CSVRenderer.defused(s.topSubjects.first?.value ?? ""), s.topSubjects.first.map { String($0.count) } ?? "",
              CSVRenderer.defused(s.topSenderDomains.first?.value ?? ""), s.topSenderDomains.first.map { String($0.count) } ?? ""]
        return r
    }

    func render() -> String {
        ([CSVRenderer.header()] + report.periods.map(row))
            .map { $0.map(CSVRenderer.quoted).joined(separator: ",") + "\r\n" }
            .joined()
    }

    /// RFC 4180: a field containing a comma, quote, CR or LF is enclosed in quotes, quotes doubled.
    static func quoted(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) else {
            return field
        }
        return "\"" + field.replacingAll("\"", with: "\"\"") + "\""
    }

    /// Neutralises a spreadsheet formula at the start of untrusted text.
    static func defused(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return text }
        return "'" + text
    }
}

extension String {
    /// Replaces every occurrence of a character, without Foundation.
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for ch in self { if ch == target { out += replacement } else { out.append(ch) } }
        return out
    }
}

extension Report {
    /// The report as CSV (RFC 4180, CRLF), one row per period, counts only.
    public func csv() -> String { CSVRenderer(report: self).render() }
}

public import SpearCore
import Foundation
import SpearMIME

/// Renders a `ScanReport` for people (text) and programs (JSON, one object per line).
public enum ReportRenderer {
    /// One line of JSON, keys in schema order.
    public static func json(_ report: ScanReport) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]  // stable output for diffs and golden files
        let data = (try? encoder.encode(report)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// What a person reads in seconds: who, what, the attachments (risky first), the defects, the verdict.
    public static func text(_ report: ScanReport) -> String {
        var out = ""
        let verdict = switch report.verdict.status {
        case .suspicious: "SUSPICIOUS"
        case .notInspected: "NOT INSPECTED in part; nothing suspicious in what was"
        case .clean: "no suspicious content found"
        }
        out += "\(report.source): \(verdict)\n"
        let m = report.message
        out += "  From:     \(addresses(m.from))\n"
        if !m.to.isEmpty { out += "  To:       \(addresses(m.to))\n" }
        if !m.cc.isEmpty { out += "  Cc:       \(addresses(m.cc))\n" }
        if !m.replyTo.isEmpty { out += "  Reply-To: \(addresses(m.replyTo))\n" }
        out += "  Subject:  \(m.subject.map { printable($0) } ?? "(none)")\n"
        out += "  Date:     \(m.date ?? "(none or unparseable)")\n"
        if let sender = report.sender {
            let head: String
            switch sender.spoofed {
            case true?: head = "SPOOFED (score \(sender.score))"
            case false?: head = "not spoofed (score \(sender.score))"
            case nil: head = "undetermined (score \(sender.score)): not enough evidence"
            }
            let reasons = sender.topReasons.prefix(2).map { printable($0, limit: 160) }
            out += "  Sender:   \(head)" + (reasons.isEmpty ? "" : ": " + reasons.joined(separator: "; ")) + "\n"
        }
        let all = report.attachments
        out += "  Attachments: \(all.isEmpty ? "none" : String(all.count))\n"
        for a in sortedRiskyFirst(all) { renderAttachment(a, indent: 4, into: &out) }
        if !report.defects.isEmpty {
            out += "  Defects: \(report.defects.count)\n"
            let sorted = report.defects.enumerated().sorted {
                $0.element.severity != $1.element.severity ? $0.element.severity > $1.element.severity : $0.offset < $1.offset
            }
            for (_, d) in sorted.prefix(50) {
                out += "    [\(d.severity.rawValue)] \(d.code.rawValue) at \(d.where): \(printable(d.detail))\n"
            }
            if report.defects.count > 50 { out += "    … \(report.defects.count - 50) more (see --format json)\n" }
        }
        if !report.iocs.isEmpty { renderIndicators(report.iocs, into: &out) }
        switch report.verdict.status {
        case .suspicious:
            out += "  Verdict:  suspicious\n"
            for r in report.verdict.reasons.prefix(5) { out += "    - \(printable(r))\n" }
        case .notInspected:
            out += "  Verdict:  not inspected (nothing suspicious in what could be inspected)\n"
        case .clean:
            out += "  Verdict:  nothing suspicious found\n"
        }
        if !report.verdict.notInspected.isEmpty {
            out += "  Not inspected:\n"
            for r in report.verdict.notInspected.prefix(5) { out += "    - \(printable(r))\n" }
            if report.verdict.notInspected.count > 5 { out += "    … \(report.verdict.notInspected.count - 5) more (see --format json)\n" }
        }
        return out
    }

    /// How many of each kind, then the URLs, domains and addresses a reader would look up (files are listed with
    /// the attachments), those of the message's own content first; at most ten.
    private static func renderIndicators(_ iocs: [Indicator], into out: inout String) {
        let kinds = Indicator.Kind.allCases.compactMap { kind -> String? in
            let n = iocs.filter { $0.type == kind }.count
            return n == 0 ? nil : "\(n) \(kind.rawValue)"
        }
        out += "  Indicators: \(iocs.count) (\(kinds.joined(separator: ", ")))\n"
        let shown = iocs.filter { $0.type != .file && $0.type != .email }
        let ordered = shown.filter { $0.context == .content || $0.context == .header } + shown.filter { $0.context == .signature || $0.context == .footer }
        for i in ordered.prefix(10) {
            var notes = [i.location]
            if i.context == .signature || i.context == .footer { notes.append(i.context.rawValue) }
            if i.obfuscated { notes.append("obfuscated") }
            out += "    \(i.type.rawValue) \(printable(i.value, limit: 160)) (\(notes.joined(separator: ", ")))\n"
        }
        if ordered.count > 10 { out += "    … \(ordered.count - 10) more (see --format json)\n" }
    }

    private static func renderAttachment(_ a: AttachmentReport, indent: Int, into out: inout String) {
        let pad = String(repeating: " ", count: indent)
        let name = (a.path ?? a.filename).map { "\"\(printable($0))\"" } ?? "(no name)"
        var flags: [String] = []
        if a.inline { flags.append("inline") }
        if a.forwarded && a.origin != .archive { flags.append("forwarded") }
        if a.origin == .uuencode { flags.append("uuencoded") }
        if a.encrypted { flags.append("encrypted") }
        if let p = a.password { flags.append("opened with \"\(printable(p.value))\" from \(p.source)") }
        if !a.complete { flags.append("not fully inspected") }
        let flagText = flags.isEmpty ? "" : " [" + flags.joined(separator: ", ") + "]"
        let where_ = a.origin == .archive ? "" : "\(a.mimePath)  "
        let kind = a.category?.rawValue ?? "unclassified"
        let detail = a.magic.map { " (\($0.mimeType))" } ?? a.contentType.map { " (\($0))" } ?? ""
        out += "\(pad)\(where_)\(name)  \(kind)\(detail)  \(byteCount(a.size))\(flagText)\n"
        out += "\(pad)    sha256 \(a.sha256)\n"
        if let m = a.message {
            out += "\(pad)    message from \(addresses(m.from)), subject \(m.subject.map { printable($0) } ?? "(none)")\n"
        }
        for f in a.findings { out += "\(pad)    ! \(f.severity.rawValue) \(f.id): \(printable(f.evidence))\n" }
        for child in sortedRiskyFirst(a.children) { renderAttachment(child, indent: indent + 4, into: &out) }
    }

    private static func sortedRiskyFirst(_ list: [AttachmentReport]) -> [AttachmentReport] {
        func risk(_ a: AttachmentReport) -> Int {
            a.flattened.flatMap(\.findings).map { $0.severity == .high ? 3 : $0.severity == .medium ? 2 : 1 }.max() ?? 0
        }
        return list.enumerated().sorted { risk($0.element) != risk($1.element) ? risk($0.element) > risk($1.element) : $0.offset < $1.offset }.map(\.element)
    }

    private static func addresses(_ list: [Address]) -> String {
        if list.isEmpty { return "(none)" }
        return list.map { a in
            if let n = a.name { return "\(printable(n)) <\(printable(a.address))>" }
            return printable(a.address)
        }.joined(separator: ", ")
    }

    static func byteCount(_ n: Int) -> String {
        if n < 1024 { return "\(n) B" }
        if n < 1 << 20 { return String(format: "%.1f KiB", Double(n) / 1024) }
        return String(format: "%.1f MiB", Double(n) / 1_048_576)
    }

    /// Control and bidi characters made visible, so a terminal shows what is really there; long values cut.
    static func printable(_ s: String, limit: Int = 300) -> String {
        var out = String.UnicodeScalarView()
        for (k, scalar) in s.unicodeScalars.enumerated() {
            if k == limit {
                out.append(contentsOf: "… (\(s.unicodeScalars.count - limit) more characters)".unicodeScalars)
                break
            }
            let v = scalar.value
            if v < 0x20 || v == 0x7F || (v >= 0x80 && v < 0xA0) || FilenameRules.bidiControls.contains(v) {
                out.append(contentsOf: "<U+\(String(v, radix: 16, uppercase: true))>".unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }
}

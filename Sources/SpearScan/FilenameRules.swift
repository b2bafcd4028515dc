public import SpearCore
/// Heuristics on attachment names: the deceptions the NPA reports describe (scripts, executables and shortcuts
/// dressed as documents).
public enum FilenameRules {
    /// Extensions that run code when opened on Windows, or mount something that does.
    public static let riskyExtensions: Set<String> = [
        "exe", "scr", "com", "pif", "cpl", "msi", "msp", "msc", "dll", "jar", "gadget", "application",
        "js", "jse", "vbs", "vbe", "wsf", "wsh", "wsc", "hta", "ps1", "psm1", "psd1", "bat", "cmd", "sct", "reg", "inf",
        "lnk", "url", "scf", "chm", "iso", "img", "vhd", "vhdx", "one", "xll", "appref-ms", "settingcontent-ms",
    ]

    /// Extensions a victim expects to be harmless, used as the decoy in double extensions.
    static let decoyExtensions: Set<String> = [
        "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "txt", "rtf", "jpg", "jpeg", "png", "gif", "csv", "zip",
        "jtd", "htm", "html", "mp3", "mp4", "wav",
    ]

    /// Characters that reorder text on screen (`invoice‮fdp.exe` shows as `invoiceexe.pdf`).
    static let bidiControls: Set<UInt32> = [0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069, 0x200E, 0x200F, 0x061C]

    public static func findings(for name: String) -> [Finding] {
        var findings: [Finding] = []
        let scalars = name.unicodeScalars
        let bidi = scalars.filter { bidiControls.contains($0.value) }
        if !bidi.isEmpty {
            let codes = bidi.map { "U+" + String($0.value, radix: 16, uppercase: true) }
            let shown = String(String.UnicodeScalarView(scalars.filter { !bidiControls.contains($0.value) }))
            findings.append(Finding(id: .bidiOverride, severity: .high,
                                    evidence: "name \"\(shown)\" contains \(codes.joined(separator: ", ")), which reorders how it is displayed"))
        }
        let visible = String(String.UnicodeScalarView(scalars.filter { !bidiControls.contains($0.value) }))
        let parts = extensions(of: visible)
        if let last = parts.last, riskyExtensions.contains(last.ext) {
            findings.append(Finding(id: .riskyExtension, severity: .high,
                                    evidence: "\"\(visible)\" has extension .\(last.ext), which runs code when opened on Windows"))
            if parts.count >= 2, decoyExtensions.contains(parts[parts.count - 2].ext) {
                findings.append(Finding(id: .doubleExtension, severity: .high,
                                        evidence: "\"\(visible)\" poses as .\(parts[parts.count - 2].ext) but is .\(last.ext)"))
            }
        }
        if let last = parts.last, last.paddingBefore >= 4 {
            findings.append(Finding(id: .paddedFilename, severity: .medium,
                                    evidence: "\(last.paddingBefore) spaces or underscores before .\(last.ext) push the real extension out of view"))
        }
        if scalars.contains(where: { $0.value < 0x20 || ($0.value >= 0x7F && $0.value < 0xA0) }) {
            findings.append(Finding(id: .controlCharactersInName, severity: .medium, evidence: "the name contains control characters"))
        }
        return findings
    }

    /// The dot-separated extensions of a name, lower-cased, with how much padding preceded each dot.
    static func extensions(of name: String) -> [(ext: String, paddingBefore: Int)] {
        // Trailing dots and spaces are dropped by Windows: "x.exe. " opens as x.exe.
        var trimmed = Substring(name)
        while let l = trimmed.last, l == "." || l == " " { trimmed = trimmed.dropLast() }
        let pieces = trimmed.split(separator: ".", omittingEmptySubsequences: false)
        guard pieces.count >= 2 else { return [] }
        var result: [(String, Int)] = []
        for k in 1..<pieces.count {
            let ext = pieces[k].trimmingCharacters(in: .whitespaces).lowercased()
            let before = pieces[k - 1]
            let padding = before.reversed().prefix { $0 == " " || $0 == "_" || $0 == "\u{3000}" }.count
            if !ext.isEmpty, ext.count <= 20, ext.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) {
                result.append((ext, padding))
            }
        }
        return result
    }
}

extension Substring {
    fileprivate enum Trim { case whitespaces }
    fileprivate func trimmingCharacters(in _: Trim) -> Substring {
        var s = self
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return s
    }
}

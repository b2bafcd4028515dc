/// What a file is, in the categories of the NPA's statistics (Word, Excel, compressed files, executables,
/// scripts, shortcuts…), decided by content first and by name second.
public enum Category: String, Sendable, Codable, CaseIterable {
    case word, excel, powerpoint, ichitaro, pdf, rtf, onenote, archive, executable, script, shortcut
    case diskImage = "disk_image"
    case html, email, text, image, other
    /// A TNEF stream (winmail.dat): Outlook's wrapper for a message's attachments, not a file of its own.
    case tnef

    /// Runs code when opened (directly, or by a double click on Windows).
    public var isActive: Bool { self == .executable || self == .script || self == .shortcut }

    /// The category a file name's extension promises, if it promises one.
    public static func expected(forName name: String) -> Category? {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        let ext = name[name.index(after: dot)...].lowercased().trimmingCharacters(in: .whitespaces)
        return byExtension[ext]
    }

    static let byExtension: [String: Category] = {
        var t: [String: Category] = [:]
        func add(_ c: Category, _ exts: String...) { for e in exts { t[e] = c } }
        add(.word, "doc", "dot", "docx", "docm", "dotx", "dotm", "wbk")
        add(.excel, "xls", "xlt", "xla", "xlsx", "xlsm", "xlsb", "xltx", "xltm", "xlam")
        add(.powerpoint, "ppt", "pot", "pps", "pptx", "pptm", "ppsx", "ppsm", "potx")
        add(.ichitaro, "jtd", "jtdc", "jtt", "jttc", "jtdx")
        add(.pdf, "pdf")
        add(.rtf, "rtf")
        add(.onenote, "one", "onepkg")
        add(.archive, "zip", "7z", "rar", "lzh", "lha", "gz", "tgz", "bz2", "tbz", "xz", "txz", "zst", "lzma", "tar", "cab", "cpio", "arj", "z", "ace", "jar")
        add(.executable, "exe", "dll", "scr", "com", "pif", "cpl", "msi", "msp", "sys", "ocx", "elf")
        add(.script, "js", "jse", "vbs", "vbe", "wsf", "wsh", "wsc", "hta", "ps1", "psm1", "psd1", "bat", "cmd", "sct", "vba", "sh", "py", "pl")
        add(.shortcut, "lnk", "url", "scf", "appref-ms", "settingcontent-ms")
        add(.diskImage, "iso", "img", "vhd", "vhdx", "dmg", "udf")
        add(.html, "htm", "html", "mht", "mhtml", "xhtml", "svg")
        add(.email, "eml", "msg")
        add(.text, "txt", "csv", "log", "md", "json", "xml")
        add(.image, "jpg", "jpeg", "png", "gif", "bmp", "tif", "tiff", "webp", "ico", "heic")
        return t
    }()
}

extension String {
    enum TrimSet { case whitespaces }
    func trimmingCharacters(in _: TrimSet) -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}

import SpearCore
import SpearMIME

/// Internet shortcuts (`.url`, `[InternetShortcut]`), Explorer command files (`.scf`, `[Shell]`) and freedesktop
/// launchers (`.desktop`, `[Desktop Entry]`): the URL they open, the command they run (`Exec=`; an `.scf`'s `Command=`
/// is an Explorer command number, not a command line), and a
/// remote icon (`IconFile=\\server\share\…`: Explorer fetches it, with the user's credentials, when it shows
/// the folder).
enum ShortcutFile {
    enum Kind { case internetShortcut, shellCommand, desktopEntry }

    /// Which kind the text is, by its first section header (after a BOM and blank lines).
    static func kind(_ b: [UInt8]) -> Kind? {
        var i = 0
        if b.count >= 3, b[0] == 0xEF, b[1] == 0xBB, b[2] == 0xBF { i = 3 }
        while i < b.count, b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0D || b[i] == 0x0A { i += 1 }
        // Comments before the section (`#` in .desktop, `;` in .url).
        while i < b.count, b[i] == 0x23 || b[i] == 0x3B {
            while i < b.count, b[i] != 0x0A { i += 1 }
            while i < b.count, b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0D || b[i] == 0x0A { i += 1 }
        }
        let head = b[i..<min(b.count, i + 24)]
        if head.starts(with: "[InternetShortcut]".utf8) || head.starts(with: "[InternetShortcut.".utf8) { return .internetShortcut }
        if head.starts(with: "[Desktop Entry]".utf8) { return .desktopEntry }
        if head.starts(with: "[Shell]".utf8) { return .shellCommand }
        return nil
    }

    static func read(_ b: [UInt8], kind: Kind, into list: inout SightingList) {
        let text = TextBytes.utf8OrLatin1(b.prefix(1 << 20))
        for line in text.split(whereSeparator: \.isNewline) {
            guard let eq = line.firstIndex(of: "=") else { continue }
            let key = line[..<eq].trimmingCharacters(in: " \t")
            let value = String(line[line.index(after: eq)...]).trimmingCharacters(in: " \t")
            switch (kind, key) {
            case (.internetShortcut, "URL"), (.internetShortcut, "BASEURL"), (.internetShortcut, "IconFile"),
                 (.internetShortcut, "WorkingDirectory"), (.shellCommand, "IconFile"):
                list.addReference(value, part: "\(key)=")
            case (.desktopEntry, "Exec"), (.desktopEntry, "TryExec"):
                list.add(.command, value, part: "\(key)=")
                list.addURLs(in: Array(value.utf8), part: "\(key)=")
            case (.desktopEntry, "URL"):
                list.addReference(value, part: "URL=")
            case (.desktopEntry, "Icon"):
                if Reference.kind(of: value) == .url { list.add(.url, value, part: "Icon=") }
            default:
                break
            }
        }
    }
}

import SpearCore
import SpearMIME

/// Internet shortcuts (`.url`, `[InternetShortcut]`), Explorer command files (`.scf`, `[Shell]`) and freedesktop
/// launchers (`.desktop`, `[Desktop Entry]`): the URL they open, the command they run (`Exec=`; an `.scf`'s `Command=`
/// is an Explorer command number, not a command line), and a
/// remote icon (`IconFile=\\server\share\…`: Explorer fetches it, with the user's credentials, when it shows
/// the folder).
enum ShortcutFile {
    static func read(_ b: [UInt8], kind: TextShortcut, into list: inout SightingList) {
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

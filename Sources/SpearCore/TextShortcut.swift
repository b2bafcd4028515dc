/// Shortcuts written as text: an Internet shortcut (`.url`, `[InternetShortcut]`), an Explorer command file
/// (`.scf`, `[Shell]`) or a freedesktop launcher (`.desktop`, `[Desktop Entry]`), known by their first section
/// header after a byte-order mark, blank lines and `;`/`#` comments, in any case (as Windows reads them). What the
/// classifier calls a shortcut and what the indicator reader reads as one.
public enum TextShortcut: Sendable {
    case internetShortcut, shellCommand, desktopEntry

    public init?(_ b: [UInt8]) {
        var i = b.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        func skipBlank() { while i < b.count, b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0D || b[i] == 0x0A { i += 1 } }
        skipBlank()
        var comments = 0
        while i < b.count, b[i] == 0x3B || b[i] == 0x23, comments < 64 {
            while i < b.count, b[i] != 0x0A { i += 1 }
            skipBlank()
            comments += 1
        }
        let head = b[i..<min(b.count, i + 20)].map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        if head.starts(with: "[internetshortcut]".utf8) || head.starts(with: "[internetshortcut.".utf8) {
            self = .internetShortcut
        } else if head.starts(with: "[shell]".utf8) {
            self = .shellCommand
        } else if head.starts(with: "[desktop entry]".utf8) {
            self = .desktopEntry
        } else {
            return nil
        }
    }
}

import SpearCore

/// A Windows shortcut (`.lnk`, MS-SHLLINK): the command line it runs — target and arguments — with its working
/// directory, the URLs in its arguments, and a UNC icon (a shortcut that fetches its icon from a server leaks the
/// user's credentials to it). The target comes from the environment-variable block (`%COMSPEC%`, as attackers
/// write it), else the link info's local or network path, else the ID list's path.
enum ShellLink {
    static let headerSize = 0x4C
    static let clsid: [UInt8] = [0x01, 0x14, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46]

    static func isShellLink(_ b: [UInt8]) -> Bool {
        b.count >= headerSize && b[0] == 0x4C && b[1] == 0 && b[2] == 0 && b[3] == 0 && b[4..<20].elementsEqual(clsid)
    }

    struct Parsed: Equatable {
        var target: String?
        var arguments: String?
        var workingDirectory: String?
        var iconLocation: String?
        var relativePath: String?
    }

    static func read(_ b: [UInt8], into list: inout SightingList) {
        guard let link = parse(b) else { return }
        let target = link.target ?? link.relativePath ?? ""
        let arguments = link.arguments ?? ""
        let command = arguments.isEmpty ? target : target.isEmpty ? arguments : "\(target) \(arguments)"
        var part = "shortcut command line"
        if let dir = link.workingDirectory, !dir.isEmpty { part += " (working directory \(dir))" }
        list.add(.command, command, part: part)
        list.addURLs(in: Array(command.utf8), part: "shortcut arguments")
        if let icon = link.iconLocation { list.addReference(icon, part: "shortcut icon") }
    }

    static func parse(_ b: [UInt8]) -> Parsed? {
        guard isShellLink(b) else { return nil }
        var r = ByteReader(b)
        r.offset = 0x14
        guard let flags = r.u32() else { return nil }
        let unicode = flags & 0x80 != 0
        var out = Parsed()
        r.offset = headerSize
        if flags & 0x01 != 0 {
            guard let size = r.u16() else { return out }
            out.target = idListPath(b, from: r.offset, size: size)
            r.offset += size
        }
        if flags & 0x02 != 0 {
            let start = r.offset
            guard let size = r.u32(), size >= 0x1C else { return out }
            if let path = linkInfoPath(b, at: start, size: Int(size)) { out.target = path }
            r.offset = start + Int(size)
        }
        func string() -> String? {
            guard let count = r.u16() else { return nil }
            let length = unicode ? count * 2 : count
            guard r.offset + length <= b.count else { r.offset = b.count; return nil }
            defer { r.offset += length }
            let raw = b[r.offset..<(r.offset + length)]
            return unicode ? TextBytes.utf16LE(raw) : TextBytes.utf8OrLatin1(raw)
        }
        if flags & 0x04 != 0 { _ = string() }
        if flags & 0x08 != 0 { out.relativePath = string() }
        if flags & 0x10 != 0 { out.workingDirectory = string() }
        if flags & 0x20 != 0 { out.arguments = string() }
        if flags & 0x40 != 0 { out.iconLocation = string() }
        // Extra data blocks: size, signature, data; the environment-variable block holds the target as typed.
        var blocks = 0
        while blocks < 64, let size = r.u32(), size >= 8, r.offset - 4 + Int(size) <= b.count {
            let start = r.offset - 4
            let signature = r.u32()
            // TargetAnsi (260 bytes) then TargetUnicode (520 bytes), read only when the flags say the block is
            // used (HasExpString, HasExpIcon): a block the shell ignores must not replace the real target.
            if signature == 0xA000_0001, size >= 0x314, flags & 0x200 != 0 {
                let wide = TextBytes.utf16LE(b[(start + 0x10C)..<(start + 0x314)])
                let ansi = TextBytes.cString(b, at: start + 8, max: 260)?.0 ?? ""
                let target = wide.isEmpty ? ansi : wide
                if !target.isEmpty { out.target = target }
            } else if signature == 0xA000_0007, size >= 0x314, flags & 0x4000 != 0 {
                let wide = TextBytes.utf16LE(b[(start + 0x10C)..<(start + 0x314)])
                let ansi = TextBytes.cString(b, at: start + 8, max: 260)?.0 ?? ""
                let icon = wide.isEmpty ? ansi : wide
                if !icon.isEmpty { out.iconLocation = icon }
            }
            r.offset = start + Int(size)
            blocks += 1
        }
        return out
    }

    /// LinkInfo: the local base path (plus the common suffix), or the network share's name and suffix.
    private static func linkInfoPath(_ b: [UInt8], at start: Int, size: Int) -> String? {
        guard start + size <= b.count else { return nil }
        var r = ByteReader(b)
        r.offset = start + 4
        guard let headerSize = r.u32(), let flags = r.u32(), r.u32() != nil, let localBase = r.u32(), let network = r.u32(),
              let suffix = r.u32() else { return nil }
        // A header of 0x24 bytes or more adds Unicode offsets of the same two strings: non-ASCII paths as written.
        if headerSize >= 0x24, flags & 1 != 0, let localWide = r.u32(), let suffixWide = r.u32(), localWide > 0 {
            let base = TextBytes.wideCString(b, at: start + Int(localWide)) ?? ""
            let tail = suffixWide > 0 ? TextBytes.wideCString(b, at: start + Int(suffixWide)) ?? "" : ""
            if !base.isEmpty { return base + tail }
        }
        let suffixText = TextBytes.cString(b, at: start + Int(suffix))?.0 ?? ""
        if flags & 1 != 0, localBase > 0, let (base, _) = TextBytes.cString(b, at: start + Int(localBase)) {
            return base + suffixText
        }
        if flags & 2 != 0, network > 0 {
            // CommonNetworkRelativeLink: size, flags, NetNameOffset, …
            let link = start + Int(network)
            var n = ByteReader(b)
            n.offset = link + 8
            if let netName = n.u32(), let (share, _) = TextBytes.cString(b, at: link + Int(netName)) {
                return suffixText.isEmpty ? share : share + "\\" + suffixText
            }
        }
        return nil
    }

    /// The path the shell item ID list spells: a drive (`C:\`) then each file entry's name (its long name when
    /// the entry carries one).
    private static func idListPath(_ b: [UInt8], from start: Int, size: Int) -> String? {
        var parts: [String] = []
        var i = start
        let end = min(b.count, start + size)
        var items = 0
        while i + 2 <= end, items < 64 {
            let itemSize = Int(b[i]) | Int(b[i + 1]) << 8
            guard itemSize >= 3, i + itemSize <= end else { break }
            let type = b[i + 2]
            switch type & 0x70 {
            case 0x20:
                if let (drive, _) = TextBytes.cString(b, at: i + 3, max: min(itemSize - 3, 32)) { parts.append(drive) }
            case 0x30:
                if itemSize > 14, let (short, after) = TextBytes.cString(b, at: i + 14, max: itemSize - 14) {
                    parts.append(longName(b, from: after, to: i + itemSize) ?? short)
                }
            default: break
            }
            i += itemSize
            items += 1
        }
        guard !parts.isEmpty else { return nil }
        var path = ""
        for p in parts {
            if !path.isEmpty, !path.hasSuffix("\\") { path += "\\" }
            path += p
        }
        return path
    }

    /// The long name in a file entry's 0xBEEF0004 extension block.
    private static func longName(_ b: [UInt8], from: Int, to end: Int) -> String? {
        var k = from + (from & 1)
        while k + 8 <= end {
            if b[k + 4] == 0x04, b[k + 5] == 0x00, b[k + 6] == 0xEF, b[k + 7] == 0xBE {
                let version = Int(b[k + 2]) | Int(b[k + 3]) << 8
                let offset = k + (version >= 9 ? 46 : version >= 7 ? 42 : version >= 3 ? 18 : 0)
                guard version >= 3, offset < end else { return nil }
                let name = TextBytes.wideCString(b, at: offset, max: end - offset) ?? ""
                return name.isEmpty ? nil : name
            }
            k += 2
        }
        return nil
    }
}

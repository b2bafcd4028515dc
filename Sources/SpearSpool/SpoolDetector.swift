/// Decides how to read a path from what is there, so `spearscan batch` needs no flags for the usual spools.
///
/// - A directory with a `cur/` or `new/` subdirectory is a ``SpoolFormat/maildir``; any other directory a
///   ``SpoolFormat/directory``.
/// - A regular file starting with `From ` is an ``SpoolFormat/mbox``; so is a gzip file (magic `1f 8b`)
///   whose decompressed data starts with `From `. Any other file (including an empty one or one that
///   cannot be opened) is a ``SpoolFormat/file``; reading it then reports the real problem.
///
/// Symbolic links given by the user are followed here; links met inside a tree never are.
public enum SpoolDetector {
    public static func detect(_ path: String) -> SpoolFormat {
        guard let info = FileInfo.of(path, followLinks: true) else { return .file }
        switch info.kind {
        case .directory:
            let cur = FileInfo.of(FileSystem.join(path, "cur"), followLinks: true)?.kind == .directory
            let new = FileInfo.of(FileSystem.join(path, "new"), followLinks: true)?.kind == .directory
            return cur || new ? .maildir : .directory
        case .regular:
            return looksLikeMbox(path, noFollow: false) ? .mbox : .file
        case .symlink, .other:
            return .file
        }
    }

    /// True when the file (after gunzip if it has the gzip magic) starts with `From `.
    static func looksLikeMbox(_ path: String, noFollow: Bool) -> Bool {
        guard let file = try? FileSource(path: path, noFollow: noFollow) else { return false }
        return looksLikeMbox(file)
    }

    /// The same for an open file (its read position may move when it is gzip-compressed).
    static func looksLikeMbox(_ file: FileSource) -> Bool {
        let head = file.peekStart(5)
        if head.count == 5 && head.elementsEqual(Array("From ".utf8)) { return true }
        guard head.count >= 2, head[0] == 0x1F, head[1] == 0x8B else { return false }
        return isGzippedMbox(file)
    }

    static func isGzip(_ file: FileSource) -> Bool {
        let head = file.peekStart(2)
        return head.count == 2 && head[0] == 0x1F && head[1] == 0x8B
    }

    private static func isGzippedMbox(_ file: FileSource) -> Bool {
        guard let gzip = try? GzipStream(file: file, inputCapacity: 64 << 10) else { return false }
        var out = [UInt8](repeating: 0, count: 5)
        var filled = 0
        while filled < 5 {
            let n = (try? out.withUnsafeMutableBytes {
                try gzip.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[filled...]))
            }) ?? 0
            if n == 0 { break }
            filled += n
        }
        return filled == 5 && out.elementsEqual(Array("From ".utf8))
    }
}

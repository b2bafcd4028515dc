/// Lists the message files of a Maildir or a directory tree in a fixed order, one at a time.
///
/// Rules (the same for reading and for ``SpoolReader/totalBytes(of:)``):
/// - Entries are sorted by the bytes of their names; names starting with `.` are skipped (files and dirs).
/// - Maildir: `cur/` then `new/`, not recursive; `tmp/` is never read.
/// - Tree: depth-first, a subdirectory is read where its name sorts. A Maildir nested in a tree is just
///   more files (its `tmp/` included).
/// - Symbolic links are never followed (reported as failed: following them could read outside the tree
///   or loop); sockets, FIFOs and devices are reported as failed, never opened.
/// - Only the names of the directories on the current path are held, not the whole tree.
final class DirectoryWalker {
    enum Entry {
        case file(String)
        case failed(SpoolItem)
    }

    private struct Frame {
        var directory: String
        var names: [String]
        var index = 0
    }

    private let recursive: Bool
    private var stack: [Frame] = []
    /// Directories still to be listed, in reverse order (Maildir's `new/` waits under `cur/`).
    private var queued: [String]
    private var pendingFailures: [SpoolItem] = []

    init(maildir: String) {
        recursive = false
        queued = ["new", "cur"].map { FileSystem.join(maildir, $0) }
            .filter { FileInfo.of($0, followLinks: true)?.kind == .directory }
    }

    init(tree: String) {
        recursive = true
        queued = [tree]
    }

    private func push(_ directory: String) {
        do {
            let (names, invalid) = try FileSystem.list(directory)
            stack.append(Frame(directory: directory, names: names))
            if invalid > 0 {
                pendingFailures.append(SpoolError(.ioError, path: directory,
                                                  reason: "\(invalid) entries with names that are not valid UTF-8 not read").item())
            }
        } catch {
            pendingFailures.append(SpoolError.wrap(error, path: directory).item())
        }
    }

    func next() -> Entry? {
        while true {
            if !pendingFailures.isEmpty { return .failed(pendingFailures.removeFirst()) }
            guard var frame = stack.popLast() else {
                guard let directory = queued.popLast() else { return nil }
                push(directory)
                continue
            }
            guard frame.index < frame.names.count else { continue }
            let name = frame.names[frame.index]
            frame.index += 1
            stack.append(frame)
            if name.hasPrefix(".") { continue }
            let path = FileSystem.join(frame.directory, name)
            guard let info = FileInfo.of(path, followLinks: false) else {
                return .failed(SpoolError(.notFound, path: path, reason: "vanished or cannot be examined").item())
            }
            switch info.kind {
            case .regular:
                return .file(path)
            case .directory:
                if recursive {
                    push(path)
                    continue
                }
                return .failed(SpoolError(.notRegularFile, path: path, reason: "unexpected directory in Maildir, not read").item())
            case .symlink:
                return .failed(SpoolError(.symbolicLink, path: path, reason: "symbolic link not followed").item())
            case .other:
                return .failed(SpoolError(.notRegularFile, path: path, reason: "not a regular file (device, FIFO or socket)").item())
            }
        }
    }
}

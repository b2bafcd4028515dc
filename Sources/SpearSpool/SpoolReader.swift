#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads the given paths in order, one item at a time; memory stays bounded by one message plus a read buffer.
///
/// Not `Sendable`: one reader thread pulls from it and hands messages to workers. Every problem after
/// construction becomes a ``SpoolItem/failed(source:offset:reason:)`` item and reading goes on with the next
/// message or file, so a batch over a damaged spool still finishes.
///
/// Inside a ``SpoolFormat/directory`` tree, a file that ``SpoolDetector`` recognises as an mbox (plain or
/// gzip, starting with `From `) is split into its messages; every other file is one message. Maildir files
/// are always one message each.
public final class SpoolReader {
    private struct Root {
        var path: String
        var format: SpoolFormat
    }

    private let options: SpoolOptions
    private let roots: [Root]
    private var rootIndex = 0
    private var walker: DirectoryWalker?
    /// Files of a tree are sniffed for mbox; Maildir files are always one message.
    private var walkerIsTree = false
    private var current: (any SpoolItemSource)?
    private var completedBytes = 0

    /// Raw bytes consumed so far (compressed bytes for gzip, whole size for cut one-message files), so that
    /// it runs up to ``totalBytes(of:)`` for a progress bar.
    public private(set) var bytesRead = 0

    /// Checks every path up front and throws a ``SpoolError`` naming the first one that does not exist or
    /// cannot be read, so a typo fails the command at once instead of after hours of scanning.
    public init(paths: [String], options: SpoolOptions = SpoolOptions()) throws {
        self.options = options
        var roots: [Root] = []
        for path in paths {
            guard let info = FileInfo.of(path, followLinks: true) else {
                throw SpoolError.fromErrno(errno, path: path, action: "cannot read")
            }
            let mode = info.kind == .directory ? R_OK | X_OK : R_OK
            if access(path, mode) != 0 {
                throw SpoolError.fromErrno(errno, path: path, action: "cannot read")
            }
            roots.append(Root(path: path, format: options.format ?? SpoolDetector.detect(path)))
        }
        self.roots = roots
    }

    /// The next message or failure, `nil` when every path has been read. Never throws and never stops
    /// early: a problem with one file is an item, and the next call goes on with the following file.
    public func next() -> SpoolItem? {
        while true {
            if let source = current {
                if let item = source.next() {
                    bytesRead = completedBytes + source.rawBytesRead
                    return item
                }
                completedBytes += source.rawBytesRead
                bytesRead = completedBytes
                current = nil
                continue
            }
            if let walker {
                switch walker.next() {
                case .file(let path):
                    // Opened once to sniff and to read; a file that cannot be opened fails when MessageFile
                    // opens it, with the reason. A gzip file is sniffed by reading, so it is opened afresh.
                    let file = walkerIsTree ? try? FileSource(path: path, noFollow: true) : nil
                    if let file, SpoolDetector.isGzip(file) {
                        current = SpoolDetector.looksLikeMbox(file)
                            ? MboxFile(path: path, noFollow: true, options: options)
                            : MessageFile(path: path, noFollow: true, options: options)
                    } else if let file, SpoolDetector.looksLikeMbox(file) {
                        current = MboxFile(path: path, noFollow: true, options: options)
                    } else {
                        current = MessageFile(path: path, noFollow: true, options: options, opened: file)
                    }
                case .failed(let item):
                    return item
                case nil:
                    self.walker = nil
                }
                continue
            }
            guard rootIndex < roots.count else { return nil }
            let root = roots[rootIndex]
            rootIndex += 1
            if let item = start(root) { return item }
        }
    }

    /// Sets up reading of one given path; returns a failed item when the forced format cannot apply.
    private func start(_ root: Root) -> SpoolItem? {
        let info = FileInfo.of(root.path, followLinks: true)
        let isDirectory = info?.kind == .directory
        if info?.kind == .other {
            // Opening a FIFO would block the whole batch.
            return SpoolError(.notRegularFile, path: root.path,
                              reason: "not a regular file or directory (device, FIFO or socket)").item()
        }
        switch root.format {
        case .maildir:
            guard isDirectory else { return mismatch(root, "not a directory, cannot read as a Maildir") }
            let hasCur = FileSystem.isDirectory(FileSystem.join(root.path, "cur"))
            let hasNew = FileSystem.isDirectory(FileSystem.join(root.path, "new"))
            guard hasCur || hasNew else { return mismatch(root, "no cur/ or new/ directory: not a Maildir") }
            walker = DirectoryWalker(maildir: root.path)
            walkerIsTree = false
        case .directory:
            guard isDirectory else { return mismatch(root, "not a directory") }
            walker = DirectoryWalker(tree: root.path)
            walkerIsTree = true
        case .mbox:
            guard !isDirectory else { return mismatch(root, "is a directory, cannot read as an mbox") }
            current = MboxFile(path: root.path, noFollow: false, options: options)
        case .file:
            guard !isDirectory else { return mismatch(root, "is a directory, cannot read as a message file") }
            current = MessageFile(path: root.path, noFollow: false, options: options)
        }
        return nil
    }

    private func mismatch(_ root: Root, _ reason: String) -> SpoolItem {
        SpoolError(.formatMismatch, path: root.path, reason: reason).item()
    }

    /// Sum of the sizes of the files a reader over `paths` would read (detected formats, same walk rules),
    /// for an ETA. Paths that cannot be examined count as 0.
    public static func totalBytes(of paths: [String]) -> Int {
        var total = 0
        for path in paths {
            guard let info = FileInfo.of(path, followLinks: true) else { continue }
            guard info.kind == .directory else {
                total += info.size
                continue
            }
            let walker = SpoolDetector.detect(path) == .maildir
                ? DirectoryWalker(maildir: path) : DirectoryWalker(tree: path)
            while let entry = walker.next() {
                if case .file(let file) = entry {
                    total += FileInfo.of(file, followLinks: false)?.size ?? 0
                }
            }
        }
        return total
    }

    /// The files a reader over `paths` would open, in its order, each with the format to read it in alone so that
    /// it reads as it does here: a Maildir's files as one message each (`.file`), a tree's files detected
    /// (nil: an mbox among them is split), other paths as given (`format`, or detected). What `batch --claim`
    /// divides into chunks. Unreadable paths are listed as given (reading them reports why).
    public static func files(of paths: [String], format: SpoolFormat? = nil) -> [(path: String, format: SpoolFormat?)] {
        var out: [(path: String, format: SpoolFormat?)] = []
        for path in paths {
            guard let info = FileInfo.of(path, followLinks: true), info.kind == .directory else {
                out.append((path, format))
                continue
            }
            let maildir = (format ?? SpoolDetector.detect(path)) == .maildir
            let walker = maildir ? DirectoryWalker(maildir: path) : DirectoryWalker(tree: path)
            while let entry = walker.next() {
                if case .file(let file) = entry { out.append((file, maildir ? .file : nil)) }
            }
        }
        return out
    }
}

/// A file that holds exactly one message (Maildir entries, files in a tree, single files).
///
/// Read in one go up to `maxMessageBytes`; the rest is not read, only its size reported. An empty file is
/// reported as failed ("empty file") rather than yielded as an empty message or skipped: in a spool an
/// empty file is an accident (an interrupted delivery) worth seeing in the summary.
final class MessageFile: SpoolItemSource {
    private let path: String
    private let noFollow: Bool
    private let options: SpoolOptions
    private var done = false
    private(set) var rawBytesRead = 0
    /// Already opened (to sniff it) by the reader, so the file is opened once.
    private var opened: FileSource?

    init(path: String, noFollow: Bool, options: SpoolOptions, opened: FileSource? = nil) {
        self.path = path
        self.noFollow = noFollow
        self.options = options
        self.opened = opened
    }

    func next() -> SpoolItem? {
        if done { return nil }
        done = true
        do {
            let file = try opened ?? FileSource(path: path, noFollow: noFollow)
            opened = nil
            let before = file.openedState
            let size = before?.size
            let limit = max(options.maxMessageBytes, 0)
            // Sized from fstat so a small file costs one allocation, read straight into it (no zero fill) with
            // one byte more to see EOF; grows in 64 KiB steps if the file is longer than it said (still being
            // written).
            var readError: (any Error)?
            var bytes = [UInt8](unsafeUninitializedCapacity: min((size ?? 0) + 1, limit)) { buffer, count in
                do { count = try file.read(into: UnsafeMutableRawBufferPointer(buffer)) } catch { readError = error }
            }
            if let readError { throw readError }
            // Exactly the size fstat gave: the end of the file (it did not grow, or it would have given one byte
            // more). Shorter (a network file system) or longer (still being written): read on, to the end or
            // the limit; a file that changed meanwhile is then reported below.
            var step = bytes.isEmpty || bytes.count == size ? 0 : bytes.count > (size ?? 0) ? 64 << 10 : 512
            while bytes.count < limit, step > 0 {
                let want = min(step, limit - bytes.count)
                let old = bytes.count
                bytes.append(contentsOf: repeatElement(0, count: want))
                let n = try bytes.withUnsafeMutableBytes {
                    try file.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[old..<(old + want)]))
                }
                bytes.removeLast(want - n)
                if n == 0 { break }
                step = n < want ? 512 : 64 << 10  // short read: most likely EOF, probe cheaply
            }
            rawBytesRead = max(file.rawBytesRead, size ?? 0)
            // A file that changed while it was read holds no message anyone sent: half of one being written, or
            // two versions. Failed, so that a rerun reads it again once it is still.
            if let before, let after = file.state(), after != before {
                return SpoolError(.changedWhileRead, path: path,
                                  reason: "changed while being read (\(before.size) bytes when opened, \(after.size) after); rerun to read it complete").item()
            }
            if bytes.isEmpty {
                return SpoolError(.emptyFile, path: path, reason: "empty file").item()
            }
            var original: Int?
            if let size, size > bytes.count, bytes.count == limit { original = size }
            return .message(SpoolMessage(source: path, offset: nil, bytes: bytes, originalSize: original))
        } catch {
            return SpoolError.wrap(error, path: path).item()
        }
    }
}

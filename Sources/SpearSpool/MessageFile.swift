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

    init(path: String, noFollow: Bool, options: SpoolOptions) {
        self.path = path
        self.noFollow = noFollow
        self.options = options
    }

    func next() -> SpoolItem? {
        if done { return nil }
        done = true
        do {
            let file = try FileSource(path: path, noFollow: noFollow)
            let size = file.size()
            var bytes: [UInt8] = []
            let chunk = min(options.readBufferSize, max(options.maxMessageBytes, 1))
            if let size { bytes.reserveCapacity(min(size, options.maxMessageBytes)) }
            var scratch = [UInt8](repeating: 0, count: chunk)
            while bytes.count < options.maxMessageBytes {
                let want = min(chunk, options.maxMessageBytes - bytes.count)
                let n = try scratch.withUnsafeMutableBytes {
                    try file.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[0..<want]))
                }
                if n == 0 { break }
                bytes.append(contentsOf: scratch[0..<n])
            }
            rawBytesRead = max(file.rawBytesRead, size ?? 0)
            if bytes.isEmpty {
                return .failed(source: path, offset: nil, reason: "empty file")
            }
            var original: Int?
            if let size, size > bytes.count, bytes.count == options.maxMessageBytes { original = size }
            return .message(SpoolMessage(source: path, offset: nil, bytes: bytes, originalSize: original))
        } catch {
            let reason = (error as? SpoolError)?.reason ?? "\(error)"
            return .failed(source: path, offset: nil, reason: reason)
        }
    }
}

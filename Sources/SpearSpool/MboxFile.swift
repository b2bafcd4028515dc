/// One mbox file, plain or gzip-compressed, opened lazily and split by ``MboxParser``.
///
/// Compression is recognised by the gzip magic, not the file name, so a renamed file still works.
final class MboxFile: SpoolItemSource {
    private let path: String
    private let noFollow: Bool
    private let options: SpoolOptions
    private var file: FileSource?
    private var parser: MboxParser?
    private var done = false

    var rawBytesRead: Int { file?.rawBytesRead ?? 0 }

    init(path: String, noFollow: Bool, options: SpoolOptions) {
        self.path = path
        self.noFollow = noFollow
        self.options = options
    }

    func next() -> SpoolItem? {
        if done { return nil }
        if parser == nil {
            do {
                let file = try FileSource(path: path, noFollow: noFollow)
                self.file = file
                let source: any ByteSource = SpoolDetector.isGzip(file)
                    ? try GzipStream(file: file, inputCapacity: options.readBufferSize)
                    : file
                let reader = LineReader(source: source, capacity: options.readBufferSize)
                parser = MboxParser(reader: reader, source: path, variant: options.mboxVariant,
                                    maxMessageBytes: options.maxMessageBytes)
            } catch {
                done = true
                return SpoolError.wrap(error, path: path).item()
            }
        }
        if let item = parser?.next() { return item }
        done = true
        parser = nil  // frees the buffer as soon as the file is finished
        return nil
    }
}

import CZlib

/// Decompresses a gzip file on the fly with zlib, so a `.gz` mbox streams like a plain one.
///
/// The only file that sees C: zlib's `z_stream` lives here and nowhere else. Concatenated gzip members
/// (what `cat a.gz b.gz` makes) are read as one stream, like `gzip -d` does. Corrupt or truncated data
/// throws a ``SpoolError``, which the reader turns into a failed item for the rest of the file.
final class GzipStream: ByteSource {
    private let file: FileSource
    private let stream: UnsafeMutablePointer<z_stream>
    private let input: UnsafeMutablePointer<UInt8>
    private let inputCapacity: Int
    private var inputEOF = false
    private var memberEnded = false
    private var failed: SpoolError?
    private(set) var decompressedBytes = 0

    var rawBytesRead: Int { file.rawBytesRead }

    init(file: FileSource, inputCapacity: Int = 1 << 20) throws {
        self.file = file
        self.inputCapacity = max(inputCapacity, 4096)
        input = .allocate(capacity: self.inputCapacity)
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // 16 + MAX_WBITS: gzip wrapper only, largest window.
        let rc = inflateInit2_(stream, 16 + MAX_WBITS, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        if rc != Z_OK {
            stream.deallocate()
            input.deallocate()
            throw SpoolError(.ioError, path: file.path, reason: "zlib inflateInit2 failed (\(rc))")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
        input.deallocate()
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if let failed { throw failed }
        guard let out = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            if stream.pointee.avail_in == 0 && !inputEOF {
                let n = try file.read(into: UnsafeMutableRawBufferPointer(start: input, count: inputCapacity))
                if n == 0 { inputEOF = true } else {
                    stream.pointee.next_in = input
                    stream.pointee.avail_in = UInt32(n)
                }
            }
            if memberEnded {
                // Another member follows, or the stream ended cleanly.
                if stream.pointee.avail_in == 0 && inputEOF { return 0 }
                inflateReset(stream)
                memberEnded = false
            }
            if stream.pointee.avail_in == 0 && inputEOF {
                return try fail(.truncatedGzip, "truncated gzip data (ends after \(decompressedBytes) decompressed bytes)")
            }
            stream.pointee.next_out = out.assumingMemoryBound(to: UInt8.self)
            stream.pointee.avail_out = UInt32(min(buffer.count, Int(UInt32.max)))
            let before = Int(stream.pointee.avail_out)
            let rc = inflate(stream, Z_NO_FLUSH)
            let produced = before - Int(stream.pointee.avail_out)
            decompressedBytes += produced
            switch rc {
            case Z_STREAM_END:
                memberEnded = true
            case Z_OK, Z_BUF_ERROR:
                break
            default:
                let detail = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(rc)"
                return try fail(.corruptGzip, "corrupt gzip data after \(decompressedBytes) decompressed bytes: \(detail)")
            }
            if produced > 0 { return produced }
        }
    }

    private func fail(_ code: SpoolError.Code, _ reason: String) throws -> Int {
        let error = SpoolError(code, path: file.path, reason: reason)
        failed = error
        throw error
    }
}

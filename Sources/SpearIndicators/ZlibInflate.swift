import CZlib

/// zlib (`/FlateDecode`) streams inflated in memory, up to a bound: the only file of this stage that sees C.
enum ZlibInflate {
    struct Result {
        var bytes: [UInt8]
        /// The output reached `limit` before the stream ended (a damaged or truncated stream gives what inflated
        /// before the damage, not cut).
        var cut: Bool
    }

    /// At most `limit` bytes of the stream's output.
    static func inflate(_ input: ArraySlice<UInt8>, limit: Int) -> Result {
        var out: [UInt8] = []
        guard limit > 0, !input.isEmpty else { return Result(bytes: [], cut: limit <= 0 && !input.isEmpty) }
        var stream = z_stream()
        // 15 + 32: zlib or gzip wrapper, detected; PDF writers use zlib.
        guard inflateInit2_(&stream, MAX_WBITS + 32, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            return Result(bytes: [], cut: false)
        }
        defer { inflateEnd(&stream) }
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        var rc: Int32 = Z_OK
        input.withUnsafeBufferPointer { inBuf in
            stream.next_in = UnsafeMutablePointer(mutating: inBuf.baseAddress)
            stream.avail_in = UInt32(min(inBuf.count, Int(UInt32.max)))
            chunk.withUnsafeMutableBufferPointer { outBuf in
                while out.count < limit {
                    stream.next_out = outBuf.baseAddress
                    stream.avail_out = UInt32(min(outBuf.count, limit - out.count))
                    rc = CZlib.inflate(&stream, Z_NO_FLUSH)
                    let produced = Int(UInt32(min(outBuf.count, limit - out.count)) - stream.avail_out)
                    out.append(contentsOf: outBuf[0..<produced])
                    if rc != Z_OK || (produced == 0 && stream.avail_in == 0) { break }
                }
            }
        }
        let ended = rc == Z_STREAM_END
        return Result(bytes: out, cut: !ended && out.count >= limit)
    }
}

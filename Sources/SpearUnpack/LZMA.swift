import CLZMA
#if canImport(Glibc)
import Glibc
#endif

/// The one file that talks to liblzma: raw LZMA and LZMA2 streams as 7z stores them (the coder's properties
/// apart from the data), decoded up to a bound. Used to read a 7z archive's compressed header before libarchive
/// does, so that what the header declares can be checked first.
enum LZMA {
    enum Method { case lzma1, lzma2 }

    /// At most the first `size` bytes `input` decodes to (fewer when the stream is damaged or ends early; none
    /// when its properties are invalid). The caller bounds `size`. The dictionary is never larger than the output
    /// can be: a header that claims a 4 GB dictionary for 200 bytes of output costs 4 KB, not 4 GB.
    static func decode(_ method: Method, properties: [UInt8], input: ArraySlice<UInt8>, size: Int) -> [UInt8] {
        let outputLimit = max(0, size)
        var filters = [lzma_filter(id: method == .lzma1 ? spearscan_lzma_filter_lzma1 : spearscan_lzma_filter_lzma2, options: nil),
                       lzma_filter(id: spearscan_lzma_vli_unknown, options: nil)]
        let decoded = properties.withUnsafeBufferPointer {
            lzma_properties_decode(&filters[0], nil, $0.baseAddress, $0.count)
        }
        guard decoded == LZMA_OK, let options = filters[0].options else { return [] }
        defer { free(options) }
        let lzmaOptions = options.assumingMemoryBound(to: lzma_options_lzma.self)
        lzmaOptions.pointee.dict_size = UInt32(min(Int(lzmaOptions.pointee.dict_size), max(4096, outputLimit)))

        var stream = lzma_stream()
        guard lzma_raw_decoder(&stream, &filters) == LZMA_OK else { return [] }
        defer { lzma_end(&stream) }
        var output = [UInt8](repeating: 0, count: outputLimit)
        var produced = 0
        input.withUnsafeBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                stream.next_in = inBuffer.baseAddress
                stream.avail_in = inBuffer.count
                stream.next_out = outBuffer.baseAddress
                stream.avail_out = outBuffer.count
                while stream.avail_out > 0 {
                    let before = (stream.avail_in, stream.avail_out)
                    let r = lzma_code(&stream, LZMA_FINISH)
                    if r == LZMA_STREAM_END { break }
                    if r != LZMA_OK || (stream.avail_in, stream.avail_out) == before { break }
                }
                produced = outBuffer.count - stream.avail_out
            }
        }
        output.removeLast(output.count - produced)
        return output
    }
}

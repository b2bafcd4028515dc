#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one file that talks to iconv(3).
///
/// Decoding is lossy by design: an invalid or unmapped byte becomes U+FFFD and decoding goes on, because one bad
/// byte in real mail must not cost the analyst the rest of the text.
enum Iconv {
    /// Whether glibc can convert from `encoding` to UTF-8.
    static func isSupported(_ encoding: String) -> Bool {
        let cd = iconv_open("UTF-8", encoding)
        if cd == iconv_t(bitPattern: -1) { return false }
        iconv_close(cd)
        return true
    }

    /// Converts `input` from `encoding` to UTF-8 bytes, replacing undecodable bytes with U+FFFD.
    /// Returns nil only when iconv does not know the encoding.
    static func decode(_ input: UnsafeRawBufferPointer, from encoding: String) -> (utf8: [UInt8], replacements: Int)? {
        let cd = iconv_open("UTF-8", encoding)
        if cd == iconv_t(bitPattern: -1) { return nil }
        defer { iconv_close(cd) }
        guard let base = input.baseAddress, input.count > 0 else { return ([], 0) }

        var output = [UInt8](repeating: 0, count: input.count * 3 + 32)
        var written = 0
        var replacements = 0
        var inPtr = UnsafeMutablePointer<CChar>(mutating: base.assumingMemoryBound(to: CChar.self))
        var inLeft = input.count

        func appendReplacement() {
            if output.count - written < 3 { output.append(contentsOf: repeatElement(0, count: output.count)) }
            output[written] = 0xEF; output[written + 1] = 0xBF; output[written + 2] = 0xBD
            written += 3
            replacements += 1
        }

        // One call converts as much as it can; each error is handled and the call repeated on the rest.
        func convert(flush: Bool) -> (Int, Int32) {
            output.withUnsafeMutableBytes { out in
                var outPtr: UnsafeMutablePointer<CChar>? = out.baseAddress!.advanced(by: written).assumingMemoryBound(to: CChar.self)
                var outLeft = out.count - written
                var inOpt: UnsafeMutablePointer<CChar>? = inPtr
                let r = flush ? iconv(cd, nil, nil, &outPtr, &outLeft) : iconv(cd, &inOpt, &inLeft, &outPtr, &outLeft)
                let e = errno
                if !flush { inPtr = inOpt! }
                written = out.count - outLeft
                return (r, e)
            }
        }
        while inLeft > 0 {
            let (result, err) = convert(flush: false)
            if result != -1 { continue }
            switch err {
            case E2BIG:
                output.append(contentsOf: repeatElement(0, count: max(64, output.count)))
            case EILSEQ:
                appendReplacement()
                inPtr += 1
                inLeft -= 1
            default:
                // EINVAL: an incomplete sequence at the end of the input.
                appendReplacement()
                inLeft = 0
            }
        }
        while true {
            let (result, err) = convert(flush: true)
            if result != -1 || err != E2BIG { break }
            output.append(contentsOf: repeatElement(0, count: 64))
        }
        output.removeSubrange(written...)
        return (output, replacements)
    }
}

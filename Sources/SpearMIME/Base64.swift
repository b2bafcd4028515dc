/// Lenient base64 (RFC 2045 §6.8) as mail needs it: line breaks and white space skipped, stray characters skipped
/// and counted, chunks concatenated after padding decoded too. An incomplete final group (data that ends
/// without its `=` padding) is dropped, as mime4j, GMime and mutt do, so we hash the file mail clients show;
/// encoded words, where missing padding is common and harmless, keep it. Hot path: a table lookup and four sextets at a time over raw pointers.
public enum Base64 {
    public struct Result: Sendable {
        public var bytes: [UInt8]
        /// Characters outside the alphabet and white space that were skipped.
        public var invalidCharacters = 0
        /// Characters of an incomplete final group (the data ended without the `=` padding it needed).
        public var danglingCharacters = 0
        /// More data followed `=` padding (concatenated chunks, or junk).
        public var dataAfterPadding = false
    }

    private static let skip: UInt8 = 0x40, pad: UInt8 = 0x41, invalid: UInt8 = 0xFF

    private static let table: [UInt8] = {
        var t = [UInt8](repeating: invalid, count: 256)
        for (i, c) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() { t[Int(c)] = UInt8(i) }
        for c in [0x20, 0x09, 0x0D, 0x0A, 0x0B, 0x0C] { t[c] = skip }
        t[0x3D] = pad
        return t
    }()

    public static func decode(_ input: some Collection<UInt8>, keepIncompleteGroup: Bool = false) -> Result {
        if let r = input.withContiguousStorageIfAvailable({ decode(UnsafeRawBufferPointer($0), keepIncompleteGroup: keepIncompleteGroup) }) { return r }
        return Array(input).withUnsafeBytes { decode($0, keepIncompleteGroup: keepIncompleteGroup) }
    }

    public static func decode(_ input: UnsafeRawBufferPointer, keepIncompleteGroup: Bool = false) -> Result {
        let n = input.count
        var result = Result(bytes: [])
        guard n > 0, let inBase = input.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return result }
        var invalidCount = 0
        var sawPadding = false
        var afterPadding = false
        var quad: UInt32 = 0
        var have = 0
        var out = [UInt8](unsafeUninitializedCapacity: n / 4 * 3 + 3) { buffer, initialized in
            let o = buffer.baseAddress!
            var w = 0
            table.withUnsafeBufferPointer { tbl in
                let t = tbl.baseAddress!
                var i = 0
                while i < n {
                    // Fast path: four alphabet characters in a row.
                    if have == 0 {
                        while i + 4 <= n {
                            let a = t[Int(inBase[i])], b = t[Int(inBase[i + 1])], c = t[Int(inBase[i + 2])], d = t[Int(inBase[i + 3])]
                            if (a | b | c | d) & 0xC0 != 0 { break }
                            let v = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6 | UInt32(d)
                            o[w] = UInt8(truncatingIfNeeded: v >> 16)
                            o[w + 1] = UInt8(truncatingIfNeeded: v >> 8)
                            o[w + 2] = UInt8(truncatingIfNeeded: v)
                            w += 3
                            i += 4
                            if sawPadding { afterPadding = true; sawPadding = false }
                        }
                        if i >= n { break }
                    }
                    let v = t[Int(inBase[i])]
                    i += 1
                    if v < 64 {
                        if sawPadding { afterPadding = true; sawPadding = false }
                        quad = quad << 6 | UInt32(v)
                        have += 1
                        if have == 4 {
                            o[w] = UInt8(truncatingIfNeeded: quad >> 16)
                            o[w + 1] = UInt8(truncatingIfNeeded: quad >> 8)
                            o[w + 2] = UInt8(truncatingIfNeeded: quad)
                            w += 3
                            have = 0
                            quad = 0
                        }
                    } else if v == skip {
                        continue
                    } else if v == pad {
                        // Flush a partial quantum: 2 sextets make one byte, 3 make two.
                        if have == 2 {
                            o[w] = UInt8(truncatingIfNeeded: quad >> 4); w += 1
                        } else if have == 3 {
                            o[w] = UInt8(truncatingIfNeeded: quad >> 10)
                            o[w + 1] = UInt8(truncatingIfNeeded: quad >> 2); w += 2
                        }
                        sawPadding = true
                        have = 0
                        quad = 0
                    } else {
                        invalidCount += 1
                    }
                }
            }
            // What is left without padding.
            if keepIncompleteGroup && have == 2 {
                o[w] = UInt8(truncatingIfNeeded: quad >> 4); w += 1
            } else if keepIncompleteGroup && have == 3 {
                o[w] = UInt8(truncatingIfNeeded: quad >> 10)
                o[w + 1] = UInt8(truncatingIfNeeded: quad >> 2); w += 2
            }
            result.danglingCharacters = have
            initialized = w
        }
        result.invalidCharacters = invalidCount
        result.dataAfterPadding = afterPadding
        swap(&result.bytes, &out)
        return result
    }
}

/// ISO-2022-JP as real Japanese mail writes it, transcoded to CP932 bytes.
///
/// glibc's ISO-2022-JP converters reject the Windows extensions (NEC row 13 such as ①, IBM rows) that Outlook and
/// most Japanese mailers put in ISO-2022-JP mail, and Foundation's decoder fails a whole text on one bad byte.
/// JIS X 0208 maps to Shift_JIS arithmetically, and CP932 holds all those extensions, so we shift the bytes here
/// and let iconv's CP932 decoder finish. Half-width katakana (`ESC ( I` and SO/SI) become their CP932 single
/// bytes; JIS X 0212 (`ESC $ ( D`), which CP932 lacks, becomes U+FFFD.
enum ISO2022JP {
    private enum Mode { case ascii, jisX0208, katakana, unsupported2 }

    /// Returns CP932 bytes, the number of characters that had no CP932 form (already replaced by `?` markers in
    /// `unmappable` positions), and whether any 8-bit byte was seen (a sign the label is wrong).
    static func toCP932(_ input: UnsafeRawBufferPointer) -> (bytes: [UInt8], unmappable: Int, sawEightBit: Bool) {
        var out = [UInt8]()
        out.reserveCapacity(input.count)
        var mode = Mode.ascii
        var saved = Mode.ascii  // mode to return to after SI
        var unmappable = 0
        var sawEightBit = false
        var i = 0
        let n = input.count
        while i < n {
            let b = input[i]
            if b == 0x1B, i + 2 < n {
                let b1 = input[i + 1], b2 = input[i + 2]
                switch (b1, b2) {
                case (0x28, 0x42), (0x28, 0x4A), (0x28, 0x48): mode = .ascii; i += 3; continue      // ESC ( B / J / H
                case (0x24, 0x42), (0x24, 0x40): mode = .jisX0208; i += 3; continue                  // ESC $ B / @
                case (0x28, 0x49): mode = .katakana; i += 3; continue                                 // ESC ( I
                case (0x24, 0x28) where i + 3 < n:                                                    // ESC $ ( X
                    mode = input[i + 3] == 0x42 ? .jisX0208 : .unsupported2; i += 4; continue
                case (0x26, 0x40) where i + 5 < n && input[i + 3] == 0x1B:                            // ESC & @ ESC $ B
                    i += 3; continue
                default: break
                }
            }
            if b == 0x0E { saved = mode; mode = .katakana; i += 1; continue }   // SO
            if b == 0x0F { mode = saved == .katakana ? .ascii : saved; i += 1; continue }  // SI
            if b >= 0x80 { sawEightBit = true; out.append(b); i += 1; continue }
            switch mode {
            case .ascii:
                out.append(b); i += 1
            case .katakana:
                if b >= 0x21 && b <= 0x5F { out.append(b + 0x80) } else { out.append(b) }
                i += 1
            case .jisX0208, .unsupported2:
                // Line breaks and controls inside a double-byte run: mailers that forget to shift back.
                if b < 0x21 || b == 0x7F || i + 1 >= n || input[i + 1] < 0x21 || input[i + 1] > 0x7E {
                    if b >= 0x21 && b <= 0x7E { unmappable += 1; out.append(0x3F) } else { out.append(b) }
                    i += 1
                    continue
                }
                let j1 = b, j2 = input[i + 1]
                i += 2
                if mode == .unsupported2 { unmappable += 1; out.append(contentsOf: [0x81, 0x48]); continue }  // "？"
                let s1 = UInt8((Int(j1) + 1) >> 1 + (j1 <= 0x5E ? 0x70 : 0xB0))
                let s2: UInt8
                if j1 & 1 == 1 { s2 = j2 + (j2 >= 0x60 ? 0x20 : 0x1F) } else { s2 = j2 &+ 0x7E }
                out.append(s1); out.append(s2)
            }
        }
        return (out, unmappable, sawEightBit)
    }
}

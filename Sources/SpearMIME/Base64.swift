/// Lenient base64 (RFC 2045 §6.8, RFC 4648 §3.5) as mail needs it, giving the bytes Python's `email` package,
/// Thunderbird and Outlook give on the malformed base64 real spools are full of:
/// - line breaks and white space are skipped; other characters outside the alphabet are skipped and counted;
/// - a final group of 2 or 3 characters without its `=` padding still decodes to its 1 or 2 bytes (many senders
///   strip the padding; every mainstream reader keeps those bytes, and a hash one byte short breaks every
///   threat-intelligence lookup); a final group of 1 character encodes no whole byte and is reported;
/// - `=` ends a group only where it completes one (`xx==`, `xxx=`); a lone `=` elsewhere is a stray character,
///   skipped and counted, as `binascii.a2b_base64` does;
/// - data after a completed padding is decoded too (concatenated chunks, as Thunderbird does) and reported:
///   Python's `email` stops there, so readers disagree about such a part.
/// Hot path: a table lookup and four sextets at a time over raw pointers.
public enum Base64 {
    public struct Result: Sendable {
        public var bytes: [UInt8]
        /// Characters outside the alphabet and white space that were skipped.
        public var invalidCharacters = 0
        /// Characters of the final group when the data ended without the `=` padding it needed: 2 or 3 (their
        /// 1 or 2 bytes are in `bytes`), or 1 (no whole byte: nothing decoded from it).
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

    /// The table again, each sextet pre-shifted to its place in a 24-bit group, so four lookups OR-ed together
    /// give the group; bit 31 marks a character that is not in the alphabet.
    private static let shifted: [UInt32] = {
        var t = [UInt32](repeating: 0, count: 1024)
        for c in 0..<256 {
            let v = table[c]
            for k in 0..<4 {
                t[k * 256 + c] = v < 64 ? UInt32(v) << UInt32(18 - 6 * k) : 0x8000_0000
            }
        }
        return t
    }()

    public static func decode(_ input: some Collection<UInt8>) -> Result {
        if let r = input.withContiguousStorageIfAvailable({ decode(UnsafeRawBufferPointer($0)) }) { return r }
        return Array(input).withUnsafeBytes { decode($0) }
    }

    public static func decode(_ input: UnsafeRawBufferPointer) -> Result {
        let n = input.count
        var result = Result(bytes: [])
        guard n > 0, let inBase = input.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return result }
        var invalidCount = 0
        var sawPadding = false
        var afterPadding = false
        var quad: UInt32 = 0
        var have = 0
        /// `=` seen since the last alphabet character, while a group of 2 or 3 waits for its padding.
        var pads = 0
        // One spare byte: the fast path stores four bytes to write three.
        var out = [UInt8](unsafeUninitializedCapacity: n / 4 * 3 + 4) { buffer, initialized in
            let o = UnsafeMutableRawPointer(buffer.baseAddress!)
            var w = 0
            table.withUnsafeBufferPointer { tbl in
            shifted.withUnsafeBufferPointer { sh in
                let t = tbl.baseAddress!
                let s0 = sh.baseAddress!, s1 = s0 + 256, s2 = s0 + 512, s3 = s0 + 768
                var i = 0
                while i < n {
                    // Fast path: whole groups of four alphabet characters, two groups per step.
                    if have == 0 {
                        let before = i
                        while i + 8 <= n {
                            // One load for eight characters; the bytes come out by shifting.
                            let x = UnsafeRawPointer(inBase + i).loadUnaligned(as: UInt64.self).littleEndian
                            let v1 = s0[Int(x & 0xFF)] | s1[Int(x >> 8 & 0xFF)] | s2[Int(x >> 16 & 0xFF)] | s3[Int(x >> 24 & 0xFF)]
                            let v2 = s0[Int(x >> 32 & 0xFF)] | s1[Int(x >> 40 & 0xFF)] | s2[Int(x >> 48 & 0xFF)] | s3[Int(x >> 56)]
                            if (v1 | v2) & 0x8000_0000 != 0 { break }
                            o.storeBytes(of: (v1 << 8).bigEndian, toByteOffset: w, as: UInt32.self)
                            o.storeBytes(of: (v2 << 8).bigEndian, toByteOffset: w + 3, as: UInt32.self)
                            w += 6
                            i += 8
                        }
                        while i + 4 <= n {
                            let v = s0[Int(inBase[i])] | s1[Int(inBase[i + 1])] | s2[Int(inBase[i + 2])] | s3[Int(inBase[i + 3])]
                            if v & 0x8000_0000 != 0 { break }
                            o.storeBytes(of: (v << 8).bigEndian, toByteOffset: w, as: UInt32.self)
                            w += 3
                            i += 4
                        }
                        if sawPadding && i > before { afterPadding = true; sawPadding = false }
                        if i >= n { break }
                    }
                    let v = t[Int(inBase[i])]
                    i += 1
                    if v < 64 {
                        if sawPadding { afterPadding = true; sawPadding = false }
                        // `xx=x`: the `=` did not complete the group; it was a stray character.
                        if pads > 0 { invalidCount += pads; pads = 0 }
                        quad = quad << 6 | UInt32(v)
                        have += 1
                        if have == 4 {
                            o.storeBytes(of: UInt8(truncatingIfNeeded: quad >> 16), toByteOffset: w, as: UInt8.self)
                            o.storeBytes(of: UInt8(truncatingIfNeeded: quad >> 8), toByteOffset: w + 1, as: UInt8.self)
                            o.storeBytes(of: UInt8(truncatingIfNeeded: quad), toByteOffset: w + 2, as: UInt8.self)
                            w += 3
                            have = 0
                            quad = 0
                        }
                    } else if v == skip {
                        continue
                    } else if v == pad {
                        guard have >= 2 else {
                            // Padding where no group waits for it; more `=` right after a padding is harmless.
                            if !sawPadding { invalidCount += 1 }
                            continue
                        }
                        pads += 1
                        guard have + pads >= 4 else { continue }
                        // The group is complete: 2 sextets make one byte, 3 make two.
                        if have == 2 {
                            o.storeBytes(of: UInt8(truncatingIfNeeded: quad >> 4), toByteOffset: w, as: UInt8.self); w += 1
                        } else {
                            o.storeBytes(of: UInt8(truncatingIfNeeded: quad >> 10), toByteOffset: w, as: UInt8.self)
                            o.storeBytes(of: UInt8(truncatingIfNeeded: quad >> 2), toByteOffset: w + 1, as: UInt8.self); w += 2
                        }
                        sawPadding = true
                        have = 0
                        pads = 0
                        quad = 0
                    } else {
                        invalidCount += 1
                    }
                }
            }
            }
            // A group left without (all of) its padding keeps its bytes.
            if have == 2 {
                o.storeBytes(of: UInt8(truncatingIfNeeded: quad >> 4), toByteOffset: w, as: UInt8.self); w += 1
            } else if have == 3 {
                o.storeBytes(of: UInt8(truncatingIfNeeded: quad >> 10), toByteOffset: w, as: UInt8.self)
                o.storeBytes(of: UInt8(truncatingIfNeeded: quad >> 2), toByteOffset: w + 1, as: UInt8.self); w += 2
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

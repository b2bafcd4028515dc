#if canImport(Glibc)
import Glibc
#endif

/// Our own content rules, for what libmagic cannot tell apart or should not be trusted with alone.
enum ContentSignatures {
    static func starts(_ b: [UInt8], _ sig: [UInt8], at offset: Int = 0) -> Bool {
        b.count >= offset + sig.count && b[offset..<(offset + sig.count)].elementsEqual(sig)
    }

    static func isPE(_ b: [UInt8]) -> Bool {
        guard starts(b, [0x4D, 0x5A]), b.count >= 0x40 else { return false }
        let off = Int(b[0x3C]) | Int(b[0x3D]) << 8 | Int(b[0x3E]) << 16 | Int(b[0x3F]) << 24
        return off > 0 && off < 1 << 20 && starts(b, [0x50, 0x45, 0, 0], at: off)
    }

    static func isExecutable(_ b: [UInt8]) -> Bool {
        isPE(b) || starts(b, [0x7F, 0x45, 0x4C, 0x46])                                     // ELF
            || starts(b, [0xCF, 0xFA, 0xED, 0xFE]) || starts(b, [0xCE, 0xFA, 0xED, 0xFE])     // Mach-O
            || starts(b, [0xCA, 0xFE, 0xBA, 0xBE]) && b.count > 8 && b[7] < 0x20                // Mach-O fat (not Java class)
    }

    /// The Shell Link header (MS-SHLLINK): size 0x4C and the LinkCLSID.
    static func isShortcut(_ b: [UInt8]) -> Bool {
        starts(b, [0x4C, 0, 0, 0, 0x01, 0x14, 0x02, 0, 0, 0, 0, 0, 0xC0, 0, 0, 0, 0, 0, 0, 0x46])
    }

    /// A TNEF stream (winmail.dat, application/ms-tnef): signature 0x223E9F78, little-endian (MS-OXTNEF 2.1.3).
    static func isTNEF(_ b: [UInt8]) -> Bool { starts(b, [0x78, 0x9F, 0x3E, 0x22]) }

    static func isOLE2(_ b: [UInt8]) -> Bool { starts(b, [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) }
    static func isZip(_ b: [UInt8]) -> Bool { starts(b, [0x50, 0x4B, 0x03, 0x04]) || starts(b, [0x50, 0x4B, 0x05, 0x06]) }

    /// OneNote section: header GUID {7B5C52E4-D88C-4DA7-AEB1-5378D02996D3} in on-disk order.
    static func isOneNote(_ b: [UInt8]) -> Bool {
        starts(b, [0xE4, 0x52, 0x5C, 0x7B, 0x8C, 0xD8, 0xA7, 0x4D, 0xAE, 0xB1, 0x53, 0x78, 0xD0, 0x29, 0x96, 0xD3])
    }

    static func isArchive(_ b: [UInt8]) -> Bool {
        isZip(b)
            || starts(b, [0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C])                 // 7z
            || starts(b, Array("Rar!\u{1A}\u{07}".utf8))                       // RAR 4 and 5
            || starts(b, [0x1F, 0x8B])                                         // gzip
            || starts(b, Array("BZh".utf8)) && b.count > 3 && (0x31...0x39).contains(b[3])
            || starts(b, [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00])                 // xz
            || starts(b, [0x28, 0xB5, 0x2F, 0xFD])                             // zstd
            || starts(b, [0x5D, 0x00, 0x00]) && b.count > 13                   // lzma alone
            || starts(b, Array("MSCF".utf8))                                   // cab
            || b.count > 7 && b[2] == 0x2D && b[3] == 0x6C && b[6] == 0x2D     // LZH "-lh?-"
            || starts(b, Array("ustar".utf8), at: 257)                         // tar
            || starts(b, Array("07070".utf8)) || starts(b, [0xC7, 0x71])       // cpio
            || starts(b, Array("!<arch>\n".utf8))                              // ar
            || starts(b, Array("xar!".utf8))
            || starts(b, Array("LZIP".utf8))
    }

    static func isDiskImage(_ b: [UInt8]) -> Bool {
        for off in [0x8001, 0x8801, 0x9001] where starts(b, Array("CD001".utf8), at: off) { return true }
        for off in stride(from: 0x8001, through: 0x9801, by: 0x800) where starts(b, Array("BEA01".utf8), at: off) || starts(b, Array("NSR0".utf8), at: off) { return true }
        if starts(b, Array("conectix".utf8)) || starts(b, Array("vhdxfile".utf8)) { return true }
        if b.count >= 512, starts(b, Array("conectix".utf8), at: b.count - 512) { return true }
        if b.count >= 512, b[510] == 0x55, b[511] == 0xAA, starts(b, Array("FAT".utf8), at: 0x36) || starts(b, Array("FAT32".utf8), at: 0x52) { return true }
        return false
    }

    static func isPDF(_ b: [UInt8]) -> Bool { find(Array("%PDF-".utf8), in: b, within: 1024) != nil }
    static func isRTF(_ b: [UInt8]) -> Bool { starts(b, Array("{\\rt".utf8)) }

    /// Mostly printable text (UTF-8, Shift_JIS or similar): few control bytes, no NUL.
    static func looksTextual(_ b: [UInt8]) -> Bool {
        let n = min(b.count, 8192)
        if n == 0 { return false }
        var control = 0
        for i in 0..<n {
            let c = b[i]
            if c == 0 { return false }
            if c < 0x20 && c != 0x09 && c != 0x0A && c != 0x0D && c != 0x0C && c != 0x1B { control += 1 }
        }
        return control * 100 < n
    }

    /// The first index of `needle` in the first `limit` bytes of `b`: memchr to the first byte, then memcmp.
    static func find(_ needle: [UInt8], in b: [UInt8], from start: Int = 0, within limit: Int = .max) -> Int? {
        let n = min(b.count, limit)
        guard let first = needle.first, n >= needle.count, start >= 0, start <= n - needle.count else { return nil }
        return b.withUnsafeBufferPointer { hay -> Int? in
            needle.withUnsafeBufferPointer { nd -> Int? in
                let base = hay.baseAddress!
                var i = start
                let last = n - needle.count
                while i <= last {
                    guard let p = memchr(base + i, Int32(first), last - i + 1) else { return nil }
                    let at = base.distance(to: p.assumingMemoryBound(to: UInt8.self))
                    if memcmp(base + at, nd.baseAddress!, needle.count) == 0 { return at }
                    i = at + 1
                }
                return nil
            }
        }
    }

    /// Case-insensitive search of ASCII markers in the first `limit` bytes.
    static func containsAny(_ markers: [String], in b: [UInt8], limit: Int = 1 << 16) -> String? {
        let n = min(b.count, limit)
        let lowered = b[0..<n].map { ($0 >= 0x41 && $0 <= 0x5A) ? $0 | 0x20 : $0 }
        for m in markers where find(Array(m.utf8), in: lowered) != nil { return m }
        return nil
    }

    static func utf16le(_ s: String) -> [UInt8] { s.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] } }
}

/// Compares a zip's central directory with its local headers.
///
/// Windows Explorer and most tools list and extract by the central directory; streaming readers and some
/// scanners go by the local headers. A zip whose two views disagree (another name, another size, a member one
/// view does not have) shows one thing to a scanner and another to the victim.
enum ZipDirectoryCheck {
    /// Why the two views disagree, or nil when they agree (or the zip is too damaged to tell).
    static func disagreement(_ b: [UInt8]) -> String? {
        guard let eocd = findEOCD(b) else { return nil }
        let count = Int(u16(b, eocd + 10))
        var cd = Int(u32(b, eocd + 16))
        guard count > 0, count < 100_000, cd < b.count else { return nil }
        var problems: [String] = []
        for _ in 0..<count {
            guard cd + 46 <= b.count, u32(b, cd) == 0x0201_4B50 else { return problems.isEmpty ? nil : problems.joined(separator: "; ") }
            let nameLength = Int(u16(b, cd + 28)), extra = Int(u16(b, cd + 30)), comment = Int(u16(b, cd + 32))
            let compressed = u32(b, cd + 20)
            let local = Int(u32(b, cd + 42))
            guard cd + 46 + nameLength <= b.count else { break }
            let name = Array(b[(cd + 46)..<(cd + 46 + nameLength)])
            if local + 30 > b.count || u32(b, local) != 0x0403_4B50 {
                problems.append("central directory entry \"\(printable(name))\" points at no local header")
            } else {
                let localNameLength = Int(u16(b, local + 26))
                let localName = local + 30 + localNameLength <= b.count ? Array(b[(local + 30)..<(local + 30 + localNameLength)]) : []
                let flags = u16(b, local + 6)
                let localCompressed = u32(b, local + 18)
                if localName != name {
                    problems.append("central directory says \"\(printable(name))\", the local header \"\(printable(localName))\"")
                } else if flags & 0x08 == 0 && localCompressed != compressed && compressed != 0xFFFF_FFFF {
                    problems.append("\"\(printable(name))\": sizes differ (\(compressed) vs \(localCompressed))")
                }
            }
            cd += 46 + nameLength + extra + comment
            if problems.count >= 5 { break }
        }
        return problems.isEmpty ? nil : problems.joined(separator: "; ")
    }

    /// Central-directory entries whose local file data overlap: the construction of the overlapping zip bomb
    /// (one compressed stream, inflated once for every entry that points into it; Fifield 2019). No zip writer
    /// produces it, whichever reader then extracts the members. Nil when every entry's data is its own.
    static func overlap(_ b: [UInt8]) -> String? {
        guard let eocd = findEOCD(b) else { return nil }
        let count = Int(u16(b, eocd + 10))
        var cd = Int(u32(b, eocd + 16))
        guard count > 1, count < 100_000, cd < b.count else { return nil }
        /// Where each entry's local header starts and its data ends, as the central directory says.
        var spans: [(start: Int, end: Int, name: [UInt8])] = []
        for _ in 0..<count {
            guard cd + 46 <= b.count, u32(b, cd) == 0x0201_4B50 else { break }
            let nameLength = Int(u16(b, cd + 28)), extra = Int(u16(b, cd + 30)), comment = Int(u16(b, cd + 32))
            let compressed = u32(b, cd + 20)
            let local = Int(u32(b, cd + 42))
            guard cd + 46 + nameLength <= b.count else { break }
            // A zip64 size lives in an extra field; such an entry is left out rather than guessed.
            if compressed != 0xFFFF_FFFF, local != 0xFFFF_FFFF, local + 30 <= b.count, u32(b, local) == 0x0403_4B50 {
                let dataStart = local + 30 + Int(u16(b, local + 26)) + Int(u16(b, local + 28))
                spans.append((local, dataStart + Int(compressed), Array(b[(cd + 46)..<(cd + 46 + nameLength)])))
            }
            cd += 46 + nameLength + extra + comment
        }
        spans.sort { $0.start < $1.start }
        var overlapping = 0
        var example: (String, String)?
        var reach = (end: -1, name: [UInt8]())
        for span in spans {
            if span.start < reach.end {
                overlapping += 1
                if example == nil { example = (printable(reach.name), printable(span.name)) }
            }
            if span.end > reach.end { reach = (span.end, span.name) }
        }
        guard overlapping > 0, let (a, b) = example else { return nil }
        return "\(overlapping + 1) of \(count) central-directory entries share local file data (\"\(a)\" and \"\(b)\" overlap)"
    }

    /// The offset of the end-of-central-directory record, searched in the last 64 KiB + 22 bytes; nil when a
    /// zip has none (it was truncated).
    static func findEOCD(_ b: [UInt8]) -> Int? {
        guard b.count >= 22 else { return nil }
        var i = b.count - 22
        let stop = max(0, b.count - 22 - 65_535)
        while i >= stop {
            if u32(b, i) == 0x0605_4B50 { return i }
            i -= 1
        }
        return nil
    }

    private static func u16(_ b: [UInt8], _ i: Int) -> UInt16 { i + 2 <= b.count ? UInt16(b[i]) | UInt16(b[i + 1]) << 8 : 0 }
    private static func u32(_ b: [UInt8], _ i: Int) -> UInt32 {
        i + 4 <= b.count ? UInt32(b[i]) | UInt32(b[i + 1]) << 8 | UInt32(b[i + 2]) << 16 | UInt32(b[i + 3]) << 24 : 0
    }

    private static func printable(_ name: [UInt8]) -> String { EntryName.decode(name).0 }
}

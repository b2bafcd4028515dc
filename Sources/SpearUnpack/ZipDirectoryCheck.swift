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
    /// The central directory is walked by its signatures, not by the end record's count (which can lie), and
    /// Zip64 sizes and offsets are read from their extra field.
    static func overlap(_ b: [UInt8]) -> String? {
        guard let eocd = findEOCD(b) else { return nil }
        var cd = Int(u32(b, eocd + 16))
        guard cd < b.count else { return nil }
        /// Where each entry's local header starts and its data ends, as the central directory says.
        var spans: [(start: Int, end: Int, name: [UInt8])] = []
        var walked = 0
        while walked < 100_000, cd + 46 <= b.count, u32(b, cd) == 0x0201_4B50 {
            walked += 1
            let nameLength = Int(u16(b, cd + 28)), extra = Int(u16(b, cd + 30)), comment = Int(u16(b, cd + 32))
            guard cd + 46 + nameLength <= b.count else { break }
            var compressed = Int(u32(b, cd + 20)), local = Int(u32(b, cd + 42))
            if compressed == 0xFFFF_FFFF || local == 0xFFFF_FFFF {
                let zip64 = zip64Fields(b, extraAt: cd + 46 + nameLength, length: extra,
                                        size: u32(b, cd + 24) == 0xFFFF_FFFF, compressed: compressed == 0xFFFF_FFFF, offset: local == 0xFFFF_FFFF)
                compressed = zip64.compressed ?? compressed
                local = zip64.offset ?? local
            }
            if local >= 0, local <= b.count - 30, u32(b, local) == 0x0403_4B50 {
                let dataStart = local + 30 + Int(u16(b, local + 26)) + Int(u16(b, local + 28))
                let (end, overflow) = dataStart.addingReportingOverflow(compressed)
                spans.append((local, overflow ? Int.max : end, Array(b[(cd + 46)..<(cd + 46 + nameLength)])))
            }
            cd += 46 + nameLength + extra + comment
        }
        guard spans.count > 1 else { return nil }
        let order = spans.indices.sorted { spans[$0].start < spans[$1].start }
        var involved = Set<Int>()
        var example: (Int, Int)?
        var reach = (end: -1, owner: -1)
        for k in order {
            if spans[k].start < reach.end {
                involved.insert(k)
                involved.insert(reach.owner)
                if example == nil { example = (reach.owner, k) }
            }
            if spans[k].end > reach.end { reach = (spans[k].end, k) }
        }
        guard let (a, c) = example else { return nil }
        return "\(involved.count) of \(walked) central-directory entries share local file data (\"\(printable(spans[a].name))\" and \"\(printable(spans[c].name))\" overlap)"
    }

    /// The Zip64 extended information (extra field 0x0001): its 8-byte fields appear in this order, each only
    /// when the 32-bit field it replaces is 0xFFFFFFFF.
    private static func zip64Fields(_ b: [UInt8], extraAt start: Int, length: Int, size: Bool, compressed: Bool,
                                    offset: Bool) -> (compressed: Int?, offset: Int?) {
        var p = start
        let end = min(b.count, start + length)
        while p + 4 <= end {
            let id = u16(b, p), n = Int(u16(b, p + 2))
            guard p + 4 + n <= end else { break }
            if id == 0x0001 {
                var q = p + 4
                func field() -> Int? {
                    guard q + 8 <= p + 4 + n else { return nil }
                    let v = UInt64(u32(b, q)) | UInt64(u32(b, q + 4)) << 32
                    q += 8
                    return v > UInt64(Int.max) ? Int.max : Int(v)
                }
                if size { _ = field() }
                let c = compressed ? field() : nil
                let o = offset ? field() : nil
                return (c, o)
            }
            p += 4 + n
        }
        return (nil, nil)
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

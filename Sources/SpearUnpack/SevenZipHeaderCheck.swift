/// Reads what a 7z archive's header declares before libarchive is given the archive.
///
/// libarchive's 7z reader allocates for every count the header declares (files, folders, pack and unpack
/// streams, up to 10^8 each) before it reads what they describe, and decodes a compressed header whole: a 40-byte
/// archive asks it for 10 GB, and a 2 KB one whose header decodes to megabytes of "empty file" bits makes it build
/// millions of entries (88 bytes each) before spearscan sees the first. This check walks the header the way
/// libarchive 3.6 does, in the same order, and refuses an archive whose counts or header size pass bounds no real
/// archive comes near. Where the walk fails on its own (a damaged header), the archive is left to libarchive, which
/// fails at the same place having allocated only for the counts read so far, all of them checked.
enum SevenZipHeaderCheck {
    /// Files, folders or streams one header may declare (spearscan reads at most 10,000 members anyway).
    static let maxCount = 100_000
    /// Streams of one coder (real coders have at most four).
    static let maxCoderStreams = 32
    /// Bytes a compressed header may decode to (a header of 100,000 files is a few MB).
    static let maxHeaderBytes = 16 << 20
    /// Bytes a header compressed with a method spearscan cannot decode may have, declared.
    static let maxUncheckedHeaderBytes = 64 << 10

    static let signature: [UInt8] = [0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C]

    /// Why libarchive must not be given `bytes`, or nil when it may (not a 7z, within bounds, or damaged in a way
    /// libarchive stops at as early).
    static func refusal(_ bytes: [UInt8]) -> String? {
        guard let start = startHeader(bytes) else { return nil }
        let offset = le64(bytes, start + 12), size = le64(bytes, start + 20)
        let (first, overflow) = UInt64(start + 32).addingReportingOverflow(offset)
        guard size > 0, Int64(bitPattern: offset) >= 0, !overflow, first < UInt64(bytes.count) else { return nil }
        let end = Int(min(UInt64(bytes.count), first.addingReportingOverflow(size).overflow ? UInt64.max : first + size))
        var header = Cursor(bytes[Int(first)..<end])
        do {
            switch try header.byte() {
            case Marker.header:
                try readHeader(&header)
            case Marker.encodedHeader:
                let info = try readStreamsInfo(&header)
                if let decoded = try decodedHeader(bytes, archiveStart: start, info: info) {
                    var inner = Cursor(decoded[...])
                    guard try inner.byte() == Marker.header else { return nil }
                    try readHeader(&inner)
                }
            default:
                return nil
            }
        } catch .refused(let why) {
            return why
        } catch {
            return nil
        }
        return nil
    }

    /// Where the 7z signature header is: at the start (whatever its CRC says: Debian's libarchive 3.6.2 reads on
    /// past a wrong one, found by fuzzing), or (a self-extracting .exe or ELF) where libarchive looks for it,
    /// between 0x27000 and 0x60000, with a start header whose CRC is right (libarchive's search checks it).
    static func startHeader(_ b: [UInt8]) -> Int? {
        if b.count >= 32 && b[0..<6].elementsEqual(signature) { return 0 }
        guard b.count > 0x27000 + 32, b.starts(with: [0x4D, 0x5A]) || b.starts(with: [0x7F, 0x45, 0x4C, 0x46]) else { return nil }
        var p = 0x27000
        let last = min(b.count - 32, 0x60000)
        while p < last {
            if b[p] == 0x37, hasStartHeader(b, at: p) { return p }
            p += 1
        }
        return nil
    }

    private static func hasStartHeader(_ b: [UInt8], at p: Int) -> Bool {
        guard p + 32 <= b.count, b[p..<(p + 6)].elementsEqual(signature) else { return false }
        return CRC32.checksum(b[(p + 12)..<(p + 32)]) == UInt32(truncatingIfNeeded: le64(b, p + 8))
    }

    // MARK: the header, as libarchive reads it

    enum Stop: Error {
        /// Past a bound: the archive is not given to libarchive.
        case refused(String)
        /// The header is damaged here; libarchive stops here too.
        case malformed
    }

    enum Marker {
        static let end: UInt8 = 0x00, header: UInt8 = 0x01, archiveProperties: UInt8 = 0x02, mainStreamsInfo: UInt8 = 0x04
        static let filesInfo: UInt8 = 0x05, packInfo: UInt8 = 0x06, unpackInfo: UInt8 = 0x07, subStreamsInfo: UInt8 = 0x08
        static let size: UInt8 = 0x09, crc: UInt8 = 0x0A, folder: UInt8 = 0x0B, codersUnpackSize: UInt8 = 0x0C
        static let numUnpackStream: UInt8 = 0x0D, encodedHeader: UInt8 = 0x17
    }

    struct Coder {
        var method: [UInt8]
        var properties: [UInt8]
    }

    struct Folder {
        var coders: [Coder] = []
        var outStreams = 0
        var boundOutputs: Set<UInt64> = []
        var unpackSizes: [UInt64] = []
        var digestDefined = false

        /// The size of the stream the folder finally produces: the output no bind pair consumes.
        var unpackSize: UInt64 {
            for i in stride(from: unpackSizes.count - 1, through: 0, by: -1) where !boundOutputs.contains(UInt64(i)) {
                return unpackSizes[i]
            }
            return 0
        }
    }

    struct StreamsInfo {
        var packPosition: UInt64 = 0
        var packSizes: [UInt64] = []
        var folders: [Folder] = []
    }

    static func count(_ c: inout Cursor, _ what: String, max bound: Int = maxCount) throws(Stop) -> Int {
        let n = try c.number()
        guard n <= UInt64(bound) else { throw .refused("the 7z header declares \(n) \(what), more than \(bound); not read") }
        return Int(n)
    }

    static func readHeader(_ c: inout Cursor) throws(Stop) {
        var type = try c.byte()
        if type == Marker.archiveProperties {
            // libarchive reads each property's type and size and skips nothing; so does this walk.
            while try c.byte() != 0 { _ = try c.number() }
            type = try c.byte()
        }
        if type == Marker.mainStreamsInfo {
            _ = try readStreamsInfo(&c)
            type = try c.byte()
        }
        guard type != Marker.end else { return }
        guard type == Marker.filesInfo else { throw .malformed }
        // Every allocation after this one is bounded by the number of files or by the header's own bytes.
        _ = try count(&c, "files")
    }

    static func readStreamsInfo(_ c: inout Cursor) throws(Stop) -> StreamsInfo {
        var info = StreamsInfo()
        var type = try c.byte()
        if type == Marker.packInfo {
            info.packPosition = try c.number()
            let streams = try count(&c, "pack streams")
            guard streams > 0 else { throw .malformed }
            if try c.byte() == Marker.size {
                for _ in 0..<streams { info.packSizes.append(try c.number()) }
                let next = try c.byte()
                if next == Marker.crc {
                    _ = try readDigests(&c, streams)
                    guard try c.byte() == Marker.end else { throw .malformed }
                } else if next != Marker.end {
                    throw .malformed
                }
            } else {
                throw .malformed  // without sizes libarchive stops
            }
            type = try c.byte()
        }
        if type == Marker.unpackInfo {
            info.folders = try readCodersInfo(&c)
            type = try c.byte()
        }
        if type == Marker.subStreamsInfo {
            try readSubStreamsInfo(&c, info.folders)
            type = try c.byte()
        }
        guard type == Marker.end else { throw .malformed }
        return info
    }

    static func readCodersInfo(_ c: inout Cursor) throws(Stop) -> [Folder] {
        guard try c.byte() == Marker.folder else { throw .malformed }
        let count = try count(&c, "folders")
        var folders: [Folder] = []
        switch try c.byte() {
        case 0:
            for _ in 0..<count { folders.append(try readFolder(&c)) }
        case 1:
            _ = try c.number()
            guard count == 0 else { throw .malformed }
        default:
            throw .malformed
        }
        guard try c.byte() == Marker.codersUnpackSize else { throw .malformed }
        for k in folders.indices {
            for _ in 0..<folders[k].outStreams { folders[k].unpackSizes.append(try c.number()) }
        }
        let type = try c.byte()
        guard type != Marker.end else { return folders }
        guard type == Marker.crc else { throw .malformed }
        let defined = try readDigests(&c, folders.count)
        for k in folders.indices { folders[k].digestDefined = defined[k] }
        guard try c.byte() == Marker.end else { throw .malformed }
        return folders
    }

    static func readFolder(_ c: inout Cursor) throws(Stop) -> Folder {
        var folder = Folder()
        let coders = try c.number()
        guard coders <= 4 else { throw .malformed }
        var inStreams = 0
        for _ in 0..<coders {
            let flags = try c.byte()
            guard flags & 0x80 == 0 else { throw .malformed }
            let method = Array(try c.bytes(Int(flags & 0x0F)))
            var ins = 1, outs = 1
            if flags & 0x10 != 0 {
                ins = try count(&c, "input streams of one coder", max: maxCoderStreams)
                outs = try count(&c, "output streams of one coder", max: maxCoderStreams)
            }
            var properties: [UInt8] = []
            if flags & 0x20 != 0 {
                let size = try c.number()
                guard size <= UInt64(c.remaining) else { throw .malformed }
                properties = Array(try c.bytes(Int(size)))
            }
            folder.coders.append(Coder(method: method, properties: properties))
            inStreams += ins
            folder.outStreams += outs
        }
        guard folder.outStreams > 0, inStreams >= folder.outStreams - 1 else { throw .malformed }
        let bindPairs = folder.outStreams - 1
        guard c.remaining >= bindPairs else { throw .malformed }
        for _ in 0..<bindPairs {
            _ = try c.number()
            folder.boundOutputs.insert(try c.number())
        }
        let packed = inStreams - bindPairs
        if packed > 1 {
            for _ in 0..<packed { _ = try c.number() }
        }
        return folder
    }

    static func readSubStreamsInfo(_ c: inout Cursor, _ folders: [Folder]) throws(Stop) {
        var perFolder = [Int](repeating: 1, count: folders.count)
        var type = try c.byte()
        if type == Marker.numUnpackStream {
            var total = 0
            for k in folders.indices {
                perFolder[k] = try count(&c, "unpack streams in one folder")
                total += perFolder[k]
                guard total <= maxCount else { throw .refused("the 7z header declares more than \(maxCount) unpack streams; not read") }
            }
            type = try c.byte()
        }
        if type == Marker.size {
            for n in perFolder where n > 1 {
                for _ in 1..<n { _ = try c.number() }
            }
            type = try c.byte()
        }
        if type == Marker.crc {
            var digests = 0
            for (k, n) in perFolder.enumerated() where n != 1 || !folders[k].digestDefined { digests += n }
            _ = try readDigests(&c, digests)
            type = try c.byte()
        }
        guard type == Marker.end else { throw .malformed }
    }

    /// Which of `count` digests are present; reads past the CRCs.
    static func readDigests(_ c: inout Cursor, _ count: Int) throws(Stop) -> [Bool] {
        var defined = [Bool](repeating: true, count: count)
        if try c.byte() == 0 {
            var mask: UInt8 = 0, bits: UInt8 = 0
            for k in 0..<count {
                if mask == 0 { bits = try c.byte(); mask = 0x80 }
                defined[k] = bits & mask != 0
                mask >>= 1
            }
        }
        for k in 0..<count where defined[k] { _ = try c.bytes(4) }
        return defined
    }

    // MARK: the compressed header

    /// The header an encoded header stands for, decoded within `maxHeaderBytes`; nil when libarchive may be
    /// left to it (a method spearscan does not decode, with a small declared size; an encrypted header, which
    /// libarchive does not decode at all).
    static func decodedHeader(_ b: [UInt8], archiveStart: Int, info: StreamsInfo) throws(Stop) -> [UInt8]? {
        guard let folder = info.folders.first, let packSize = info.packSizes.first else { return nil }
        let wanted = folder.unpackSize
        let aes: [UInt8] = [0x06, 0xF1, 0x07, 0x01]
        if folder.coders.contains(where: { $0.method == aes }) { return nil }
        guard wanted <= UInt64(maxHeaderBytes) else {
            throw .refused("the 7z header decodes to \(wanted) bytes, more than \(maxHeaderBytes); not read")
        }
        let method = folder.coders.count == 1 ? folder.coders[0].method : []
        let (position, overflow) = UInt64(archiveStart + 32).addingReportingOverflow(info.packPosition)
        guard !overflow, position < UInt64(b.count) else { return nil }
        let input = b[Int(position)..<Int(min(UInt64(b.count), position.addingReportingOverflow(packSize).overflow ? UInt64.max : position + packSize))]
        switch method {
        case [0x00]:
            return Array(input.prefix(Int(wanted)))
        case [0x03, 0x01, 0x01]:
            return LZMA.decode(.lzma1, properties: folder.coders[0].properties, input: input, size: Int(wanted))
        case [0x21]:
            return LZMA.decode(.lzma2, properties: folder.coders[0].properties, input: input, size: Int(wanted))
        default:
            guard wanted <= UInt64(maxUncheckedHeaderBytes) else {
                let name = folder.coders.map { coder in
                    coder.method.map { ($0 < 16 ? "0" : "") + String($0, radix: 16, uppercase: true) }.joined()
                }.joined(separator: "+")
                throw .refused("the 7z header is compressed with method \(name), which spearscan does not check, and decodes to \(wanted) bytes, more than \(maxUncheckedHeaderBytes); not read")
            }
            return nil
        }
    }

    // MARK: bytes

    /// The header's bytes, read the way libarchive's header_bytes and parse_7zip_uint64 read them.
    struct Cursor {
        private var bytes: ArraySlice<UInt8>
        init(_ bytes: ArraySlice<UInt8>) { self.bytes = bytes }

        var remaining: Int { bytes.count }

        mutating func byte() throws(Stop) -> UInt8 {
            guard let b = bytes.popFirst() else { throw .malformed }
            return b
        }

        mutating func bytes(_ n: Int) throws(Stop) -> ArraySlice<UInt8> {
            guard n <= bytes.count else { throw .malformed }
            defer { bytes = bytes.dropFirst(n) }
            return bytes.prefix(n)
        }

        /// 7z's variable-length number: the leading one bits of the first byte say how many bytes follow.
        mutating func number() throws(Stop) -> UInt64 {
            let first = try byte()
            var mask: UInt8 = 0x80
            var value: UInt64 = 0
            for i in 0..<8 {
                guard first & mask != 0 else {
                    return value + (UInt64(first & (mask &- 1)) << (8 * UInt64(i)))
                }
                value |= UInt64(try byte()) << (8 * UInt64(i))
                mask >>= 1
            }
            return value
        }
    }

    private static func le64(_ b: [UInt8], _ p: Int) -> UInt64 {
        var v: UInt64 = 0
        for k in (0..<8).reversed() { v = v << 8 | UInt64(b[p + k]) }
        return v
    }
}

import SpearCore
import Foundation
import SpearClassify
import Testing

/// The benign fixtures in Tests/Fixtures/files: Tests/SpearClassifyTests/X.swift → ../Fixtures/files.
enum Fixture {
    static let directory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures").appendingPathComponent("files")

    static func exists(_ name: String) -> Bool {
        FileManager.default.fileExists(atPath: directory.appendingPathComponent(name).path)
    }

    static func bytes(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [UInt8] {
        let data = try #require(FileManager.default.contents(atPath: directory.appendingPathComponent(name).path),
                                "fixture \(name) missing in \(directory.path)", sourceLocation: sourceLocation)
        return [UInt8](data)
    }
}

/// Reads a zip's central directory and its members (stored or deflated): enough to build the `ContainerView` the
/// scan would give the classifier, without SpearUnpack.
struct ZipListing {
    struct Member {
        var name: String
        var method: Int
        var compressedSize: Int
        var localHeaderOffset: Int
    }

    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    let bytes: [UInt8]
    let members: [Member]

    init(_ bytes: [UInt8]) throws {
        self.bytes = bytes
        func u16(_ i: Int) throws -> Int {
            guard i + 2 <= bytes.count else { throw Malformed(description: "short read at \(i)") }
            return Int(bytes[i]) | Int(bytes[i + 1]) << 8
        }
        func u32(_ i: Int) throws -> Int { try u16(i) | (try u16(i + 2)) << 16 }
        guard bytes.count >= 22 else { throw Malformed(description: "too short for a zip") }
        var eocd = bytes.count - 22
        while eocd >= 0, !(bytes[eocd] == 0x50 && bytes[eocd + 1] == 0x4B && bytes[eocd + 2] == 5 && bytes[eocd + 3] == 6) {
            eocd -= 1
        }
        guard eocd >= 0 else { throw Malformed(description: "no end of central directory") }
        let count = try u16(eocd + 10)
        var at = try u32(eocd + 16)
        var members: [Member] = []
        for _ in 0..<count {
            guard try u32(at) == 0x0201_4B50 else { throw Malformed(description: "bad central header at \(at)") }
            let nameLength = try u16(at + 28), extra = try u16(at + 30), comment = try u16(at + 32)
            guard at + 46 + nameLength <= bytes.count else { throw Malformed(description: "name past the end") }
            let name = String(decoding: bytes[(at + 46)..<(at + 46 + nameLength)], as: UTF8.self)
            members.append(Member(name: name, method: try u16(at + 10), compressedSize: try u32(at + 20),
                                  localHeaderOffset: try u32(at + 42)))
            at += 46 + nameLength + extra + comment
        }
        self.members = members
    }

    var names: [String] { members.map(\.name) }

    func read(_ name: String) throws -> [UInt8]? {
        guard let m = members.first(where: { $0.name == name }) else { return nil }
        let o = m.localHeaderOffset
        guard o + 30 <= bytes.count else { throw Malformed(description: "local header past the end") }
        let nameLength = Int(bytes[o + 26]) | Int(bytes[o + 27]) << 8
        let extra = Int(bytes[o + 28]) | Int(bytes[o + 29]) << 8
        let start = o + 30 + nameLength + extra
        guard start + m.compressedSize <= bytes.count else { throw Malformed(description: "data past the end") }
        let data = Array(bytes[start..<(start + m.compressedSize)])
        switch m.method {
        case 0: return data
        case 8: return try Inflate.inflate(data)
        default: throw Malformed(description: "method \(m.method)")
        }
    }

    /// What the scan hands the classifier for this zip.
    var view: ContainerView {
        ContainerView(names: names) { name in (try? self.read(name)) ?? nil }
    }
}

/// RFC 1951 inflate (after Mark Adler's puff.c): slow and small, for test fixtures only.
enum Inflate {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private struct Bits {
        let input: [UInt8]
        var position = 0
        var buffer = 0
        var count = 0

        mutating func take(_ n: Int) throws -> Int {
            var value = buffer
            while count < n {
                guard position < input.count else { throw Failure(description: "input ends inside a block") }
                value |= Int(input[position]) << count
                position += 1
                count += 8
            }
            buffer = value >> n
            count -= n
            return value & ((1 << n) - 1)
        }

        mutating func alignToByte() { buffer = 0; count = 0 }
    }

    private struct Huffman {
        var count = [Int](repeating: 0, count: 16)
        var symbol: [Int]

        init(lengths: [Int]) {
            symbol = [Int](repeating: 0, count: lengths.count)
            for l in lengths { count[l] += 1 }
            var offsets = [Int](repeating: 0, count: 16)
            for len in 1..<15 { offsets[len + 1] = offsets[len] + count[len] }
            for (s, l) in lengths.enumerated() where l != 0 {
                symbol[offsets[l]] = s
                offsets[l] += 1
            }
        }

        func decode(_ bits: inout Bits) throws -> Int {
            var code = 0, first = 0, index = 0
            for len in 1...15 {
                code |= try bits.take(1)
                let c = count[len]
                if code - c < first { return symbol[index + (code - first)] }
                index += c
                first += c
                first <<= 1
                code <<= 1
            }
            throw Failure(description: "bad Huffman code")
        }
    }

    private static let lengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
    private static let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    private static let distanceBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
                                       2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
    private static let distanceExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]

    static func inflate(_ input: [UInt8]) throws -> [UInt8] {
        var bits = Bits(input: input)
        var out: [UInt8] = []
        var last = 0
        repeat {
            last = try bits.take(1)
            switch try bits.take(2) {
            case 0:
                bits.alignToByte()
                guard bits.position + 4 <= input.count else { throw Failure(description: "short stored block") }
                let p = bits.position
                let length = Int(input[p]) | Int(input[p + 1]) << 8
                guard p + 4 + length <= input.count else { throw Failure(description: "stored block past the end") }
                out += input[(p + 4)..<(p + 4 + length)]
                bits.position = p + 4 + length
            case 1:
                let lengths = [Int](repeating: 8, count: 144) + [Int](repeating: 9, count: 112)
                    + [Int](repeating: 7, count: 24) + [Int](repeating: 8, count: 8)
                try codes(&bits, &out, Huffman(lengths: lengths), Huffman(lengths: [Int](repeating: 5, count: 30)))
            case 2:
                let nlen = try bits.take(5) + 257, ndist = try bits.take(5) + 1, ncode = try bits.take(4) + 4
                let order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
                var codeLengths = [Int](repeating: 0, count: 19)
                for i in 0..<ncode { codeLengths[order[i]] = try bits.take(3) }
                let lencode = Huffman(lengths: codeLengths)
                var lengths: [Int] = []
                while lengths.count < nlen + ndist {
                    let symbol = try lencode.decode(&bits)
                    switch symbol {
                    case 0..<16: lengths.append(symbol)
                    case 16:
                        guard let previous = lengths.last else { throw Failure(description: "repeat with no length") }
                        lengths += [Int](repeating: previous, count: 3 + (try bits.take(2)))
                    case 17: lengths += [Int](repeating: 0, count: 3 + (try bits.take(3)))
                    default: lengths += [Int](repeating: 0, count: 11 + (try bits.take(7)))
                    }
                }
                guard lengths.count == nlen + ndist else { throw Failure(description: "too many lengths") }
                try codes(&bits, &out, Huffman(lengths: Array(lengths[0..<nlen])), Huffman(lengths: Array(lengths[nlen...])))
            default:
                throw Failure(description: "invalid block type")
            }
        } while last == 0
        return out
    }

    private static func codes(_ bits: inout Bits, _ out: inout [UInt8], _ lencode: Huffman, _ distcode: Huffman) throws {
        while true {
            let symbol = try lencode.decode(&bits)
            if symbol < 256 { out.append(UInt8(symbol)); continue }
            if symbol == 256 { return }
            let s = symbol - 257
            guard s < lengthBase.count else { throw Failure(description: "bad length symbol") }
            let length = lengthBase[s] + (try bits.take(lengthExtra[s]))
            let d = try distcode.decode(&bits)
            guard d < distanceBase.count else { throw Failure(description: "bad distance symbol") }
            let distance = distanceBase[d] + (try bits.take(distanceExtra[d]))
            guard distance <= out.count else { throw Failure(description: "distance too far back") }
            for _ in 0..<length { out.append(out[out.count - distance]) }
        }
    }
}

import Foundation
import SpearUnpack
import Testing

/// The TNEF fixtures in Tests/Fixtures/tnef (made by make_tnef.py there).
enum TNEFFixture {
    static let directory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures").appendingPathComponent("tnef")

    static let names = ["japanese-cp932.tnef", "embedded-message.tnef", "six-files.tnef"]

    static func bytes(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [UInt8] {
        let data = try #require(FileManager.default.contents(atPath: directory.appendingPathComponent(name).path),
                                "fixture \(name) missing", sourceLocation: sourceLocation)
        return [UInt8](data)
    }

    /// The package's own venv with tnefparse (`python3 -m venv .venv && .venv/bin/pip install tnefparse==1.4.0`).
    static let python: URL = directory.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(".venv/bin/python3")

    static var hasTnefparse: Bool {
        let site = python.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("lib")
        guard FileManager.default.isExecutableFile(atPath: python.path),
              let versions = try? FileManager.default.contentsOfDirectory(atPath: site.path) else { return false }
        return versions.contains {
            FileManager.default.fileExists(atPath: site.appendingPathComponent("\($0)/site-packages/tnefparse/tnef.py").path)
        }
    }
}

/// Builds TNEF streams byte by byte for the bad-input tests.
struct TNEFBuilder {
    var bytes: [UInt8] = [0x78, 0x9F, 0x3E, 0x22, 0x01, 0x00]

    static func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
    static func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8((v >> (8 * $0)) & 0xFF) } }

    /// Appends an attribute with a correct checksum unless `checksum` is given; answers its offset.
    @discardableResult
    mutating func attribute(level: UInt8, id: UInt32, _ data: [UInt8], checksum: UInt16? = nil, length: UInt32? = nil) -> Int {
        let at = bytes.count
        bytes.append(level)
        bytes += TNEFBuilder.le32(id) + TNEFBuilder.le32(length ?? UInt32(data.count)) + data
        let sum = data.reduce(UInt32(0)) { $0 &+ UInt32($1) }
        bytes += TNEFBuilder.le16(checksum ?? UInt16(truncatingIfNeeded: sum))
        return at
    }

    mutating func renderData() { attribute(level: 2, id: 0x0006_9002, [UInt8](repeating: 0, count: 14)) }
    mutating func attachData(_ data: [UInt8]) { attribute(level: 2, id: 0x0006_800F, data) }
    mutating func title(_ s: String) { attribute(level: 2, id: 0x0001_8010, Array(s.utf8) + [0]) }
    mutating func attachment(_ properties: [[UInt8]], count: UInt32? = nil) {
        attribute(level: 2, id: 0x0006_9005, TNEFBuilder.le32(count ?? UInt32(properties.count)) + properties.flatMap { $0 })
    }

    static func padded(_ b: [UInt8]) -> [UInt8] { b + [UInt8](repeating: 0, count: (4 - b.count % 4) % 4) }

    static func long(_ id: UInt16, _ v: UInt32) -> [UInt8] { le16(0x0003) + le16(id) + le32(v) }
    static func unicode(_ id: UInt16, _ s: String) -> [UInt8] {
        let raw: [UInt8] = s.utf16.reduce(into: []) { $0 += le16($1) } + [0, 0]
        return le16(0x001F) + le16(id) + le32(1) + le32(UInt32(raw.count)) + padded(raw)
    }
    static func binary(_ id: UInt16, _ b: [UInt8], type: UInt16 = 0x0102) -> [UInt8] {
        le16(type) + le16(id) + le32(1) + le32(UInt32(b.count)) + padded(b)
    }
}

/// Attribute records of a well-formed stream: offset, level, id, data length.
func tnefAttributes(_ b: [UInt8]) -> [(offset: Int, level: UInt8, id: UInt32, length: Int)] {
    var out: [(Int, UInt8, UInt32, Int)] = []
    var o = 6
    func u32(_ i: Int) -> UInt32 { (0..<4).reduce(UInt32(0)) { $0 | UInt32(b[i + $1]) << (8 * $1) } }
    while o + 9 <= b.count {
        let length = Int(u32(o + 5))
        guard o + 11 + length <= b.count else { break }
        out.append((o, b[o], u32(o + 1), length))
        o += 11 + length
    }
    return out
}

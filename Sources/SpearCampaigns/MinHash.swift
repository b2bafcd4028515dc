/// A MinHash signature of a text's character 4-gram shingles (Broder 1997), computed by one permutation hashing,
/// with LSH banding for index lookups.
///
/// Why MinHash and character shingles: personalised lures (the recipient's name in the greeting, another order
/// number) share most shingles, and MinHash estimates exactly that share — the Jaccard similarity. Character
/// 4-grams need no word segmentation, which Japanese does not have. The signature's bands are indexable values:
/// two texts with Jaccard ≥ 0.6 share at least one band with probability ≥ 0.89 (16 bands × 4 rows), so finding
/// the similar messages of a new one is an index lookup per band, whatever the size of the store. Hash functions
/// are fixed (FNV-1a + SplitMix64 mixing, seeded constants), so signatures are stable across runs and machines.
public struct MinHash: Sendable, Hashable {
    public static let count = 64
    public static let bands = 16
    public static let rows = count / bands
    /// Estimated Jaccard similarity at or above which two texts are near-identical.
    public static let similarityThreshold = 0.6
    /// Shingles beyond this many characters of text are not hashed (bounded cost per message).
    public static let maximumCharacters = 16_384

    /// The minimum of each of the `count` hash functions over the shingles.
    public var values: [UInt32]

    public init(values: [UInt32]) {
        self.values = values
    }

    /// The signature of a normalised text (white space ignored), or nil when it has fewer than 8 characters.
    public init?(text: String) {
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(min(text.utf8.count, Self.maximumCharacters))
        for u in text.unicodeScalars {
            // Unicode White_Space by value (a property lookup per Japanese character was most of this loop).
            let space = u.value < 0x80 ? (u == " " || u == "\n" || u == "\t" || u == "\r")
                : (BodyNormalizer.isSpace(u) || BodyNormalizer.isNewline(u))
            if !space {
                scalars.append(u)
                if scalars.count == Self.maximumCharacters { break }
            }
        }
        guard scalars.count >= 8 else { return nil }
        // One permutation hashing (Li, Owen & Zhang 2012): each shingle's hash falls into one of `count` bins by
        // its top bits and the bin keeps its minimum — one hash per shingle instead of `count`. Empty bins (short
        // texts) borrow from the next non-empty bin to the right, shifted by the distance (rotation
        // densification, Shrivastava & Li 2014), so two texts' signatures stay comparable position by position.
        var mins = [UInt64](repeating: .max, count: Self.count)
        for start in 0...(scalars.count - 4) {
            var h: UInt64 = 0xcbf2_9ce4_8422_2325
            for k in 0..<4 {
                h = (h ^ UInt64(scalars[start + k].value)) &* 0x0000_0100_0000_01b3
            }
            let v = Self.mix(h)
            let bin = Int(v >> 58)
            let rest = v & 0x03FF_FFFF_FFFF_FFFF
            if rest < mins[bin] { mins[bin] = rest }
        }
        var values = [UInt32](repeating: 0, count: Self.count)
        for bin in 0..<Self.count {
            var distance = 0
            while mins[(bin + distance) % Self.count] == .max { distance += 1 }
            let borrowed = mins[(bin + distance) % Self.count]
            values[bin] = UInt32(truncatingIfNeeded: Self.mix(borrowed &+ UInt64(distance) &* 0x9E37_79B9_7F4A_7C15) >> 32)
        }
        self.values = values
    }

    /// The fraction of equal positions: an estimate of the Jaccard similarity of the two shingle sets.
    public func similarity(to other: MinHash) -> Double {
        guard values.count == other.values.count, !values.isEmpty else { return 0 }
        var same = 0
        values.withUnsafeBufferPointer { a in
            other.values.withUnsafeBufferPointer { b in
                for i in 0..<a.count where a[i] == b[i] { same += 1 }
            }
        }
        return Double(same) / Double(values.count)
    }

    /// One 64-bit value per band (its rows hashed together): equal band values make two messages candidates.
    public var bandKeys: [Int64] {
        (0..<Self.bands).map { band in
            var h: UInt64 = UInt64(band) &* 0x9E37_79B9_7F4A_7C15
            for r in 0..<Self.rows { h = Self.mix(h ^ UInt64(values[band * Self.rows + r])) }
            return Int64(bitPattern: h)
        }
    }

    /// Hex of the values, 8 digits each: how the signature is stored and printed.
    public var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8](repeating: 0, count: values.count * 8)
        for (i, v) in values.enumerated() {
            for k in 0..<8 { out[i * 8 + k] = digits[Int((v >> UInt32(28 - 4 * k)) & 0xF)] }
        }
        return String(decoding: out, as: UTF8.self)
    }

    public init?(hex: String) {
        var values = [UInt32](repeating: 0, count: Self.count)
        var hex = hex
        let ok = hex.withUTF8 { utf8 -> Bool in
            guard utf8.count == Self.count * 8 else { return false }
            for i in 0..<Self.count {
                var v: UInt32 = 0
                for k in 0..<8 {
                    let digit = Self.hexDigit[Int(utf8[i * 8 + k])]
                    guard digit < 16 else { return false }
                    v = v << 4 | UInt32(digit)
                }
                values[i] = v
            }
            return true
        }
        guard ok else { return nil }
        self.values = values
    }

    /// The value of each byte as a hex digit, 255 when it is none.
    private static let hexDigit: [UInt8] = (0..<256).map { b in
        switch b {
        case 0x30...0x39: UInt8(b - 0x30)
        case 0x61...0x66: UInt8(b - 0x61 + 10)
        default: 255
        }
    }

    /// SplitMix64's finaliser: a fast, well-distributed 64-bit mix.
    @inline(__always)
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

}

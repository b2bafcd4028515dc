/// RFC 6376 §3.4 canonicalisation, on bytes. Stored messages often use LF line ends; DKIM is defined over
/// CRLF, so every bare LF is read as CRLF.
enum DKIMCanonicalization {
    case simple, relaxed

    init?(_ name: Substring) {
        switch name.lowercased() {
        case "simple": self = .simple
        case "relaxed": self = .relaxed
        default: return nil
        }
    }

    /// A header field `name` + `:` + raw value, canonicalised, ending in CRLF unless `final`.
    func header(name: String, rawValue: ArraySlice<UInt8>, final: Bool = false) -> [UInt8] {
        var out: [UInt8] = []
        switch self {
        case .simple:
            out += Array(name.utf8)
            out.append(0x3A)
            out += Self.crlfNormalised(rawValue)
        case .relaxed:
            out += Array(name.lowercased().utf8)
            out.append(0x3A)
            // Unfold, collapse white space runs to one space, drop white space at both ends of the value.
            var value: [UInt8] = []
            var pendingSpace = false
            for b in rawValue {
                if b == 0x0D || b == 0x0A { continue }
                if b == 0x20 || b == 0x09 { pendingSpace = true; continue }
                if pendingSpace && !value.isEmpty { value.append(0x20) }
                pendingSpace = false
                value.append(b)
            }
            out += value
        }
        if !final { out += [0x0D, 0x0A] }
        return out
    }

    /// The body canonicalised (and cut to `limit` bytes when `l=` is given).
    func body(_ raw: ArraySlice<UInt8>) -> [UInt8] {
        var lines: [ArraySlice<UInt8>] = []
        var start = raw.startIndex
        var i = raw.startIndex
        while i < raw.endIndex {
            if raw[i] == 0x0A {
                var end = i
                if end > start, raw[end - 1] == 0x0D { end -= 1 }
                lines.append(raw[start..<end])
                start = i + 1
            }
            i += 1
        }
        if start < raw.endIndex { lines.append(raw[start..<raw.endIndex]) }
        var canonical: [[UInt8]] = lines.map { line in
            switch self {
            case .simple: return Array(line)
            case .relaxed:
                var out: [UInt8] = []
                var pending = false
                for b in line {
                    if b == 0x20 || b == 0x09 { pending = true; continue }
                    if pending { out.append(0x20) }
                    pending = false
                    out.append(b)
                }
                return out  // trailing white space dropped
            }
        }
        // Empty lines at the end are removed.
        while let last = canonical.last, last.isEmpty { canonical.removeLast() }
        if canonical.isEmpty { return self == .simple ? [0x0D, 0x0A] : [] }
        var out: [UInt8] = []
        out.reserveCapacity(raw.count + canonical.count)
        for line in canonical { out += line; out += [0x0D, 0x0A] }
        return out
    }

    private static func crlfNormalised(_ raw: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var previous: UInt8 = 0
        for b in raw {
            if b == 0x0A && previous != 0x0D { out.append(0x0D) }
            out.append(b)
            previous = b
        }
        return out
    }
}

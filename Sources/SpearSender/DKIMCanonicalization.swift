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
        // One pass into one buffer (the body can be megabytes of base64): lines end at LF (a CR before it is
        // part of the ending), each is written canonically followed by CRLF, and the output is cut back after
        // the last non-empty line at the end.
        // At most two bytes out per byte in (a bare LF becomes CRLF); written through a pointer, as this runs
        // over every signed message's whole body.
        let capacity = raw.count * 2 + 2
        let out = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
            var o = 0, keep = 0
            raw.withUnsafeBufferPointer { bytes in
                var start = 0
                let n = bytes.count
                while start < n {
                    var lf = start
                    while lf < n && bytes[lf] != 0x0A { lf += 1 }
                    var end = lf
                    if lf < n, end > start, bytes[end - 1] == 0x0D { end -= 1 }
                    let lineStart = o
                    switch self {
                    case .simple:
                        for k in start..<end { buffer[o] = bytes[k]; o += 1 }
                    case .relaxed:
                        var pending = false
                        for k in start..<end {
                            let b = bytes[k]
                            if b == 0x20 || b == 0x09 { pending = true; continue }
                            if pending { buffer[o] = 0x20; o += 1; pending = false }
                            buffer[o] = b
                            o += 1
                        }
                    }
                    let nonEmpty = o > lineStart
                    buffer[o] = 0x0D
                    buffer[o + 1] = 0x0A
                    o += 2
                    if nonEmpty { keep = o }
                    start = lf + 1
                }
            }
            // Empty lines at the end are removed.
            count = keep
        }
        if out.isEmpty { return self == .simple ? [0x0D, 0x0A] : [] }
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

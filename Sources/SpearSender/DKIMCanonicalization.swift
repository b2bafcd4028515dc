#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Crypto

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

    /// The body canonicalised, whole (for tests and small bodies; verifying streams it through `bodyHash`).
    func body(_ raw: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        canonicalise(raw) { out.append(contentsOf: $0) }
        return out
    }

    /// SHA-256 of the canonical body, or of its first `limit` bytes (`l=`), and the canonical body's length —
    /// without holding the canonical body: it is hashed in 64 KiB pieces as it is made.
    func bodyHash(_ raw: ArraySlice<UInt8>, limit: Int?) -> (digest: [UInt8], length: Int) {
        var hasher = SHA256()
        var length = 0
        canonicalise(raw) { piece in
            let room = limit.map { max(0, $0 - length) } ?? piece.count
            if room > 0 { hasher.update(bufferPointer: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: piece.prefix(room)))) }
            length += piece.count
        }
        return (Array(hasher.finalize()), length)
    }

    /// Makes the canonical body and hands it to `emit` in pieces (a 64 KiB buffer reused). Lines end at LF (a CR
    /// before it is part of the ending); each is written canonically followed by CRLF; empty lines are held back
    /// until a non-empty line follows, so those at the end are dropped (an empty body is one CRLF in simple).
    func canonicalise(_ raw: ArraySlice<UInt8>, emit: (UnsafeBufferPointer<UInt8>) -> Void) {
        let capacity = 64 << 10
        let chunk = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        defer { chunk.deallocate() }
        var used = 0
        var heldEmptyLines = 0
        var wroteAny = false
        func flush() {
            if used > 0 { emit(UnsafeBufferPointer(start: chunk, count: used)) }
            used = 0
        }
        func write(_ bytes: UnsafePointer<UInt8>, _ count: Int) {
            var p = bytes, left = count
            while left > 0 {
                if used == capacity { flush() }
                let n = min(left, capacity - used)
                (chunk + used).update(from: p, count: n)
                used += n; p += n; left -= n
            }
        }
        func writeByte(_ b: UInt8) {
            if used == capacity { flush() }
            chunk[used] = b
            used += 1
        }
        func endLine() { writeByte(0x0D); writeByte(0x0A) }
        raw.withUnsafeBufferPointer { bytes in
            guard let base = bytes.baseAddress else { return }
            let end = base + bytes.count
            var line = base
            // Line by line with memchr; a line with no white space (base64, most text) is copied whole.
            while line < end {
                let lf = memchr(line, 0x0A, end - line).map { UnsafePointer($0.assumingMemoryBound(to: UInt8.self)) } ?? end
                var stop = lf
                if lf < end, stop > line, stop[-1] == 0x0D { stop -= 1 }
                let length = stop - line
                defer { line = lf + 1 }
                let copyWhole = self == .simple || (memchr(line, 0x20, length) == nil && memchr(line, 0x09, length) == nil)
                // Relaxed: runs of white space become one space, and white space at the end of a line goes.
                var empty = length == 0
                if !copyWhole {
                    empty = !(0..<length).contains { line[$0] != 0x20 && line[$0] != 0x09 }
                }
                if empty {
                    heldEmptyLines += 1
                    continue
                }
                for _ in 0..<heldEmptyLines { endLine() }
                heldEmptyLines = 0
                wroteAny = true
                if copyWhole {
                    write(line, length)
                } else {
                    var pending = false
                    for k in 0..<length {
                        let b = line[k]
                        if b == 0x20 || b == 0x09 { pending = true; continue }
                        if pending { writeByte(0x20); pending = false }
                        writeByte(b)
                    }
                }
                endLine()
            }
        }
        if !wroteAny && self == .simple { endLine() }
        flush()
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

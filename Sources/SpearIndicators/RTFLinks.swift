import SpearCore
import SpearMIME

/// What an RTF document points at: `HYPERLINK`, `INCLUDEPICTURE` and `INCLUDETEXT` fields, a `\*\template`, and
/// embedded OLE objects (`\objdata`): an OLE package's file name and paths, a linked object's source, and the URLs
/// inside the object (a URL moniker's wide string too). Hex object data is read up to 32 MiB.
enum RTFLinks {
    static let maxObjectHex = 32 << 20

    static func read(_ b: [UInt8], into list: inout SightingList) {
        for field in ["HYPERLINK", "INCLUDEPICTURE", "INCLUDETEXT"] {
            var from = 0
            while let at = TextBytes.find(ignoringCase: field, in: b, from: from) {
                let (target, end) = fieldArgument(b, from: at + field.utf8.count)
                // Past the argument: a file of the word repeated is read once, not once per repetition.
                from = max(end, at + field.utf8.count)
                if let target { list.addReference(target, part: "\(field) field") }
                if list.full { return }
            }
        }
        var from = 0
        while let at = TextBytes.find(ignoringCase: "\\*\\template", in: b, from: from), !list.full {
            var end = at + 11
            while end < b.count, b[end] != 0x7D, end - at < 4_096 { end += 1 }
            list.addReference(unescape(b[(at + 11)..<end]), part: "\\template")
            from = end
        }
        from = 0
        while let at = TextBytes.find(ignoringCase: "\\objdata", in: b, from: from), !list.full {
            from = at + 8
            let (object, end) = hexData(b, from: from)
            from = end
            OLE1Object.read(object, into: &list)
        }
    }

    /// The quoted (or first bare) argument of a field instruction, unless it is a local bookmark (`\l`), and
    /// where it ends. Word splits an argument over groups when it was edited (`"http://exa}{\rtlch mple.com/"`):
    /// braces and control words inside the quotes are dropped, escapes kept.
    private static func fieldArgument(_ b: [UInt8], from start: Int) -> (String?, Int) {
        var i = start
        while i < b.count, b[i] == 0x20 { i += 1 }
        if i + 1 < b.count, b[i] == 0x5C, b[i + 1] == 0x6C { return (nil, i) }
        guard i < b.count else { return (nil, i) }
        if b[i] == 0x22 {
            var out: [UInt8] = []
            var k = i + 1
            while k < b.count, b[k] != 0x22, k - i < 8_192 {
                let c = b[k]
                if c == 0x7B || c == 0x7D || c == 0x0D || c == 0x0A { k += 1; continue }
                let unicodeEscape = c == 0x5C && k + 2 < b.count && b[k + 1] == 0x75 && (b[k + 2] == 0x2D || (b[k + 2] >= 0x30 && b[k + 2] <= 0x39))
                if c == 0x5C, !unicodeEscape, k + 1 < b.count, (b[k + 1] | 0x20) >= 0x61, (b[k + 1] | 0x20) <= 0x7A {
                    // A control word (\rtlch, \f1, \cf-2) and the space that ends it.
                    k += 1
                    while k < b.count, (b[k] | 0x20) >= 0x61, (b[k] | 0x20) <= 0x7A { k += 1 }
                    if k < b.count, b[k] == 0x2D { k += 1 }
                    while k < b.count, b[k] >= 0x30, b[k] <= 0x39 { k += 1 }
                    if k < b.count, b[k] == 0x20 { k += 1 }
                    continue
                }
                out.append(c)
                k += 1
            }
            return (unescape(out[...]), k)
        }
        var end = i
        while end < b.count, b[end] != 0x20, b[end] != 0x7D, b[end] != 0x0D, b[end] != 0x0A, end - i < 8_192 { end += 1 }
        return (unescape(b[i..<end]), end)
    }

    /// RTF text with `\\`, `\{`, `\}` and `\'hh` escapes undone; line breaks dropped (RTF writers wrap long lines).
    static func unescape(_ s: ArraySlice<UInt8>) -> String {
        var out: [UInt8] = []
        var i = s.startIndex
        while i < s.endIndex {
            let c = s[i]
            if c == 0x5C, i + 1 < s.endIndex {
                let e = s[i + 1]
                if e == 0x27, i + 3 < s.endIndex, let h = TextBytes.hexDigit(s[i + 2]), let l = TextBytes.hexDigit(s[i + 3]) {
                    out.append(h << 4 | l)
                    i += 4
                    continue
                }
                if e == 0x5C || e == 0x7B || e == 0x7D { out.append(e); i += 2; continue }
                // \uN (a signed 16-bit code unit) and the one fallback character after it.
                if e == 0x75, i + 2 < s.endIndex, s[i + 2] == 0x2D || (s[i + 2] >= 0x30 && s[i + 2] <= 0x39) {
                    var k = i + 2
                    var negative = false
                    if s[k] == 0x2D { negative = true; k += 1 }
                    var v = 0
                    while k < s.endIndex, s[k] >= 0x30, s[k] <= 0x39, v < 100_000 { v = v * 10 + Int(s[k] - 0x30); k += 1 }
                    if negative { v = 65_536 - v }
                    if k < s.endIndex, s[k] == 0x20 { k += 1 }
                    if k < s.endIndex { k += 1 }
                    if let scalar = Unicode.Scalar(UInt32(max(0, min(v, 0xFFFF)))) { out.append(contentsOf: Array(String(scalar).utf8)) }
                    i = k
                    continue
                }
            }
            if c != 0x0D, c != 0x0A { out.append(c) }
            i += 1
        }
        return TextBytes.utf8OrLatin1(out[...]).trimmingCharacters(in: " \t")
    }

    /// The hex digits after `\objdata`, white space skipped, up to the group's end.
    private static func hexData(_ b: [UInt8], from start: Int) -> ([UInt8], Int) {
        var out: [UInt8] = []
        var high: UInt8?
        var i = start
        var digits = 0
        while i < b.count, b[i] != 0x7D {
            if let v = TextBytes.hexDigit(b[i]) {
                digits += 1
                if digits <= maxObjectHex {
                    if let h = high { out.append(h << 4 | v); high = nil } else { high = v }
                }
            } else if b[i] == 0x5C || b[i] == 0x7B {
                // A control word or group inside the data (\bin, or junk obfuscators add): the hex ends here.
                break
            }
            i += 1
        }
        return (out, i)
    }
}

/// An OLE 1.0 object as RTF embeds it: class name, topic (a linked object's source file), and for the `Package`
/// class the packaged file's name and paths.
enum OLE1Object {
    static func read(_ o: [UInt8], into list: inout SightingList) {
        guard o.count >= 12 else { return }
        var r = ByteReader(o)
        _ = r.u32()
        let format = r.u32()
        guard let className = r.lengthPrefixed(), let topic = r.lengthPrefixed(), r.lengthPrefixed() != nil else { return }
        let part = "embedded object (\(className.isEmpty ? "no class" : className))"
        if format == 1 {
            // A linked object: the topic names the file it is linked to.
            list.addReference(topic, part: part)
            if Reference.kind(of: topic) == nil, !topic.isEmpty { list.add(.filename, topic, part: part) }
        }
        if format == 2, let size = r.u32(), className == "Package" {
            let native = Array(o[r.offset..<min(o.count, r.offset + Int(size))])
            package(native, part: part, into: &list)
        }
        // URLs anywhere in the object, as bytes and as UTF-16 (a URL moniker stores its URL wide).
        list.addURLs(in: o, part: part)
        list.addURLs(in: TextBytes.narrowed(o, alignment: 0), part: part)
        list.addURLs(in: TextBytes.narrowed(o, alignment: 1), part: part)
    }

    /// The `Package` native data: 0x0002, label, source path, 0, 3, temp path, then the file.
    private static func package(_ p: [UInt8], part: String, into list: inout SightingList) {
        guard p.count > 4, p[0] == 2, p[1] == 0 else { return }
        guard let (label, afterLabel) = TextBytes.cString(p, at: 2),
              let (source, afterSource) = TextBytes.cString(p, at: afterLabel) else { return }
        list.add(.filename, label, part: "\(part) label")
        list.add(.filename, source, part: "\(part) source path")
        var r = ByteReader(p)
        r.offset = afterSource + 4
        if let length = r.u32(), length > 0, length < 4_096, let (temp, _) = TextBytes.cString(p, at: r.offset, max: Int(length)) {
            list.add(.filename, temp, part: "\(part) temporary path")
        }
    }
}

/// Little-endian reads that fail instead of trapping.
struct ByteReader {
    let b: [UInt8]
    var offset = 0

    init(_ bytes: [UInt8]) { b = bytes }

    mutating func u16() -> Int? {
        guard offset >= 0, offset + 2 <= b.count else { return nil }
        defer { offset += 2 }
        return Int(b[offset]) | Int(b[offset + 1]) << 8
    }

    mutating func u32() -> UInt32? {
        guard offset >= 0, offset + 4 <= b.count else { return nil }
        defer { offset += 4 }
        return UInt32(b[offset]) | UInt32(b[offset + 1]) << 8 | UInt32(b[offset + 2]) << 16 | UInt32(b[offset + 3]) << 24
    }

    /// A uint32 length (NUL included) then that many bytes of single-byte text.
    mutating func lengthPrefixed(max: Int = 4_096) -> String? {
        guard let n = u32(), Int(n) <= max, offset + Int(n) <= b.count else { return nil }
        let s = b[offset..<(offset + Int(n))]
        offset += Int(n)
        return TextBytes.utf8OrLatin1(s.prefix { $0 != 0 })
    }
}

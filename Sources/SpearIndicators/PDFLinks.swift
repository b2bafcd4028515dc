import SpearCore

/// What a PDF points at: `/URI` actions, `/Launch` command lines, URLs in `/JS` JavaScript and in other actions'
/// file specifications (`/SubmitForm`, `/GoToR`, `/ImportData`), and the names of embedded files — in plain
/// objects and inside compressed object streams (`/Type /ObjStm`, inflated up to a bound). A lexer over the
/// bytes, not a PDF renderer: it reads every dictionary it meets in file order, whatever the cross-reference
/// table says, so a damaged or hostile file yields what it holds. Nesting is bounded; strings are kept to 64 KiB.
enum PDFLinks {
    /// Returns notes on what a bound or the file kept from being read.
    static func read(_ bytes: [UInt8], inflating limit: Int, into list: inout SightingList) -> [String] {
        var lexer = PDFLexer(bytes: bytes[...])
        var budget = limit
        var notes: [String] = []
        lexer.scan(into: &list, streams: { dict, data, list in
            guard dict.name("Type") == "ObjStm", dict.isFlate else { return }
            guard budget > 0 else { return }
            let inflated = ZlibInflate.inflate(data, limit: budget)
            budget -= inflated.bytes.count
            if inflated.cut, !notes.contains(where: { $0.hasPrefix("compressed") }) {
                notes.append("compressed object streams inflate to more than \(limit >> 20) MiB: the rest was not read for links")
            }
            var inner = PDFLexer(bytes: inflated.bytes[...])
            inner.scan(into: &list, streams: { _, _, _ in })
        })
        if lexer.encrypted {
            notes.append("the PDF is encrypted: links in its encrypted strings and streams could not be read")
        }
        return notes
    }
}

/// A PDF value as far as links need one.
indirect enum PDFValue {
    case string([UInt8])
    case name(String)
    case dict(PDFDict)
    case names([String])
    case other
}

struct PDFDict {
    var entries: [String: PDFValue] = [:]

    func name(_ key: String) -> String? {
        if case .name(let n)? = entries[key] { return n }
        return nil
    }

    func string(_ key: String) -> String? {
        if case .string(let s)? = entries[key] { return PDFLexer.text(s) }
        return nil
    }

    func dict(_ key: String) -> PDFDict? {
        if case .dict(let d)? = entries[key] { return d }
        return nil
    }

    var isFlate: Bool {
        switch entries["Filter"] {
        case .name(let n)?: return n == "FlateDecode" || n == "Fl"
        case .names(let ns)?: return ns == ["FlateDecode"] || ns == ["Fl"]
        default: return false
        }
    }
}

struct PDFLexer {
    let b: ArraySlice<UInt8>
    var i: Int
    private(set) var encrypted = false
    static let maxDepth = 256
    static let maxString = 64 << 10

    init(bytes: ArraySlice<UInt8>) {
        b = bytes
        i = bytes.startIndex
    }

    private struct Frame {
        var dict = PDFDict()
        var key: String?
        var isArray: Bool
        var arrayNames: [String] = []
    }

    /// Reads every dictionary in order; each stream's dictionary and data go to `streams`.
    mutating func scan(into list: inout SightingList,
                       streams: (PDFDict, ArraySlice<UInt8>, inout SightingList) -> Void) {
        var stack: [Frame] = []
        var lastDict: PDFDict?
        func set(_ value: PDFValue, _ stack: inout [Frame]) {
            guard !stack.isEmpty else { return }
            if stack[stack.count - 1].isArray {
                if case .name(let n) = value { stack[stack.count - 1].arrayNames.append(n) }
                return
            }
            if let key = stack[stack.count - 1].key {
                stack[stack.count - 1].dict.entries[key] = value
                stack[stack.count - 1].key = nil
            }
        }
        while i < b.endIndex {
            let c = b[i]
            switch c {
            case 0x00, 0x09, 0x0A, 0x0C, 0x0D, 0x20:
                i += 1
            case 0x25: // % comment
                while i < b.endIndex, b[i] != 0x0A, b[i] != 0x0D { i += 1 }
            case 0x3C where i + 1 < b.endIndex && b[i + 1] == 0x3C:
                i += 2
                if stack.count < Self.maxDepth { stack.append(Frame(isArray: false)) }
            case 0x3E where i + 1 < b.endIndex && b[i + 1] == 0x3E:
                i += 2
                guard let top = stack.popLast(), !top.isArray else { continue }
                Self.inspect(top.dict, into: &list)
                if top.dict.entries["Encrypt"] != nil, top.dict.entries["Root"] != nil || top.dict.entries["Size"] != nil { encrypted = true }
                lastDict = top.dict
                set(.dict(top.dict), &stack)
            case 0x5B:
                i += 1
                if stack.count < Self.maxDepth { stack.append(Frame(isArray: true)) }
            case 0x5D:
                i += 1
                guard let top = stack.last, top.isArray else { continue }
                stack.removeLast()
                set(top.arrayNames.isEmpty ? .other : .names(top.arrayNames), &stack)
            case 0x28:
                set(.string(literalString()), &stack)
            case 0x3C:
                set(.string(hexString()), &stack)
            case 0x2F:
                let n = name()
                if let top = stack.last, !top.isArray, top.key == nil {
                    stack[stack.count - 1].key = n
                } else {
                    set(.name(n), &stack)
                }
            default:
                let start = i
                while i < b.endIndex, !Self.isDelimiter(b[i]) { i += 1 }
                if i == start { i += 1; continue }
                let word = b[start..<i]
                if word.elementsEqual("stream".utf8), stack.isEmpty {
                    let data = streamData()
                    if let dict = lastDict { streams(dict, data, &list) }
                    lastDict = nil
                } else {
                    if word.elementsEqual("endobj".utf8) { lastDict = nil }
                    set(.other, &stack)
                }
            }
        }
    }

    /// What one dictionary points at.
    static func inspect(_ d: PDFDict, into list: inout SightingList) {
        if let uri = d.string("URI") { list.add(.url, uri, part: "/URI action") }
        let launch = d.name("S") == "Launch"
        if launch || d.dict("Win") != nil {
            if let win = d.dict("Win") {
                let command = [win.string("F"), win.string("P")].compactMap { $0 }.joined(separator: " ")
                list.add(.command, command, part: "/Launch action")
                list.addURLs(in: Array(command.utf8), part: "/Launch action")
            } else if let file = d.string("F") ?? d.dict("F").flatMap({ $0.string("UF") ?? $0.string("F") }) {
                list.add(.command, file, part: "/Launch action")
            }
        }
        if let js = d.string("JS") { list.addURLs(in: Array(js.utf8), part: "/JS JavaScript") }
        if d.name("Type") == "Filespec" || d.entries["EF"] != nil {
            for key in ["UF", "F"] {
                guard let name = d.string(key) else { continue }
                if Reference.kind(of: name) == .url { list.add(.url, name, part: "file specification") } else {
                    list.add(.filename, name, part: d.entries["EF"] != nil ? "embedded file" : "file specification")
                }
            }
        }
        // Any other value that is a URL: /SubmitForm and /GoToR targets, /Base, XMP-free metadata.
        for (key, value) in d.entries where key != "URI" && key != "JS" {
            guard case .string(let raw) = value else { continue }
            let text = text(raw)
            if Reference.kind(of: text) == .url { list.add(.url, text, part: "/\(key)") }
        }
    }

    /// A string's text: UTF-16BE with a byte-order mark, else UTF-8 or PDFDocEncoding.
    static func text(_ s: [UInt8]) -> String {
        if s.count >= 2, s[0] == 0xFE, s[1] == 0xFF { return TextBytes.utf16BE(s[2...]) }
        if s.count >= 2, s[0] == 0xFF, s[1] == 0xFE { return TextBytes.utf16LE(s[2...]) }
        return TextBytes.utf8OrLatin1(s[...])
    }

    static func isDelimiter(_ c: UInt8) -> Bool {
        switch c {
        case 0x00, 0x09, 0x0A, 0x0C, 0x0D, 0x20, 0x28, 0x29, 0x3C, 0x3E, 0x5B, 0x5D, 0x7B, 0x7D, 0x2F, 0x25: return true
        default: return false
        }
    }

    private mutating func name() -> String {
        i += 1
        var out: [UInt8] = []
        while i < b.endIndex, !Self.isDelimiter(b[i]) {
            if b[i] == 0x23, i + 2 < b.endIndex, let h = Self.hex(b[i + 1]), let l = Self.hex(b[i + 2]) {
                out.append(h << 4 | l)
                i += 3
            } else {
                if out.count < 256 { out.append(b[i]) }
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `( … )` with balanced parentheses and escapes; the lexer stands after it.
    private mutating func literalString() -> [UInt8] {
        i += 1
        var out: [UInt8] = []
        var depth = 1
        func put(_ c: UInt8) { if out.count < Self.maxString { out.append(c) } }
        while i < b.endIndex {
            let c = b[i]
            i += 1
            switch c {
            case 0x28: depth += 1; put(c)
            case 0x29:
                depth -= 1
                if depth == 0 { return out }
                put(c)
            case 0x5C:
                guard i < b.endIndex else { return out }
                let e = b[i]
                i += 1
                switch e {
                case 0x6E: put(0x0A)
                case 0x72: put(0x0D)
                case 0x74: put(0x09)
                case 0x62: put(0x08)
                case 0x66: put(0x0C)
                case 0x0D: if i < b.endIndex, b[i] == 0x0A { i += 1 }
                case 0x0A: break
                case 0x30...0x37:
                    var v = Int(e - 0x30)
                    var k = 0
                    while k < 2, i < b.endIndex, b[i] >= 0x30, b[i] <= 0x37 { v = v * 8 + Int(b[i] - 0x30); i += 1; k += 1 }
                    put(UInt8(truncatingIfNeeded: v))
                default: put(e)
                }
            default: put(c)
            }
        }
        return out
    }

    /// `< … >` hex digits, white space ignored, an odd last digit padded with 0.
    private mutating func hexString() -> [UInt8] {
        i += 1
        var out: [UInt8] = []
        var high: UInt8?
        while i < b.endIndex, b[i] != 0x3E {
            if let v = Self.hex(b[i]) {
                if let h = high { if out.count < Self.maxString { out.append(h << 4 | v) }; high = nil } else { high = v }
            }
            i += 1
        }
        if let h = high { out.append(h << 4) }
        i += 1
        return out
    }

    /// The data after a `stream` keyword, up to `endstream` (or the end of the file).
    private mutating func streamData() -> ArraySlice<UInt8> {
        if i < b.endIndex, b[i] == 0x0D { i += 1 }
        if i < b.endIndex, b[i] == 0x0A { i += 1 }
        let start = i
        let marker = Array("endstream".utf8)
        var k = start
        while k + marker.count <= b.endIndex {
            if b[k] == 0x65, b[k..<(k + marker.count)].elementsEqual(marker) {
                i = k + marker.count
                return b[start..<k]
            }
            k += 1
        }
        i = b.endIndex
        return b[start...]
    }

    static func hex(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x41...0x46: return c - 0x37
        case 0x61...0x66: return c - 0x57
        default: return nil
        }
    }
}

import SpearCore

/// What a PDF points at: `/URI` actions, `/Launch` command lines, URLs in `/JS` JavaScript (a string, or a stream
/// the action refers to: the usual place in a malicious PDF) and in other actions' file specifications
/// (`/SubmitForm`, `/GoToR`, `/ImportData`), and the names of embedded files — in plain objects and inside
/// compressed object streams (`/Type /ObjStm`). A lexer over the bytes, not a PDF renderer: it reads every
/// dictionary it meets in file order, whatever the cross-reference table says, so a damaged or hostile file yields
/// what it holds; a stray bracket is forgotten at the next `obj`. Nesting is bounded, strings kept to 64 KiB, and
/// streams inflated only within the message's budget.
enum PDFLinks {
    /// Returns notes on what a bound or the file kept from being read. `budget` is what inflating may still
    /// produce for the whole message; it is charged.
    static func read(_ bytes: [UInt8], inflating budget: inout Int, into list: inout SightingList) -> [String] {
        var lexer = PDFLexer(bytes: bytes[...])
        let limit = budget
        var notes: [String] = []
        var spent = 0
        var streams: [Int: (dict: PDFDict, data: ArraySlice<UInt8>)] = [:]
        var innerJS = Set<Int>(), innerURI = Set<Int>()
        func note(_ text: String) { if !notes.contains(text) { notes.append(text) } }
        let cutNote = "its streams inflate past what the message allows for links (\(limit >> 10) KiB were left): the rest was not read for links"
        func inflate(_ data: ArraySlice<UInt8>) -> [UInt8]? {
            guard spent < limit else {
                note(cutNote)
                return nil
            }
            let inflated = ZlibInflate.inflate(data, limit: limit - spent)
            spent += inflated.bytes.count
            if inflated.cut { note(cutNote) }
            return inflated.bytes
        }
        lexer.scan(into: &list) { number, dict, data, list in
            if dict.name("Type") == "ObjStm" {
                guard dict.isFlate else {
                    if dict.entries["Filter"] != nil { note("an object stream with filters other than FlateDecode was not read for links") }
                    return
                }
                guard let objects = inflate(data) else { return }
                var inner = PDFLexer(bytes: objects[...])
                inner.scan(into: &list) { _, _, _, _ in }
                innerJS.formUnion(inner.references.javaScript)
                innerURI.formUnion(inner.references.uri)
            } else if let number, streams.count < 100_000 {
                streams[number] = (dict, data)
            }
        }
        // JavaScript and URIs written elsewhere and referred to (`/JS 12 0 R`).
        for number in lexer.references.javaScript.union(innerJS).sorted() {
            if let stream = streams[number] {
                let code: [UInt8]?
                if stream.dict.isFlate { code = inflate(stream.data) } else if stream.dict.entries["Filter"] == nil { code = Array(stream.data) } else {
                    note("a JavaScript stream with filters other than FlateDecode was not read for links")
                    code = nil
                }
                if let code { list.addURLs(in: code, part: "/JS JavaScript") }
            } else if let text = lexer.references.strings[number] {
                list.addURLs(in: text, part: "/JS JavaScript")
            }
        }
        for number in lexer.references.uri.union(innerURI).sorted() {
            if let text = lexer.references.strings[number] { PDFLexer.addURI(PDFLexer.text(text), into: &list) }
        }
        budget -= spent
        if lexer.encrypted {
            note("the PDF is encrypted: links in its encrypted strings and streams could not be read")
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
    case number(Int)
    /// An indirect reference (`12 0 R`): the object number.
    case ref(Int)
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

/// Objects a PDF's actions refer to instead of holding the value.
struct PDFReferences {
    var javaScript = Set<Int>()
    var uri = Set<Int>()
    /// Objects that are a string by themselves (`7 0 obj (http://…) endobj`), up to 4 MiB in all.
    var strings: [Int: [UInt8]] = [:]
    var stringBytes = 0
}

struct PDFLexer {
    let b: ArraySlice<UInt8>
    var i: Int
    private(set) var encrypted = false
    private(set) var references = PDFReferences()
    static let maxDepth = 256
    static let maxString = 64 << 10

    init(bytes: ArraySlice<UInt8>) {
        b = bytes
        i = bytes.startIndex
    }

    private struct Frame {
        var dict = PDFDict()
        var key: String?
        /// The key last given a value (a number that an `R` may make a reference).
        var lastKey: String?
        var isArray: Bool
        var arrayNames: [String] = []
    }

    /// Reads every dictionary in order; each stream's object number (when known), dictionary and data go to `streams`.
    mutating func scan(into list: inout SightingList,
                       streams: (Int?, PDFDict, ArraySlice<UInt8>, inout SightingList) -> Void) {
        var stack: [Frame] = []
        var lastDict: PDFDict?
        var object: Int?
        // The last two words when they were integers: `12 0 obj`, `12 0 R`.
        var previous: (Int?, Int?) = (nil, nil)
        func set(_ value: PDFValue, _ stack: inout [Frame]) {
            guard !stack.isEmpty else { return }
            if stack[stack.count - 1].isArray {
                if case .name(let n) = value { stack[stack.count - 1].arrayNames.append(n) }
                return
            }
            if let key = stack[stack.count - 1].key {
                stack[stack.count - 1].dict.entries[key] = value
                stack[stack.count - 1].lastKey = key
                stack[stack.count - 1].key = nil
            }
        }
        while i < b.endIndex {
            let c = b[i]
            switch c {
            case 0x00, 0x09, 0x0A, 0x0C, 0x0D, 0x20:
                i += 1
                continue
            case 0x25: // % comment
                while i < b.endIndex, b[i] != 0x0A, b[i] != 0x0D { i += 1 }
                continue
            case 0x3C where i + 1 < b.endIndex && b[i + 1] == 0x3C:
                i += 2
                if stack.count < Self.maxDepth { stack.append(Frame(isArray: false)) }
            case 0x3E where i + 1 < b.endIndex && b[i + 1] == 0x3E:
                i += 2
                guard let top = stack.last, !top.isArray else { break }
                stack.removeLast()
                inspect(top.dict, into: &list)
                if top.dict.entries["Encrypt"] != nil, top.dict.entries["Root"] != nil || top.dict.entries["Size"] != nil { encrypted = true }
                lastDict = top.dict
                set(.dict(top.dict), &stack)
            case 0x5B:
                i += 1
                if stack.count < Self.maxDepth { stack.append(Frame(isArray: true)) }
            case 0x5D:
                i += 1
                guard let top = stack.last, top.isArray else { break }
                stack.removeLast()
                set(top.arrayNames.isEmpty ? .other : .names(top.arrayNames), &stack)
            case 0x28:
                let s = literalString()
                keep(s, object: object, topLevel: stack.isEmpty)
                set(.string(s), &stack)
            case 0x3C:
                let s = hexString()
                keep(s, object: object, topLevel: stack.isEmpty)
                set(.string(s), &stack)
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
                if i == start { i += 1; break }
                let word = b[start..<i]
                if let n = Self.integer(word) {
                    set(.number(n), &stack)
                    previous = (previous.1, n)
                    continue
                }
                if word.elementsEqual("R".utf8) {
                    if previous.0 != nil, previous.1 != nil, let top = stack.last, !top.isArray, let key = top.lastKey,
                       case .number(let n)? = top.dict.entries[key] {
                        stack[stack.count - 1].dict.entries[key] = .ref(n)
                    }
                } else if word.elementsEqual("obj".utf8) {
                    // A new object: whatever an unbalanced bracket left open before it is forgotten.
                    stack.removeAll()
                    object = previous.0
                    lastDict = nil
                } else if word.elementsEqual("endobj".utf8) {
                    stack.removeAll()
                    object = nil
                    lastDict = nil
                } else if word.elementsEqual("stream".utf8) {
                    let data = streamData()
                    if stack.isEmpty, let dict = lastDict { streams(object, dict, data, &list) }
                    stack.removeAll()
                    lastDict = nil
                } else {
                    set(.other, &stack)
                }
            }
            previous = (nil, nil)
        }
    }

    /// A string that is an object by itself, kept in case an action refers to it.
    private mutating func keep(_ s: [UInt8], object: Int?, topLevel: Bool) {
        guard topLevel, let object, references.stringBytes + s.count <= 4 << 20 else { return }
        references.strings[object] = s
        references.stringBytes += s.count
    }

    /// What one dictionary points at.
    private mutating func inspect(_ d: PDFDict, into list: inout SightingList) {
        switch d.entries["URI"] {
        case .string(let s)?: Self.addURI(Self.text(s), into: &list)
        case .ref(let n)?: references.uri.insert(n)
        default: break
        }
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
        switch d.entries["JS"] {
        case .string(let s)?: list.addURLs(in: s, part: "/JS JavaScript")
        case .ref(let n)?: references.javaScript.insert(n)
        default: break
        }
        if d.name("Type") == "Filespec" || d.entries["EF"] != nil {
            for key in ["UF", "F"] {
                guard let name = d.string(key) else { continue }
                if Reference.kind(of: name) == .url { list.add(.url, name, part: "file specification") } else {
                    list.add(.filename, name, part: d.entries["EF"] != nil ? "embedded file" : "file specification")
                }
            }
        }
        // Any other value that is a URL: /SubmitForm and /GoToR targets, /Base.
        for key in d.entries.keys.sorted() where key != "URI" && key != "JS" {
            guard case .string(let raw)? = d.entries[key] else { continue }
            let text = Self.text(raw)
            if Reference.kind(of: text) == .url { list.add(.url, text, part: "/\(key)") }
        }
    }

    /// A `/URI` action's target: a URL or a UNC path; a relative link (`page.html`, `#top`) or `mailto:` is no
    /// indicator.
    static func addURI(_ uri: String, into list: inout SightingList) {
        list.addReference(uri, part: "/URI action")
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

    /// A non-negative integer of at most 9 digits.
    static func integer(_ w: ArraySlice<UInt8>) -> Int? {
        guard !w.isEmpty, w.count <= 9 else { return nil }
        var n = 0
        for c in w {
            guard c >= 0x30, c <= 0x39 else { return nil }
            n = n * 10 + Int(c - 0x30)
        }
        return n
    }

    private mutating func name() -> String {
        i += 1
        var out: [UInt8] = []
        while i < b.endIndex, !Self.isDelimiter(b[i]) {
            if b[i] == 0x23, i + 2 < b.endIndex, let h = TextBytes.hexDigit(b[i + 1]), let l = TextBytes.hexDigit(b[i + 2]) {
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
            if let v = TextBytes.hexDigit(b[i]) {
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
}

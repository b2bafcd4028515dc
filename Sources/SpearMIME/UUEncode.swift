/// uuencoded blocks (`begin 644 name` … `end`), found inside text bodies or as a whole part body.
public enum UUEncode {
    public struct Block: Sendable {
        /// The file name from the `begin` line, as raw bytes.
        public var rawName: ArraySlice<UInt8>
        public var mode: String
        public var bytes: [UInt8]
        /// The range of the whole block (begin line through end line) in the scanned text.
        public var range: Range<Int>
        /// The block had no `end` line, or a line shorter than its length character said.
        public var truncated: Bool
    }

    /// Finds every uuencoded block in `text`. Only a line `begin NNN name` with an octal mode starts a block, so
    /// prose that happens to start with "begin" is left alone.
    public static func findBlocks(in text: ArraySlice<UInt8>, limit: Int = 1000) -> [Block] {
        findBlocks(in: text, limit: limit, lenientBegin: false)
    }

    static func findBlocks(in text: ArraySlice<UInt8>, limit: Int, lenientBegin: Bool) -> [Block] {
        var blocks: [Block] = []
        var lines = LineIterator(text)
        while blocks.count < limit, let line = lines.next() {
            guard let (mode, name) = parseBegin(line.content, lenient: lenientBegin) else { continue }
            var out: [UInt8] = []
            var truncated = true
            var end = line.next
            while let body = lines.next() {
                end = body.next
                let content = body.content
                if ASCII.equalsIgnoringCase(ASCII.trimmed(content), "end") { truncated = false; break }
                if content.isEmpty { continue }
                if !decodeLine(content, into: &out) { truncated = true }
            }
            blocks.append(Block(rawName: name, mode: mode, bytes: out, range: line.start..<end, truncated: truncated))
        }
        return blocks
    }

    /// Decodes a whole body encoded with Content-Transfer-Encoding x-uuencode: the first block, or, without a
    /// `begin` line, every line as uuencoded data.
    ///
    /// The body is declared uuencoded, so any `begin MODE` line with an octal mode starts the block, with or
    /// without a name (`begin 644`, `begin 6 x`), as Python's email package has it; read as data, such a line
    /// would add garbage bytes in front of the file.
    public static func decodeBody(_ body: ArraySlice<UInt8>) -> (bytes: [UInt8], truncated: Bool) {
        if let block = findBlocks(in: body, limit: 1, lenientBegin: true).first { return (block.bytes, block.truncated) }
        var out: [UInt8] = []
        var lines = LineIterator(body)
        var truncated = false
        while let line = lines.next() {
            if line.content.isEmpty || ASCII.equalsIgnoringCase(ASCII.trimmed(line.content), "end") { continue }
            if !decodeLine(line.content, into: &out) { truncated = true }
        }
        return (out, truncated)
    }

    /// `begin NNN name`; `lenient` also takes a mode of any length and no name (`begin 644`).
    private static func parseBegin(_ line: ArraySlice<UInt8>, lenient: Bool) -> (String, ArraySlice<UInt8>)? {
        guard line.count > (lenient ? 6 : 10), ASCII.equalsIgnoringCase(line.prefix(6), "begin ") else { return nil }
        var i = line.startIndex + 6
        let modeStart = i
        while i < line.endIndex, line[i] >= 0x30, line[i] <= 0x37 { i += 1 }
        if lenient {
            guard i > modeStart, i == line.endIndex || line[i] == ASCII.space else { return nil }
        } else {
            guard i - modeStart >= 3, i - modeStart <= 4, i < line.endIndex, line[i] == ASCII.space else { return nil }
        }
        let mode = String(decoding: line[modeStart..<i], as: UTF8.self)
        var name = line[min(i + 1, line.endIndex)...]
        while let last = name.last, ASCII.isSpace(last) { name = name.dropLast() }
        guard lenient || !name.isEmpty else { return nil }
        return (mode, name)
    }

    /// Decodes one line; returns false when the line held fewer characters than its length byte announced.
    private static func decodeLine(_ line: ArraySlice<UInt8>, into out: inout [UInt8]) -> Bool {
        guard let first = line.first else { return true }
        let length = Int((first &- 0x20) & 0x3F)
        if length == 0 { return true }
        var chars = line.dropFirst()
        let needed = (length + 2) / 3 * 4
        var complete = true
        if chars.count < needed {
            // Some encoders strip trailing spaces; those were zeros.
            complete = chars.count >= (length * 4 + 2) / 3
            chars = chars + ArraySlice(repeating: 0x20, count: needed - chars.count)
        }
        var produced = 0
        var i = chars.startIndex
        while produced < length, i + 3 < chars.endIndex {
            let a = UInt32((chars[i] &- 0x20) & 0x3F), b = UInt32((chars[i + 1] &- 0x20) & 0x3F)
            let c = UInt32((chars[i + 2] &- 0x20) & 0x3F), d = UInt32((chars[i + 3] &- 0x20) & 0x3F)
            let v = a << 18 | b << 12 | c << 6 | d
            if length - produced >= 3 {
                out.append(UInt8(truncatingIfNeeded: v >> 16))
                out.append(UInt8(truncatingIfNeeded: v >> 8))
                out.append(UInt8(truncatingIfNeeded: v))
                produced += 3
            } else {
                for shift in [16, 8, 0] where produced < length {
                    out.append(UInt8(truncatingIfNeeded: v >> UInt32(shift)))
                    produced += 1
                }
            }
            i += 4
        }
        return complete
    }
}

/// Iterates lines of a byte slice; `content` excludes the line break (LF or CRLF).
struct LineIterator {
    let text: ArraySlice<UInt8>
    var position: Int

    init(_ text: ArraySlice<UInt8>) {
        self.text = text
        self.position = text.startIndex
    }

    struct Line {
        var start: Int
        var content: ArraySlice<UInt8>
        /// Index after the line break.
        var next: Int
    }

    mutating func next() -> Line? {
        guard position < text.endIndex else { return nil }
        let start = position
        let lf = text[start...].firstIndex(of: ASCII.lf)
        var contentEnd = lf ?? text.endIndex
        position = lf.map { $0 + 1 } ?? text.endIndex
        if contentEnd > start, text[contentEnd - 1] == ASCII.cr { contentEnd -= 1 }
        return Line(start: start, content: text[start..<contentEnd], next: position)
    }
}

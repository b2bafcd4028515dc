/// A plain-text table aligned by display width (see ``DisplayWidth``), for terminals.
struct TextTable {
    var headers: [String]
    /// Columns aligned to the right (numbers and percentages).
    var rightAligned: Set<Int>
    var rows: [[String]] = []

    init(headers: [String], rightAligned: Set<Int> = []) {
        self.headers = headers
        self.rightAligned = rightAligned
    }

    mutating func append(_ row: [String]) { rows.append(row) }

    /// Control characters (a subject's folded newline, a tab) would break the alignment or the terminal;
    /// they become spaces.
    static func clean(_ cell: String) -> String {
        String(String.UnicodeScalarView(cell.unicodeScalars.map { s in
            s.value < 0x20 || (0x7F..<0xA0).contains(s.value) ? " " : s
        }))
    }

    func render() -> String {
        let all = ([headers] + rows).map { $0.map(TextTable.clean) }
        let columns = all.map(\.count).max() ?? 0
        var widths = Array(repeating: 0, count: columns)
        for row in all {
            for (i, cell) in row.enumerated() { widths[i] = max(widths[i], DisplayWidth.of(cell)) }
        }
        func line(_ row: [String]) -> String {
            var cells: [String] = []
            for i in 0..<columns {
                let cell = i < row.count ? row[i] : ""
                cells.append(DisplayWidth.pad(cell, to: widths[i], alignRight: rightAligned.contains(i)))
            }
            var text = cells.joined(separator: "  ")
            while text.last == " " { text.removeLast() }
            return text
        }
        var out = [line(all[0]), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")]
        out += all.dropFirst().map(line)
        return out.joined(separator: "\n") + "\n"
    }
}

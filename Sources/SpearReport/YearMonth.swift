/// A calendar month, the unit every period is built from and `--from`/`--to` filter on.
struct YearMonth: Sendable, Hashable, Comparable {
    var year: Int
    var month: Int

    /// Years outside this window are treated as unparseable: 1970-01-01 and similar come from zeroed or
    /// forged Date headers, and one of them would otherwise stretch a monthly report over decades of empty
    /// periods. Such messages fall back to the Received date, then to the `unknown` bucket.
    static let plausibleYears = 1990...2099

    /// `YYYY-MM` exactly (the `--from`/`--to` syntax).
    init?(option text: String) {
        guard text.utf8.count == 7, let ym = YearMonth(prefixOf: text, plausibleOnly: false) else { return nil }
        self = ym
    }

    /// The `YYYY-MM` at the start of an ISO 8601 timestamp, read as written: the sender's own offset is kept,
    /// not converted to UTC, because the period a message belongs to is the one its sender dated it in.
    init?(timestamp text: String) {
        let bytes = Array(text.utf8)
        // "YYYY-MM" alone, or followed by "-DD…".
        guard bytes.count == 7 || (bytes.count >= 10 && bytes[7] == UInt8(ascii: "-")) else { return nil }
        guard let ym = YearMonth(prefixOf: text, plausibleOnly: true) else { return nil }
        self = ym
    }

    private init?(prefixOf text: String, plausibleOnly: Bool) {
        let b = Array(text.utf8.prefix(7))
        guard b.count == 7, b[4] == UInt8(ascii: "-") else { return nil }
        func digits(_ r: Range<Int>) -> Int? {
            var v = 0
            for i in r {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b[i]) else { return nil }
                v = v * 10 + Int(b[i] - UInt8(ascii: "0"))
            }
            return v
        }
        guard let y = digits(0..<4), let m = digits(5..<7), (1...12).contains(m) else { return nil }
        if plausibleOnly && !YearMonth.plausibleYears.contains(y) { return nil }
        if y == 0 { return nil }
        year = y
        month = m
    }

    init(year: Int, month: Int) {
        self.year = year
        self.month = month
    }

    static func < (a: YearMonth, b: YearMonth) -> Bool {
        (a.year, a.month) < (b.year, b.month)
    }

    var text: String {
        let y = String(year)
        return String(repeating: "0", count: max(0, 4 - y.count)) + y + "-" + (month < 10 ? "0" : "") + String(month)
    }
}

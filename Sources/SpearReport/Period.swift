/// One bucket of the report: a month, quarter, half-year or year, or the `unknown` bucket for messages with
/// neither a usable Date header nor a Received timestamp (shown, and sorted last, so they are never lost).
public struct Period: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let granularity: Granularity
    /// Nil for the unknown bucket.
    public let year: Int?
    /// 1-based position within the year: month 1–12, quarter 1–4, half 1–2, or 1 for a year.
    public let index: Int

    /// The bucket of undated messages.
    public static func unknown(_ granularity: Granularity) -> Period {
        Period(granularity: granularity, year: nil, index: 0)
    }

    init(granularity: Granularity, year: Int?, index: Int) {
        self.granularity = granularity
        self.year = year
        self.index = index
    }

    /// The period of the given granularity that contains a month.
    init(containing ym: YearMonth, granularity: Granularity) {
        self.init(granularity: granularity, year: ym.year, index: (ym.month - 1) / granularity.monthsPerPeriod + 1)
    }

    public var isUnknown: Bool { year == nil }

    /// The period after this one (the unknown bucket has none and returns itself).
    var next: Period {
        guard let year else { return self }
        return index == granularity.periodsPerYear
            ? Period(granularity: granularity, year: year + 1, index: 1)
            : Period(granularity: granularity, year: year, index: index + 1)
    }

    /// The language-independent key used in JSON and CSV: `2019-03`, `2019-Q1`, `2019-H1`, `2019`, `unknown`.
    public var key: String {
        guard let year else { return "unknown" }
        let y = YearMonth(year: year, month: 1).text.prefix(4)
        switch granularity {
        case .month: return YearMonth(year: year, month: index).text
        case .quarter: return "\(y)-Q\(index)"
        case .half: return "\(y)-H\(index)"
        case .year: return String(y)
        }
    }

    /// The label shown to people: the key in English; `2019年3月`, `2019年第1四半期`, `2019年上半期`, `2019年`
    /// in Japanese, as the NPA writes them.
    public func label(_ lang: Language) -> String {
        guard lang == .ja else { return key }
        guard let year else { return Labels(lang).unknown }
        switch granularity {
        case .month: return "\(year)年\(index)月"
        case .quarter: return "\(year)年第\(index)四半期"
        case .half: return "\(year)年\(index == 1 ? "上" : "下")半期"
        case .year: return "\(year)年"
        }
    }

    public var description: String { key }

    /// Chronological; the unknown bucket sorts after every dated period.
    public static func < (a: Period, b: Period) -> Bool {
        switch (a.year, b.year) {
        case (nil, _): false
        case (_, nil): true
        case (let x?, let y?): (x, a.index) < (y, b.index)
        }
    }
}

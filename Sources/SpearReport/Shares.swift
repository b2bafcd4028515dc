/// Percentages for display.
enum Shares {
    /// The percentage of each of `counts` in their sum, unrounded; nil when the counts sum to 0.
    ///
    /// Rounding happens only when formatting, each value on its own: equal counts then always show equal
    /// percentages (largest-remainder rounding would force a sum of exactly 100.0 but print 6.3 % next to
    /// 6.2 % for two single files), and the figures of one bar add up to 100 within ±0.05 per segment.
    static func percentages(_ counts: [Int]) -> [Double]? {
        let total = counts.reduce(0, +)
        guard total > 0 else { return nil }
        return counts.map { Double($0) * 100 / Double(total) }
    }

    /// "12.5%" — one decimal, as in the NPA's tables; nil shows as `dash`.
    static func format(_ percent: Double?, dash: String = "-") -> String {
        guard let percent else { return dash }
        return oneDecimal(percent) + "%"
    }

    /// A share (0…1) as a percentage with one decimal.
    static func formatShare(_ share: Double?, dash: String = "-") -> String {
        format(share.map { $0 * 100 }, dash: dash)
    }

    /// One decimal without Foundation's locale-dependent formatting (a comma in some locales would break CSV
    /// readers and tests alike).
    static func oneDecimal(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        let sign = tenths < 0 ? "-" : ""
        let a = abs(tenths)
        return "\(sign)\(a / 10).\(a % 10)"
    }
}

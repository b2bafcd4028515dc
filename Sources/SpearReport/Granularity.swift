/// How wide one period of the report is (`--by`).
public enum Granularity: String, Sendable, Hashable, CaseIterable, Codable {
    case month, quarter, half, year

    /// Periods per year.
    var periodsPerYear: Int {
        switch self {
        case .month: 12
        case .quarter: 4
        case .half: 2
        case .year: 1
        }
    }

    /// Months in one period.
    var monthsPerPeriod: Int { 12 / periodsPerYear }
}

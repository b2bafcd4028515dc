/// One line of a "top N" list (lure subjects, sender domains).
public struct RankedEntry: Sendable, Hashable {
    public var value: String
    public var count: Int

    public init(value: String, count: Int) {
        self.value = value
        self.count = count
    }

    /// The `limit` most frequent values, ties broken alphabetically so that the same input always gives the
    /// same report (dictionary order would not).
    static func top(_ counts: [String: Int], limit: Int) -> [RankedEntry] {
        counts
            .sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .prefix(limit)
            .map { RankedEntry(value: $0.key, count: $0.value) }
    }
}

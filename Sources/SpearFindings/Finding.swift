/// One thing a heuristic noticed: a stable id, how much it matters, and the evidence an analyst can check.
///
/// Every stage that judges (classification, unpacking guards, name rules, and later sender scoring) speaks in
/// findings; verdicts are computed from them, and the JSON shows them.
public struct Finding: Sendable, Hashable, Codable {
    public var id: String
    public var severity: Severity
    public var evidence: String

    public init(id: String, severity: Severity, evidence: String) {
        self.id = id
        self.severity = severity
        self.evidence = evidence
    }

    public enum Severity: String, Sendable, Codable, Comparable, CaseIterable {
        case info, low, medium, high

        private var rank: Int { Severity.allCases.firstIndex(of: self)! }
        public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
    }
}

/// One thing a heuristic noticed: a stable id, how much it matters, and the evidence an analyst can check.
///
/// Every stage that judges (classification, unpacking guards, name rules, and later sender scoring) speaks in
/// findings; verdicts are computed from them, and the JSON shows them.
public struct Finding: Sendable, Hashable, Codable {
    public var id: FindingID
    public var severity: Severity
    public var evidence: String
    /// Evidence about the message, or a statement that something could not be looked into.
    public var kind: Kind

    public init(id: FindingID, severity: Severity, evidence: String, kind: Kind = .evidence) {
        self.id = id
        self.severity = severity
        self.evidence = evidence
        self.kind = kind
    }

    /// What a finding says. A scanner that cannot open an encrypted zip knows nothing against it; calling that
    /// "suspicious" would drown the verdicts in the password-protected zips Japanese offices send every day
    /// (PPAP), so it is said apart, and the verdict names it: `not_inspected`.
    public enum Kind: String, Sendable, Codable {
        /// Something the content or the headers show.
        case evidence
        /// Something that could not be inspected: an encrypted archive or document without a known password,
        /// a limit that fired, a container that cannot be opened here.
        case notInspected = "not_inspected"
    }

    public enum Severity: String, Sendable, Codable, Comparable, CaseIterable {
        case info, low, medium, high

        private var rank: Int { Severity.allCases.firstIndex(of: self)! }
        public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
    }
}

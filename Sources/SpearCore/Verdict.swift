/// The overall judgement, computed from findings.
public struct Verdict: Sendable, Encodable {
    /// The three answers a scan can give, each with its reasons.
    public enum Status: String, Sendable, Codable, CaseIterable {
        /// Evidence of an attack.
        case suspicious
        /// Nothing speaks against the message, but something in it could not be looked into.
        case notInspected = "not_inspected"
        /// Everything was inspected and nothing speaks against it.
        case clean
    }

    public var status: Status
    /// True only for ``Status/suspicious`` (kept for pipelines written before the three states).
    public var suspicious: Bool { status == .suspicious }
    /// The evidence behind `suspicious`, most severe first; empty for the other states.
    public var reasons: [String]
    /// Everything that could not be inspected, whatever the status.
    public var notInspected: [String]

    /// The rule: evidence of medium severity or more is an attack; so is weaker evidence (a disk image, an
    /// archive inside an archive, a damaged member) beside something that could not be inspected, since
    /// then the uninspected part is where the attack would be. Otherwise, anything not inspected makes the
    /// message `not_inspected`, and a message with neither is `clean`.
    public init(findings: [Finding]) {
        let evidence = findings.filter { $0.kind == .evidence }
        let gaps = findings.filter { $0.kind == .notInspected }
        var serious = evidence.filter { $0.severity >= .medium }
        if serious.isEmpty && !gaps.isEmpty {
            let weak = evidence.filter { $0.severity == .low }
            if !weak.isEmpty { serious = weak + gaps }
        }
        status = !serious.isEmpty ? .suspicious : gaps.isEmpty ? .clean : .notInspected
        reasons = Self.quoted(serious.sorted { $0.severity > $1.severity })
        notInspected = Self.quoted(gaps)
    }

    /// "id: evidence" of each finding, in order, each once.
    private static func quoted(_ findings: [Finding]) -> [String] {
        var seen = Set<String>()
        return findings.compactMap { f in seen.insert(f.id.rawValue + f.evidence).inserted ? "\(f.id): \(f.evidence)" : nil }
    }

    enum CodingKeys: String, CodingKey { case status, suspicious, reasons, notInspected = "not_inspected" }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(status, forKey: .status)
        try c.encode(suspicious, forKey: .suspicious)
        try c.encode(reasons, forKey: .reasons)
        try c.encode(notInspected, forKey: .notInspected)
    }
}

/// The NPA's bulk-type (ばらまき型) rule: the same text or the same program sent to `threshold` or more places.
public struct BulkRule: Sendable, Hashable {
    /// What counts as one place.
    public enum Unit: String, Sendable, CaseIterable {
        /// Distinct recipient mailboxes (the default).
        case address
        /// Distinct organisations: registrable domains of the recipients, by the Public Suffix List.
        case domain
    }

    public var threshold: Int
    public var unit: Unit

    public init(threshold: Int = 10, unit: Unit = .address) {
        self.threshold = threshold
        self.unit = unit
    }

    /// Exactly `threshold` is bulk-type; one fewer is not.
    public func isBulk(distinctRecipients: Int, distinctDomains: Int) -> Bool {
        (unit == .address ? distinctRecipients : distinctDomains) >= threshold
    }
}

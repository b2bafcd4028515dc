public import Foundation

/// What every export says about itself: who produced it, how it may be shared, and when.
public struct SharingOptions: Sendable {
    /// Traffic Light Protocol. STIX 2.1 defines TLP 1.0's four markings; `clear` is TLP 2.0's name for WHITE and is
    /// written as TLP:WHITE there (as TLP:CLEAR in MISP's tags).
    public enum TLP: String, Sendable, CaseIterable {
        case clear, green, amber, red
    }

    public var tlp: TLP
    /// The producer's name (the STIX identity, MISP's event info prefix).
    public var producer: String
    /// When the export was made: the timestamp of objects with no date of their own.
    public var now: Date

    public init(tlp: TLP = .amber, producer: String = "spearscan", now: Date = Date()) {
        self.tlp = tlp
        self.producer = producer
        self.now = now
    }
}

public import SpearCore

/// What checks of a store read beyond `ScanStore` (tests, `Benchmarks/`): the stored correlation views, mbox
/// offsets, and whether the counters kept as messages arrive equal a recount. Both backends answer it, so one
/// check covers both.
public protocol StoreInspection: AnyObject {
    /// The organisational domain the store counts a recipient domain under.
    func organizationalDomain(_ domain: String) -> String
    /// Every stored message's correlation view, in insertion order.
    func allCampaignMessages() throws -> [CampaignMessage]
    /// mbox offsets of the stored messages, in insertion order.
    func storedOffsets() throws -> [Int]
    /// Whether every campaign's counters equal a recount from its members (and every campaign has one).
    func countersMatchRecount() throws -> Bool
}

extension SQLiteStore: StoreInspection {}
extension PostgresStore: StoreInspection {}

public import SpearCampaigns
public import SpearCore
public import SpearReport

/// One scanned message, ready to store.
public struct StoredMessage: Sendable {
    public var report: ScanReport
    public var campaign: CampaignMessage
    /// Byte offset of the message in an mbox.
    public var offset: Int?
    /// The whole scan JSON, stored when asked for (`batch --store-json`); the rows hold what is queried.
    public var reportJSON: String?

    public init(report: ScanReport, campaign: CampaignMessage, offset: Int?, reportJSON: String?) {
        self.report = report
        self.campaign = campaign
        self.offset = offset
        self.reportJSON = reportJSON
    }
}

/// What a store holds, in numbers.
public struct StoreCounts: Sendable, Hashable, Encodable {
    public var messages: Int
    public var failed: Int
    public var campaigns: Int

    public init(messages: Int, failed: Int, campaigns: Int) {
        self.messages = messages
        self.failed = failed
        self.campaigns = campaigns
    }
}

/// Where batch results go, and what every command reads back: the batch, `campaigns`, `report` and rescans talk
/// to this protocol only. SQLite today (`SQLiteStore`); a shared PostgreSQL backend (several scanners, one
/// store) is another conformance. Opened from a location (`StoreLocation`, `Stores.open`). A store is used from
/// one thread.
public protocol ScanStore: AnyObject {
    /// The files the store keeps on this machine (a database and its journals), which a spool walk must not
    /// read as mail when the store lives inside the spool; empty for a server.
    var files: [String] { get }
    /// Whether a message with this raw SHA-256 is stored already (incremental reruns skip it).
    func contains(sha256: String) throws -> Bool
    /// Stores one message, its rows and its campaign links, all or nothing. Returns false when the message was
    /// already there (a duplicate within the run).
    func insert(_ message: StoredMessage) throws -> Bool
    /// Removes a stored message (before `--rescan` stores it again); campaigns are rebuilt by `rebuildCampaigns`.
    func remove(sha256: String) throws
    /// Records a message that could not be read or scanned; a rerun that succeeds clears it.
    func recordFailure(source: String, offset: Int?, reason: String) throws
    func clearFailure(source: String, offset: Int?) throws
    /// Makes everything stored so far durable.
    func commit() throws
    /// Recomputes every campaign from the stored fingerprints.
    func rebuildCampaigns() throws
    func campaigns(rule: BulkRule, linkSimilar: Bool, includeSingletons: Bool) throws -> [Campaign]
    /// How many campaigns there are, by label (the batch summary's figures).
    func campaignCounts(rule: BulkRule, linkSimilar: Bool) throws -> CampaignCounts
    /// Every stored message as the period report sees it (see `ReportSource`).
    func reportMessages(rule: BulkRule, linkSimilar: Bool) throws -> [ReportMessage]
    func counts() throws -> StoreCounts
    /// A reader for one worker thread, to skip messages stored before the batch started without scanning them
    /// (messages repeated within one batch are caught by `insert`).
    func makeReader() throws -> any StoreReader
}

/// A read-only view of a store for one thread.
public protocol StoreReader: AnyObject {
    func contains(sha256: String) throws -> Bool
}

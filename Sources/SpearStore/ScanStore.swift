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
    /// Passwords a short message without attachments gives (a PPAP password notice), for pairing it with the
    /// archive it opens, sent before or after it.
    public var passwordNotice: [String]

    public init(report: ScanReport, campaign: CampaignMessage, offset: Int?, reportJSON: String?, passwordNotice: [String] = []) {
        self.report = report
        self.campaign = campaign
        self.offset = offset
        self.reportJSON = reportJSON
        self.passwordNotice = passwordNotice
    }
}

/// A stored message whose password-protected archive no password opened, and the password notices near it: the
/// same sender address or domain, a recipient in common, within the window either side, not yet paired.
public struct PPAPCandidate: Sendable, Hashable {
    public var archiveSHA256: String
    /// Where the archive message was read, to read it again.
    public var source: String
    public var offset: Int?
    /// The notices, nearest in time first: each one's raw SHA-256 and its passwords.
    public var notices: [Notice]

    public struct Notice: Sendable, Hashable {
        public var sha256: String
        public var passwords: [String]
        /// Where the notice was read (to store it again with its side of the pair).
        public var source: String
        public var offset: Int?

        public init(sha256: String, passwords: [String], source: String = "", offset: Int? = nil) {
            self.sha256 = sha256
            self.passwords = passwords
            self.source = source
            self.offset = offset
        }
    }

    public init(archiveSHA256: String, source: String, offset: Int?, notices: [Notice]) {
        self.archiveSHA256 = archiveSHA256
        self.source = source
        self.offset = offset
        self.notices = notices
    }
}

/// An archive message and the notice whose password opened it.
public struct PPAPPair: Sendable, Hashable, Codable {
    public var archiveSHA256: String
    public var passwordSHA256: String
    public var password: String

    public init(archiveSHA256: String, passwordSHA256: String, password: String) {
        self.archiveSHA256 = archiveSHA256
        self.passwordSHA256 = passwordSHA256
        self.password = password
    }

    enum CodingKeys: String, CodingKey {
        case archiveSHA256 = "archive_sha256", passwordSHA256 = "password_sha256", password
    }
}

/// A stored message's observation (`SenderObservation`) and where the message was read, to read it again.
public struct StoredObservation: Sendable, Hashable {
    /// The message's position in the store (pages through `observations(after:limit:)`).
    public var row: Int64
    public var sha256: String
    public var source: String
    public var offset: Int?
    public var status: Verdict.Status
    /// When it was stored (UTC, ISO 8601 to the second).
    public var scannedAt: String
    public var observation: SenderObservation

    public init(row: Int64, sha256: String, source: String, offset: Int?, status: Verdict.Status, scannedAt: String,
                observation: SenderObservation) {
        self.row = row
        self.sha256 = sha256
        self.source = source
        self.offset = offset
        self.status = status
        self.scannedAt = scannedAt
        self.observation = observation
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
    /// Stores several messages in order, as `insert` one after the other would, each all or nothing; a store whose
    /// writes are round trips to a server stores them in one transaction. A message whose data the store refuses
    /// is `.rejected` and the others are stored.
    func insert(group: [StoredMessage]) throws -> [InsertOutcome]
    /// Removes a stored message (before `--rescan` stores it again); campaigns are rebuilt by `rebuildCampaigns`.
    func remove(sha256: String) throws
    /// Records a message that could not be read or scanned; a rerun that succeeds clears it.
    func recordFailure(source: String, offset: Int?, reason: String) throws
    func clearFailure(source: String, offset: Int?) throws
    /// Makes everything stored so far durable.
    func commit() throws
    /// Recomputes every campaign from the stored fingerprints.
    func rebuildCampaigns() throws
    /// Locked archives and the password notices that may open them (see `PPAPCandidate`); `window` in seconds.
    func ppapCandidates(window: Double) throws -> [PPAPCandidate]
    /// Records that a notice's password opened an archive (the archive message is stored again first).
    func recordPPAPPair(_ pair: PPAPPair) throws
    /// Records that these notices' passwords did not open the archive, so a later batch does not try them again.
    func recordPPAPTried(archiveSHA256: String, notices: [String]) throws
    func ppapPairs() throws -> [PPAPPair]
    /// Spool learning (issue #14): what the stored observations support, the knowledge learned from them (kept
    /// for the next scans and `spearscan trust`), and every observation with where its message was read.
    func spoolEvidence(rules: LearningRules) throws -> SpoolEvidence
    func saveKnowledge(_ knowledge: SpoolKnowledge) throws
    /// Replaces a stored message's verdict in place from a new scan of the same bytes (rescoring); false when it
    /// is not stored.
    func replaceVerdict(_ message: StoredMessage) throws -> Bool
    func knowledge() throws -> SpoolKnowledge
    func observations(after row: Int64, limit: Int) throws -> [StoredObservation]
    func campaigns(rule: BulkRule, linkSimilar: Bool, includeSingletons: Bool) throws -> [Campaign]
    /// The messages a query selects, with files, indicators and finding ids, to share (`export`).
    func sharedMessages(_ query: SharedMessageQuery) throws -> [SharedMessage]
    /// How many campaigns there are, by label (the batch summary's figures).
    func campaignCounts(rule: BulkRule, linkSimilar: Bool) throws -> CampaignCounts
    /// Every stored message as the period report sees it (see `ReportSource`).
    func reportMessages(rule: BulkRule, linkSimilar: Bool) throws -> [ReportMessage]
    func counts() throws -> StoreCounts
    /// A reader for one worker thread, to skip messages stored before the batch started without scanning them
    /// (messages repeated within one batch are caught by `insert`).
    func makeReader() throws -> any StoreReader
}

/// What became of one message of a group (`ScanStore.insert(group:)`).
public enum InsertOutcome: Sendable, Equatable {
    case stored
    /// The message was stored already (a copy earlier in the run, or another scanner's).
    case duplicate
    /// The store refused its data (see `MessageRejected`).
    case rejected(reason: String)
}

extension ScanStore {
    public func insert(group: [StoredMessage]) throws -> [InsertOutcome] {
        try group.map { message in
            do { return try insert(message) ? .stored : .duplicate } catch let rejected as MessageRejected {
                return .rejected(reason: rejected.reason)
            }
        }
    }
}

/// A store refused one message's data (a value too long for an index, a value of the wrong form): the message is
/// recorded as failed with the reason, and the batch goes on.
public struct MessageRejected: Error, CustomStringConvertible, Sendable {
    public var reason: String

    public init(reason: String) { self.reason = reason }

    public var description: String { reason }
}

/// A read-only view of a store for one thread.
public protocol StoreReader: AnyObject {
    func contains(sha256: String) throws -> Bool
}

public import SpearCore

/// A fingerprint as campaigns are linked by it: the same file (`payload`) or the same normalised text (`text`).
public struct Fingerprint: Hashable, Sendable {
    public enum Kind: String, Sendable { case payload, text }
    public var kind: Kind
    public var value: String

    public init(_ kind: Kind, _ value: String) {
        self.kind = kind
        self.value = value
    }

    /// A message's fingerprints: its payloads, then its text.
    public static func of(_ m: CampaignMessage) -> [Fingerprint] {
        var keys = m.fingerprints.payloads.map { Fingerprint(.payload, $0) }
        if let text = m.fingerprints.text { keys.append(Fingerprint(.text, text)) }
        return keys
    }
}

/// What incremental campaign linking needs of the place that keeps campaigns: look up a fingerprint or a
/// MinHash band, file a message, merge two campaigns, and read campaigns back. `CampaignLinking` holds the
/// rules and is written once; the in-memory index (`MemoryCampaignIndex`, for JSON Lines reports) and the
/// SQLite store are two adapters of this protocol, so both give the same campaigns for the same messages.
///
/// Messages and campaigns are numbered by the index (`Int64`). A new campaign takes the number after the
/// highest one in use (SQLite's rowid rule), and a merge keeps the lower number.
public protocol CampaignIndex: AnyObject {
    /// The campaign of a filed message that holds this fingerprint (all such messages are in one campaign).
    func campaign(holding fingerprint: Fingerprint) throws -> Int64?
    /// The campaign of each fingerprint (nil where none), in order. An index whose lookups are round trips to a
    /// server answers all of a message's at once; the default asks `campaign(holding:)` for each.
    func campaigns(holding fingerprints: [Fingerprint]) throws -> [Int64?]
    func newCampaign() throws -> Int64
    /// Moves every member of `other` into `target` and deletes `other`; the counters of `target` stay exact.
    func merge(_ other: Int64, into target: Int64) throws
    /// Puts a message already known to the index in `campaign` (re-linking); the store's insert path writes the
    /// campaign with the message's row instead.
    func assign(message: Int64, to campaign: Int64) throws
    /// Files the message's fingerprints and adds it to the counters of `campaign` (messages, targeted, distinct
    /// recipients and organisations, first and last seen).
    func file(message: Int64, _ m: CampaignMessage, fingerprints: [Fingerprint], campaign: Int64, organizations: [String]) throws
    /// The messages filed under each band key, at most `limit` per key (the lowest numbers), once per key they
    /// appear under.
    func messages(inBands keys: [Int64], limit: Int) throws -> [Int64]
    func fileBands(_ keys: [Int64], message: Int64) throws
    /// A filed message's MinHash signature, its text fingerprint and its campaign.
    func signature(of message: Int64) throws -> MinHash?
    func textAndCampaign(of message: Int64) throws -> (text: String?, campaign: Int64?)
    func recordSimilar(_ a: Int64, _ b: Int64, similarity: Double) throws
    /// Filed messages' signatures, texts and campaigns fetched at once (near-identical candidates), for an index
    /// whose lookups are round trips; the default fetches nothing ahead, and linking asks `signature(of:)` and
    /// `textAndCampaign(of:)` as it goes.
    func candidates(_ messages: [Int64]) throws -> [Int64: Candidate]

    /// Every campaign, in number order.
    func campaignIDs() throws -> [Int64]
    /// Pairs of distinct campaigns holding near-identical texts.
    func similarCampaignPairs() throws -> [(Int64, Int64)]
    /// A campaign's messages, in filing order.
    func members(of campaign: Int64) throws -> [CampaignMessage]
}

/// A filed message as near-identical linking compares it.
public struct Candidate: Sendable {
    public var signature: MinHash?
    public var text: String?
    public var campaign: Int64?

    public init(signature: MinHash?, text: String?, campaign: Int64?) {
        self.signature = signature
        self.text = text
        self.campaign = campaign
    }
}

extension CampaignIndex {
    public func campaigns(holding fingerprints: [Fingerprint]) throws -> [Int64?] {
        try fingerprints.map { try campaign(holding: $0) }
    }

    public func candidates(_ messages: [Int64]) throws -> [Int64: Candidate] { [:] }
}

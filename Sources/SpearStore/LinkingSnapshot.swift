import SpearCampaigns
import SpearCore

/// A group of messages linked in memory, then written at once. When the group's transaction starts (under the
/// store-wide write lock, so no other scanner changes anything meanwhile), what linking the group needs of the
/// store is read in one round trip: the campaigns holding its fingerprints, the members of its MinHash bands, the
/// next numbers. `PostgresCampaignIndex` answers linking from here and keeps it true as the group's messages are
/// placed, merged and filed; what they file (fingerprints, campaign recipients and counters, bands, near-identical
/// pairs) waits here and is sent in a few statements when the group ends, each message under the campaign it
/// finally belongs to. Only merges of campaigns already in the store are sent at once (they move stored rows).
struct LinkingSnapshot {
    /// The campaign holding each of the group's fingerprints (nil: no message holds it yet).
    private(set) var campaigns: [Fingerprint: Int64?]
    /// The lowest-numbered messages under each of the group's MinHash band keys, at most `perBand` of them.
    private(set) var bands: [Int64: [Int64]]
    /// The text fingerprint, campaign and signature of each candidate read ahead and of each message the group
    /// filed (those are not in the store before the group ends).
    private(set) var members: [Int64: Candidate]
    /// The numbers the next new campaign and message take (the identity sequences move on when the group ends).
    private(set) var nextCampaign: Int64
    private(set) var nextMessage: Int64
    /// The group's first new campaign and message numbers: anything numbered from there on is the group's own.
    let firstCampaign: Int64
    let firstMessage: Int64
    let perBand: Int
    /// Campaigns merged away during the group, and where into.
    private var mergedInto: [Int64: Int64] = [:]
    /// Messages filed, in order, and what they file.
    private(set) var filed: [Filed] = []
    /// Band rows filed and not yet sent: keys, and the message of each.
    private var unsentBands: (keys: [Int64], messages: [Int64]) = ([], [])
    /// Near-identical pairs found.
    private(set) var similar: [(a: Int64, b: Int64, similarity: Double)] = []

    struct Filed {
        var message: Int64
        var fingerprints: [Fingerprint]
        var recipients: [String]
        var organizations: [String]
        var targeted: Bool
        var date: String?
        /// As placed; `finalCampaign` says where it ended up.
        var campaign: Int64
    }

    init(campaigns: [Fingerprint: Int64?], bands: [Int64: [Int64]], members: [Int64: Candidate], lastCampaign: Int64,
         lastMessage: Int64, perBand: Int) {
        self.campaigns = campaigns
        self.bands = bands
        self.members = members
        self.nextCampaign = lastCampaign + 1
        self.nextMessage = lastMessage + 1
        self.firstCampaign = nextCampaign
        self.firstMessage = nextMessage
        self.perBand = perBand
    }

    /// The campaign of each fingerprint, or nil when one of them was not read ahead.
    func campaigns(holding keys: [Fingerprint]) -> [Int64?]? {
        var found: [Int64?] = []
        found.reserveCapacity(keys.count)
        for key in keys {
            guard let campaign = campaigns[key] else { return nil }
            found.append(campaign)
        }
        return found
    }

    /// The members of each band (at most `limit`), or nil when one of them was not read ahead.
    func messages(inBands keys: [Int64], limit: Int) -> [Int64]? {
        guard limit <= perBand else { return nil }
        var found: [Int64] = []
        for key in keys {
            guard let members = bands[key] else { return nil }
            found += members.prefix(limit)
        }
        return found
    }

    mutating func takeCampaignNumber() -> Int64 {
        defer { nextCampaign += 1 }
        return nextCampaign
    }

    mutating func takeMessageNumber() -> Int64 {
        defer { nextMessage += 1 }
        return nextMessage
    }

    /// Whether a campaign was numbered by this group (it has no rows in the store yet).
    func isNew(campaign: Int64) -> Bool { campaign >= firstCampaign }

    /// A merge moves every holder of `other`'s fingerprints, and every member, into `target`.
    mutating func merge(_ other: Int64, into target: Int64) {
        mergedInto[other] = target
        for (key, campaign) in campaigns where campaign == other { campaigns[key] = target }
        for (id, member) in members where member.campaign == other { members[id]?.campaign = target }
    }

    /// Where a campaign's messages are once the group's merges are done.
    func finalCampaign(_ campaign: Int64) -> Int64 {
        var current = campaign
        while let next = mergedInto[current] { current = next }
        return current
    }

    /// A message filed in `campaign`: its fingerprints are held there from now on.
    mutating func file(_ entry: Filed, text: String?, signature: MinHash?) {
        for key in entry.fingerprints { campaigns[key] = entry.campaign }
        members[entry.message] = Candidate(signature: signature, text: text, campaign: entry.campaign)
        filed.append(entry)
    }

    /// A message's band keys filed: it is a member of each band that holds fewer than `perBand` (its number is
    /// higher than every member's, so it never displaces one). The rows are sent to the server in one statement
    /// (`takeUnsentBands`).
    mutating func fileBands(_ keys: [Int64], message id: Int64) {
        unsentBands.keys += keys
        unsentBands.messages += repeatElement(id, count: keys.count)
        for key in keys {
            guard var members = bands[key] else { continue }
            if members.count < perBand, members.last.map({ $0 < id }) ?? true { members.append(id) }
            bands[key] = members
        }
    }

    mutating func takeUnsentBands() -> (keys: [Int64], messages: [Int64]) {
        defer { unsentBands = ([], []) }
        return unsentBands
    }

    /// Stored messages read ahead as near-identical candidates.
    mutating func add(members read: [Int64: Candidate]) {
        members.merge(read) { _, new in new }
    }

    mutating func recordSimilar(_ a: Int64, _ b: Int64, similarity: Double) {
        similar.append((a, b, similarity))
    }
}

public import SpearCore

/// Campaigns kept in memory: the index behind batch JSON Lines reports (no store), with the same numbering and
/// the same answers as the SQLite store's index.
public final class MemoryCampaignIndex: CampaignIndex {
    private var messages: [Int64: CampaignMessage] = [:]
    private var campaignOf: [Int64: Int64] = [:]
    private var members: [Int64: [Int64]] = [:]
    private var firstHolder: [Fingerprint: Int64] = [:]
    private var bands: [Int64: [Int64]] = [:]
    private var signatures: [Int64: MinHash] = [:]
    private var similar: [(Int64, Int64)] = []
    private var highestCampaign: Int64 = 0
    private var highestMessage: Int64 = 0

    public init() {}

    /// Numbers a new message (the next after the highest), as a store's row insert would.
    public func add(_ m: CampaignMessage) -> Int64 {
        highestMessage += 1
        messages[highestMessage] = m
        return highestMessage
    }

    public func campaign(holding fingerprint: Fingerprint) -> Int64? {
        firstHolder[fingerprint].flatMap { campaignOf[$0] }
    }

    public func newCampaign() -> Int64 {
        highestCampaign += 1
        members[highestCampaign] = []
        return highestCampaign
    }

    public func merge(_ other: Int64, into target: Int64) {
        let moved = members.removeValue(forKey: other) ?? []
        for id in moved { campaignOf[id] = target }
        members[target, default: []] += moved
        members[target]!.sort()
        if other == highestCampaign { highestCampaign = members.keys.max() ?? 0 }
    }

    public func assign(message: Int64, to campaign: Int64) {}

    public func file(message id: Int64, _ m: CampaignMessage, fingerprints: [Fingerprint], campaign: Int64, organizations: [String]) {
        messages[id] = m
        for key in fingerprints where firstHolder[key] == nil { firstHolder[key] = id }
        campaignOf[id] = campaign
        members[campaign, default: []].append(id)
        if let hex = m.fingerprints.minhash, let signature = MinHash(hex: hex) { signatures[id] = signature }
    }

    public func messages(inBands keys: [Int64], limit: Int) -> [Int64] {
        keys.flatMap { bands[$0, default: []].prefix(limit) }
    }

    public func fileBands(_ keys: [Int64], message: Int64) {
        for key in Set(keys) { bands[key, default: []].append(message) }
    }

    public func signature(of message: Int64) -> MinHash? { signatures[message] }

    public func textAndCampaign(of message: Int64) -> (text: String?, campaign: Int64?) {
        (messages[message]?.fingerprints.text, campaignOf[message])
    }

    public func recordSimilar(_ a: Int64, _ b: Int64, similarity: Double) { similar.append((a, b)) }

    public func campaignIDs() -> [Int64] { members.keys.sorted() }

    public func similarCampaignPairs() -> [(Int64, Int64)] {
        similar.compactMap { a, b in
            guard let ca = campaignOf[a], let cb = campaignOf[b], ca != cb else { return nil }
            return (ca, cb)
        }
    }

    public func members(of campaign: Int64) -> [CampaignMessage] {
        members[campaign, default: []].compactMap { messages[$0] }
    }
}

/// Campaigns of messages given one by one, in memory: `MemoryCampaignIndex` with `CampaignLinking`'s rules.
public struct CampaignLinker {
    private let linking: CampaignLinking<MemoryCampaignIndex>
    private var known = Set<String>()

    public init(organization: @escaping (String) -> String = { $0 }) {
        linking = CampaignLinking(index: MemoryCampaignIndex(), organization: organization)
    }

    /// Adds a message (a second copy of the same raw message is ignored) and links it to earlier ones.
    public mutating func add(_ message: CampaignMessage) {
        guard known.insert(message.sha256).inserted else { return }
        // Linking in memory cannot fail.
        guard let placement = try? linking.place(message) else { return }
        let id = linking.index.add(message)
        try? linking.file(id, message, at: placement)
    }

    /// Every campaign (singletons included), largest first; `linkSimilar` merges near-identical families.
    public func campaigns(rule: BulkRule, linkSimilar: Bool = false, includeSingletons: Bool = true) -> [Campaign] {
        (try? linking.campaigns(rule: rule, linkSimilar: linkSimilar, includeSingletons: includeSingletons)) ?? []
    }
}

public import SpearCore
import SpearMIME

/// The rules of incremental campaign linking, written once for every index (in memory, SQLite, and later
/// PostgreSQL): a message joins the campaign of every filed message sharing a fingerprint with it (bridged
/// campaigns are merged into the lowest-numbered), else starts one; its first copy of a text is compared with
/// near-identical texts through MinHash bands.
public struct CampaignLinking<Index: CampaignIndex> {
    public let index: Index
    /// The organisational domain of a recipient domain (distinct organisations for `--bulk-unit domain`).
    public let organization: (String) -> String

    public init(index: Index, organization: @escaping (String) -> String) {
        self.index = index
        self.organization = organization
    }

    /// Where a new message goes: its campaign, and whether its text was filed before.
    public struct Placement: Sendable {
        public var campaign: Int64
        public var textSeen: Bool
    }

    /// Finds (or starts) the campaign of a message not yet filed, merging the campaigns it bridges.
    public func place(_ m: CampaignMessage) throws -> Placement {
        var found = Set<Int64>()
        var textSeen = false
        let keys = Fingerprint.of(m)
        for (key, campaign) in zip(keys, try index.campaigns(holding: keys)) {
            if let campaign {
                found.insert(campaign)
                if key.kind == .text { textSeen = true }
            }
        }
        if let target = found.min() {
            for other in found.sorted() where other != target { try index.merge(other, into: target) }
            return Placement(campaign: target, textSeen: textSeen)
        }
        return Placement(campaign: try index.newCampaign(), textSeen: false)
    }

    /// Files a placed message (numbered `id` by the index) in its campaign and links its near-identical texts.
    public func file(_ id: Int64, _ m: CampaignMessage, at placement: Placement) throws {
        try index.file(message: id, m, fingerprints: Fingerprint.of(m), campaign: placement.campaign,
                       organizations: organizations(of: m.recipients))
        // A text linked before is already in the MinHash index through its first copy, and its relatives are
        // found through that copy: repeats (newsletters, bulk lures) add nothing there.
        if Self.comparesSimilar(m, textSeen: placement.textSeen) { try linkSimilar(id, m, campaign: placement.campaign) }
    }

    /// The distinct organisations of recipient mailboxes, in first-seen order.
    public func organizations(of recipients: [String]) -> [String] {
        var seen = Set<String>()
        return recipients.map { organization(Address.domain(of: $0) ?? "") }.filter { seen.insert($0).inserted }
    }

    /// Places and files a message the index already numbers (re-linking a store).
    public func link(_ id: Int64, _ m: CampaignMessage) throws {
        let placement = try place(m)
        try index.assign(message: id, to: placement.campaign)
        try file(id, m, at: placement)
    }

    /// Records near-identical texts: candidates share a MinHash band (at most `perBand` per band); those sharing
    /// the most bands are confirmed by the estimated similarity, at most `maxConfirmed` of them, and messages in
    /// the same campaign are not compared (they are linked exactly).
    private func linkSimilar(_ id: Int64, _ m: CampaignMessage, campaign: Int64) throws {
        guard let hex = m.fingerprints.minhash, let signature = MinHash(hex: hex) else { return }
        let keys = signature.bandKeys
        let members = try index.messages(inBands: keys, limit: Self.perBand)
        try index.fileBands(keys, message: id)
        let chosen = Self.candidates(amongBandMembers: members, of: id)
        let known = try index.candidates(chosen)
        for other in chosen {
            guard let theirs = try known[other]?.signature ?? index.signature(of: other) else { continue }
            let similarity = signature.similarity(to: theirs)
            guard similarity >= MinHash.similarityThreshold else { continue }
            let (text, otherCampaign) = try known[other].map { ($0.text, $0.campaign) } ?? index.textAndCampaign(of: other)
            guard otherCampaign != campaign, text != m.fingerprints.text else { continue }
            try index.recordSimilar(other, id, similarity: similarity)
        }
    }

    /// Whether filing a message compares it with near-identical texts (through its MinHash bands): its text's
    /// first copy only, when it has a signature.
    public static func comparesSimilar(_ m: CampaignMessage, textSeen: Bool) -> Bool {
        !textSeen && m.fingerprints.minhash != nil
    }

    /// The near-identical candidates confirmed for message `id`: of its bands' members (as `messages(inBands:)`
    /// lists them, once per band), those sharing the most bands with it, then the lowest numbers, at most
    /// `maxConfirmed`.
    public static func candidates(amongBandMembers members: [Int64], of id: Int64) -> [Int64] {
        var hits = [Int64: Int](minimumCapacity: 64)
        for other in members { hits[other, default: 0] += 1 }
        hits[id] = nil
        return hits.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(maxConfirmed).map(\.key)
    }

    /// Band members consulted per band: a template repeated everywhere fills its buckets, and a few members are
    /// enough to find the family.
    public static var perBand: Int { 16 }
    /// Near-identical candidates confirmed per new message: enough to join a family (one relative suffices),
    /// bounded so that a template repeated everywhere does not make every insertion slow.
    public static var maxConfirmed: Int { 8 }

    // MARK: Reading campaigns back

    /// The campaigns, largest first (then by number). Singletons (one message whose recipients stay under the
    /// threshold, with no near-identical relatives) are left out unless asked for. `linkSimilar` merges each
    /// family of near-identical campaigns into one, numbered by its lowest member campaign.
    public func campaigns(rule: BulkRule, linkSimilar: Bool, includeSingletons: Bool) throws -> [Campaign] {
        let ids = try index.campaignIDs()
        var similar: [Int64: Set<Int64>] = [:]
        for (a, b) in try index.similarCampaignPairs() where a != b {
            similar[a, default: []].insert(b)
            similar[b, default: []].insert(a)
        }
        var groups: [[Int64]] = []
        if linkSimilar {
            var seen = Set<Int64>()
            for id in ids where !seen.contains(id) {
                var stack = [id], group: [Int64] = []
                seen.insert(id)
                while let next = stack.popLast() {
                    group.append(next)
                    for n in similar[next, default: []] where seen.insert(n).inserted { stack.append(n) }
                }
                groups.append(group.sorted())
            }
        } else {
            groups = ids.map { [$0] }
        }
        var result: [Campaign] = []
        for group in groups {
            var members: [CampaignMessage] = []
            for campaign in group { members += try index.members(of: campaign) }
            let family = group.flatMap { similar[$0, default: []] }.filter { !group.contains($0) }
            let campaign = Campaign(id: "c\(group[0])", members: members, rule: rule, domainOf: organization,
                                    similarCampaignIDs: Set(family).sorted().map { "c\($0)" })
            if includeSingletons || campaign.messages > 1 || campaign.bulk || !campaign.similarCampaignIDs.isEmpty {
                result.append(campaign)
            }
        }
        return result.sorted { a, b in
            a.distinctRecipients != b.distinctRecipients ? a.distinctRecipients > b.distinctRecipients
                : Int(a.id.dropFirst())! < Int(b.id.dropFirst())!
        }
    }
}

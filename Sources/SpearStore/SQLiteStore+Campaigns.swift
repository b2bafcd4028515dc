import SpearCore
public import SpearCampaigns

extension SQLiteStore {
    /// The campaigns, largest first. Singletons (one message whose recipients stay under the threshold) are
    /// left out unless asked for. `linkSimilar` merges each family of near-identical campaigns into one.
    public func campaigns(rule: BulkRule, linkSimilar: Bool, includeSingletons: Bool) throws -> [Campaign] {
        try linking.campaigns(rule: rule, linkSimilar: linkSimilar, includeSingletons: includeSingletons)
    }
}

/// How many campaigns a store holds, by label, from the counters kept as messages arrive.
public struct CampaignCounts: Sendable, Hashable {
    /// Campaigns of two or more messages, or bulk-type by themselves.
    public var campaigns: Int
    public var bulk: Int
    public var targeted: Int
    public var bulkAndTargeted: Int

    public init(campaigns: Int, bulk: Int, targeted: Int, bulkAndTargeted: Int) {
        self.campaigns = campaigns
        self.bulk = bulk
        self.targeted = targeted
        self.bulkAndTargeted = bulkAndTargeted
    }

    /// The figures of listed campaigns (families merged by `--link-similar`, which the counters do not know).
    init(listing: [Campaign]) {
        let listed = listing.filter { $0.messages > 1 || $0.bulk }
        self.init(campaigns: listed.count, bulk: listed.filter(\.bulk).count, targeted: listed.filter(\.targeted).count,
                  bulkAndTargeted: listed.filter { $0.bulk && $0.targeted }.count)
    }
}

extension SQLiteStore {
    /// The summary's figures. With exact links, one pass over the campaign counters; with `--link-similar`
    /// families are merged first, which only listing the campaigns does.
    public func campaignCounts(rule: BulkRule, linkSimilar: Bool) throws -> CampaignCounts {
        if linkSimilar {
            return CampaignCounts(listing: try campaigns(rule: rule, linkSimilar: true, includeSingletons: false))
        }
        let column = rule.countColumn
        var counts = CampaignCounts(campaigns: 0, bulk: 0, targeted: 0, bulkAndTargeted: 0)
        try db.query("""
            SELECT count(*), coalesce(sum(\(column) >= ?1), 0), coalesce(sum(targeted_messages > 0), 0),
                   coalesce(sum(\(column) >= ?1 AND targeted_messages > 0), 0)
            FROM campaigns WHERE messages > 1 OR \(column) >= ?1
            """, .int(Int64(rule.threshold))) { row in
            counts = CampaignCounts(campaigns: Int(row.int(0)), bulk: Int(row.int(1)), targeted: Int(row.int(2)),
                                    bulkAndTargeted: Int(row.int(3)))
        }
        return counts
    }

    /// The SHA-256 of every message in a bulk-type campaign.
    func bulkMessages(rule: BulkRule, linkSimilar: Bool) throws -> Set<String> {
        if linkSimilar {
            // Families are merged only when listed, so the counters do not know their union.
            return Set(try campaigns(rule: rule, linkSimilar: true, includeSingletons: true).filter(\.bulk).flatMap(\.messageSHA256))
        }
        var result = Set<String>()
        try db.query("""
            SELECT m.sha256 FROM messages m JOIN campaigns c ON c.id = m.campaign_id WHERE c.\(rule.countColumn) >= ?
            """, .int(Int64(rule.threshold))) { result.insert($0.text(0) ?? "") }
        return result
    }
}

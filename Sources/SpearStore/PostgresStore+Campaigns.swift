import SpearCore
public import SpearCampaigns

extension PostgresStore {
    /// The campaigns, largest first (see `SQLiteStore.campaigns`). Read on one snapshot: the campaign list and
    /// each campaign's members are separate statements, and other scanners keep filing messages meanwhile.
    public func campaigns(rule: BulkRule, linkSimilar: Bool, includeSingletons: Bool) throws -> [Campaign] {
        try snapshot { try listCampaigns(rule: rule, linkSimilar: linkSimilar, includeSingletons: includeSingletons) }
    }

    /// The same, inside the caller's transaction (a snapshot does not nest).
    private func listCampaigns(rule: BulkRule, linkSimilar: Bool, includeSingletons: Bool) throws -> [Campaign] {
        try linking.campaigns(rule: rule, linkSimilar: linkSimilar, includeSingletons: includeSingletons)
    }

    /// The summary's figures (see `SQLiteStore.campaignCounts`): one statement over the campaign counters, or,
    /// with `--link-similar`, the families as listed.
    public func campaignCounts(rule: BulkRule, linkSimilar: Bool) throws -> CampaignCounts {
        if linkSimilar {
            return CampaignCounts(listing: try campaigns(rule: rule, linkSimilar: true, includeSingletons: false))
        }
        let column = rule.countColumn
        guard let row = try db.rows("""
            SELECT count(*), count(*) FILTER (WHERE \(column) >= $1), count(*) FILTER (WHERE targeted_messages > 0),
                   count(*) FILTER (WHERE \(column) >= $1 AND targeted_messages > 0)
            FROM campaigns WHERE messages > 1 OR \(column) >= $1
            """, .int(Int64(rule.threshold))).first else {
            return CampaignCounts(campaigns: 0, bulk: 0, targeted: 0, bulkAndTargeted: 0)
        }
        return CampaignCounts(campaigns: Int(row.int(0)), bulk: Int(row.int(1)), targeted: Int(row.int(2)),
                              bulkAndTargeted: Int(row.int(3)))
    }

    /// The SHA-256 of every message in a bulk-type campaign. Runs in the caller's snapshot (the report's), so
    /// that with `--link-similar` the families agree with the messages read beside them.
    func bulkMessages(rule: BulkRule, linkSimilar: Bool) throws -> Set<String> {
        if linkSimilar {
            // Families are merged only when listed, so the counters do not know their union.
            return Set(try listCampaigns(rule: rule, linkSimilar: true, includeSingletons: true).filter(\.bulk).flatMap(\.messageSHA256))
        }
        return Set(try db.rows("""
            SELECT m.sha256 FROM messages m JOIN campaigns c ON c.id = m.campaign_id WHERE c.\(rule.countColumn) >= $1
            """, .int(Int64(rule.threshold))).map { $0.text(0) ?? "" })
    }
}

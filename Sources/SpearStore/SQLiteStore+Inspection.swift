public import SpearCore
import SpearCampaigns

extension SQLiteStore {
    /// Every stored message's correlation view, in insertion order (for checks and in-memory reports).
    public func allCampaignMessages() throws -> [CampaignMessage] {
        var ids: [Int64] = []
        try db.query("SELECT id FROM messages ORDER BY id") { ids.append($0.int(0)) }
        return try ids.compactMap { try campaignMessage(id: $0) }
    }

    /// mbox offsets of the stored messages, in insertion order.
    public func storedOffsets() throws -> [Int] {
        var offsets: [Int] = []
        try db.query("SELECT offset FROM messages WHERE offset IS NOT NULL ORDER BY id") { offsets.append(Int($0.int(0))) }
        return offsets
    }

    /// Whether every campaign's stored counters (kept incrementally) equal a recount from its members.
    public func countersMatchRecount() throws -> Bool {
        var ok = true
        try db.query("""
            SELECT c.id, c.messages, c.distinct_recipients, c.distinct_domains,
                (SELECT count(*) FROM messages m WHERE m.campaign_id = c.id),
                (SELECT count(DISTINCT r.address) FROM recipients r JOIN messages m ON m.id = r.message_id WHERE m.campaign_id = c.id),
                (SELECT count(*) FROM campaign_domains d WHERE d.campaign_id = c.id),
                c.first_seen IS (SELECT min(coalesce(m.date, m.received_date)) FROM messages m WHERE m.campaign_id = c.id)
                    AND c.last_seen IS (SELECT max(coalesce(m.date, m.received_date)) FROM messages m WHERE m.campaign_id = c.id)
            FROM campaigns c
            """) { row in
            if row.int(1) != row.int(4) || row.int(2) != row.int(5) || row.int(3) != row.int(6) || row.int(7) != 1 { ok = false }
        }
        return ok
    }
}

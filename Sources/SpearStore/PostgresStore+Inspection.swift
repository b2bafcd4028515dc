public import SpearCore
import SpearCampaigns

/// What the tests check in both stores (see `SQLiteStore`'s counterparts).
extension PostgresStore {
    /// Every stored message's correlation view, in insertion order (for checks and in-memory reports), in one
    /// statement.
    public func allCampaignMessages() throws -> [CampaignMessage] {
        try campaignIndex.campaignMessages(where: "m.id > $1", .int(Int64.min))
    }

    /// mbox offsets of the stored messages, in insertion order.
    public func storedOffsets() throws -> [Int] {
        try db.rows("SELECT \"offset\" FROM messages WHERE \"offset\" IS NOT NULL ORDER BY id").map { Int($0.int(0)) }
    }

    /// Whether every campaign's stored counters (kept incrementally) equal a recount from its members.
    public func countersMatchRecount() throws -> Bool {
        try db.rows("""
            SELECT c.id, c.messages, c.distinct_recipients, c.distinct_domains,
                (SELECT count(*) FROM messages m WHERE m.campaign_id = c.id),
                (SELECT count(DISTINCT r.address) FROM recipients r JOIN messages m ON m.id = r.message_id WHERE m.campaign_id = c.id),
                (SELECT count(*) FROM campaign_domains d WHERE d.campaign_id = c.id),
                (c.first_seen IS NOT DISTINCT FROM (SELECT min(coalesce(m.date, m.received_date)) FROM messages m WHERE m.campaign_id = c.id)
                    AND c.last_seen IS NOT DISTINCT FROM (SELECT max(coalesce(m.date, m.received_date)) FROM messages m WHERE m.campaign_id = c.id))::int
            FROM campaigns c
            """).allSatisfy { row in
            row.int(1) == row.int(4) && row.int(2) == row.int(5) && row.int(3) == row.int(6) && row.int(7) == 1
        }
    }
}

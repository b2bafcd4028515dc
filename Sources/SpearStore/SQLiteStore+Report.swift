public import SpearCampaigns
public import SpearReport

extension SQLiteStore {
    /// Every stored message as the report sees it (see `ReportSource`).
    public func reportMessages(rule: BulkRule, linkSimilar: Bool) throws -> [ReportMessage] {
        let bulk = try bulkMessages(rule: rule, linkSimilar: linkSimilar)
        var messages: [Int64: ReportMessage] = [:]
        var order: [Int64] = []
        try db.query("""
            SELECT id, sha256, date, received_date, subject, sender_domain,
                targeted = 1 AND sha256 NOT IN (SELECT password_sha256 FROM ppap_pairs), spoofed, status
            FROM messages ORDER BY id
            """) { row in
            // A PPAP password notice is the second half of a business mail, never an attack of its own.
            let sha = row.text(1) ?? ""
            messages[row.int(0)] = ReportMessage(
                sha256: sha, date: row.text(2), receivedDate: row.text(3), subject: row.text(4), senderDomain: row.text(5),
                targeted: row.int(6) != 0, notInspected: row.text(8) == "not_inspected", spoofed: row.isNull(7) ? nil : row.int(7) != 0, bulk: bulk.contains(sha))
            order.append(row.int(0))
        }
        try db.query("SELECT message_id, address FROM recipients ORDER BY message_id, address") { row in
            messages[row.int(0)]?.recipients.append(row.text(1) ?? "")
        }
        // Attachment trees: rows come parent before child (ids grow as they are inserted depth first).
        var forest = AttachmentForest<ReportAttachment>()
        try db.query("SELECT id, message_id, parent_id, category, encrypted, complete, inline FROM attachments ORDER BY id") { row in
            forest.add(ReportAttachment(category: row.text(3) ?? ReportAttachment.unreadCategory, encrypted: row.int(4) != 0,
                                        complete: row.int(5) != 0),
                       id: row.int(0), message: row.int(1), parent: row.isNull(2) ? nil : row.int(2), listed: row.int(6) == 0)
        }
        for (message, tree) in forest.trees() { messages[message]?.attachments.append(tree) }
        return order.compactMap { messages[$0] }
    }
}

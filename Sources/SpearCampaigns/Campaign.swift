public import SpearCore
import SpearMIME
/// A set of messages linked by shared fingerprints (the same normalised text or the same file), with the
/// bulk-type and targeted labels: what `spearscan campaigns --format json` prints.
public struct Campaign: Sendable, Hashable, Encodable {
    public var id: String
    /// Distinct recipients (or distinct domains, per the rule's unit) reach the bulk-type threshold.
    public var bulk: Bool
    /// At least one message is a suspected attack.
    public var targeted: Bool
    public var distinctRecipients: Int
    public var distinctDomains: Int
    public var messages: Int
    public var messageIDs: [String]
    public var messageSHA256: [String]
    public var firstSeen: String?
    public var lastSeen: String?
    public var senders: [String]
    public var subjects: [String]
    /// Files shared by two or more of its messages (the "same program").
    public var payloadSHA256: [String]
    /// Normalised body texts shared by two or more of its messages (the "same text").
    public var textSHA256: [String]
    /// Campaigns whose text is near-identical (MinHash) but not byte-identical: a family of personalised lures.
    public var similarCampaignIDs: [String]

    public init(id: String, bulk: Bool, targeted: Bool, distinctRecipients: Int, distinctDomains: Int, messages: Int,
                messageIDs: [String], messageSHA256: [String], firstSeen: String?, lastSeen: String?, senders: [String],
                subjects: [String], payloadSHA256: [String], textSHA256: [String], similarCampaignIDs: [String]) {
        self.id = id
        self.bulk = bulk
        self.targeted = targeted
        self.distinctRecipients = distinctRecipients
        self.distinctDomains = distinctDomains
        self.messages = messages
        self.messageIDs = messageIDs
        self.messageSHA256 = messageSHA256
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.senders = senders
        self.subjects = subjects
        self.payloadSHA256 = payloadSHA256
        self.textSHA256 = textSHA256
        self.similarCampaignIDs = similarCampaignIDs
    }

    enum CodingKeys: String, CodingKey {
        case id, bulk, targeted, distinctRecipients = "distinct_recipients", distinctDomains = "distinct_domains",
             messages, messageIDs = "message_ids", messageSHA256 = "message_sha256", firstSeen = "first_seen",
             lastSeen = "last_seen", senders, subjects, payloadSHA256 = "payload_sha256", textSHA256 = "text_sha256",
             similarCampaignIDs = "similar_campaign_ids"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(bulk, forKey: .bulk)
        try c.encode(targeted, forKey: .targeted)
        try c.encode(distinctRecipients, forKey: .distinctRecipients)
        try c.encode(distinctDomains, forKey: .distinctDomains)
        try c.encode(messages, forKey: .messages)
        try c.encode(messageIDs, forKey: .messageIDs)
        try c.encode(messageSHA256, forKey: .messageSHA256)
        try c.encode(firstSeen, forKey: .firstSeen)
        try c.encode(lastSeen, forKey: .lastSeen)
        try c.encode(senders, forKey: .senders)
        try c.encode(subjects, forKey: .subjects)
        try c.encode(payloadSHA256, forKey: .payloadSHA256)
        try c.encode(textSHA256, forKey: .textSHA256)
        try c.encode(similarCampaignIDs, forKey: .similarCampaignIDs)
    }
}

extension Campaign {
    /// Builds a campaign's summary from its member messages (sorted by date, then SHA-256, for stable output).
    public init(id: String, members: [CampaignMessage], rule: BulkRule, domainOf: (String) -> String,
                similarCampaignIDs: [String]) {
        let sorted = members.sorted { ($0.date ?? "~", $0.sha256) < ($1.date ?? "~", $1.sha256) }
        let recipients = Set(sorted.flatMap(\.recipients))
        let domains = Set(recipients.map { domainOf(Address.domain(of: $0) ?? "") })
        func shared(_ keys: (CampaignMessage) -> [String]) -> [String] {
            var count: [String: Int] = [:]
            for m in sorted { for k in Set(keys(m)) { count[k, default: 0] += 1 } }
            return count.filter { $0.value >= 2 }.map(\.key).sorted()
        }
        let dates = sorted.compactMap(\.date).sorted()
        self.init(id: id, bulk: rule.isBulk(distinctRecipients: recipients.count, distinctDomains: domains.count),
                  targeted: sorted.contains(where: \.targeted), distinctRecipients: recipients.count,
                  distinctDomains: domains.count, messages: sorted.count,
                  messageIDs: Self.distinct(sorted.compactMap(\.messageID)), messageSHA256: sorted.map(\.sha256),
                  firstSeen: dates.first, lastSeen: dates.last, senders: Self.distinct(sorted.compactMap(\.sender)),
                  subjects: Self.distinct(sorted.compactMap(\.subject)),
                  payloadSHA256: sorted.count == 1 ? sorted[0].fingerprints.payloads : shared(\.fingerprints.payloads),
                  textSHA256: sorted.count == 1 ? sorted.compactMap(\.fingerprints.text) : shared { $0.fingerprints.text.map { [$0] } ?? [] },
                  similarCampaignIDs: similarCampaignIDs)
    }

    static func distinct(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }
    }

}

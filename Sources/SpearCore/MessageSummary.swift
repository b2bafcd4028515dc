public import SpearMIME

/// Decoded envelope headers of a message.
public struct MessageSummary: Sendable, Encodable {
    public var messageID: String?
    /// ISO 8601 in the sender's offset, or nil when absent or unparseable.
    public var date: String?
    /// The date of the first Received hop (bottom-most), ISO 8601 in its own offset: the fallback for `date`.
    public var receivedDate: String?
    public var subject: String?
    public var from: [Address]
    public var to: [Address]
    public var cc: [Address]
    public var bcc: [Address]
    /// Mailboxes named by Delivered-To and X-Original-To.
    public var deliveredTo: [String]
    public var replyTo: [Address]
    public var returnPath: String?

    public init(messageID: String? = nil, date: String? = nil, receivedDate: String? = nil, subject: String? = nil,
                from: [Address] = [], to: [Address] = [], cc: [Address] = [], bcc: [Address] = [],
                deliveredTo: [String] = [], replyTo: [Address] = [], returnPath: String? = nil) {
        self.messageID = messageID
        self.date = date
        self.receivedDate = receivedDate
        self.subject = subject
        self.from = from
        self.to = to
        self.cc = cc
        self.bcc = bcc
        self.deliveredTo = deliveredTo
        self.replyTo = replyTo
        self.returnPath = returnPath
    }

    enum CodingKeys: String, CodingKey {
        case messageID = "message_id", date, receivedDate = "received_date", subject, from, to, cc, bcc,
             deliveredTo = "delivered_to", replyTo = "reply_to", returnPath = "return_path"
    }

    /// Every distinct recipient mailbox, lower-cased: To, Cc, Bcc, Delivered-To and X-Original-To.
    public var recipients: [String] {
        var seen = Set<String>()
        return ((to + cc + bcc).map(\.address) + deliveredTo)
            .map { $0.lowercased() }.filter { !$0.isEmpty && seen.insert($0).inserted }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(messageID, forKey: .messageID)
        try c.encode(date, forKey: .date)
        try c.encode(receivedDate, forKey: .receivedDate)
        try c.encode(subject, forKey: .subject)
        try c.encode(from, forKey: .from)
        try c.encode(to, forKey: .to)
        try c.encode(cc, forKey: .cc)
        try c.encode(bcc, forKey: .bcc)
        try c.encode(deliveredTo, forKey: .deliveredTo)
        try c.encode(replyTo, forKey: .replyTo)
        try c.encode(returnPath, forKey: .returnPath)
    }
}

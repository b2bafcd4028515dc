/// One message as campaign correlation sees it: who it went to, whether it is a suspected attack, and what links
/// it to other messages. Built from a scan, stored, or read back from batch JSON Lines.
public struct CampaignMessage: Sendable, Hashable, Codable {
    /// SHA-256 of the raw message: its identity.
    public var sha256: String
    public var messageID: String?
    public var date: String?
    public var subject: String?
    /// The header From address, lower-cased.
    public var sender: String?
    /// Distinct lower-cased recipient mailboxes (To, Cc, Bcc, Delivered-To, X-Original-To).
    public var recipients: [String]
    /// A suspected attack: the scan's verdict is suspicious (risky attachment, spoofed sender…).
    public var targeted: Bool
    public var fingerprints: MessageFingerprints

    public init(sha256: String, messageID: String?, date: String?, subject: String?, sender: String?,
                recipients: [String], targeted: Bool, fingerprints: MessageFingerprints) {
        self.sha256 = sha256
        self.messageID = messageID
        self.date = date
        self.subject = subject
        self.sender = sender
        self.recipients = recipients
        self.targeted = targeted
        self.fingerprints = fingerprints
    }

    enum CodingKeys: String, CodingKey {
        case sha256, messageID = "message_id", date, subject, sender, recipients, targeted, fingerprints
    }
}

/// What links one message to others: the exact fingerprints of the bulk-type rule's "same text" and "same
/// program", and the fuzzy signature for near-identical (personalised) text.
public struct MessageFingerprints: Sendable, Hashable, Codable {
    /// SHA-256 of the normalised body text; nil for empty and boilerplate-only bodies.
    public var text: String?
    /// MinHash signature (hex) of the normalised body text; nil when there is no text fingerprint.
    public var minhash: String?
    /// SHA-256 of every attachment and every archive member at every depth that may link messages (sorted,
    /// distinct): inline parts, images and tiny files are left out, as they recur in ordinary mail.
    public var payloads: [String]

    public init(text: String?, minhash: String?, payloads: [String]) {
        self.text = text
        self.minhash = minhash
        self.payloads = payloads
    }

    enum CodingKeys: String, CodingKey { case text, minhash, payloads }

    /// Absent fingerprints are written as `null`, so every record has the same keys.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(text, forKey: .text)
        try c.encode(minhash, forKey: .minhash)
        try c.encode(payloads, forKey: .payloads)
    }
}

/// What the report needs to know of one message; built by the loaders from stored rows or JSON Lines.
///
/// The report never re-reads mail: everything it counts is in here, so the loaders (SQLite store, batch JSON
/// Lines) decide once what a message "is", and the report only groups and counts.
public struct ReportMessage: Sendable, Hashable {
    /// Identifies the message; not counted, but kept so callers can trace a number back to messages.
    public var sha256: String
    /// Date header as ISO 8601 in the sender's own offset, e.g. "2019-03-04T10:00:00+09:00".
    public var date: String?
    /// First (bottom-most) Received timestamp, same format; the fallback when `date` is nil or unparseable.
    public var receivedDate: String?
    public var subject: String?
    /// Domain of the header From, lower-cased.
    public var senderDomain: String?
    /// Distinct lower-cased addresses (To, Cc, Bcc, Delivered-To, X-Original-To).
    public var recipients: [String]
    /// Suspected attack (the scan verdict is suspicious).
    public var targeted: Bool
    /// Nothing against it, but something in it could not be inspected (the verdict is `not_inspected`): counted
    /// as its own figure, never as targeted.
    public var notInspected: Bool
    /// Sender verdict; nil = could not say.
    public var spoofed: Bool?
    /// Member of a bulk-type campaign (≥10 distinct recipients).
    public var bulk: Bool
    /// Top-level, non-inline attachments only.
    public var attachments: [ReportAttachment]

    public init(
        sha256: String,
        date: String? = nil,
        receivedDate: String? = nil,
        subject: String? = nil,
        senderDomain: String? = nil,
        recipients: [String] = [],
        targeted: Bool = false,
        notInspected: Bool = false,
        spoofed: Bool? = nil,
        bulk: Bool = false,
        attachments: [ReportAttachment] = []
    ) {
        self.sha256 = sha256
        self.date = date
        self.receivedDate = receivedDate
        self.subject = subject
        self.senderDomain = senderDomain
        self.recipients = recipients
        self.targeted = targeted
        self.notInspected = notInspected
        self.spoofed = spoofed
        self.bulk = bulk
        self.attachments = attachments
    }
}

public import SpearScan
import SpearMIME

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

    /// The correlation view of a scan (its report must carry the message SHA-256).
    public init(scan: ScanResult) {
        let report = scan.report
        self.init(sha256: report.sha256 ?? "", messageID: report.message.messageID,
                  date: report.message.date ?? report.message.receivedDate, subject: report.message.subject,
                  sender: report.message.from.first?.address.lowercased(), recipients: report.message.recipients,
                  targeted: report.verdict.suspicious,
                  fingerprints: MessageFingerprints(report: report, texts: scan.texts))
    }

    enum CodingKeys: String, CodingKey {
        case sha256, messageID = "message_id", date, subject, sender, recipients, targeted, fingerprints
    }
}

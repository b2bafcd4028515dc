import Foundation
public import SpearCampaigns
public import SpearCore

/// What an export shares: messages, the campaigns they belong to, and which of their files and URLs are judged
/// malicious (and so become STIX indicators and MISP attributes with `to_ids`).
public struct SharedEvidence: Sendable {
    public var messages: [SharedMessage]
    /// Campaigns among the messages; bulk-type ones become STIX `campaign` objects.
    public var campaigns: [Campaign]

    public init(messages: [SharedMessage], campaigns: [Campaign]) {
        self.messages = messages
        self.campaigns = campaigns
    }

    /// File categories never shared as malicious by themselves: logos, text, messages and wrappers.
    static let harmlessCategories: Set<String> = ["image", "text", "email", "tnef", "other"]

    /// The files of a suspicious message that are evidence: everything but images, text and wrappers.
    static func maliciousFiles(_ m: SharedMessage) -> [SharedFile] {
        guard m.status == .suspicious else { return [] }
        return m.files.flatMap(\.flattened).filter { !harmlessCategories.contains($0.category ?? "other") }
    }

    /// The URLs of a suspicious message written in its own content (not a signature or newsletter footer).
    static func maliciousURLs(_ m: SharedMessage) -> [Indicator] {
        guard m.status == .suspicious else { return [] }
        return m.indicators.filter { $0.type == .url && $0.context == .content }
    }

    /// Indicators worth sharing at all: those of the message's content and header, not of its signature or a
    /// newsletter's footer (the sender's own web site, an unsubscribe link).
    static func shared(_ m: SharedMessage) -> [Indicator] {
        m.indicators.filter { $0.context == .content || $0.context == .header }
    }

    /// The message's instant: its date, else the export's.
    static func when(_ m: SharedMessage, _ options: SharingOptions) -> Date {
        m.date.flatMap(Timestamps.date) ?? options.now
    }
}

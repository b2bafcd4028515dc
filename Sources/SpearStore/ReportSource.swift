import SpearCore
public import Foundation
public import SpearCampaigns
public import SpearReport
import SpearMIME
public import SpearDomains

/// Turns stored results into the report's input, deciding once what each message "is": its date, whether it
/// is targeted, spoofed, part of a bulk-type campaign, and its top-level (non-inline) attachments with what was
/// found inside them.
public enum ReportSource {
    /// The messages of a SQLite store; bulk-type by the store's campaigns under `rule`.
    public static func messages(store: any ScanStore, rule: BulkRule, linkSimilar: Bool) throws -> [ReportMessage] {
        try store.reportMessages(rule: rule, linkSimilar: linkSimilar)
    }

    /// The messages of batch JSON Lines; campaigns are found in memory from the records' fingerprints and
    /// recipients. Failure records are skipped; an unreadable line is an error naming its number.
    public static func messages(jsonLines data: Data, name: String, rule: BulkRule, linkSimilar: Bool,
                                psl: PublicSuffixList?) throws -> [ReportMessage] {
        let decoder = JSONDecoder()
        var linker = CampaignLinker(organization: { psl?.organizationalDomain(of: $0) ?? $0 })
        var messages: [ReportMessage] = []
        var lineNumber = 0
        // A later line for the same message supersedes an earlier one (the batch writes a message again when PPAP
        // opens its archive or learning rescores it); the message keeps its first place.
        var records: [String: BatchLine] = [:]
        var order: [String] = []
        for line in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            if line.allSatisfy({ $0 == 32 || $0 == 13 || $0 == 9 }) { continue }
            let record: BatchLine
            do { record = try decoder.decode(BatchLine.self, from: Data(line)) } catch {
                throw StoreError(path: name, message: "line \(lineNumber) is not a spearscan batch record")
            }
            guard record.error == nil, let sha = record.sha256, record.message != nil else { continue }
            if records.updateValue(record, forKey: sha) == nil { order.append(sha) }
        }
        for sha in order {
            guard let record = records[sha], let message = record.message else { continue }
            let recipients = record.recipients ?? []
            // A PPAP password notice is the second half of a business mail, never an attack of its own.
            let targeted = (record.verdict?.suspicious ?? false) && record.ppapPair?.role != "notice"
            linker.add(CampaignMessage(sha256: sha, messageID: message.messageID, date: message.date ?? message.receivedDate,
                                       subject: message.subject, sender: message.from?.first?.address.lowercased(),
                                       recipients: recipients, targeted: record.verdict?.suspicious ?? false,
                                       fingerprints: record.fingerprints ?? MessageFingerprints(text: nil, minhash: nil, payloads: [])))
            messages.append(ReportMessage(
                sha256: sha, date: message.date, receivedDate: message.receivedDate, subject: message.subject,
                senderDomain: message.from?.first.flatMap { Address.domain(of: $0.address) },
                recipients: recipients, targeted: targeted,
                notInspected: record.verdict?.status == "not_inspected", spoofed: record.sender?.spoofed,
                attachments: (record.attachments ?? []).filter { !$0.inline }.map(\.reportAttachment)))
        }
        let bulk = Set(linker.campaigns(rule: rule, linkSimilar: linkSimilar).filter(\.bulk).flatMap(\.messageSHA256))
        return messages.map { m in
            var m = m
            m.bulk = bulk.contains(m.sha256)
            return m
        }
    }
}

/// The parts of a batch JSON line (the scan JSON plus batch fields) that a report reads.
struct BatchLine: Decodable {
    struct Message: Decodable {
        struct Mailbox: Decodable { var address: String }
        var messageID: String?
        var date: String?
        var receivedDate: String?
        var subject: String?
        var from: [Mailbox]?

        enum CodingKeys: String, CodingKey {
            case messageID = "message_id", date, receivedDate = "received_date", subject, from
        }
    }
    struct Attachment: Decodable {
        var category: String?
        var inline: Bool
        var encrypted: Bool
        var complete: Bool
        var children: [Attachment]

        var reportAttachment: ReportAttachment {
            ReportAttachment(category: category ?? ReportAttachment.unreadCategory, encrypted: encrypted, complete: complete,
                             members: children.map(\.reportAttachment))
        }
    }
    struct Verdict: Decodable {
        var suspicious: Bool
        /// Absent in lines written before the three states.
        var status: String?
    }
    struct Sender: Decodable { var spoofed: Bool? }
    struct PPAP: Decodable { var role: String }

    var sha256: String?
    var ppapPair: PPAP?
    var message: Message?
    var attachments: [Attachment]?
    var verdict: Verdict?
    var sender: Sender?
    var recipients: [String]?
    var fingerprints: MessageFingerprints?
    var error: String?

    enum CodingKeys: String, CodingKey {
        case sha256, message, attachments, verdict, sender, recipients, fingerprints, error, ppapPair = "ppap_pair"
    }
}

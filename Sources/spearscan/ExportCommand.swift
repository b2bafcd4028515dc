public import ArgumentParser
import Foundation
import SpearCampaigns
import SpearCore
public import SpearExport
import SpearStore

/// The sharing formats, for `export` and `scan`.
enum ShareFormat: String, ExpressibleByArgument, CaseIterable { case stix, misp }

extension SharingOptions.TLP: ExpressibleByArgument {}

/// What every sharing format is told: TLP, producer, recipients.
struct SharingOptionGroup: ParsableArguments {
    @Option(help: "Traffic Light Protocol marking: clear, green, amber or red (STIX writes clear as TLP:WHITE).")
    var tlp: SharingOptions.TLP = .amber

    @Option(help: "The producer's name in the export (STIX identity, MISP event title).")
    var producer: String = "spearscan"

    @Flag(help: "Include each message's recipients (left out by default: they are your own people).")
    var withRecipients = false

    var options: SharingOptions { SharingOptions(tlp: tlp, producer: producer) }

    func render(_ evidence: SharedEvidence, format: ShareFormat, title: String) throws -> String {
        let data = switch format {
        case .stix: try STIXBundle.json(evidence, options: options)
        case .misp: try MISPEvent.json(evidence, title: title, options: options)
        }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Share what a store holds as a STIX 2.1 bundle or a MISP event: messages, files, URLs, campaigns.",
        discussion: """
            Selects campaigns (--campaign, --bulk-only, --targeted) and/or a period (--from, --to, on the message's \
            date); without a campaign option, the messages judged suspicious in the period. Indicators found only in \
            a signature or a newsletter footer are left out; recipients too unless --with-recipients. Exit status: \
            0 written; 1 nothing matched the selection; 2 the store could not be read or the output not written.
            """
    )

    @Option(help: "The store written by `spearscan batch`: a SQLite path, sqlite:PATH, or postgres://user@host:port/db.")
    var db: String = "spearscan.db"

    @Option(help: "stix (STIX 2.1 bundle) or misp (MISP event JSON).")
    var format: ShareFormat = .stix

    @Option(name: .customLong("campaign"), help: "A campaign id as `spearscan campaigns` lists it (repeatable).")
    var campaignIDs: [String] = []

    @Flag(help: "Only bulk-type campaigns (10 or more recipients).")
    var bulkOnly = false

    @Flag(help: "Only campaigns with a message judged suspicious.")
    var targeted = false

    @Option(help: "First day (YYYY-MM-DD) of the messages' dates.")
    var from: String?

    @Option(help: "Last day (YYYY-MM-DD) of the messages' dates.")
    var to: String?

    @Flag(help: "Without a campaign option: every message of the period, not only the suspicious ones.")
    var allMessages = false

    @Option(name: .shortAndLong, help: "Write to FILE instead of standard output.")
    var output: String?

    @OptionGroup var sharing: SharingOptionGroup
    @OptionGroup var bulk: BulkOptionGroup

    func validate() throws {
        for (name, day) in [("--from", from), ("--to", to)] {
            guard let day else { continue }
            guard day.count == 10, Timestamps.isDay(day) else { throw ValidationError("\(name) takes a day as YYYY-MM-DD, not \"\(day)\"") }
        }
    }

    func run() async throws {
        let store = try openExisting(db)
        let evidence: SharedEvidence
        let title: String
        do {
            let all = try store.campaigns(rule: bulk.rule, linkSimilar: bulk.linkSimilar, includeSingletons: true)
            let byCampaign = !campaignIDs.isEmpty || bulkOnly || targeted
            var chosen = all
            if !campaignIDs.isEmpty {
                let unknown = campaignIDs.filter { id in !all.contains { $0.id == id } }
                if !unknown.isEmpty {
                    Output.error("\(StoreLocation.named(db)): no campaign \(unknown.joined(separator: ", ")) (see `spearscan campaigns --all`)")
                    throw ExitCode(1)
                }
                chosen = chosen.filter { campaignIDs.contains($0.id) }
            }
            if bulkOnly { chosen = chosen.filter(\.bulk) }
            if targeted { chosen = chosen.filter(\.targeted) }
            let query = SharedMessageQuery(sha256: byCampaign ? Set(chosen.flatMap(\.messageSHA256)) : nil, from: from, to: to,
                                           suspiciousOnly: !byCampaign && !allMessages, withRecipients: sharing.withRecipients)
            let messages = try store.sharedMessages(query)
            let shas = Set(messages.map(\.sha256))
            evidence = SharedEvidence(messages: messages, campaigns: all.filter { $0.messageSHA256.contains(where: shas.contains) })
            var parts: [String] = []
            if !campaignIDs.isEmpty { parts.append("campaign " + campaignIDs.joined(separator: ", ")) }
            if bulkOnly { parts.append("bulk-type campaigns") }
            if targeted { parts.append("targeted campaigns") }
            if !byCampaign { parts.append(allMessages ? "messages" : "suspicious messages") }
            if from != nil || to != nil { parts.append("\(from ?? "…") to \(to ?? "…")") }
            title = parts.joined(separator: ", ")
        } catch let exit as ExitCode {
            throw exit
        } catch {
            Output.error("\(StoreLocation.named(db)): \(error)")
            throw ExitCode(2)
        }
        guard !evidence.messages.isEmpty else {
            Output.error("\(StoreLocation.named(db)): no message matches the selection; nothing written")
            throw ExitCode(1)
        }
        let unknown = evidence.messages.filter { !$0.indicatorsKnown }.count
        if unknown > 0 {
            Output.error("\(StoreLocation.named(db)): \(unknown) of the \(evidence.messages.count) messages were stored before the store kept indicators: "
                         + "their files and header fields are shared, their URLs and other indicators not (`spearscan batch --rescan` adds them)")
        }
        let text = try sharing.render(evidence, format: format, title: title)
        if let output {
            do { try Data(text.utf8).write(to: URL(fileURLWithPath: output)) } catch {
                Output.error("\(output): cannot write: \(error.localizedDescription)")
                throw ExitCode(2)
            }
        } else {
            Output.write(text)
        }
    }
}

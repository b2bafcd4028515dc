import ArgumentParser
import Foundation
import SpearCampaigns
import SpearStore

struct CampaignsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "campaigns",
        abstract: "List the campaigns in a store: messages linked by the same text or the same file, bulk-type and targeted.",
        discussion: """
            A campaign is bulk-type when its distinct recipients (To, Cc, Bcc, Delivered-To, X-Original-To) reach \
            --bulk-threshold; targeted when one of its messages is a suspected attack. Single messages are listed \
            only when they are bulk-type by themselves or have near-identical relatives (--all lists every one). \
            Exit status: 0 listed; 2 the store could not be read.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Option(help: "The store written by `spearscan batch`: a SQLite path, sqlite:PATH, or postgres://user@host:port/db.")
    var db: String = "spearscan.db"

    @Option(help: "Output format: text or json.")
    var format: Format = .text

    @OptionGroup var bulk: BulkOptionGroup

    @Flag(help: "List single-message campaigns too.")
    var all = false

    @Flag(help: "Only bulk-type campaigns.")
    var bulkOnly = false

    func run() async throws {
        let store = try openExisting(db)
        var campaigns: [Campaign]
        do {
            campaigns = try store.campaigns(rule: bulk.rule, linkSimilar: bulk.linkSimilar, includeSingletons: all)
        } catch {
            Output.error("\(error)")
            throw ExitCode(2)
        }
        if bulkOnly { campaigns = campaigns.filter(\.bulk) }
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            struct Listing: Encodable { var campaigns: [Campaign] }
            Output.write(String(decoding: try encoder.encode(Listing(campaigns: campaigns)), as: UTF8.self) + "\n")
        case .text:
            Output.write(campaigns.map(Self.text).joined() + "\(campaigns.count) campaigns, "
                         + "\(campaigns.filter(\.bulk).count) bulk-type, \(campaigns.filter(\.targeted).count) targeted\n")
        }
    }

    static func text(_ c: Campaign) -> String {
        var labels: [String] = []
        if c.bulk { labels.append("BULK") }
        if c.targeted { labels.append("TARGETED") }
        var out = "\(c.id)  \(labels.isEmpty ? "-" : labels.joined(separator: " "))  \(c.distinctRecipients) recipients "
            + "(\(c.distinctDomains) domains)  \(c.messages) messages  \(c.firstSeen ?? "?") .. \(c.lastSeen ?? "?")\n"
        func line(_ label: String, _ values: [String], limit: Int = 3) {
            guard !values.isEmpty else { return }
            let shown = values.prefix(limit).joined(separator: " | ")
            out += "    \(label): \(shown)\(values.count > limit ? " (+\(values.count - limit))" : "")\n"
        }
        line("senders", c.senders)
        line("subjects", c.subjects)
        line("same file", c.payloadSHA256)
        line("same text", c.textSHA256)
        line("similar", c.similarCampaignIDs, limit: 10)
        return out
    }
}

/// Opens a store that must exist already (reading commands never create an empty one by mistake).
func openExisting(_ location: String) throws -> any ScanStore {
    do { return try Stores.open(try StoreLocation(location), mustExist: true, lockWait: Output.lockWait) } catch {
        Output.error("\(error)")
        throw ExitCode(2)
    }
}

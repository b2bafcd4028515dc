import ArgumentParser
import Foundation
import SpearBatch
import SpearCore
import SpearScan
import SpearSpool
import SpearStore

/// `spearscan trust`: what the store learned (issue #14) — the MX operator of each recipient organisation with the
/// authserv-ids and hosts it stamps with, the correspondents, and the candidates refused as lookalikes.
struct TrustCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trust",
        abstract: "Show what the store learned: each recipient organisation's MX operator and its authserv-ids, correspondents, and refused lookalikes.",
        discussion: """
            Learned at the end of every `spearscan batch` (unless --no-learn) and by `spearscan rescore`. The MX \
            operator of a recipient organisation is whoever wrote the topmost Received on 90 % or more of its \
            messages (20 at least); its Authentication-Results above its entry hop count as trusted, as a configured \
            trusted_authserv_ids list would (which wins when given). A correspondent is an organisation with 3 or \
            more authenticated messages on 2 or more days; a lookalike of one is flagged. Exit status: 0 shown; 2 \
            the store could not be read.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Option(help: "The store written by `spearscan batch`: a SQLite path, sqlite:PATH, or postgres://user@host:port/db.")
    var db: String = "spearscan.db"

    @Option(help: "Output format: text or json.")
    var format: Format = .text

    func run() async throws {
        let store = try openExisting(db)
        let k: SpoolKnowledge
        do { k = try store.knowledge() } catch {
            Output.error("\(StoreLocation.named(db)): \(error)")
            throw ExitCode(2)
        }
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
            Output.write(String(decoding: try encoder.encode(k), as: UTF8.self) + "\n")
        case .text:
            Output.write(Self.text(k))
        }
    }

    static func text(_ k: SpoolKnowledge) -> String {
        var out = ""
        func counts(_ c: [LearnedOperator.Count]) -> String {
            c.isEmpty ? "none" : c.map { "\($0.value) (\($0.messages))" }.joined(separator: ", ")
        }
        out += "MX operators (who writes the topmost Received of a recipient organisation's mail):\n"
        if k.operators.isEmpty { out += "  none learned yet (20 messages to an organisation, 90 % through one operator)\n" }
        for o in k.operators {
            let whose = o.operatorOrg == o.recipientOrg ? "its own MX" : "a provider in front of it: its Authentication-Results are trusted above its entry hop"
            out += "  \(o.recipientOrg) <- \(o.operatorOrg) (\(whose)): \(o.messages) of \(o.total) messages, "
                + String(format: "%.0f %%", o.share * 100) + "\n"
            out += "    stamps: \(counts(o.stamps))\n    hosts: \(counts(o.hosts))\n"
        }
        let admitted = k.admitted
        out += "correspondents (authenticated mail on several days; lookalikes of them are flagged): \(admitted.count)\n"
        var nameCounts: [String: Int] = [:]
        for n in k.names { nameCounts[n.recipientOrg + "\u{0}" + n.senderOrg, default: 0] += 1 }
        for (org, group) in Dictionary(grouping: admitted, by: \.recipientOrg).sorted(by: { $0.key < $1.key }) {
            out += "  \(org):\n"
            for c in group.sorted(by: { ($0.days, $0.messages) > ($1.days, $1.messages) }) {
                let names = nameCounts[org + "\u{0}" + c.senderOrg] ?? 0
                out += "    \(c.senderOrg): \(c.messages) messages on \(c.days) days since \(c.firstSeen)"
                    + (c.replies > 0 ? ", \(c.replies) the other way" : "") + (names > 0 ? ", \(names) names" : "") + "\n"
            }
        }
        let refused = k.correspondents.filter { $0.refusedAsLookalikeOf != nil }
        if !refused.isEmpty {
            out += "refused as lookalikes (never protected; add an honest one to protected_domains):\n"
            for c in refused {
                out += "  \(c.senderOrg) writing to \(c.recipientOrg) imitates \(c.refusedAsLookalikeOf ?? ""): \(c.messages) messages on \(c.days) days\n"
            }
        }
        if !k.capped.isEmpty { out += "caps reached: \(k.capped.joined(separator: ", ")) (the strongest candidates were learned)\n" }
        return out
    }
}

/// `spearscan rescore`: learns from the store again and scores again the stored messages whose verdict that
/// changes, as the end of every batch does.
struct RescoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rescore",
        abstract: "Learn from the store again and rescore the stored messages whose verdict what was learned changes.",
        discussion: """
            Each affected message is read again from where the batch read it (the spool must still be there) and \
            stored again from a new scan. Idempotent: a second run finds nothing to do. Crash-safe like the batch. \
            Exit status: 0 done; 2 the store could not be used.
            """
    )

    @Option(help: "The store written by `spearscan batch`: a SQLite path, sqlite:PATH, or postgres://user@host:port/db.")
    var db: String = "spearscan.db"

    @Option(help: "mbox flavour the batch read the spool with: auto, mboxo, mboxrd or mboxcl2.")
    var mboxVariant: MboxVariant = .auto

    @OptionGroup var scanOptions: ScanOptionGroup

    func run() async throws {
        let store = try openExisting(db)
        let options = try scanOptions.makeOptions()
        var spool = SpoolOptions()
        spool.mboxVariant = mboxVariant
        spool.maxMessageBytes = options.maxMessageBytes
        // With JSON: a message stored with --store-json gets its new scan JSON (rows without one stay without).
        let pass = LearningPass(store: store, scanner: MessageScanner(options: BatchRunner.storeScanOptions(options, json: true)),
                                spool: spool, json: true)
        do {
            let (summary, _) = try pass.run()
            Output.write(BatchCommand.describe(summary) + "\n")
        } catch {
            Output.error("\(StoreLocation.named(db)): \(error)")
            throw ExitCode(2)
        }
    }
}

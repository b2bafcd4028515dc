public import ArgumentParser
import Foundation
import SpearCampaigns
import SpearDomains
import SpearReport
import SpearScan
import SpearStore

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Period breakdowns of attachment types and headline statistics, like the NPA's half-year report.",
        discussion: """
            Reads a store (--db) or batch JSON Lines (--input). Attachment shares count files: each top-level, \
            non-inline attachment once; "inside compressed files" counts every file found in archives after full \
            recursion (archives that could not be opened are counted as not inspected). Periods come from the Date \
            header in its own offset (else the first Received; else "unknown"). Exit status: 0 written; 2 the \
            input could not be read or the output not written; 64 usage error.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, csv, json, svg, html }

    @Option(help: "The store written by `spearscan batch`: a SQLite path, sqlite:PATH, or postgres://user@host:port/db.")
    var db: String = "spearscan.db"

    @Option(help: "Batch JSON Lines (`spearscan batch --format jsonl`) instead of a store; - for standard input.")
    var input: String?

    @Option(help: "Period: month, quarter, half or year.")
    var by: Granularity = .month

    @Option(help: "First month included (YYYY-MM).")
    var from: String?

    @Option(help: "Last month included (YYYY-MM).")
    var to: String?

    @Option(help: "targeted (suspected attacks only) or all messages.")
    var scope: Scope = .targeted

    @Option(help: "Output: table, csv, json, svg (one chart, see --chart) or html (one self-contained page).")
    var format: Format = .table

    @Option(help: "For --format svg: attachments or archive_contents.")
    var chart: Breakdown = .attachments

    @Option(help: "Write to FILE instead of standard output.")
    var out: String?

    @Option(help: "Labels: en or ja.")
    var lang: Language = .en

    @Option(help: "A file of addresses published on the web, one per line: enables the non-public-address share.")
    var publicAddresses: String?

    @OptionGroup var bulk: BulkOptionGroup

    func run() async throws {
        let messages: [ReportMessage]
        do {
            if let input {
                let data = input == "-" ? FileHandle.standardInput.readDataToEndOfFile()
                    : try Data(contentsOf: URL(fileURLWithPath: input))
                messages = try ReportSource.messages(jsonLines: data, name: input, rule: bulk.rule, linkSimilar: bulk.linkSimilar,
                                                     psl: PublicSuffixList.system)
            } else {
                messages = try ReportSource.messages(store: try openExisting(db), rule: bulk.rule, linkSimilar: bulk.linkSimilar)
            }
        } catch let error as ExitCode {
            throw error
        } catch let error as StoreError {
            Output.error(error.description)
            throw ExitCode(2)
        } catch {
            Output.error("\(input ?? db): \(error.localizedDescription)")
            throw ExitCode(2)
        }
        var options = ReportOptions(by: by, scope: scope, from: from, to: to, lang: lang)
        if let publicAddresses {
            do {
                let text = try String(contentsOfFile: publicAddresses, encoding: .utf8)
                options.publicAddresses = Set(text.split(whereSeparator: \.isNewline)
                    .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty && !$0.hasPrefix("#") })
            } catch {
                Output.error("\(publicAddresses): cannot read the public address list")
                throw ExitCode(2)
            }
        }
        let report: Report
        do { report = try Report(messages: messages, options: options) } catch {
            throw ValidationError("\(error)")
        }
        let text: String
        switch format {
        case .table: text = report.table()
        case .csv: text = report.csv()
        case .json: text = report.json() + "\n"
        case .svg: text = report.svg(chart: chart)
        case .html: text = report.html()
        }
        if let out {
            guard FileManager.default.createFile(atPath: out, contents: Data(text.utf8)) else {
                Output.error("\(out): cannot write the report")
                throw ExitCode(2)
            }
        } else {
            Output.write(text)
        }
    }
}

extension Granularity: ExpressibleByArgument {}
extension Scope: ExpressibleByArgument {}
extension Language: ExpressibleByArgument {}
extension Breakdown: ExpressibleByArgument {}

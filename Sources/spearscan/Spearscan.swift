import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif

@main
struct Spearscan: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spearscan",
        abstract: "Analyse email for targeted-attack traits: MIME structure, attachments, deceptive names, defects.",
        discussion: """
            Exit status: 0 scanned, nothing suspicious; 1 scanned and something suspicious found; \
            2 a file (or the configuration) could not be read; 64 usage error.
            """,
        version: "0.1.0",
        subcommands: [ScanCommand.self, BatchCommand.self, CampaignsCommand.self, ReportCommand.self, ExportCommand.self, TrustCommand.self, RescoreCommand.self, StoreCommand.self, MilterServeCommand.self]
    )
}

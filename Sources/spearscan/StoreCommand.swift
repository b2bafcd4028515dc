import ArgumentParser
import Foundation
import SpearStore

/// `spearscan store`: operations on a whole store.
struct StoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Operations on a whole store (copy a SQLite store into PostgreSQL).",
        subcommands: [StoreCopyCommand.self]
    )
}

/// `spearscan store copy --from spearscan.db --to postgres://…`.
struct StoreCopyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy a SQLite store into a new PostgreSQL store, ids kept: campaigns, reports and exports read the same.",
        discussion: """
            The PostgreSQL store must be empty (a new database, or one `spearscan` has only created). The copy is \
            one transaction: if it fails, nothing is left behind. Exit status: 0 copied; 2 a store could not be \
            read or written.
            """
    )

    @Option(help: "The SQLite store to copy (a path or sqlite:PATH).")
    var from: String

    @Option(help: "The PostgreSQL store to fill: postgres://user@host:port/db (PG* variables and ~/.pgpass as libpq reads them).")
    var to: String

    func run() async throws {
        do {
            guard case .sqlite(let path) = try StoreLocation(from) else {
                throw ValidationError("--from must be a SQLite store")
            }
            guard case .postgres(let location) = try StoreLocation(to) else {
                throw ValidationError("--to must be a postgres:// URL")
            }
            guard FileManager.default.fileExists(atPath: path) else {
                throw StoreError(path: path, message: "no such store")
            }
            let source = try SQLiteStore(path: path, lockWait: Output.lockWait)
            let target = try PostgresStore(location: location, lockWait: Output.lockWait)
            let result = try StoreCopy.copy(from: source, to: target)
            let counts = try target.counts()
            guard counts == (try source.counts()) else {
                throw StoreError(path: target.name, message: "the copy holds \(counts) but the source \(try source.counts())")
            }
            Output.write("copied \(path) to \(location): \(result.messages) messages, \(counts.campaigns) campaigns, "
                         + "\(result.rows.values.reduce(0, +)) rows in \(result.rows.count) tables\n")
        } catch let error as ValidationError {
            throw error
        } catch {
            Output.error("\(error)")
            throw ExitCode(2)
        }
    }
}

import Foundation
import SpearCampaigns
import SpearStore
import Testing
import TestSupport

/// The store backends a store test runs against: SQLite always, PostgreSQL when a private server can be started
/// (`TestSupport.PostgresServer`; CI installs it). One suite, parameterised, not two copies.
enum StoreBackend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgres

    static var available: [StoreBackend] { PostgresServer.available ? [.sqlite, .postgres] : [.sqlite] }

    var testDescription: String { rawValue }

    /// A new, empty store's location (`--db`), under `root` for SQLite, a new database for PostgreSQL.
    func location(in root: String, name: String = "store") throws -> String {
        switch self {
        case .sqlite: return root + "/\(name).db"
        case .postgres:
            guard let server = PostgresServer.shared else { throw StoreError(path: "postgres", message: PostgresServer.unavailableReason) }
            return try server.makeDatabase()
        }
    }

    /// Campaign numbers are the store's own (SQLite reuses a merged-away highest number, a PostgreSQL sequence
    /// never does): campaigns are compared by their members, counters and labels, with families as sets of
    /// member sets.
    static func shape(_ campaigns: [Campaign]) -> [Campaign] {
        let members = Dictionary(campaigns.map { ($0.id, $0.messageSHA256.sorted().joined(separator: ",")) }, uniquingKeysWith: { a, _ in a })
        return campaigns.map { c in
            var c = c
            c.id = members[c.id] ?? ""
            c.similarCampaignIDs = c.similarCampaignIDs.map { members[$0] ?? $0 }.sorted()
            return c
        }.sorted { $0.id < $1.id }
    }
}

/// The PostgreSQL half of the store suites runs only with a server; without one this test is skipped with the
/// reason (the suites' `available` then lists SQLite alone).
@Suite struct PostgresAvailability {
    @Test("a private PostgreSQL server answers, and a new store in it is empty",
          .enabled(if: PostgresServer.available, Comment(rawValue: "PostgreSQL store tests skipped: " + PostgresServer.unavailableReason)))
    func serverAnswers() throws {
        let store = try Stores.open(try StoreLocation(try StoreBackend.postgres.location(in: "")))
        #expect(try store.counts() == StoreCounts(messages: 0, failed: 0, campaigns: 0))
        #expect(store.files.isEmpty)
    }

    /// CI sets SPEARSCAN_REQUIRE_POSTGRES: there a server that cannot be started fails the run instead of skipping
    /// the PostgreSQL half of the suites.
    @Test("PostgreSQL is required here and was started", .enabled(if: ProcessInfo.processInfo.environment["SPEARSCAN_REQUIRE_POSTGRES"] != nil))
    func requiredServerStarted() {
        #expect(PostgresServer.available, Comment(rawValue: PostgresServer.unavailableReason))
    }
}

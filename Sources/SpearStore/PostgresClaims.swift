import Foundation

/// One spool shared by scanners that take its chunks from the database (`batch --claim`), on their own connection
/// (never inside the store writer's transactions). The first scanner of a run divides the spool's files into
/// chunks; every scanner then claims the lowest chunk nobody holds (`FOR UPDATE SKIP LOCKED`) under a lease it
/// renews while it works. A scanner that dies stops renewing: once its lease runs out (by the server's clock,
/// never a machine's) another scanner takes the chunk over. A chunk is done once its messages are stored and made
/// durable; one that has been taken over too often (a message that kills every scanner) is set aside as failed.
/// Messages are keyed by their raw SHA-256, so a chunk scanned twice (a lease lost while its scanner was slow)
/// stores nothing twice. Used by one thread at a time (the scanner, or its lease-renewing heartbeat while the
/// scanner works on the chunk).
public final class PostgresClaims: @unchecked Sendable {
    public let run: String
    private let db: PostgresDatabase

    /// A chunk this scanner holds: its number and its files.
    public struct Chunk: Sendable, Equatable {
        public var number: Int
        public var files: [String]
    }

    /// What a claim gives.
    public enum Claim: Sendable, Equatable {
        case chunk(Chunk)
        /// Every chunk is held by another scanner whose lease runs for at most this many seconds more.
        case wait(Double)
        /// Nothing left: every chunk done, or failed (their numbers).
        case finished(failed: [Int])
    }

    /// Chunks taken over this many times are set aside as failed.
    public static let maxAttempts = 5

    public init(location: PostgresLocation, run: String, wait: LockWait = LockWait()) throws {
        self.run = run
        db = try PostgresDatabase(location: location, wait: wait)
        try db.transaction {
            try db.send("SELECT pg_advisory_xact_lock($1)", .int(PostgresSchema.writeLock))
            try db.send("""
                CREATE TABLE IF NOT EXISTS claim_runs (run TEXT COLLATE "C" PRIMARY KEY, spool TEXT NOT NULL, chunks BIGINT NOT NULL,
                    created_at TIMESTAMPTZ NOT NULL DEFAULT now())
                """)
            try db.send("""
                CREATE TABLE IF NOT EXISTS claim_chunks (run TEXT COLLATE "C" NOT NULL, chunk BIGINT NOT NULL, files TEXT NOT NULL,
                    state TEXT NOT NULL DEFAULT 'todo' CHECK (state IN ('todo', 'done', 'failed')), owner TEXT,
                    lease_until TIMESTAMPTZ, attempts BIGINT NOT NULL DEFAULT 0, done_at TIMESTAMPTZ, PRIMARY KEY (run, chunk))
                """)
        }
    }

    /// Divides the spool's files (`files`: one line each, as `ClaimedBatch` writes them) into chunks of `size`.
    /// A run entered again (scanners started later, or the same command the next day) checks that it names the
    /// same spool (`spool`, the paths as given) and adds the files listed now that no chunk holds yet as new
    /// chunks, so new mail is scanned and old mail is not. Returns the number of chunks added.
    @discardableResult
    public func prepare(spool: String, size: Int, files: () throws -> [String]) throws -> Int {
        try db.transaction {
            try db.send("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", .text("claim:" + run))
            var known = Set<String>(), first = 0
            if let row = try db.rows("SELECT spool, chunks FROM claim_runs WHERE run = $1", .text(run)).first {
                guard row.text(0) == spool else {
                    throw StoreError(path: db.name, message: "claim run \"\(run)\" was started over another spool (\(row.text(0) ?? "")); name this one with --claim-run")
                }
                first = Int(row.int(1))
                for chunk in try db.rows("SELECT files FROM claim_chunks WHERE run = $1", .text(run)) {
                    for line in (chunk.text(0) ?? "").split(separator: "\n") { known.insert(String(line)) }
                }
            } else {
                try db.send("INSERT INTO claim_runs (run, spool, chunks) VALUES ($1, $2, 0)", .text(run), .text(spool))
            }
            let listed = try files().filter { !known.contains($0) }
            let step = max(1, size)
            let chunks = stride(from: 0, to: listed.count, by: step).map { listed[$0..<min($0 + step, listed.count)].joined(separator: "\n") }
            if !chunks.isEmpty {
                try db.send("""
                    INSERT INTO claim_chunks (run, chunk, files) SELECT $1, $3 + n - 1, f FROM unnest($2::text[]) WITH ORDINALITY AS t(f, n)
                    """, .text(run), .texts(chunks), .int(Int64(first)))
                try db.send("UPDATE claim_runs SET chunks = $2 WHERE run = $1", .text(run), .int(Int64(first + chunks.count)))
            }
            return chunks.count
        }
    }

    /// Takes the lowest chunk that is to do and not leased (or whose lease ran out), for `lease` seconds.
    public func claim(owner: String, lease: Double) throws -> Claim {
        try db.transaction {
            // A chunk whose scanners stopped on it too many times is set aside, so that one poisonous message cannot
            // stop the run (attempts counts claims: the first scanner and every one that took it over).
            try db.send("""
                UPDATE claim_chunks SET state = 'failed' WHERE run = $1 AND state = 'todo' AND attempts > $2 AND lease_until < now()
                """, .text(run), .int(Int64(Self.maxAttempts)))
            if let row = try db.rows("""
                WITH c AS (SELECT chunk FROM claim_chunks WHERE run = $1 AND state = 'todo' AND (lease_until IS NULL OR lease_until < now())
                           ORDER BY chunk LIMIT 1 FOR UPDATE SKIP LOCKED)
                UPDATE claim_chunks w SET owner = $2, lease_until = now() + make_interval(secs => $3::float8), attempts = attempts + 1
                FROM c WHERE w.run = $1 AND w.chunk = c.chunk RETURNING w.chunk, w.files
                """, .text(run), .text(owner), .double(lease)).first {
                return .chunk(Chunk(number: Int(row.int(0)), files: (row.text(1) ?? "").split(separator: "\n").map(String.init)))
            }
            // Chunks still to do are held by others (or being claimed by one right now, which SKIP LOCKED passed
            // over before its lease is written): wait for them, never report the run finished while one is left.
            if let row = try db.rows("""
                SELECT count(*), extract(epoch FROM max(coalesce(lease_until, now())) - now())::float8
                FROM claim_chunks WHERE run = $1 AND state = 'todo'
                """, .text(run)).first, row.int(0) > 0 {
                return .wait(max(0, row.double(1)))
            }
            let failed = try db.rows("SELECT chunk FROM claim_chunks WHERE run = $1 AND state = 'failed' ORDER BY chunk", .text(run))
            return .finished(failed: failed.map { Int($0.int(0)) })
        }
    }

    /// Extends this scanner's lease; false when it was lost (taken over after it ran out).
    public func renew(_ chunk: Int, owner: String, lease: Double) throws -> Bool {
        try db.transaction {
            try db.rows("""
                UPDATE claim_chunks SET lease_until = now() + make_interval(secs => $4::float8)
                WHERE run = $1 AND chunk = $2 AND owner = $3 AND state = 'todo' RETURNING chunk
                """, .text(run), .int(Int64(chunk)), .text(owner), .double(lease)).count == 1
        }
    }

    /// Marks a chunk done; its messages must be stored and durable (`ScanStore.commit`) first.
    public func done(_ chunk: Int, owner: String) throws {
        try db.transaction {
            try db.send("SET LOCAL synchronous_commit = on")
            try db.send("UPDATE claim_chunks SET state = 'done', done_at = now() WHERE run = $1 AND chunk = $2 AND state = 'todo'",
                        .text(run), .int(Int64(chunk)))
        }
    }

    /// How many chunks are in each state (for summaries and tests).
    public func states() throws -> [String: Int] {
        var out: [String: Int] = [:]
        for row in try db.rows("SELECT state, count(*) FROM claim_chunks WHERE run = $1 GROUP BY state", .text(run)) {
            out[row.text(0) ?? ""] = Int(row.int(1))
        }
        return out
    }
}

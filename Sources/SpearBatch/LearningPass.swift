import SpearClassify
public import SpearCore
public import SpearScan
public import SpearSpool
public import SpearStore

/// What spool learning did at the end of a batch (or `spearscan rescore`).
public struct LearningSummary: Sendable, Hashable, Encodable {
    /// Recipient organisations with a learned MX operator other than themselves, and all operators learned.
    public var providers = 0
    public var operators = 0
    public var correspondents = 0
    public var refused = 0
    public var names = 0
    /// Caps reached ("correspondents", "names").
    public var capped: [String] = []
    /// Messages scored again because what was learned changes their verdict, and how their verdicts moved.
    public var rescored = 0
    public var nowSuspicious = 0
    public var noLongerSuspicious = 0
    /// Messages to rescore that could not be read again (the spool moved or changed); they keep their verdict.
    public var unavailable = 0
    /// Learning rounds: a rescored message can add evidence (its Authentication-Results trusted now), so
    /// learning runs again until nothing changes, at most `maxRounds`.
    public var rounds = 0
    /// The operators learned, as "recipient <- operator (authserv-id, ...)", providers first.
    public var trusted: [String] = []

    enum CodingKeys: String, CodingKey {
        case trusted, providers, operators, correspondents, refused, names, capped, rescored, nowSuspicious = "now_suspicious",
             noLongerSuspicious = "no_longer_suspicious", unavailable, rounds
    }

    public init() {}
}

/// Spool learning (issue #14): learns MX operators, correspondents and their names from the store's
/// observations (the sender stage's rules, `SenderStage.learn`), keeps them in the store, and scores again every
/// stored message whose verdict they change (`SenderStage.effect(of:)` against what the message was scored
/// with). Rescoring reads the message again from the spool, scans it again (with its PPAP password when one
/// opened it) and replaces its verdict in place (`ScanStore.replaceVerdict`: row, findings, observation,
/// campaign counter; its attachments, fingerprints and campaign links stay). Idempotent (a message scored with the current knowledge is not touched again)
/// and crash-safe like the batch (each message is replaced inside a transaction; a killed pass leaves the rest
/// for the next run, which finds them by the same comparison).
public struct LearningPass {
    public let store: any ScanStore
    public let scanner: MessageScanner
    public let spool: SpoolOptions
    public let json: Bool
    public let rules: LearningRules
    /// Messages stored at or after this time (UTC, ISO 8601) belong to the current run (its summary's counts).
    public let runStarted: String
    /// Receives the JSON line of every message rescored, when JSON Lines are written (a later line for the same
    /// `sha256` supersedes the earlier one).
    public var lineSink: ((String) -> Void)?
    static let maxRounds = 3
    static let page = 2_000
    static let commitEvery = 128
    /// Messages read back from the spool at once (each up to --max-message-size).
    static let chunk = 64

    public init(store: any ScanStore, scanner: MessageScanner, spool: SpoolOptions, json: Bool,
                rules: LearningRules = LearningRules(), runStarted: String = "", lineSink: ((String) -> Void)? = nil) {
        self.lineSink = lineSink
        self.store = store
        self.scanner = scanner
        self.spool = spool
        self.json = json
        self.rules = rules
        self.runStarted = runStarted
    }

    /// Returns the summary and, for messages of the current run, how their statuses moved (old, new).
    public func run() throws -> (summary: LearningSummary, moved: [(from: Verdict.Status, to: Verdict.Status)]) {
        var summary = LearningSummary()
        var moved: [(from: Verdict.Status, to: Verdict.Status)] = []
        guard let sender = scanner.options.sender else { return (summary, moved) }
        let magic = try? Magic()
        let ppap = try store.ppapPairs()
        let pairs = Dictionary(ppap.map { ($0.archiveSHA256, $0) }, uniquingKeysWith: { a, _ in a })
        let notices = Dictionary(ppap.map { ($0.passwordSHA256, $0) }, uniquingKeysWith: { _, b in b })
        var learned = sender.learn(from: try store.spoolEvidence(rules: rules), rules: rules)
        // Each rescored message's status before the pass and now, and whether it is of the current run.
        var changes: [String: (from: Verdict.Status, to: Verdict.Status, thisRun: Bool)] = [:]
        var unavailable = Set<String>()
        while true {
            summary.rounds += 1
            try store.saveKnowledge(learned)
            try store.commit()
            let stage = sender.applying(learned)
            var options = scanner.options
            options.sender = stage
            var rescoredThisRound = 0
            var after: Int64 = 0
            // Each message at most once a round, whatever its observation says after the scan (a message whose
            // new observation still differs from what the knowledge would apply is not scored again and again).
            var done = Set<String>()
            // Paged: the affected messages of a large store are not all held at once, and their bytes are read
            // back a chunk at a time. Verdicts are replaced in place, so rows keep their place in the paging.
            while true {
                let page = try store.observations(after: after, limit: Self.page)
                guard let last = page.last else { break }
                after = last.row
                let affected = page.filter {
                    stage.effect(of: $0.observation) != $0.observation.applied && !unavailable.contains($0.sha256) && !done.contains($0.sha256)
                }
                for chunk in stride(from: 0, to: affected.count, by: Self.chunk).map({ affected[$0..<min($0 + Self.chunk, affected.count)] }) {
                    let found = SpoolReread.read(Set(chunk.map { SpoolReread.Location(source: $0.source, offset: $0.offset) }), options: spool)
                    for item in chunk {
                        done.insert(item.sha256)
                        guard let message = Rescan.message(found, source: item.source, offset: item.offset, sha256: item.sha256) else {
                            unavailable.insert(item.sha256)
                            continue
                        }
                        var o = options
                        let pair = pairs[item.sha256]
                        if let pair { o.passwords.append(pair.passwordCandidate) }
                        var result = Rescan.scan(message, options: o, magic: magic)
                        result.report.ppapPair = pair?.link(.archive) ?? notices[item.sha256]?.link(.notice)
                        guard let stored = BatchRunner.stored(result, sha256: item.sha256, offset: message.offset, json: json),
                              try store.replaceVerdict(stored) else {
                            unavailable.insert(item.sha256)
                            continue
                        }
                        if let line = stored.reportJSON { lineSink?(line) }
                        rescoredThisRound += 1
                        // Committed in groups, as the batch does: a killed pass loses at most one group.
                        if rescoredThisRound % Self.commitEvery == 0 { try store.commit() }
                        let before = changes[item.sha256]
                        changes[item.sha256] = (before?.from ?? item.status, stored.report.verdict.status,
                                                before?.thisRun ?? (!runStarted.isEmpty && item.scannedAt >= runStarted))
                    }
                }
                try store.commit()
            }
            // Nothing scored again, or the last round: the evidence is what it was. Otherwise a rescored message
            // may have added evidence (its Authentication-Results trusted now): learn again, and go on only if
            // that teaches something new.
            guard rescoredThisRound > 0, summary.rounds < Self.maxRounds else { break }
            let next = sender.learn(from: try store.spoolEvidence(rules: rules), rules: rules)
            if next == learned { break }
            learned = next
        }
        summary.operators = learned.operators.count
        summary.providers = learned.operators.filter { $0.operatorOrg != $0.recipientOrg }.count
        summary.correspondents = learned.admitted.count
        summary.refused = learned.correspondents.count - learned.admitted.count
        summary.names = learned.names.count
        summary.capped = learned.capped
        summary.trusted = learned.operators.sorted { ($0.operatorOrg == $0.recipientOrg ? 1 : 0, $0.recipientOrg) < ($1.operatorOrg == $1.recipientOrg ? 1 : 0, $1.recipientOrg) }
            .map { "\($0.recipientOrg) <- \($0.operatorOrg)" + ($0.stamps.isEmpty ? "" : " (stamps \($0.stamps.map(\.value).joined(separator: ", ")))") }
        summary.rescored = changes.count
        summary.unavailable = unavailable.count
        for change in changes.values {
            if change.to == .suspicious && change.from != .suspicious { summary.nowSuspicious += 1 }
            if change.to != .suspicious && change.from == .suspicious { summary.noLongerSuspicious += 1 }
            if change.thisRun { moved.append((change.from, change.to)) }
        }
        return (summary, moved)
    }
}

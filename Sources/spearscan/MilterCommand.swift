import ArgumentParser
import Dispatch
import Foundation
import Logging
import SpearBatch
import SpearCore
import SpearMilter
import SpearScan
import SpearStore
#if canImport(Glibc)
import Glibc
#endif

struct MilterServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "milter",
        abstract: "Analyse mail as it arrives: a milter for Postfix and Sendmail that adds spearscan's verdict headers.",
        discussion: """
            Listens on ADDRESS (inet:PORT@HOST or unix:PATH) for an MTA speaking the milter protocol (version 6). \
            Each message is analysed whole (SPF with the client, HELO and envelope the MTA saw) and answered with the \
            headers X-Spearscan-Status (suspicious, not_inspected, clean), X-Spearscan-Reasons and an \
            Authentication-Results with spearscan's own DKIM, SPF and DMARC results, and accepted, unless a --policy rule says to quarantine, \
            reject or tempfail it by its status or a finding id. The milter never loses \
            or delays mail because of itself (a message too large, out of time or met by an error is accepted with \
            a header saying it was not inspected; --on-error tempfail asks the MTA to try again instead). One line \
            a message on standard error. SIGTERM or SIGINT: stop accepting, let open connections finish. SIGHUP: read what the store learned again. Exit \
            status: 0 after a clean stop, 2 when the address cannot be bound or the policy file is wrong.
            """
    )

    @Option(help: "Where to listen: inet:PORT@HOST (HOST defaults to 127.0.0.1) or unix:PATH.")
    var listen: String

    @Option(help: "Scanning threads, each with its own libmagic handle.")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Seconds a message's analysis may take; past it the message is accepted as not inspected.")
    var timeLimit: Double = 20

    @Option(help: "Bytes of a message analysed; a larger message is accepted as not inspected (e.g. 32M).")
    var maxBody: ByteSize = ByteSize(bytes: 32 << 20)

    @Option(help: "What mail gets when spearscan fails or is overloaded: accept (with a header) or tempfail.")
    var onError: OnErrorChoice = .accept

    @Option(help: "A YAML policy: rules by verdict status and finding id, each accept, quarantine, reject or tempfail (default: headers only, accept).")
    var policy: String?

    @Option(help: "Store every analysed message in this store (a SQLite path, sqlite:PATH or postgres://…), as a batch would: campaigns grow as mail arrives.")
    var db: String?

    @Option(help: "Permissions of a unix: socket, in octal (the MTA's user must be able to write to it).")
    var socketMode: String = "660"

    @Option(help: "Bytes of messages all connections may hold together (being received, waiting, being scanned); a message meeting the bound is answered by --on-error without a scan.")
    var maxHeld: ByteSize = ByteSize(bytes: 512 << 20)

    @Option(help: "Serve Prometheus metrics at http://HOST:PORT/metrics (inet:PORT@HOST; HOST defaults to 127.0.0.1).")
    var metrics: String?

    @Option(help: "The authserv-id of the Authentication-Results header spearscan adds (default: the MTA's host name, macro j, else this host's name). Headers from outside claiming it are deleted.")
    var authservId: String?

    @Flag(help: "With --db: do not apply what the store learned (MX operators, correspondents, names; see `spearscan trust`).")
    var noLearn = false

    @OptionGroup var scanOptions: ScanOptionGroup

    enum OnErrorChoice: String, ExpressibleByArgument, CaseIterable { case accept, tempfail }

    func validate() throws {
        if MilterAddress(listen) == nil { throw ValidationError("--listen takes inet:PORT@HOST or unix:PATH, not \(listen)") }
        if jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if !(timeLimit > 0 && timeLimit <= 3_600) { throw ValidationError("--time-limit must be more than 0 and at most 3600 seconds") }
        if let metrics, !Self.isInet(metrics) { throw ValidationError("--metrics takes inet:PORT@HOST, not \(metrics)") }
        if UInt16(socketMode, radix: 8).map({ $0 <= 0o777 }) != true { throw ValidationError("--socket-mode takes octal permissions such as 660, not \(socketMode)") }
        if maxHeld.bytes < maxBody.bytes { throw ValidationError("--max-held must be at least --max-body") }
        if let id = authservId, id.isEmpty || id.contains(where: { $0 == ";" || $0.isWhitespace || !$0.isASCII }) {
            throw ValidationError("--authserv-id must be one word of ASCII without ';' (a host name)")
        }
    }

    func run() async throws {
        guard let address = MilterAddress(listen) else { throw ExitCode(64) }
        var options = MilterOptions()
        options.jobs = jobs
        options.timeLimit = timeLimit
        options.maxMessageBytes = maxBody.bytes
        options.onError = onError == .tempfail ? .tempfail : .accept
        options.authservID = authservId
        options.heldBytesLimit = maxHeld.bytes
        options.socketMode = UInt16(socketMode, radix: 8) ?? 0o660
        let counters = metrics == nil ? nil : MilterMetrics()
        if let policy {
            do { options.policy = try MilterPolicy.load(path: policy) } catch {
                Output.error("\(error)")
                throw ExitCode(2)
            }
        }
        var scan = try scanOptions.makeOptions()
        var logger = Logger(label: "spearscan.milter", factory: { StreamLogHandler.standardError(label: $0) })
        logger.logLevel = .info
        var writer: StoreWriter?
        var location: StoreLocation?
        if let db {
            let store: any ScanStore
            do {
                let parsed = try StoreLocation(db)
                store = try Stores.open(parsed, lockWait: Output.lockWait)
                location = parsed
            } catch {
                Output.error("\(error)")
                throw ExitCode(2)
            }
            // What the store keeps is scanned as the batch scans it.
            scan = BatchRunner.storeScanOptions(scan, json: false)
            let log = logger
            writer = StoreWriter(store: store) { outcome in
                switch outcome {
                case .stored(let sha):
                    log.info("stored", metadata: ["sha256": "\(sha)"])
                    counters?.stored("stored")
                case .duplicate(let sha):
                    log.info("stored before", metadata: ["sha256": "\(sha)"])
                    counters?.stored("duplicate")
                case .notStored(let sha, let reason):
                    log.error("not stored", metadata: ["sha256": "\(sha)", "reason": "\(reason)"])
                    counters?.stored("not_stored")
                }
            }
        }
        // What the store learned (spearscan trust) is applied to arriving mail, as a batch applies it; SIGHUP reads
        // it again (after a batch or `spearscan rescore` learned more).
        let base = scan, log = logger, learning = noLearn ? nil : location
        // The scanner applying what the store learned, and that knowledge; nil without learning (no --db, --no-learn,
        // no sender analysis) or when the store could not be read: at start the milter then runs without it, at
        // SIGHUP it keeps what it has.
        let learned: @Sendable () -> (MessageScanner, SpoolKnowledge)? = {
            var options = base
            guard let learning, let sender = options.sender else { return nil }
            do {
                let knowledge = try Stores.open(learning, mustExist: true).knowledge()
                options.sender = sender.applying(knowledge)
                return (MessageScanner(options: options), knowledge)
            } catch {
                log.error("knowledge not read", metadata: ["error": "\(error)"])
                return nil
            }
        }
        let describe: @Sendable (String, SpoolKnowledge) -> Void = { what, k in
            log.info("\(what)", metadata: ["operators": "\(k.operators.count)", "correspondents": "\(k.correspondents.count)",
                                           "names": "\(k.names.count)"])
        }
        let start = learned()
        let scanner = start?.0 ?? MessageScanner(options: base)
        if let (_, knowledge) = start { describe("knowledge", knowledge) }
        let sink = writer.map { Self.storing(into: $0, log: logger, metrics: counters) }
        let server = MilterServer(address: address, scanner: scanner, options: options, logger: logger, metrics: counters, scanned: sink)
        do {
            try server.start()
        } catch {
            Output.error("\(address): \(error)")
            throw ExitCode(2)
        }
        var metricsPort: Int?
        if let metrics, case .inet(let host, let port)? = MilterAddress(metrics) {
            do { metricsPort = try server.serveMetrics(host: host, port: port) } catch {
                Output.error("--metrics \(metrics): \(error)")
                server.shutdown()
                throw ExitCode(2)
            }
        }
        // The ports chosen for inet:0, for whoever started us (tests, scripts).
        switch address {
        case .inet: if let port = server.boundPort { Output.write("listening on port \(port)\n") }
        case .unix(let path): Output.write("listening on \(path)\n")
        }
        if let port = metricsPort { Output.write("metrics on port \(port)\n") }
        await Self.waitForTermination(onHangup: {
            guard let (scanner, knowledge) = learned() else { return }
            server.replace(scanner: scanner)
            describe("knowledge reloaded", knowledge)
        })
        server.shutdown()
        writer?.close()
    }

    /// What the milter hands on with each message: stored through `writer`, or logged as not stored.
    private static func storing(into writer: StoreWriter, log: Logger, metrics: MilterMetrics?) -> @Sendable (ArrivedMessage, ScanResult?) -> Void {
        { message, result in
            guard let result, let stored = StoreWriter.stored(result, bytes: message.bytes) else {
                let reason = result == nil ? "not scanned" : "not encodable"
                log.error("not stored", metadata: ["queue_id": "\(message.envelope.queueID ?? "-")", "reason": "\(reason)"])
                metrics?.stored("not_stored")
                return
            }
            if !writer.offer(stored) {
                log.error("not stored", metadata: ["sha256": "\(stored.campaign.sha256)", "reason": "the store is too far behind"])
                metrics?.stored("not_stored")
            }
        }
    }

    private static func isInet(_ text: String) -> Bool {
        if case .inet? = MilterAddress(text) { return true }
        return false
    }

    /// Returns at SIGTERM or SIGINT; calls `onHangup` at each SIGHUP.
    private static func waitForTermination(onHangup: @escaping @Sendable () -> Void) async {
        signal(SIGTERM, SIG_IGN)
        signal(SIGINT, SIG_IGN)
        signal(SIGHUP, SIG_IGN)
        let stream = AsyncStream<Void> { continuation in
            let sources = [SIGTERM, SIGINT].map { DispatchSource.makeSignalSource(signal: $0, queue: .global()) }
            for source in sources {
                source.setEventHandler { continuation.yield() }
                source.resume()
            }
            let hangup = DispatchSource.makeSignalSource(signal: SIGHUP, queue: .global())
            hangup.setEventHandler(handler: onHangup)
            hangup.resume()
            signalSources = sources + [hangup]
        }
        for await _ in stream { return }
    }

    /// The signal sources, kept for the process's life.
    nonisolated(unsafe) private static var signalSources: [any DispatchSourceSignal] = []
}

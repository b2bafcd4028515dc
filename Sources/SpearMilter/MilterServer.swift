import Foundation
public import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Prometheus
import SpearCore
public import SpearScan

/// Where the milter listens: `inet:PORT@HOST` (Sendmail's notation; HOST defaults to 127.0.0.1; port 0 takes a free
/// one, which `boundPort` says) or `unix:PATH`.
public enum MilterAddress: Equatable, Sendable, CustomStringConvertible {
    case inet(host: String, port: Int)
    case unix(path: String)

    public init?(_ text: String) {
        if text.hasPrefix("unix:") || text.hasPrefix("local:") {
            let path = String(text.drop { $0 != ":" }.dropFirst())
            guard !path.isEmpty else { return nil }
            self = .unix(path: path)
        } else if text.hasPrefix("inet:") {
            let rest = text.dropFirst(5)
            let parts = rest.split(separator: "@", maxSplits: 1)
            guard let port = parts.first.flatMap({ Int($0) }), (0...65_535).contains(port) else { return nil }
            self = .inet(host: parts.count > 1 ? String(parts[1]) : "127.0.0.1", port: port)
        } else {
            return nil
        }
    }

    public var description: String {
        switch self {
        case .inet(let host, let port): "inet:\(port)@\(host)"
        case .unix(let path): "unix:\(path)"
        }
    }
}

/// The socket's permissions could not be set.
public struct MilterSocketMode: Error, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "cannot set the permissions of \(path): \(reason)" }
}

/// `unix:PATH` names a socket another process still answers on.
public struct MilterAddressInUse: Error, CustomStringConvertible {
    public var path: String
    public var description: String { "\(path) is in use by a running milter" }
}

/// How the milter treats mail it cannot analyse; it never delays or loses mail because of itself.
public struct MilterOptions: Sendable {
    public enum OnError: String, Sendable { case accept, tempfail }

    /// Scanning threads (one libmagic handle each).
    public var jobs = 2
    /// Bytes of a message analysed; a larger one is accepted with a header saying it was not inspected.
    public var maxMessageBytes = 32 << 20
    /// Seconds a message's analysis may take before it is accepted as not inspected.
    public var timeLimit = 20.0
    /// What a message gets when spearscan fails or is overloaded: accepted with a header (default), or a
    /// temporary failure (the MTA tries again later).
    public var onError = OnError.accept
    /// Messages (and bytes of them) waiting for a scanning thread before new ones are answered by `onError`.
    public var queueLimit = 256
    public var queueBytesLimit = 256 << 20
    /// The permissions of a `unix:` socket (the MTA's user must be able to write to it: Postfix's is `postfix`).
    public var socketMode: UInt16 = 0o660
    /// Bytes of messages all connections may hold together (being received, waiting, being scanned).
    public var heldBytesLimit = 512 << 20
    /// Seconds a shutdown (SIGTERM) waits for connections to finish their messages.
    public var shutdownGrace = 30.0
    /// What to do with analysed messages (default: headers only, accept).
    public var policy = MilterPolicy()
    /// The authserv-id of spearscan's Authentication-Results; nil: the MTA's host name (macro `j`), else this host's.
    public var authservID: String?

    public init() {}
}

/// `spearscan milter`: a milter (protocol version 6) on SwiftNIO. Each connection is a `MilterSession`; a message
/// that arrives whole is scanned on a worker thread and answered with spearscan's headers and `accept`. Bounded
/// everywhere: packets (`MilterFrame.maxLength`), bytes kept per message, analysis time, waiting messages.
public final class MilterServer: @unchecked Sendable {
    public let address: MilterAddress
    private let options: MilterOptions
    private let logger: Logger
    private let workers: ScanWorkers
    private let group: MultiThreadedEventLoopGroup
    private var channel: (any Channel)?
    /// Messages received whole and not yet answered (each is answered by its scan or its time limit).
    private let unanswered = NIOLockedValueBox(0)
    /// False once the event loop is being shut down: a scan ending after that has nobody to answer.
    private let loopAlive = NIOLockedValueBox(true)
    /// Messages answered, for the shutdown line.
    let answeredMessages = NIOLockedValueBox(0)

    /// Called on a scanning thread with every message scanned (answered in time or not), to store it; and with
    /// nil for a message that was never scanned (overloaded, or answered by its time limit while it waited).
    private let scanned: (@Sendable (ArrivedMessage, ScanResult?) -> Void)?

    /// The counters `--metrics` serves (nil: none kept).
    let metrics: MilterMetrics?
    /// The bound on bytes all connections hold together.
    let held: HeldBytes

    public init(address: MilterAddress, scanner: MessageScanner, options: MilterOptions, logger: Logger,
                metrics: MilterMetrics? = nil, scanned: (@Sendable (ArrivedMessage, ScanResult?) -> Void)? = nil) {
        self.scanned = scanned
        self.metrics = metrics
        held = HeldBytes(limit: options.heldBytesLimit)
        metrics?.track(held)
        self.address = address
        self.options = options
        self.logger = logger
        workers = ScanWorkers(scanner: scanner, count: options.jobs, capacity: options.queueLimit, byteCapacity: options.queueBytesLimit)
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    }

    /// Binds the address; the server then answers connections until `shutdown`.
    public func start() throws {
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 256)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { [self] channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(MilterHandler(server: self))
                }
            }
        switch address {
        case .inet(let host, let port):
            channel = try bootstrap.bind(host: host, port: port).wait()
        case .unix(let path):
            // A socket another milter still answers on is not taken over; a stale one left by a crash is.
            if FileManager.default.fileExists(atPath: path), (try? ClientBootstrap(group: group).connect(unixDomainSocketPath: path).wait())
                .map({ try? $0.close().wait(); return true }) == true {
                throw MilterAddressInUse(path: path)
            }
            channel = try bootstrap.bind(unixDomainSocketPath: path, cleanupExistingSocketFile: true).wait()
            guard chmod(path, mode_t(options.socketMode)) == 0 else {
                let why = String(cString: strerror(errno))
                try? channel?.close().wait()
                throw MilterSocketMode(path: path, reason: why)
            }
        }
        logger.info("listening", metadata: ["address": "\(address)"])
    }

    /// Messages taken for scanning from now on are scanned by `scanner` (what the store learned, reloaded).
    public func replace(scanner: MessageScanner) {
        workers.replace(scanner: scanner)
    }

    /// The port actually bound (for `inet:0@…`).
    public var boundPort: Int? { channel?.localAddress?.port }

    /// Stops accepting, answers every message already received whole (by its scan, or at the latest by its time
    /// limit), then closes the connections (an MTA applies its default action to a message it was still sending:
    /// `milter_default_action = accept` lets it through), and stops the workers.
    public func shutdown() {
        endpoint?.close()
        try? channel?.close().wait()
        // The socket file goes with the milter (a stale one would only be taken over at the next start).
        if case .unix(let path) = address { unlink(path) }
        let deadline = Date().addingTimeInterval(max(options.shutdownGrace, options.timeLimit + 1))
        while unanswered.withLockedValue({ $0 }) > 0 && Date() < deadline { usleep(20_000) }
        loopAlive.withLockedValue { $0 = false }
        workers.stop(waiting: 5)
        try? group.syncShutdownGracefully()
        logger.info("stopped", metadata: ["messages": "\(answeredMessages.withLockedValue { $0 })"])
    }

    // MARK: For the handlers

    func received() {
        unanswered.withLockedValue { $0 += 1 }
        metrics?.inFlight.increment()
    }

    func answered() {
        unanswered.withLockedValue { $0 -= 1 }
        metrics?.inFlight.decrement()
    }

    private var endpoint: MetricsEndpoint?

    /// Serves the counters at http://HOST:PORT/metrics on the milter's event loop (`--metrics`); the port bound.
    public func serveMetrics(host: String, port: Int) throws -> Int? {
        guard let metrics else { return nil }
        let endpoint = try MetricsEndpoint(host: host, port: port, metrics: metrics, group: group)
        self.endpoint = endpoint
        return endpoint.port
    }
    var acceptsAnswers: Bool { loopAlive.withLockedValue { $0 } }
    var milterOptions: MilterOptions { options }
    var log: Logger { logger }

    /// A message answered without a scan: its bytes given back, and reported as not scanned (not stored).
    func unscanned(_ message: ArrivedMessage) {
        scanned?(message, nil)
        held.release(message.heldBytes)
    }

    /// Queues a message for scanning; false when the queue refused it (then it is `unscanned`). Its bytes count
    /// against the common bound until its scan is over, or until it is dropped unscanned.
    func scan(_ message: ArrivedMessage, ticket: ScanWorkers.Ticket, done: @escaping @Sendable (ScanResult) -> Void) -> Bool {
        let scanned = scanned, held = held
        let accepted = workers.submit(message, ticket: ticket, dropped: { [self] in unscanned(message) }) { result in
            scanned?(message, result)
            held.release(message.heldBytes)
            done(result)
        }
        if !accepted { unscanned(message) }
        return accepted
    }
}

/// One connection: bytes in, packets out of them, the session's answers back; a message scanned off the event
/// loop, answered when its scan ends or its time runs out (whichever comes first; the other is ignored).
final class MilterHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let server: MilterServer
    private var session: MilterSession
    private var buffer: [UInt8] = []
    private var start = 0
    /// The message being scanned (its number), while its answer is awaited; packets wait meanwhile.
    private var pending: UInt64?
    /// Its time limit and its place in the scanning queue, given up once it is answered.
    private var timer: Scheduled<Void>?
    private var ticket: ScanWorkers.Ticket?
    private var messages: UInt64 = 0
    private var closing = false

    init(server: MilterServer) {
        self.server = server
        session = MilterSession(maxMessageBytes: server.milterOptions.maxMessageBytes, authservID: server.milterOptions.authservID,
                                held: server.held)
    }

    func channelActive(context: ChannelHandlerContext) {
        server.metrics?.connections.increment()
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        // The MTA went away: a message it was waiting for is answered to nobody; one it was sending is let go.
        server.metrics?.connections.decrement()
        session.releaseHeld()
        closing = true
        if pending != nil {
            pending = nil
            giveUpWaiting()
            server.answered()
        }
        context.fireChannelInactive()
    }

    private func giveUpWaiting() {
        timer?.cancel()
        timer = nil
        ticket?.cancel()
        ticket = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        buffer += bytes.readBytes(length: bytes.readableBytes) ?? []
        // A peer that keeps sending while a message is scanned (an MTA waits) cannot grow this without bound.
        if buffer.count - start > 2 * MilterFrame.maxLength + 64 {
            fail(context, "more than \(2 * MilterFrame.maxLength) bytes sent without waiting for an answer")
            return
        }
        process(context)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        server.log.warning("connection error", metadata: ["error": "\(error)"])
        context.close(promise: nil)
    }

    private func process(_ context: ChannelHandlerContext) {
        while pending == nil && !closing {
            switch MilterFrame.parse(buffer, from: start) {
            case .needMore:
                if start > 65_536 {
                    buffer.removeFirst(start)
                    start = 0
                }
                return
            case .invalid(let why):
                fail(context, why)
                return
            case .packet(let command, let data, let consumed):
                start += consumed
                let decoded: MilterCommand
                do {
                    decoded = try MilterCommand.decode(command: command, data: data)
                } catch {
                    fail(context, "\(error)")
                    return
                }
                handle(session.handle(decoded), context)
            }
        }
    }

    private func handle(_ step: MilterSession.Step, _ context: ChannelHandlerContext) {
        switch step {
        case .silent:
            break
        case .reply(let replies):
            write(replies, context)
        case .close:
            closing = true
            context.close(promise: nil)
        case .endOfMessage(let message):
            messages += 1
            let number = messages
            pending = number
            server.received()
            let about = About(envelope: message.envelope, size: message.truncatedFrom ?? message.bytes.count,
                              started: DispatchTime.now().uptimeNanoseconds, authservID: message.authservID,
                              forged: message.forgedAuthResults, heldLimited: message.heldLimited)
            let loop = context.eventLoop
            let bound = NIOLoopBound((self, context), eventLoop: loop)
            let server = server
            // Cut short by the bound on bytes all connections hold: not judged on a part, but answered by the
            // --on-error rule (accepted as not inspected, or tempfailed so the MTA tries again when there is room).
            if message.heldLimited {
                server.unscanned(message)
                answer(number, .failed("held_bytes"), about, context)
                return
            }
            let ticket = ScanWorkers.Ticket()
            self.ticket = ticket
            let accepted = server.scan(message, ticket: ticket) { result in
                guard server.acceptsAnswers else { return }
                loop.execute {
                    let (handler, context) = bound.value
                    handler.answer(number, .scanned(result), about, context)
                }
            }
            guard accepted else {
                answer(number, .failed("overloaded"), about, context)
                return
            }
            timer = loop.scheduleTask(in: .nanoseconds(Int64(server.milterOptions.timeLimit * 1e9))) {
                let (handler, context) = bound.value
                handler.answer(number, .failed("time_limit"), about, context)
            }
        }
    }

    private enum Outcome {
        case scanned(ScanResult)
        case failed(String)
    }

    /// What the log line says of a message (not the message itself, which is let go once scanned).
    private struct About {
        var envelope: Envelope
        var size: Int
        var started: UInt64
        var authservID: String
        /// Authentication-Results headers claiming spearscan's authserv-id (their places among those headers).
        var forged: [UInt32]
        /// Cut short by the bound on bytes all connections hold.
        var heldLimited: Bool
    }

    /// The end-of-message answer: spearscan's headers, then accept (or, for a failure under
    /// `--on-error tempfail`, a temporary failure). Only the first answer for a message counts.
    private func answer(_ number: UInt64, _ outcome: Outcome, _ about: About, _ context: ChannelHandlerContext) {
        guard pending == number, !closing else { return }
        pending = nil
        giveUpWaiting()
        server.answered()
        let space = session.leadingSpace
        var replies: [MilterReply]
        var status: String, reasons: [String]
        var action = "accept"
        var spf = "-"
        switch outcome {
        case .scanned(let result):
            let verdict = result.report.verdict
            var headers = MilterVerdict.replies(for: verdict, leadingSpace: space)
            if let sender = result.report.sender {
                // At the top, where RFC 8601 wants it (above the Received this MTA adds).
                headers.insert(.insertHeader(index: 0, name: "Authentication-Results",
                                             value: (space ? " " : "") + AuthResultsWriter.value(authservID: about.authservID, sender: sender)), at: 0)
            }
            switch server.milterOptions.policy.action(for: verdict) {
            case .accept:
                replies = headers + [.accept]
            case .quarantine(let reason):
                // An MTA that did not grant quarantining gets the headers alone.
                action = session.canQuarantine ? "quarantine" : "accept (quarantine not granted by the MTA)"
                replies = headers + (session.canQuarantine ? [.quarantine(reason: reason)] : []) + [.accept]
            case .reject(let reply):
                action = "reject"
                replies = [.replyCode(reply)]
            case .tempfail(let reply):
                action = "tempfail"
                replies = [.replyCode(reply)]
            }
            if let result = result.report.sender?.spf { spf = result.result.rawValue }
            status = verdict.status.rawValue
            reasons = verdict.status == .suspicious ? verdict.reasons : verdict.notInspected
        case .failed(let why):
            status = "not_inspected"
            reasons = [why]
            if server.milterOptions.onError == .tempfail { action = "tempfail" }
            replies = server.milterOptions.onError == .tempfail ? [.tempfail]
                : MilterVerdict.notInspected(why, leadingSpace: space) + [.accept]
        }
        // An MTA that did not grant adding headers gets none (it would take them as a protocol error).
        if !session.canAddHeaders {
            replies.removeAll {
                switch $0 {
                case .addHeader, .insertHeader: true
                default: false
                }
            }
        }
        // Forged Authentication-Results claiming spearscan's authserv-id are deleted (the last first, so that the
        // places of the others stay what they were), before spearscan's own is inserted.
        if session.canChangeHeaders, !about.forged.isEmpty, replies.last == .accept {
            replies.insert(contentsOf: about.forged.sorted(by: >).map { .changeHeader(index: $0, name: "Authentication-Results", value: "") }, at: 0)
        }
        server.answeredMessages.withLockedValue { $0 += 1 }
        let elapsed = DispatchTime.now().uptimeNanoseconds - about.started
        let ids = MilterVerdict.ids(reasons)
        if let metrics = server.metrics {
            if case .failed(let why) = outcome { metrics.error(why) }
            metrics.answered(status: status, findings: ids, action: String(action.prefix { $0 != " " }), nanoseconds: elapsed)
        }
        server.log.info("message", metadata: [
            "queue_id": "\(about.envelope.queueID ?? "-")", "client": "\(about.envelope.clientAddress ?? "-")",
            "from": "\(about.envelope.mailFrom ?? "")", "recipients": "\(about.envelope.recipients.count)",
            "size": "\(about.size)", "status": "\(status)",
            "reasons": "\(ids.joined(separator: ","))",
            "action": "\(action)", "spf": "\(spf)", "forged_auth_results": "\(about.forged.count)",
            "ms": "\(Double(elapsed / 10_000) / 100)", "held_limit": "\(about.heldLimited)",
        ])
        write(replies, context)
        process(context)
    }

    private func write(_ replies: [MilterReply], _ context: ChannelHandlerContext) {
        var out = context.channel.allocator.buffer(capacity: 64)
        for reply in replies { out.writeBytes(reply.bytes) }
        context.writeAndFlush(wrapOutboundOut(out), promise: nil)
    }

    private func fail(_ context: ChannelHandlerContext, _ why: String) {
        server.metrics?.error("protocol")
        server.log.warning("closing a connection that broke the milter protocol", metadata: ["reason": "\(why)"])
        closing = true
        context.close(promise: nil)
    }
}

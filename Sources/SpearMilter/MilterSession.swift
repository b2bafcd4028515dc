#if canImport(Glibc)
import Glibc
#endif
public import SpearCore

/// A message as it arrived through the milter protocol: its bytes rebuilt from the header and body events, and
/// the envelope the MTA saw.
public struct ArrivedMessage: Sendable, Equatable {
    /// The header section (each header as the MTA passed it, CRLF line ends), a blank line, the body; at most the
    /// session's `maxMessageBytes`.
    public var bytes: [UInt8]
    /// The size the message had, when it was larger than what was kept.
    public var truncatedFrom: Int?
    public var envelope: Envelope
    /// The authserv-id spearscan writes its Authentication-Results under for this message.
    public var authservID: String = ""
    /// Bytes of it granted by the connections' common bound (`HeldBytes`), given back once it is scanned; and
    /// whether that bound cut it short.
    public var heldBytes = 0
    public var heldLimited = false
    /// Which Authentication-Results headers (by their place among those of that name, from 1) already claim
    /// spearscan's authserv-id: forgeries from outside (RFC 8601 §5), left out of the analysis and deleted.
    public var forgedAuthResults: [UInt32] = []

    /// What the sender stage is told of the message's arrival.
    public var arrival: Arrival {
        Arrival(clientAddress: envelope.clientAddress, clientName: envelope.clientHostname, helo: envelope.helo,
                mailFrom: envelope.mailFrom, recipients: envelope.recipients, authenticated: envelope.authenticated)
    }
}

public struct Envelope: Sendable, Equatable {
    public var clientHostname: String?
    public var clientAddress: String?
    public var helo: String?
    public var mailFrom: String?
    public var recipients: [String] = []
    /// The MTA's queue id (macro `i`), for the log.
    public var queueID: String?
    /// The client authenticated with SMTP AUTH (macro `{auth_authen}`).
    public var authenticated = false

    public init() {}
}

/// One milter connection's conversation, without the network: each command in, what to answer out. A connection
/// may carry several messages (each ends with end-of-message or abort) and several SMTP sessions (`K`).
public struct MilterSession {
    public enum Step: Equatable {
        case reply([MilterReply])
        /// Nothing to answer (macros, abort).
        case silent
        /// A whole message arrived: scan it and answer with modifications and a final reply.
        case endOfMessage(ArrivedMessage)
        case close
    }

    /// Bytes of a message kept for scanning; past it the rest is counted, not kept.
    public let maxMessageBytes: Int
    private(set) public var envelope = Envelope()
    private var message: [UInt8] = []
    private var size = 0
    private var negotiated = false
    /// The configured authserv-id; without one, the MTA's host name (macro `j`), else this host's name.
    private let configuredID: String?
    private var mtaName: String?
    private var authResultsSeen: UInt32 = 0
    private var forged: [UInt32] = []

    /// `held`: the bound on bytes all connections hold together (nil: none but `maxMessageBytes`).
    private let held: HeldBytes?
    private var granted = 0
    private var limited = false

    public init(maxMessageBytes: Int, authservID: String? = nil, held: HeldBytes? = nil) {
        self.maxMessageBytes = maxMessageBytes
        configuredID = authservID
        self.held = held
    }

    /// Gives back the bytes of a message still being received (the connection ended).
    public mutating func releaseHeld() {
        held?.release(granted)
        granted = 0
    }

    /// The authserv-id of spearscan's Authentication-Results on this connection.
    public var authservID: String { configuredID ?? mtaName ?? Self.hostName }

    private static let hostName: String = {
        var name = [CChar](repeating: 0, count: 256)
        guard gethostname(&name, name.count - 1) == 0 else { return "localhost" }
        return String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }()

    public mutating func handle(_ command: MilterCommand) -> Step {
        if !negotiated, command != .quit {
            // Everything starts with option negotiation; anything else first is not an MTA.
            guard case .negotiate = command else { return .close }
        }
        switch command {
        case .negotiate(let version, let actions, let flags):
            guard version >= 2 else { return .close }
            negotiated = true
            // Everything but the end of the message needs no answer: the MTA streams the message (Postfix offers it).
            let wanted = MilterFlags.noUnknown | MilterFlags.noData | MilterFlags.headerLeadingSpace | MilterFlags.noReplies
            leadingSpace = flags & MilterFlags.headerLeadingSpace != 0
            noReply = flags & MilterFlags.noReplies
            canQuarantine = actions & MilterFlags.quarantine != 0
            canAddHeaders = actions & MilterFlags.addHeaders != 0
            canChangeHeaders = actions & MilterFlags.changeHeaders != 0
            return .reply([.negotiate(version: min(version, 6),
                                      actions: actions & (MilterFlags.addHeaders | MilterFlags.changeHeaders | MilterFlags.quarantine),
                                      protocolFlags: flags & wanted)])
        case .macros(_, let macros):
            if let id = macros["i"] { envelope.queueID = id }
            if let name = macros["j"], !name.isEmpty { mtaName = name }
            if let user = macros["{auth_authen}"] { envelope.authenticated = !user.isEmpty }
            return .silent
        case .connect(let hostname, _, _, let address):
            envelope = Envelope()
            envelope.clientHostname = hostname
            envelope.clientAddress = address.isEmpty ? nil : address
            return proceed(MilterFlags.noReplyConnect)
        case .helo(let name):
            envelope.helo = name
            return proceed(MilterFlags.noReplyHelo)
        case .mailFrom(let args):
            startMessage()
            envelope.mailFrom = args.first.map(Self.unbracketed)
            envelope.recipients = []
            return proceed(MilterFlags.noReplyMail)
        case .recipient(let args):
            if let first = args.first { envelope.recipients.append(Self.unbracketed(first)) }
            return proceed(MilterFlags.noReplyRecipient)
        case .data:
            return proceed(MilterFlags.noReplyData)
        case .unknown:
            return proceed(MilterFlags.noReplyUnknown)
        case .header(let name, let value):
            if name.count == 22, String(decoding: name, as: UTF8.self).lowercased() == "authentication-results" {
                authResultsSeen += 1
                // One claiming to be spearscan's own is a forgery (this MTA has not added it yet): not analysed,
                // and deleted from the message.
                if let id = Self.authservID(of: value), id.lowercased() == authservID.lowercased() {
                    forged.append(authResultsSeen)
                    return proceed(MilterFlags.noReplyHeader)
                }
            }
            // With the leading-space option the value keeps what followed the colon; folded lines come with a
            // bare LF, which a message on the wire ends with CRLF.
            let separator: [UInt8] = leadingSpace ? [0x3A] : [0x3A, 0x20]
            append(name + separator + Self.crlf(value) + [0x0D, 0x0A])
            return proceed(MilterFlags.noReplyHeader)
        case .endOfHeaders:
            append([0x0D, 0x0A])
            return proceed(MilterFlags.noReplyEndOfHeaders)
        case .body(let chunk):
            append(chunk)
            return proceed(MilterFlags.noReplyBody)
        case .endOfMessage(let chunk):
            append(chunk)
            var arrived = ArrivedMessage(bytes: message, truncatedFrom: size > message.count ? size : nil, envelope: envelope)
            arrived.authservID = authservID
            arrived.forgedAuthResults = forged
            arrived.heldBytes = granted
            arrived.heldLimited = limited
            granted = 0  // the message's now: given back once it is scanned
            startMessage()
            return .endOfMessage(arrived)
        case .abort:
            startMessage()
            return .silent
        case .quitNewConnection:
            startMessage()
            envelope = Envelope()
            return .silent
        case .quit:
            return .close
        }
    }

    /// The commands the MTA sends without waiting for an answer (negotiated when it offers).
    private(set) public var noReply: UInt32 = 0

    /// `continue`, unless the MTA was told not to wait for it.
    private func proceed(_ flag: UInt32) -> Step {
        noReply & flag != 0 ? .silent : .reply([.continue])
    }

    /// Whether header values come with their leading space (negotiated when the MTA offers it).
    private(set) public var leadingSpace = false
    /// Whether the MTA lets the milter quarantine a message, add headers (negotiated).
    private(set) public var canQuarantine = false
    private(set) public var canAddHeaders = false
    private(set) public var canChangeHeaders = false

    private mutating func startMessage() {
        releaseHeld()
        limited = false
        message.removeAll(keepingCapacity: false)
        size = 0
        authResultsSeen = 0
        forged = []
    }

    /// An Authentication-Results value's authserv-id (RFC 8601 §2.2): after any white space and comments (nested,
    /// with quoted pairs), a word or a quoted string (unquoted here), ending at `;`, white space or a comment. Read
    /// as the analysis reads it, and as a forger might write it: `(x) mx.example.jp;` and `"mx.example.jp";` both
    /// claim `mx.example.jp`.
    static func authservID(of value: [UInt8]) -> String? {
        var i = 0
        // CFWS: white space and comments, which nest and may escape a character with a backslash.
        while i < value.count {
            let b = value[i]
            if b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A {
                i += 1
            } else if b == 0x28 {
                var depth = 0
                while i < value.count {
                    switch value[i] {
                    case 0x5C: i += 1
                    case 0x28: depth += 1
                    case 0x29: depth -= 1
                    default: break
                    }
                    i += 1
                    if depth == 0 { break }
                }
            } else {
                break
            }
        }
        guard i < value.count else { return nil }
        var id: [UInt8] = []
        if value[i] == 0x22 {
            i += 1
            while i < value.count, value[i] != 0x22 {
                if value[i] == 0x5C, i + 1 < value.count { i += 1 }
                id.append(value[i])
                i += 1
            }
        } else {
            while i < value.count, ![0x3B, 0x20, 0x09, 0x0D, 0x0A, 0x28].contains(value[i]) {
                id.append(value[i])
                i += 1
            }
        }
        return id.isEmpty ? nil : String(decoding: id, as: UTF8.self)
    }

    private mutating func append(_ bytes: [UInt8]) {
        size += bytes.count
        var take = min(maxMessageBytes - message.count, bytes.count)
        // Once cut short, nothing more is kept (bytes after a gap would be a different message).
        guard take > 0, !limited else { return }
        if let held {
            let grant = held.reserve(take)
            if grant < take { limited = true }
            granted += grant
            take = grant
        }
        message += bytes.prefix(take)
    }

    private static func unbracketed(_ address: String) -> String {
        var a = Substring(address)
        if a.hasPrefix("<") { a = a.dropFirst() }
        if a.hasSuffix(">") { a = a.dropLast() }
        return String(a)
    }

    /// Bare LFs as CRLF.
    private static func crlf(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.contains(0x0A) else { return bytes }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 8)
        for (i, b) in bytes.enumerated() {
            if b == 0x0A && (i == 0 || bytes[i - 1] != 0x0D) { out.append(0x0D) }
            out.append(b)
        }
        return out
    }
}

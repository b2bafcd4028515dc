/// A message as it arrived through the milter protocol: its bytes rebuilt from the header and body events, and
/// the envelope the MTA saw.
public struct ArrivedMessage: Sendable, Equatable {
    /// The header section (each header as the MTA passed it, CRLF line ends), a blank line, the body; at most the
    /// session's `maxMessageBytes`.
    public var bytes: [UInt8]
    /// The size the message had, when it was larger than what was kept.
    public var truncatedFrom: Int?
    public var envelope: Envelope
}

public struct Envelope: Sendable, Equatable {
    public var clientHostname: String?
    public var clientAddress: String?
    public var helo: String?
    public var mailFrom: String?
    public var recipients: [String] = []
    /// The MTA's queue id (macro `i`), for the log.
    public var queueID: String?

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

    public init(maxMessageBytes: Int) {
        self.maxMessageBytes = maxMessageBytes
    }

    public mutating func handle(_ command: MilterCommand) -> Step {
        if !negotiated, command != .quit {
            // Everything starts with option negotiation; anything else first is not an MTA.
            guard case .negotiate = command else { return .close }
        }
        switch command {
        case .negotiate(let version, let actions, let flags):
            guard version >= 2 else { return .close }
            negotiated = true
            let wanted = MilterFlags.noUnknown | MilterFlags.noData | MilterFlags.headerLeadingSpace
            leadingSpace = flags & MilterFlags.headerLeadingSpace != 0
            canQuarantine = actions & MilterFlags.quarantine != 0
            canAddHeaders = actions & MilterFlags.addHeaders != 0
            return .reply([.negotiate(version: min(version, 6), actions: actions & (MilterFlags.addHeaders | MilterFlags.quarantine),
                                      protocolFlags: flags & wanted)])
        case .macros(_, let macros):
            if let id = macros["i"] { envelope.queueID = id }
            return .silent
        case .connect(let hostname, _, _, let address):
            envelope = Envelope()
            envelope.clientHostname = hostname
            envelope.clientAddress = address.isEmpty ? nil : address
            return .reply([.continue])
        case .helo(let name):
            envelope.helo = name
            return .reply([.continue])
        case .mailFrom(let args):
            startMessage()
            envelope.mailFrom = args.first.map(Self.unbracketed)
            envelope.recipients = []
            return .reply([.continue])
        case .recipient(let args):
            if let first = args.first { envelope.recipients.append(Self.unbracketed(first)) }
            return .reply([.continue])
        case .data, .unknown:
            return .reply([.continue])
        case .header(let name, let value):
            // With the leading-space option the value keeps what followed the colon; folded lines come with a
            // bare LF, which a message on the wire ends with CRLF.
            let separator: [UInt8] = leadingSpace ? [0x3A] : [0x3A, 0x20]
            append(name + separator + Self.crlf(value) + [0x0D, 0x0A])
            return .reply([.continue])
        case .endOfHeaders:
            append([0x0D, 0x0A])
            return .reply([.continue])
        case .body(let chunk):
            append(chunk)
            return .reply([.continue])
        case .endOfMessage(let chunk):
            append(chunk)
            let arrived = ArrivedMessage(bytes: message, truncatedFrom: size > message.count ? size : nil, envelope: envelope)
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

    /// Whether header values come with their leading space (negotiated when the MTA offers it).
    private(set) public var leadingSpace = false
    /// Whether the MTA lets the milter quarantine a message, add headers (negotiated).
    private(set) public var canQuarantine = false
    private(set) public var canAddHeaders = false

    private mutating func startMessage() {
        message.removeAll(keepingCapacity: false)
        size = 0
    }

    private mutating func append(_ bytes: [UInt8]) {
        size += bytes.count
        let room = maxMessageBytes - message.count
        if room > 0 { message += bytes.prefix(room) }
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

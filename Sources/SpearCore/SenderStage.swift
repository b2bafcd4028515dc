public import SpearMIME

/// The sender-spoofing stage, as the scan pipeline sees it: given the parsed message and the address headers
/// the scanner has decoded already, a verdict on the sender. SpearSender's `SenderAnalyzer` is the
/// implementation; the scanner knows only this protocol, so it builds without DNS, DKIM crypto or YAML.
public protocol SenderStage: Sendable {
    func analyze(_ message: MIMEMessage, parsed: ParsedAddressHeaders?) -> SenderReport
    /// The same, for a message analysed as it arrives: `arrival` (the client, HELO and envelope the MTA saw) is
    /// what SPF checks and what the envelope is, instead of what the headers say.
    func analyze(_ message: MIMEMessage, parsed: ParsedAddressHeaders?, arrival: Arrival?) -> SenderReport

    /// Spool learning (issue #14). The knowledge this stage applies (empty when none, or when learning is off).
    var knowledge: SpoolKnowledge { get }
    /// The same stage applying `knowledge` instead.
    func applying(_ knowledge: SpoolKnowledge) -> any SenderStage
    /// Picks, from what a store's observations support, what may be trusted and protected (the rules that keep
    /// an attacker's volume from buying trust live here).
    func learn(from evidence: SpoolEvidence, rules: LearningRules) -> SpoolKnowledge
    /// What this stage's knowledge would change for a message with this observation: rescoring compares it with
    /// `observation.applied`, what the message was scored with.
    func effect(of observation: SenderObservation) -> LearnedEffect
    /// Asks ahead, without waiting, for the DNS records `analyze` will want for a message with these headers
    /// (DKIM keys, the DMARC policy, the envelope domain's SPF record and its includes), so that they are on
    /// their way while the message waits its turn or its attachments are unpacked. Never changes a result.
    func prefetch(_ headers: HeaderFields)
    /// Whether `prefetch` does anything (not offline): callers skip reading the header for it when not.
    var asksAhead: Bool { get }
}

extension SenderStage {
    public func analyze(_ message: MIMEMessage, parsed: ParsedAddressHeaders?, arrival: Arrival?) -> SenderReport {
        analyze(message, parsed: parsed)
    }
    public func prefetch(_ headers: HeaderFields) {}
    public var asksAhead: Bool { false }

    /// `prefetch` for a message not parsed yet: its header block read from the raw bytes.
    public func prefetch(raw bytes: [UInt8]) {
        guard asksAhead else { return }
        prefetch(MIMEParser().parse(HeaderBlock.of(bytes)).headers)
    }
}

/// The header block of a raw message: up to and including the blank line that ends it (at most 256 KiB; the
/// whole message when it has no blank line within that).
public enum HeaderBlock {
    public static func of(_ bytes: [UInt8], limit: Int = 256 << 10) -> [UInt8] {
        let end = min(bytes.count, limit)
        var i = 0
        while i < end {
            guard let nl = bytes[i..<end].firstIndex(of: 0x0A) else { break }
            let next = nl + 1
            if next < end, bytes[next] == 0x0A { return Array(bytes[..<(next + 1)]) }
            if next + 1 < end, bytes[next] == 0x0D, bytes[next + 1] == 0x0A { return Array(bytes[..<(next + 2)]) }
            i = next
        }
        return Array(bytes[..<end])
    }
}

/// Address headers a caller has parsed already (the scanner's message summary), so they are not parsed twice.
public struct ParsedAddressHeaders: Sendable {
    public var from: [Address]
    public var replyTo: [Address]
    /// The first Return-Path's address; nil or empty when there is none.
    public var returnPath: String?

    public init(from: [Address], replyTo: [Address], returnPath: String?) {
        self.from = from
        self.replyTo = replyTo
        self.returnPath = returnPath
    }
}

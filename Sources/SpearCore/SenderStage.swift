public import SpearMIME

/// The sender-spoofing stage, as the scan pipeline sees it: given the parsed message and the address headers
/// the scanner has decoded already, a verdict on the sender. SpearSender's `SenderAnalyzer` is the
/// implementation; the scanner knows only this protocol, so it builds without DNS, DKIM crypto or YAML.
public protocol SenderStage: Sendable {
    func analyze(_ message: MIMEMessage, parsed: ParsedAddressHeaders?) -> SenderReport

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

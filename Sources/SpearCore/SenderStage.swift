public import SpearMIME

/// The sender-spoofing stage, as the scan pipeline sees it: given the parsed message and the address headers
/// the scanner has decoded already, a verdict on the sender. SpearSender's `SenderAnalyzer` is the
/// implementation; the scanner knows only this protocol, so it builds without DNS, DKIM crypto or YAML.
public protocol SenderStage: Sendable {
    func analyze(_ message: MIMEMessage, parsed: ParsedAddressHeaders?) -> SenderReport
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

/// What the receiving MTA knew of a message when it arrived (the milter's connect, HELO and envelope events):
/// the one moment SPF has its real inputs. A message read from a spool has none; its sender stage then takes the
/// client from the Received headers and the envelope from Return-Path.
public struct Arrival: Sendable, Equatable {
    /// The connecting client's IP address as the MTA saw it, and the name it resolved to (if any).
    public var clientAddress: String?
    public var clientName: String?
    /// The HELO/EHLO name the client gave.
    public var helo: String?
    /// The envelope sender (MAIL FROM) without its angle brackets; "" for the null sender (bounces).
    public var mailFrom: String?
    public var recipients: [String]
    /// The client authenticated (SMTP AUTH): a submission, not mail from the Internet, so SPF is not asked.
    public var authenticated: Bool

    public init(clientAddress: String? = nil, clientName: String? = nil, helo: String? = nil, mailFrom: String? = nil,
                recipients: [String] = [], authenticated: Bool = false) {
        self.clientAddress = clientAddress
        self.clientName = clientName
        self.helo = helo
        self.mailFrom = mailFrom
        self.recipients = recipients
        self.authenticated = authenticated
    }
}

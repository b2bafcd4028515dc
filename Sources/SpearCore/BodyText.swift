/// A decoded text body, kept for the stages that read the words of a message (passwords, fingerprints).
public struct BodyText: Sendable {
    public var mimePath: String
    public var contentType: String
    public var text: String
    public var forwarded: Bool

    public init(mimePath: String, contentType: String, text: String, forwarded: Bool) {
        self.mimePath = mimePath
        self.contentType = contentType
        self.text = text
        self.forwarded = forwarded
    }
}

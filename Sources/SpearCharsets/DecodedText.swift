/// Text decoded from bytes, with an honest account of how well that went.
public struct DecodedText: Sendable, Equatable {
    /// The decoded text; undecodable bytes appear as U+FFFD.
    public var string: String
    /// The charset actually used (which differs from the label when the label was unknown or wrong).
    public var charset: Charset
    /// How many bytes or sequences could not be decoded and were replaced with U+FFFD.
    public var replacements: Int
    /// The label named a charset nothing here decodes.
    public var unknownLabel: Bool
    /// The bytes could not be in the labelled charset (8-bit bytes under a 7-bit label), so another was guessed.
    public var mislabelled: Bool

    public init(string: String, charset: Charset, replacements: Int = 0, unknownLabel: Bool = false, mislabelled: Bool = false) {
        self.string = string
        self.charset = charset
        self.replacements = replacements
        self.unknownLabel = unknownLabel
        self.mislabelled = mislabelled
    }

    /// True when the text is exactly what the label promised.
    public var isClean: Bool { replacements == 0 && !unknownLabel && !mislabelled }
}

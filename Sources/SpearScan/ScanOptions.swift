public import SpearCore
public import SpearMIME
public import SpearIndicators
public import SpearUnpack

/// What a scan may do and how far it may go. Every limit is reported in the output when it fires.
public struct ScanOptions: Sendable {
    /// Bytes of one message read at most; the rest is not inspected (defect `input_truncated`).
    public var maxMessageBytes: Int = 256 << 20
    public var parse: ParseOptions = .default
    /// Bounds on opening archives (depth, members, bytes, ratio, time), per message.
    public var unpack = UnpackLimits()
    /// Password candidates from the user (`--password`, `--password-file`), tried before those found in the
    /// message's own text.
    public var passwords: [PasswordCandidate] = []
    /// Compute the SHA-256 of the whole raw message (the report's `sha256`, a message's identity in a store).
    /// Costs about a fifth of the scan time of attachment-heavy mail; off, `sha256` is null.
    public var messageDigest = true
    /// Sender-spoofing analysis (SpearSender's `SenderAnalyzer`: header evidence, Authentication-Results, DKIM,
    /// lookalikes); nil skips it and the report's `sender` is null.
    public var sender: (any SenderStage)?
    /// Indicator extraction (URLs, domains, addresses, hashes: the report's `iocs`); nil skips it and `iocs` is
    /// empty.
    public var indicators: IndicatorExtractor?
    /// Ask for the sender's DNS records as soon as the message is parsed (they arrive while its attachments are
    /// unpacked). Off in a batch, whose reader asks for them earlier.
    public var senderAsksAhead = true
    /// Time each stage of the scan (`ScanResult.times`): a clock read between stages, for `spearscan-bench`.
    public var timeStages = false
    /// Keep decoded attachment bytes in the result (for `--extract`).
    public var keepPayloads = false
    /// libmagic's description of every file (`magic.description`). A second libmagic call per file; a batch
    /// whose store keeps only the MIME type turns it off (OLE2 files are still described: their description
    /// tells Word from Excel).
    public var magicDescriptions = true

    public init() {}
}

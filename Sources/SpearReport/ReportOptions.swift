/// What to report: the CLI's `--by`, `--scope`, `--from`, `--to`, `--public-addresses` and `--lang`.
public struct ReportOptions: Sendable, Hashable {
    public var by: Granularity
    public var scope: Scope
    /// First month included, `YYYY-MM` (inclusive); nil = from the earliest message.
    public var from: String?
    /// Last month included, `YYYY-MM` (inclusive); nil = up to the latest message.
    public var to: String?
    /// Addresses published on the web (lower-cased on use). Nil means "not given": the non-public figure is
    /// then `n/a` rather than a misleading 0 % or 100 %.
    public var publicAddresses: Set<String>?
    public var lang: Language

    public init(
        by: Granularity = .month,
        scope: Scope = .targeted,
        from: String? = nil,
        to: String? = nil,
        publicAddresses: Set<String>? = nil,
        lang: Language = .en
    ) {
        self.by = by
        self.scope = scope
        self.from = from
        self.to = to
        self.publicAddresses = publicAddresses
        self.lang = lang
    }
}

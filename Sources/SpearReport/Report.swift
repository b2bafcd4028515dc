/// A period report of targeted-attack mail: NPA-style headline statistics and attachment-type breakdowns per
/// month, quarter, half-year or year, with renderers for the table, CSV, JSON, SVG and HTML outputs.
///
/// ## Counting rules
/// - **Scope.** `targeted` (the default) counts only messages with `targeted == true`; `all` counts every
///   message. `messages` and `targeted` are always counted over every message of the period, so the table can
///   say "12 messages, 3 targeted"; everything else (shares, attachments, subjects, domains) is counted over the
///   messages in scope (`counted`), which is also the denominator of every headline share.
/// - **Periods.** A message's month is the `YYYY-MM` written at the start of its Date header, in the sender's
///   own offset (not converted to UTC); if that is missing or unparseable (or the year is outside 1990–2099,
///   the mark of a zeroed or forged header) the first Received timestamp is used; otherwise the message goes
///   to the `unknown` bucket, which is shown, after every dated period. Periods with no messages between the
///   first and last one (or within `from`…`to`) are shown too, as empty periods, so gaps are visible.
/// - **Filters.** `from`/`to` (`YYYY-MM`, inclusive) filter messages by month before they are grouped; with
///   `--by quarter` and `from: "2019-02"` the 2019-Q1 bucket therefore holds February and March only. When
///   either filter is set the `unknown` bucket is dropped, because an undated message cannot be said to fall
///   inside the range; without filters it is kept.
/// - **Attachment breakdown** counts files, not messages: each top-level, non-inline attachment once, by
///   category (unknown category strings as `other`).
/// - **Inside compressed files** counts every leaf found inside `archive` and `disk_image` attachments after
///   full recursion. Archives or disk images inside them are not leaves; they are counted as
///   `nested_archives` and recursed into. A container (top-level or nested) with no members that is encrypted
///   or incomplete could not be inspected and counts once as `not_inspected` (a nested one counts as a nested
///   archive as well). A container opened only partly contributes the leaves that were found. Members of
///   non-container attachments (an attached email's own attachments) are not counted.
/// - **Headline.** `spoofed`: counted messages whose sender verdict is spoofed (`spoofed_unknown` holds the
///   ones without a verdict); `bulk`: counted messages of bulk-type campaigns; `non_public`: counted messages
///   with at least one recipient not in the public-address list (case-insensitive), nil/`n/a` without a
///   list; `encrypted_archive`: counted messages with at least one encrypted archive or disk-image attachment;
///   top five subjects (whitespace folded; messages without a subject are left out) and top five sender
///   domains, ties broken alphabetically.
/// - **Totals** are computed over all kept messages, so their top lists are true top fives, not merged ones.
public struct Report: Sendable {
    public let options: ReportOptions
    /// Chronological, gaps filled, the unknown bucket (if any) last.
    public let periods: [PeriodStats]
    /// Every message kept by the filters, as one period.
    public let totals: PeriodStats

    /// Counts the messages; throws ``ReportError`` when `from`/`to` are not `YYYY-MM` or are reversed.
    public init(messages: [ReportMessage], options: ReportOptions = ReportOptions()) throws(ReportError) {
        let aggregator = try Aggregator(options: options)
        let result = aggregator.run(messages)
        self.options = options
        self.periods = result.periods
        self.totals = result.totals
    }

    /// The labels of this report's language.
    var labels: Labels { Labels(options.lang) }
}

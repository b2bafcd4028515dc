/// The kind of input a path is read as.
///
/// Detected by ``SpoolDetector`` unless forced with ``SpoolOptions/format`` (the CLI's `--input-format`),
/// because a user sometimes knows better than a sniff of the first bytes (a single message that happens to
/// begin with `From `, say).
public enum SpoolFormat: String, Sendable, CaseIterable {
    /// A Maildir: messages are the files in `cur/` then `new/`; `tmp/` is never read (deliveries in progress).
    case maildir
    /// One mbox file (plain or gzip-compressed), holding many messages separated by `From ` lines.
    case mbox
    /// A directory tree of message files, walked recursively in byte order; mbox files inside are split.
    case directory
    /// A single file holding one message.
    case file
}

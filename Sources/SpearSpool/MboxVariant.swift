/// How `From ` lines inside message bodies were protected by the program that wrote an mbox.
///
/// The variants cannot be told apart reliably from the file, so ``auto`` picks the reading that loses the
/// least: trust a `Content-Length:` header when it checks out, otherwise undo mboxrd quoting.
public enum MboxVariant: String, Sendable, CaseIterable {
    /// `Content-Length:` when it validates (see ``mboxcl2``), otherwise mboxrd unescaping.
    case auto
    /// Writers turned `From ` into `>From ` but left `>From ` alone, so reading turns `>From ` back into
    /// `From `. Ambiguous by design: a body line that really was `>From ` comes back as `From `.
    case mboxo
    /// Writers added one `>` to every line matching `^>*From `; reading removes one `>` from `^>+From `.
    /// Lossless.
    case mboxrd
    /// Bodies are not escaped; a `Content-Length:` header gives the body size. Trusted only when the count
    /// lands exactly on end of file or on the next `From ` line (after an optional blank line); otherwise
    /// the message is split with the separator rule and no unescaping is done.
    case mboxcl2
}

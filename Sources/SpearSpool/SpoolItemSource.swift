/// Something that yields the items of one file (an mbox, or a one-message file).
protocol SpoolItemSource: AnyObject {
    func next() -> SpoolItem?
    /// Raw bytes consumed so far (on-disk bytes for gzip), for progress.
    var rawBytesRead: Int { get }
}

public import SpearCore
public import SpearClassify

/// One worker's scanning: the scanner and the libmagic handle it owns (libmagic handles are not thread-safe, and
/// loading the database costs milliseconds, so each worker thread opens one and keeps it). Not `Sendable`: a
/// session belongs to the thread that made it.
public final class ScanSession {
    public let scanner: MessageScanner
    /// nil when libmagic could not be loaded (each scan then says `classification_degraded`).
    public let magic: Magic?

    public init(scanner: MessageScanner) {
        self.scanner = scanner
        magic = try? Magic()
    }

    /// The same thread's session with another scanner, keeping its libmagic handle (a milter reloading what the
    /// store learned).
    public init(scanner: MessageScanner, reusing session: ScanSession) {
        self.scanner = scanner
        magic = session.magic
    }

    public func scan(_ bytes: [UInt8], source: String, truncatedFrom originalSize: Int? = nil, arrival: Arrival? = nil) -> ScanResult {
        scanner.scan(bytes, source: source, truncatedFrom: originalSize, magic: magic, arrival: arrival)
    }
}

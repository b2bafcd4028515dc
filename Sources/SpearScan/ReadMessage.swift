import SpearCore
import SpearMIME

/// A message parsed and read into its parts: the first steps of a scan, the same for the message itself and for
/// every message found inside an archive.
struct ReadMessage {
    let message: MIMEMessage
    let summary: MessageSummary
    /// Its attachments (not yet classified), body texts and body reports.
    let collector: AttachmentCollector
    /// Defects of the header fields as decoded (addresses, dates, encoded words).
    let headerDefects: [Defect]

    init(_ bytes: [UInt8], parse: ParseOptions, location: String) {
        message = MIMEParser(limits: parse).parse(bytes)
        var headers = MessageHeaders()
        summary = headers.summarize(message.headers, location: location)
        headerDefects = headers.defects
        var collector = AttachmentCollector()
        collector.collect(message)
        self.collector = collector
    }
}

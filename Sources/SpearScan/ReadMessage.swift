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
        var ignored = StageTimes()
        var clock = StageClock(false)
        self.init(bytes, parse: parse, location: location, times: &ignored, clock: &clock)
    }

    init(_ bytes: [UInt8], parse: ParseOptions, location: String, times: inout StageTimes, clock: inout StageClock) {
        message = MIMEParser(limits: parse).parse(bytes)
        times.parse += clock.lap()
        var headers = MessageHeaders()
        summary = headers.summarize(message.headers, location: location)
        headerDefects = headers.defects
        times.headers += clock.lap()
        var collector = AttachmentCollector()
        collector.collect(message)
        self.collector = collector
        times.collect += clock.lap()
    }
}

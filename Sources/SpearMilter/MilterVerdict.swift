public import SpearCore

/// What spearscan adds to a message it analysed on arrival: `X-Spearscan-Status` (`suspicious`, `not_inspected`,
/// `clean`) and, when there are any, `X-Spearscan-Reasons` (the finding ids behind the verdict, or behind what
/// could not be inspected; never their evidence, which quotes the sender's text), as the final answer's
/// modifications. The default policy only adds headers and accepts.
public enum MilterVerdict {
    /// `leadingSpace`: the MTA takes header values with their leading space (negotiated), else it adds one.
    public static func replies(for verdict: Verdict, leadingSpace: Bool) -> [MilterReply] {
        let reasons = verdict.status == .suspicious ? verdict.reasons : verdict.notInspected
        return headers(status: verdict.status.rawValue, reasons: reasons, space: leadingSpace ? " " : "")
    }

    /// A message spearscan could not analyse (too large, out of time, an error): said so, and let through.
    public static func notInspected(_ reason: String, leadingSpace: Bool) -> [MilterReply] {
        headers(status: Verdict.Status.notInspected.rawValue, reasons: [reason], space: leadingSpace ? " " : "")
    }

    private static func headers(status: String, reasons: [String], space: String) -> [MilterReply] {
        var replies: [MilterReply] = [.addHeader(name: "X-Spearscan-Status", value: space + status)]
        let unique = ids(reasons)
        if !unique.isEmpty {
            var value = unique.joined(separator: ", ")
            if value.utf8.count > maxReasons { value = String(value.prefix(maxReasons)) + " ..." }
            replies.append(.addHeader(name: "X-Spearscan-Reasons", value: space + value))
        }
        return replies
    }

    /// The finding ids of a verdict's reasons, each once, safe for a header or a log line.
    static func ids(_ reasons: [String]) -> [String] {
        var unique: [String] = []
        for reason in reasons.map({ headerSafe(findingID($0)) }) where !reason.isEmpty && !unique.contains(reason) { unique.append(reason) }
        return unique
    }

    /// A verdict's reason reads "id: evidence".
    private static func findingID(_ reason: String) -> String {
        String(reason.prefix { $0 != ":" })
    }

    /// Reasons are spearscan's own ids; anything else (control characters, non-ASCII) is left out of a header.
    private static func headerSafe(_ reason: String) -> String {
        String(String.UnicodeScalarView(reason.unicodeScalars.filter { $0.value >= 0x20 && $0.value < 0x7F }))
    }

    /// The longest reasons value (one header line stays under SMTP's 998 octets).
    static let maxReasons = 900
}

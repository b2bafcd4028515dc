import Foundation

/// Where one scan's time went, in nanoseconds of the scanning thread's wall clock (`ScanOptions.timeStages`;
/// `spearscan-bench --stages` reports them per message). Nested messages and archive members are timed within
/// the stage that reads them (`unpack`).
public struct StageTimes: Sendable {
    /// MIME structure: headers, boundaries, parts (`MIMEParser`).
    public var parse: UInt64 = 0
    /// The top-level header fields decoded (addresses, subject, dates).
    public var headers: UInt64 = 0
    /// Transfer decoding of every part, body texts decoded to Unicode, and the MD5/SHA-1/SHA-256 of every
    /// attachment (`spearscan-bench` splits off the digests by hashing the same bytes again).
    public var collect: UInt64 = 0
    /// Unpacking archives and classifying every file (libarchive, libmagic, signatures, nested messages).
    public var unpack: UInt64 = 0
    /// Sender analysis (header evidence, Authentication-Results, DKIM, SPF, lookalikes).
    public var sender: UInt64 = 0
    /// Indicators: URLs of the bodies, their domains, addresses and file hashes (`SpearIndicators`).
    public var indicators: UInt64 = 0
    /// The SHA-256 of the whole raw message.
    public var messageDigest: UInt64 = 0
    /// Findings, verdict and the report put together.
    public var report: UInt64 = 0

    public init() {}

    public var total: UInt64 { parse + headers + collect + unpack + sender + indicators + messageDigest + report }
}

/// Reads the clock between stages when timing is on, and does nothing when it is off.
struct StageClock {
    private var last: UInt64
    let on: Bool

    init(_ on: Bool) {
        self.on = on
        last = on ? DispatchTime.now().uptimeNanoseconds : 0
    }

    /// The nanoseconds since the previous lap (0 when off).
    mutating func lap() -> UInt64 {
        guard on else { return 0 }
        let now = DispatchTime.now().uptimeNanoseconds
        defer { last = now }
        return now - last
    }
}

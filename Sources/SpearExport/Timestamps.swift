import Foundation

/// STIX timestamps (`2019-06-10T00:00:00.000Z`, UTC, to the millisecond) from the store's ISO 8601 dates, which
/// keep the message's own offset (`2019-06-10T09:00:00+09:00`).
public enum Timestamps {
    /// The UTC instant of an ISO 8601 date with an offset or `Z`; nil when it is not one.
    static func date(_ iso: String) -> Date? {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        if let d = f.date(from: iso) { return d }
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.date(from: iso)
    }

    static func stix(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: date)
    }

    /// The UTC calendar day, `YYYY-MM-DD` (MISP's event date).
    static func day(_ date: Date) -> String { String(stix(date).prefix(10)) }
}

extension Timestamps {
    /// Whether `s` is a calendar day, `YYYY-MM-DD`.
    public static func isDay(_ s: String) -> Bool {
        let f = DateFormatter()
        f.dateFormat = "yyyy-MM-dd"
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        return f.date(from: s) != nil
    }
}

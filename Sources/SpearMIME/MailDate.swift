/// A date from a Date or Received header, in the offset it was written in.
public struct MailDate: Sendable, Hashable, Comparable {
    public var year: Int, month: Int, day: Int
    public var hour: Int, minute: Int, second: Int
    /// Offset from UTC in minutes, as written (`+0900` is 540). Nil when no zone was given (`-0000`, missing).
    public var offsetMinutes: Int?

    /// Seconds since 1970-01-01T00:00:00Z (zone-less dates taken as UTC).
    public var epochSeconds: Int {
        let days = MailDate.daysFromCivil(year, month, day)
        return days * 86_400 + hour * 3_600 + minute * 60 + second - (offsetMinutes ?? 0) * 60
    }

    /// ISO 8601 in the written offset: `2019-06-12T10:30:00+09:00` (`Z` when the zone is unknown or UTC).
    public var iso8601: String {
        func pad(_ v: Int, _ w: Int = 2) -> String {
            let s = String(v)
            return s.count >= w ? s : String(repeating: "0", count: w - s.count) + s
        }
        var zone = "Z"
        if let off = offsetMinutes, off != 0 {
            zone = (off < 0 ? "-" : "+") + pad(abs(off) / 60) + ":" + pad(abs(off) % 60)
        }
        return "\(pad(year, 4))-\(pad(month))-\(pad(day))T\(pad(hour)):\(pad(minute)):\(pad(second))\(zone)"
    }

    public static func < (a: MailDate, b: MailDate) -> Bool { a.epochSeconds < b.epochSeconds }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
    static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// Parses an RFC 5322 date leniently: optional weekday, two- and three-digit years, missing seconds, named and
    /// military zones, comments, extra words, and ISO 8601 (`2019-06-12T10:30:00+09:00`).
    public static func parse(_ text: String) -> MailDate? {
        var tokens: [Substring] = []
        var current = ""
        var depth = 0
        for ch in text.unicodeScalars {
            if ch == "(" { depth += 1; continue }
            if ch == ")" { depth = max(0, depth - 1); continue }
            if depth > 0 { continue }
            if ch == " " || ch == "\t" || ch == "," || ch == "\r" || ch == "\n" {
                if !current.isEmpty { tokens.append(Substring(current)); current = "" }
            } else {
                current.unicodeScalars.append(ch)
            }
        }
        if !current.isEmpty { tokens.append(Substring(current)) }
        if tokens.count == 1, let iso = parseISO(String(tokens[0])) { return iso }

        var day: Int?, month: Int?, year: Int?, time: (Int, Int, Int)?, offset: Int?
        var zoneSeen = false
        for raw in tokens {
            let t = raw.lowercased()
            if time == nil, t.contains(":"), let tm = parseTime(t) { time = tm; continue }
            if month == nil, let m = months[String(t.prefix(3))], t.count >= 3, t.allSatisfy(\.isLetter) { month = m; continue }
            if let n = Int(t), t.allSatisfy(\.isNumber) {
                if day == nil, n >= 1, n <= 31, t.count <= 2 { day = n; continue }
                if year == nil, time == nil || t.count >= 2 { year = n; continue }
                continue
            }
            if time != nil, !zoneSeen, let off = parseZone(t) {
                offset = off.minutes; zoneSeen = true; continue
            }
            // Numeric dates such as 12-Jun-2019.
            if t.contains("-"), day == nil {
                let parts = t.split(separator: "-")
                if parts.count == 3, let d = Int(parts[0]), let m = months[String(parts[1].prefix(3))], let y = Int(parts[2]) {
                    day = d; month = m; year = y; continue
                }
            }
        }
        guard let d = day, let m = month, var y = year else { return nil }
        // RFC 5322 §4.3: two-digit years 00–49 are 20xx, 50–99 19xx; three-digit years add 1900.
        if y < 50 { y += 2000 } else if y < 1000 { y += 1900 }
        guard (1...12).contains(m), (1...31).contains(d), y >= 1900, y <= 9999 else { return nil }
        let (h, mi, s) = time ?? (0, 0, 0)
        guard h < 24, mi < 60, s < 61 else { return nil }
        return MailDate(year: y, month: m, day: d, hour: h, minute: mi, second: min(s, 59), offsetMinutes: offset)
    }

    private static let months: [String: Int] = [
        "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
    ]

    private static func parseTime(_ t: String) -> (Int, Int, Int)? {
        let parts = t.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3 else { return nil }
        let nums = parts.map { Int($0.prefix { $0.isNumber }) }
        guard let h = nums[0], let m = nums[1] else { return nil }
        return (h, m, parts.count == 3 ? (nums[2] ?? 0) : 0)
    }

    private static func parseZone(_ t: String) -> (minutes: Int?, Void)? {
        if let sign = t.first, sign == "+" || sign == "-" {
            let digits = t.dropFirst().filter(\.isNumber)
            guard digits.count == 4, let v = Int(digits) else { return nil }
            let minutes = (v / 100) * 60 + v % 100
            if t == "-0000" { return (nil, ()) }
            return (sign == "-" ? -minutes : minutes, ())
        }
        let named: [String: Int] = ["ut": 0, "utc": 0, "gmt": 0, "z": 0, "est": -300, "edt": -240, "cst": -360, "cdt": -300,
                                    "mst": -420, "mdt": -360, "pst": -480, "pdt": -420, "jst": 540, "cet": 60, "cest": 120,
                                    "bst": 60, "kst": 540, "hkt": 480, "ist": 330]
        if let v = named[t] { return (v, ()) }
        return nil
    }

    private static func parseISO(_ s: String) -> MailDate? {
        let u = Array(s.utf8)
        guard u.count >= 19, u[4] == 0x2D, u[7] == 0x2D, u[10] == 0x54 || u[10] == 0x74 || u[10] == 0x20, u[13] == 0x3A else { return nil }
        func num(_ r: Range<Int>) -> Int? { Int(String(decoding: u[r], as: UTF8.self)) }
        guard let y = num(0..<4), let mo = num(5..<7), let d = num(8..<10), let h = num(11..<13), let mi = num(14..<16),
              let se = num(17..<19) else { return nil }
        var offset: Int?
        var rest = Array(u[19...])
        if let dot = rest.first, dot == 0x2E { rest = Array(rest.drop { $0 == 0x2E || ($0 >= 0x30 && $0 <= 0x39) }) }
        if rest.first == 0x5A || rest.first == 0x7A { offset = 0 } else if rest.count >= 5, rest[0] == 0x2B || rest[0] == 0x2D {
            let digits = rest.dropFirst().filter { $0 >= 0x30 && $0 <= 0x39 }
            if digits.count == 4, let v = Int(String(decoding: digits, as: UTF8.self)) {
                offset = (v / 100 * 60 + v % 100) * (rest[0] == 0x2D ? -1 : 1)
            }
        }
        return MailDate(year: y, month: mo, day: d, hour: h, minute: mi, second: se, offsetMinutes: offset)
    }
}

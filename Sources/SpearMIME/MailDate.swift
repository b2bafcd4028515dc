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
        var text = text
        return text.withUTF8 { parse(utf8: $0) }
    }

    /// The same, from a header's bytes (a Received header's tail after its `;`).
    public static func parse(_ bytes: ArraySlice<UInt8>) -> MailDate? {
        bytes.withUnsafeBufferPointer { parse(utf8: $0) }
    }

    /// Works on bytes: every message has a Date and several Received dates, so this runs several times per message.
    /// The text outside comments is copied once, lower-cased, and the tokens are ranges of that copy.
    static func parse(utf8 text: UnsafeBufferPointer<UInt8>) -> MailDate? {
        var chars: [UInt8] = []
        chars.reserveCapacity(text.count)
        var tokens: [Range<Int>] = []
        var tokenStart = 0, depth = 0
        for b in text {
            if b == 0x28 { depth += 1; continue }                 // (
            if b == 0x29 { depth = max(0, depth - 1); continue }  // )
            if depth > 0 { continue }
            if b == 0x20 || b == 0x09 || b == 0x2C || b == 0x0D || b == 0x0A {
                if chars.count > tokenStart { tokens.append(tokenStart..<chars.count) }
                tokenStart = chars.count
            } else {
                chars.append(b >= 0x41 && b <= 0x5A ? b | 0x20 : b)
            }
        }
        if chars.count > tokenStart { tokens.append(tokenStart..<chars.count) }
        return chars.withUnsafeBufferPointer { c -> MailDate? in
            if tokens.count == 1, let iso = parseISO(c[tokens[0]]) { return iso }

            var day: Int?, month: Int?, year: Int?, time: (Int, Int, Int)?, offset: Int?
            var zoneSeen = false
            for range in tokens {
                let t = c[range]
                if time == nil, t.contains(0x3A), let tm = parseTime(t) { time = tm; continue }
                if month == nil, t.count >= 3, t.allSatisfy(isLetter), let m = monthNumber(t) { month = m; continue }
                if let n = number(t) {
                    if day == nil, n >= 1, n <= 31, t.count <= 2 { day = n; continue }
                    if year == nil, time == nil || t.count >= 2 { year = n; continue }
                    continue
                }
                if time != nil, !zoneSeen, let off = parseZone(t) {
                    offset = off.minutes; zoneSeen = true; continue
                }
                // Numeric dates such as 12-Jun-2019.
                if day == nil, t.contains(0x2D) {
                    let parts = t.split(separator: 0x2D)
                    if parts.count == 3, let d = number(parts[0]), let m = monthNumber(parts[1]), let y = number(parts[2]) {
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
    }

    typealias Bytes = Slice<UnsafeBufferPointer<UInt8>>

    @inline(__always)
    private static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }

    @inline(__always)
    private static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    /// A run of ASCII digits as a number (nil when empty, not all digits, or too long to be a date part).
    private static func number(_ t: Bytes) -> Int? {
        guard !t.isEmpty, t.count <= 18 else { return nil }
        var v = 0
        for b in t {
            guard isDigit(b) else { return nil }
            v = v * 10 + Int(b - 0x30)
        }
        return v
    }

    /// The month of a (lower-case) name from its first three letters.
    private static func monthNumber(_ t: Bytes) -> Int? {
        guard t.count >= 3 else { return nil }
        let i = t.startIndex
        let key = UInt32(t[i]) << 16 | UInt32(t[i + 1]) << 8 | UInt32(t[i + 2])
        return monthKeys.firstIndex(of: key).map { $0 + 1 }
    }

    private static let monthKeys: [UInt32] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        .map { name in name.utf8.reduce(UInt32(0)) { $0 << 8 | UInt32($1) } }

    private static func parseTime(_ t: Bytes) -> (Int, Int, Int)? {
        let parts = t.split(separator: 0x3A, omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3 else { return nil }
        let nums = parts.map { number($0.prefix(while: isDigit)) }
        guard let h = nums[0], let m = nums[1] else { return nil }
        return (h, m, parts.count == 3 ? (nums[2] ?? 0) : 0)
    }

    private static func parseZone(_ t: Bytes) -> (minutes: Int?, Void)? {
        if let sign = t.first, sign == 0x2B || sign == 0x2D {
            let digits = t.dropFirst().filter(isDigit)
            guard digits.count == 4 else { return nil }
            let v = digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
            let minutes = (v / 100) * 60 + v % 100
            if sign == 0x2D && t.count == 5 && v == 0 { return (nil, ()) }  // -0000: zone unknown
            return (sign == 0x2D ? -minutes : minutes, ())
        }
        for (name, minutes) in namedZones where t.elementsEqual(name) { return (minutes, ()) }
        return nil
    }

    private static let namedZones: [([UInt8], Int)] = [
        ("ut", 0), ("utc", 0), ("gmt", 0), ("z", 0), ("est", -300), ("edt", -240), ("cst", -360), ("cdt", -300),
        ("mst", -420), ("mdt", -360), ("pst", -480), ("pdt", -420), ("jst", 540), ("cet", 60), ("cest", 120),
        ("bst", 60), ("kst", 540), ("hkt", 480), ("ist", 330),
    ].map { (Array($0.0.utf8), $0.1) }

    private static func parseISO(_ t: Bytes) -> MailDate? {
        let u = Array(t)
        guard u.count >= 19, u[4] == 0x2D, u[7] == 0x2D, u[10] == 0x54 || u[10] == 0x74 || u[10] == 0x20, u[13] == 0x3A else { return nil }
        func num(_ r: Range<Int>) -> Int? { u.withUnsafeBufferPointer { number($0[r]) } }
        guard let y = num(0..<4), let mo = num(5..<7), let d = num(8..<10), let h = num(11..<13), let mi = num(14..<16),
              let se = num(17..<19) else { return nil }
        var offset: Int?
        var rest = Array(u[19...])
        if let dot = rest.first, dot == 0x2E { rest = Array(rest.drop { $0 == 0x2E || ($0 >= 0x30 && $0 <= 0x39) }) }
        if rest.first == 0x5A || rest.first == 0x7A { offset = 0 } else if rest.count >= 5, rest[0] == 0x2B || rest[0] == 0x2D {
            let digits = rest.dropFirst().filter { $0 >= 0x30 && $0 <= 0x39 }
            if digits.count == 4 {
                let v = digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
                offset = (v / 100 * 60 + v % 100) * (rest[0] == 0x2D ? -1 : 1)
            }
        }
        return MailDate(year: y, month: mo, day: d, hour: h, minute: mi, second: se, offsetMinutes: offset)
    }
}

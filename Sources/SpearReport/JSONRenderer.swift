import Foundation

/// The JSON output: counts (never shares), snake_case keys, sorted, pretty-printed.
///
/// ```
/// {
///   "by": "month",                 // month | quarter | half | year
///   "scope": "targeted",           // targeted | all
///   "from": "2019-01", "to": null, // the filters, null when not set
///   "periods": [ PERIOD, … ],      // chronological, gaps filled, "unknown" last
///   "totals": PERIOD               // with "period": "total"
/// }
/// PERIOD = {
///   "period": "2019-03",           // 2019-03 | 2019-Q1 | 2019-H1 | 2019 | unknown | total (never localised)
///   "messages": 12,                // all messages of the period, whatever the scope
///   "targeted": 3,                 // of which suspected attacks
///   "not_inspected_messages": 1,   // of which not attacks as far as seen, but not fully inspected
///   "counted": 3,                  // messages in scope: the base of every figure below
///   "spoofed": 1, "spoofed_unknown": 0, "bulk": 0,
///   "non_public": 2,               // null when no public-address list was given
///   "encrypted_archive": 1,        // messages with ≥1 encrypted archive/disk-image attachment
///   "attachments": {"archive": 2, "disk_image": 0, "word": 1, …},       // top-level files, every category
///   "archive_contents": {"executable": 1, …, "not_inspected": 1},      // inside archive attachments
///   "disk_image_contents": {"shortcut": 1, …, "not_inspected": 0},     // inside disk-image attachments
///   "nested_archives": 1,
///   "top_subjects": [{"subject": "…", "count": 2}, …],                // at most five
///   "top_sender_domains": [{"domain": "example.jp", "count": 2}, …]   // at most five
/// }
/// ```
/// The counting rules are on ``Report``.
struct JSONRenderer {
    struct Document: Encodable {
        var by: String
        var scope: String
        var from: String?
        var to: String?
        var periods: [PeriodJSON]
        var totals: PeriodJSON

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(by, forKey: .by)
            try c.encode(scope, forKey: .scope)
            try c.encode(from, forKey: .from)  // null rather than absent: the key is part of the contract
            try c.encode(to, forKey: .to)
            try c.encode(periods, forKey: .periods)
            try c.encode(totals, forKey: .totals)
        }

        enum Keys: String, CodingKey { case by, scope, from, to, periods, totals }
    }

    struct Subject: Encodable { var subject: String; var count: Int }
    struct Domain: Encodable { var domain: String; var count: Int }

    struct PeriodJSON: Encodable {
        var stats: PeriodStats

        enum Keys: String, CodingKey {
            case period, messages, targeted, counted, spoofed, bulk
            case notInspectedMessages = "not_inspected_messages"
            case spoofedUnknown = "spoofed_unknown"
            case nonPublic = "non_public"
            case encryptedArchive = "encrypted_archive"
            case attachments
            case archiveContents = "archive_contents"
            case diskImageContents = "disk_image_contents"
            case nestedArchives = "nested_archives"
            case topSubjects = "top_subjects"
            case topSenderDomains = "top_sender_domains"
        }

        func encode(to encoder: any Encoder) throws {
            let s = stats
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(s.period?.key ?? "total", forKey: .period)
            try c.encode(s.messages, forKey: .messages)
            try c.encode(s.targeted, forKey: .targeted)
            try c.encode(s.notInspectedMessages, forKey: .notInspectedMessages)
            try c.encode(s.counted, forKey: .counted)
            try c.encode(s.spoofed, forKey: .spoofed)
            try c.encode(s.spoofedUnknown, forKey: .spoofedUnknown)
            try c.encode(s.bulk, forKey: .bulk)
            try c.encode(s.nonPublic, forKey: .nonPublic)  // encodes null, not an absent key
            try c.encode(s.encryptedArchive, forKey: .encryptedArchive)
            try c.encode(JSONRenderer.dictionary(.attachments, s), forKey: .attachments)
            try c.encode(JSONRenderer.dictionary(.archiveContents, s), forKey: .archiveContents)
            try c.encode(JSONRenderer.dictionary(.diskImageContents, s), forKey: .diskImageContents)
            try c.encode(s.nestedArchives, forKey: .nestedArchives)
            try c.encode(s.topSubjects.map { Subject(subject: $0.value, count: $0.count) }, forKey: .topSubjects)
            try c.encode(s.topSenderDomains.map { Domain(domain: $0.value, count: $0.count) }, forKey: .topSenderDomains)
        }
    }

    static func dictionary(_ b: Breakdown, _ s: PeriodStats) -> [String: Int] {
        Dictionary(uniqueKeysWithValues: zip(b.keys.map(\.jsonKey), b.counts(s)))
    }

    let report: Report

    func render() -> String {
        let o = report.options
        let doc = Document(
            by: o.by.rawValue, scope: o.scope.rawValue, from: o.from, to: o.to,
            periods: report.periods.map { PeriodJSON(stats: $0) }, totals: PeriodJSON(stats: report.totals)
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        // Only strings, integers, arrays and dictionaries are encoded: this cannot fail.
        let data = (try? encoder.encode(doc)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

extension Report {
    /// The report as JSON (counts, snake_case keys, sorted); the format is documented on `JSONRenderer`.
    public func json() -> String { JSONRenderer(report: self).render() }
}

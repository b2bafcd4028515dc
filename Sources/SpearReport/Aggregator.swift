/// Groups messages into periods and counts them; the counting rules are documented on ``Report``.
struct Aggregator {
    static let topLimit = 5

    let options: ReportOptions
    let from: YearMonth?
    let to: YearMonth?
    /// The public-address list, normalised once.
    let publicAddresses: Set<String>?

    init(options: ReportOptions) throws(ReportError) {
        func month(_ text: String?) throws(ReportError) -> YearMonth? {
            guard let text else { return nil }
            guard let ym = YearMonth(option: text) else { throw .invalidMonth(text) }
            return ym
        }
        self.options = options
        from = try month(options.from)
        to = try month(options.to)
        if let from, let to, to < from { throw .emptyRange(from: from.text, to: to.text) }
        publicAddresses = options.publicAddresses.map { Set($0.map(Aggregator.normalizedAddress)) }
    }

    /// The month a message belongs to: its Date header as written, else its first Received, else nil.
    static func month(of message: ReportMessage) -> YearMonth? {
        message.date.flatMap(YearMonth.init(timestamp:)) ?? message.receivedDate.flatMap(YearMonth.init(timestamp:))
    }

    static func normalizedAddress(_ address: String) -> String {
        address.trimmingWhitespace().lowercased()
    }

    /// Subjects are compared after folding whitespace, so a header folded differently is the same lure.
    static func normalizedSubject(_ subject: String?) -> String? {
        guard let subject else { return nil }
        let folded = subject.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        return folded.isEmpty ? nil : folded
    }

    func run(_ messages: [ReportMessage]) -> (periods: [PeriodStats], totals: PeriodStats) {
        let filtered = from != nil || to != nil
        var buckets: [Period: [ReportMessage]] = [:]
        var kept: [ReportMessage] = []
        for message in messages {
            let ym = Aggregator.month(of: message)
            if let ym {
                if let from, ym < from { continue }
                if let to, to < ym { continue }
            } else if filtered {
                continue
            }
            let period = ym.map { Period(containing: $0, granularity: options.by) } ?? .unknown(options.by)
            buckets[period, default: []].append(message)
            kept.append(message)
        }

        var periods: [PeriodStats] = []
        let dated = buckets.keys.filter { !$0.isUnknown }
        let lower = from.map { Period(containing: $0, granularity: options.by) } ?? dated.min()
        let upper = to.map { Period(containing: $0, granularity: options.by) } ?? dated.max()
        if let first = lower ?? upper, let last = upper ?? lower, first <= last {
            var p = first
            while true {
                periods.append(stats(for: p, buckets[p] ?? []))
                if p == last { break }
                p = p.next
            }
        }
        if let undated = buckets[.unknown(options.by)] {
            periods.append(stats(for: .unknown(options.by), undated))
        }
        return (periods, stats(for: nil, kept))
    }

    func stats(for period: Period?, _ messages: [ReportMessage]) -> PeriodStats {
        var s = PeriodStats(period: period)
        if publicAddresses != nil { s.nonPublic = 0 }
        var subjects: [String: Int] = [:]
        var domains: [String: Int] = [:]
        for m in messages {
            s.messages += 1
            if m.targeted { s.targeted += 1 } else if m.notInspected { s.notInspectedMessages += 1 }
            guard options.scope == .all || m.targeted else { continue }
            s.counted += 1
            switch m.spoofed {
            case true?: s.spoofed += 1
            case nil: s.spoofedUnknown += 1
            case false?: break
            }
            if m.bulk { s.bulk += 1 }
            if let publicAddresses,
               m.recipients.contains(where: { !publicAddresses.contains(Aggregator.normalizedAddress($0)) }) {
                s.nonPublic? += 1
            }
            // A TNEF wrapper (winmail.dat) is not a file the recipient sees: its members are.
            let attachments = ReportAttachment.unwrappingTNEF(m.attachments)
            if attachments.contains(where: { $0.kind.isContainer && $0.encrypted }) { s.encryptedArchive += 1 }
            for a in attachments {
                s.attachments[a.kind, default: 0] += 1
                if a.kind.isContainer { countContents(of: a, into: &s) }
            }
            if let subject = Aggregator.normalizedSubject(m.subject) { subjects[subject, default: 0] += 1 }
            if let domain = m.senderDomain?.trimmingWhitespace().lowercased(), !domain.isEmpty {
                domains[domain, default: 0] += 1
            }
        }
        s.topSubjects = RankedEntry.top(subjects, limit: Aggregator.topLimit)
        s.topSenderDomains = RankedEntry.top(domains, limit: Aggregator.topLimit)
        return s
    }

    /// Walks a top-level container with an explicit stack (no recursion depth limit to hit on a zip bomb's
    /// deep nesting): leaves are counted by category, containers inside containers as nested archives, and
    /// containers that could not be opened as not inspected. What is found inside an archive attachment goes
    /// to the archive breakdown, inside a disk-image attachment to the disk-image breakdown, at every depth.
    func countContents(of container: ReportAttachment, into s: inout PeriodStats) {
        let inDiskImage = container.kind == .diskImage
        func leaf(_ kind: AttachmentCategory) {
            if inDiskImage { s.diskImageContents[kind, default: 0] += 1 } else { s.archiveContents[kind, default: 0] += 1 }
        }
        func uninspected() {
            if inDiskImage { s.diskImageNotInspected += 1 } else { s.notInspected += 1 }
        }
        var stack = [container]
        while let a = stack.popLast() {
            if a.isUninspectedContainer {
                uninspected()
                continue
            }
            for member in ReportAttachment.unwrappingTNEF(a.members) {
                if member.kind.isContainer {
                    s.nestedArchives += 1
                    stack.append(member)
                } else if member.isUnread {
                    // An encrypted member whose password is unknown: listed, never read, so of no known type.
                    uninspected()
                } else {
                    leaf(member.kind)
                }
            }
        }
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}

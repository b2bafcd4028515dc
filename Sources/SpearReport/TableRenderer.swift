/// The terminal output: the headline table, then the breakdown tables (percentages with one decimal),
/// then the top subjects and sender domains.
///
/// Breakdown tables leave out the categories that are zero in every period, so that the usual handful of
/// types fits in a terminal; CSV and JSON always carry every category.
struct TableRenderer {
    let report: Report

    var labels: Labels { report.labels }

    func render() -> String {
        let l = labels
        var out = "\(l.title) — \(l.subtitle(report.options))\n\n"
        out += "\(l.headline)\n" + headline().render() + "\n"
        for b in Breakdown.allCases {
            out += "\(b.title(l))\n" + breakdown(b).render() + "\n"
        }
        out += "\(l.topSubjectsTitle)\n" + ranked(\.topSubjects, header: l.subject).render() + "\n"
        out += "\(l.topDomainsTitle)\n" + ranked(\.topSenderDomains, header: l.senderDomain).render()
        return out
    }

    var rows: [PeriodStats] { report.periods + [report.totals] }

    func headline() -> TextTable {
        let l = labels
        var t = TextTable(
            headers: [l.period, l.messages, l.targeted, l.notInspectedMessages, l.counted, l.spoofed, l.bulk, l.nonPublic, l.encryptedArchive],
            rightAligned: Set(1...8)
        )
        for s in rows {
            let nonPublic = report.options.publicAddresses == nil ? l.notAvailable : Shares.formatShare(s.share(s.nonPublic))
            t.append([
                l.periodLabel(s.period), String(s.messages), String(s.targeted), String(s.notInspectedMessages), String(s.counted),
                Shares.formatShare(s.share(s.spoofed)), Shares.formatShare(s.share(s.bulk)), nonPublic,
                Shares.formatShare(s.share(s.encryptedArchive)),
            ])
        }
        return t
    }

    func breakdown(_ b: Breakdown) -> TextTable {
        let l = labels
        let keys = b.keys
        let shown = keys.indices.filter { i in rows.contains { b.counts($0)[i] > 0 } }
        var headers = [l.period, l.files] + shown.map { keys[$0].label(l) }
        if b == .archiveContents { headers.append(l.nestedArchives) }
        var t = TextTable(headers: headers, rightAligned: Set(1..<headers.count))
        for s in rows {
            let counts = b.counts(s)
            let percents = Shares.percentages(counts)
            var row = [l.periodLabel(s.period), String(counts.reduce(0, +))]
            row += shown.map { Shares.format(percents?[$0]) }
            if b == .archiveContents { row.append(String(s.nestedArchives)) }
            t.append(row)
        }
        return t
    }

    func ranked(_ list: KeyPath<PeriodStats, [RankedEntry]>, header: String) -> TextTable {
        let l = labels
        var t = TextTable(headers: [l.period, l.rank, header, l.count], rightAligned: [1, 3])
        for s in rows {
            for (i, e) in s[keyPath: list].enumerated() {
                t.append([i == 0 ? l.periodLabel(s.period) : "", String(i + 1), DisplayWidth.truncate(e.value, to: 60), String(e.count)])
            }
        }
        return t
    }
}

extension Report {
    /// The report as aligned plain-text tables for a terminal (East Asian wide characters count two columns).
    public func table() -> String { TableRenderer(report: self).render() }
}

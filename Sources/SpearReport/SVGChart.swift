/// A 100 % stacked horizontal bar chart per period, like the figures of the NPA's reports: one bar per period
/// (the unknown bucket included, the totals not), segments in the fixed category order and colours of
/// ``Palette``, a percentage on every segment wide enough to hold it, `n = files` at the end of each bar, a
/// legend of the categories that occur, and an empty grey bar saying "no data" for a period without files.
///
/// The markup is plain SVG 1.1 with no scripts or external references, so it can be inlined in the HTML page
/// or opened alone. Each bar is a `<g class="bar" data-period="2019-03">`; each segment a
/// `<rect class="segment" data-key="word" data-count="2" data-percent="33.3">` with a `<title>` tooltip —
/// machine-readable for tests and for anyone post-processing the chart.
struct SVGChart {
    let report: Report
    let breakdown: Breakdown
    /// Draw the title inside the chart; the HTML page has its own heading above it instead.
    var titled = true

    static let width = 960.0
    static let emptyFill = "#F2F2F2"
    static let emptyStroke = "#999999"
    static let mutedText = "#555555"
    static let countText = "#333333"
    static let background = "#FFFFFF"
    static let fontSize = 12.0
    static let rowHeight = 30.0
    static let barHeight = 22.0
    static let top = 44.0
    static let fontFamily = "'Noto Sans CJK JP', 'Noto Sans JP', 'IPAexGothic', 'IPAGothic', 'DejaVu Sans', 'Liberation Sans', Arial, sans-serif"

    /// Approximate width of text in pixels: about 0.6 em per column, two columns for wide characters.
    static func textWidth(_ text: String, fontSize: Double = fontSize) -> Double {
        Double(DisplayWidth.of(text)) * fontSize * 0.6
    }

    /// Coordinates with at most two decimals, independent of locale.
    static func n(_ v: Double) -> String {
        let hundredths = Int((v * 100).rounded())
        let whole = hundredths / 100
        let frac = abs(hundredths % 100)
        if frac == 0 { return String(whole) }
        return "\(whole)." + (frac < 10 ? "0" : "") + (frac % 10 == 0 ? String(frac / 10) : String(frac))
    }

    func render() -> String {
        let l = report.labels
        let keys = breakdown.keys
        let periods = report.periods
        let labelWidth = max(60, (periods.map { SVGChart.textWidth($0.period?.label(l.lang) ?? "") }.max() ?? 0) + 16)
        let countWidth = 70.0
        let barX = labelWidth
        let barW = SVGChart.width - labelWidth - countWidth - 10
        var body: [String] = []
        let title = XMLText.escape(breakdown.title(l))
        if titled {
            body.append(#"<text class="title" x="10" y="24" font-size="15" font-weight="bold">\#(title)</text>"#)
        }

        var y = titled ? SVGChart.top : 8
        var present = Set<Int>()
        for s in periods {
            let counts = breakdown.counts(s)
            let total = counts.reduce(0, +)
            let label = XMLText.escape(l.periodLabel(s.period))
            let key = XMLText.escape(s.period?.key ?? "total")
            let barY = y + (SVGChart.rowHeight - SVGChart.barHeight) / 2
            let textY = SVGChart.n(barY + SVGChart.barHeight / 2 + SVGChart.fontSize * 0.35)
            body.append(#"<g class="bar" data-period="\#(key)">"#)
            body.append(#"<text x="\#(SVGChart.n(barX - 8))" y="\#(textY)" text-anchor="end">\#(label)</text>"#)
            if let percents = Shares.percentages(counts) {
                var cumulative = 0
                for (i, count) in counts.enumerated() where count > 0 {
                    present.insert(i)
                    let x0 = barX + barW * Double(cumulative) / Double(total)
                    cumulative += count
                    let x1 = barX + barW * Double(cumulative) / Double(total)
                    let color = keys[i].color
                    let name = XMLText.escape(keys[i].label(l))
                    let pct = Shares.oneDecimal(percents[i])
                    body.append(
                        #"<rect class="segment" data-key="\#(keys[i].jsonKey)" data-count="\#(count)" data-percent="\#(pct)" x="\#(SVGChart.n(x0))" y="\#(SVGChart.n(barY))" width="\#(SVGChart.n(x1 - x0))" height="\#(SVGChart.n(SVGChart.barHeight))" fill="\#(color)"><title>\#(name): \#(pct)% (\#(count))</title></rect>"#
                    )
                    let text = pct + "%"
                    if SVGChart.textWidth(text, fontSize: 11) + 6 <= x1 - x0 {
                        body.append(
                            #"<text class="pct" x="\#(SVGChart.n((x0 + x1) / 2))" y="\#(textY)" text-anchor="middle" font-size="11" fill="\#(Palette.textColor(on: color))">\#(text)</text>"#
                        )
                    }
                }
            } else {
                body.append(
                    #"<rect class="empty" x="\#(SVGChart.n(barX))" y="\#(SVGChart.n(barY))" width="\#(SVGChart.n(barW))" height="\#(SVGChart.n(SVGChart.barHeight))" fill="\#(SVGChart.emptyFill)" stroke="\#(SVGChart.emptyStroke)" stroke-dasharray="4 3"/>"#
                )
                body.append(
                    #"<text class="nodata" x="\#(SVGChart.n(barX + barW / 2))" y="\#(textY)" text-anchor="middle" fill="\#(SVGChart.mutedText)">\#(XMLText.escape(l.noData))</text>"#
                )
            }
            body.append(#"<text class="n" x="\#(SVGChart.n(barX + barW + 8))" y="\#(textY)" fill="\#(SVGChart.countText)">n=\#(total)</text>"#)
            body.append("</g>")
            y += SVGChart.rowHeight
        }

        // Legend: the categories that occur, in stacking order, wrapped to the chart width.
        y += 12
        var x = 10.0
        let legendRow = 20.0
        body.append(#"<g class="legend">"#)
        for i in keys.indices where present.contains(i) {
            let name = keys[i].label(l)
            let w = 18 + SVGChart.textWidth(name) + 18
            if x + w > SVGChart.width - 10, x > 10 {
                x = 10
                y += legendRow
            }
            body.append(
                #"<g class="legend-entry" data-key="\#(keys[i].jsonKey)"><rect x="\#(SVGChart.n(x))" y="\#(SVGChart.n(y))" width="12" height="12" fill="\#(keys[i].color)"/><text x="\#(SVGChart.n(x + 18))" y="\#(SVGChart.n(y + 10.5))">\#(XMLText.escape(name))</text></g>"#
            )
            x += w
        }
        body.append("</g>")
        let height = y + legendRow + 8

        let w = SVGChart.n(SVGChart.width)
        let h = SVGChart.n(height)
        return #"<svg xmlns="http://www.w3.org/2000/svg" class="chart" data-chart="\#(breakdown.rawValue)" width="\#(w)" height="\#(h)" viewBox="0 0 \#(w) \#(h)" font-family="\#(SVGChart.fontFamily)" font-size="\#(SVGChart.n(SVGChart.fontSize))" role="img" aria-label="\#(title)">"#
            + "\n<title>\(title)</title>\n"
            + #"<rect x="0" y="0" width="\#(w)" height="\#(h)" fill="\#(SVGChart.background)"/>"# + "\n"
            + body.joined(separator: "\n") + "\n</svg>\n"
    }
}

extension Report {
    /// A 100 % stacked bar chart per period of top-level attachment types or of the types inside compressed
    /// files, as a standalone SVG document.
    public func svg(chart: Breakdown) -> String { SVGChart(report: self, breakdown: chart).render() }
}

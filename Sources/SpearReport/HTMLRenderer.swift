/// One self-contained HTML page: title, the headline table, both charts as inline SVG, the breakdown tables
/// and the top subjects and sender domains. No JavaScript, no external resources — a Content-Security-Policy
/// forbids both, so the page can be mailed or archived and opened offline without fetching anything (and a
/// malicious subject, escaped anyway, could not run even if escaping failed).
struct HTMLRenderer {
    let report: Report

    static let style = """
    body{font-family:'Noto Sans CJK JP','Noto Sans JP','IPAexGothic', 'IPAGothic','DejaVu Sans','Liberation Sans',Arial,sans-serif;\
    margin:24px;color:#222;background:#fff}
    h1{font-size:22px}h2{font-size:17px;margin-top:28px}
    table{border-collapse:collapse;margin:8px 0}
    th,td{border:1px solid #ccc;padding:4px 8px}
    th{background:#f2f2f2;text-align:left}
    td.num{text-align:right;font-variant-numeric:tabular-nums}
    svg.chart{display:block;max-width:100%;height:auto}
    """

    func render() -> String {
        let r = report
        let l = r.labels
        let e = XMLText.escape
        let table = TableRenderer(report: r)
        var out = """
        <!DOCTYPE html>
        <html lang="\(l.lang.rawValue)">
        <head>
        <meta charset="utf-8">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(e(l.title))</title>
        <style>\(HTMLRenderer.style)</style>
        </head>
        <body>
        <h1>\(e(l.title))</h1>
        <p class="scope">\(e(l.subtitle(r.options)))</p>

        """
        out += "<h2>\(e(l.headline))</h2>\n" + HTMLRenderer.html(table.headline()) + "\n"
        for b in Breakdown.allCases {
            out += "<h2>\(e(b.title(l)))</h2>\n" + SVGChart(report: r, breakdown: b, titled: false).render() + HTMLRenderer.html(table.breakdown(b)) + "\n"
        }
        out += "<h2>\(e(l.topSubjectsTitle))</h2>\n" + HTMLRenderer.html(table.ranked(\.topSubjects, header: l.subject)) + "\n"
        out += "<h2>\(e(l.topDomainsTitle))</h2>\n" + HTMLRenderer.html(table.ranked(\.topSenderDomains, header: l.senderDomain)) + "\n"
        out += "</body>\n</html>\n"
        return out
    }

    /// The same cells as the terminal table, as an HTML table (escaped; numbers right-aligned).
    static func html(_ t: TextTable) -> String {
        let e = XMLText.escape
        var out = "<table>\n<thead><tr>" + t.headers.map { "<th>\(e($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        for row in t.rows {
            out += "<tr>" + row.enumerated().map { i, cell in
                t.rightAligned.contains(i) ? "<td class=\"num\">\(e(cell))</td>" : "<td>\(e(cell))</td>"
            }.joined() + "</tr>\n"
        }
        return out + "</tbody>\n</table>\n"
    }
}

extension Report {
    /// The report as one self-contained HTML page (UTF-8, no JavaScript, no network).
    public func html() -> String { HTMLRenderer(report: self).render() }
}

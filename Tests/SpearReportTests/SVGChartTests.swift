import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import SpearReport

/// The elements of a parsed SVG, with the enclosing bar of each.
final class SVGOutline: NSObject, XMLParserDelegate {
    struct Element { var name: String; var attributes: [String: String]; var bar: String?; var text = "" }
    var elements: [Element] = []
    private var currentBar: String?
    private var depth = 0
    private var barDepth = -1
    private var open: [Int] = []

    static func parse(_ svg: String) throws -> SVGOutline {
        let outline = SVGOutline()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = outline
        guard parser.parse() else {
            throw ParseError(message: parser.parserError.map { "\($0)" } ?? "unknown", line: parser.lineNumber)
        }
        return outline
    }

    struct ParseError: Error { var message: String; var line: Int }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        depth += 1
        if name == "g", attributes["class"] == "bar" {
            currentBar = attributes["data-period"]
            barDepth = depth
        }
        elements.append(Element(name: name, attributes: attributes, bar: currentBar))
        open.append(elements.count - 1)
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if let i = open.last { elements[i].text += string }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if depth == barDepth { currentBar = nil; barDepth = -1 }
        depth -= 1
        open.removeLast()
    }

    func all(_ name: String, class cls: String? = nil) -> [Element] {
        elements.filter { $0.name == name && (cls == nil || $0.attributes["class"] == cls) }
    }
}

@Suite("SVG charts")
struct SVGChartTests {
    @Test(arguments: Breakdown.allCases, [Language.en, .ja])
    func wellFormedWithOneBarPerPeriod(chart: Breakdown, lang: Language) throws {
        let r = try Fixtures.report(.month, .all, lang: lang)
        let svg = r.svg(chart: chart)
        let outline = try SVGOutline.parse(svg)
        #expect(outline.elements.first?.name == "svg")
        let bars = outline.all("g", class: "bar")
        #expect(bars.map { $0.attributes["data-period"] } == r.periods.map { $0.period?.key })

        for bar in bars {
            let key = try #require(bar.attributes["data-period"])
            let segments = outline.all("rect", class: "segment").filter { $0.bar == key }
            let stats = try #require(r.stats(key))
            let files = switch chart {
            case .attachments: stats.attachmentFiles
            case .archiveContents: stats.archiveContentFiles
            case .diskImageContents: stats.diskImageContentFiles
            }
            if files == 0 {
                #expect(segments.isEmpty)
                #expect(outline.all("rect", class: "empty").contains { $0.bar == key })
                let noData = outline.all("text", class: "nodata").filter { $0.bar == key }.map(\.text)
                #expect(noData == [lang == .ja ? "データなし" : "no data"])
            } else {
                let sum = segments.compactMap { Double($0.attributes["data-percent"] ?? "") }.reduce(0, +)
                let tolerance: Double = 0.05 * Double(segments.count) + 1e-9
                #expect(abs(sum - 100) <= tolerance, "bar \(key) sums to \(sum)")
                let counted = segments.compactMap { Int($0.attributes["data-count"] ?? "") }.reduce(0, +)
                #expect(counted == files)
                // The segments tile the bar: widths add up to the bar width.
                let width = segments.compactMap { Double($0.attributes["width"] ?? "") }.reduce(0, +)
                #expect(abs(width - (SVGChart.width - (Double(segments[0].attributes["x"]!) ?? 0) - 80)) < 0.1)
            }
        }

        // One legend entry per category that occurs anywhere, nothing else.
        let legend = Set(outline.all("g", class: "legend-entry").compactMap { $0.attributes["data-key"] })
        let present = Set(outline.all("rect", class: "segment").compactMap { $0.attributes["data-key"] })
        #expect(legend == present)
        #expect(!legend.isEmpty)
    }

    @Test func specificSegments() throws {
        let r = try Fixtures.report(.month, .targeted)
        let outline = try SVGOutline.parse(r.svg(chart: .archiveContents))
        let july = outline.all("rect", class: "segment").filter { $0.bar == "2019-07" }
        // July, targeted: word 1, text 1, not inspected 2 of 4 files.
        #expect(july.map { $0.attributes["data-key"]! } == ["word", "text", "not_inspected"])
        #expect(july.map { $0.attributes["data-percent"]! } == ["25.0", "25.0", "50.0"])
        #expect(july.map { $0.attributes["fill"]! } == ["#0072B2", "#332288", "#666666"])
        let legend = outline.all("g", class: "legend-entry").compactMap { $0.attributes["data-key"] }
        #expect(legend.last == "not_inspected")
        let legendText = outline.all("text").filter { $0.bar == nil }.map(\.text)
        #expect(legendText.contains("Not inspected"))
        #expect(legendText.contains("Shortcut"))
    }

    @Test func narrowSegmentsHaveNoLabel() throws {
        var many = (0..<199).map { i in
            ReportMessage(sha256: "w\(i)", date: "2022-05-01", targeted: true, attachments: [ReportAttachment(category: "word")])
        }
        many.append(ReportMessage(sha256: "p", date: "2022-05-02", targeted: true, attachments: [ReportAttachment(category: "pdf")]))
        let outline = try SVGOutline.parse(try Report(messages: many).svg(chart: .attachments))
        let labels = outline.all("text", class: "pct").map(\.text)
        #expect(labels == ["99.5%"])  // 0.5 % is about 4 px wide: no room for its label
        #expect(outline.all("rect", class: "segment").count == 2)
    }

    @Test func escaping() throws {
        #expect(XMLText.escape("<a & \"b\" 'c'>") == "&lt;a &amp; &quot;b&quot; &#39;c&#39;&gt;")
        #expect(XMLText.escape("bell\u{7}tab\t") == "belltab\t")
        #expect(XMLText.escape("請求書") == "請求書")
    }
}

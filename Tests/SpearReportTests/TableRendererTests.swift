import Testing
@testable import SpearReport

@Suite("Table")
struct TableRendererTests {
    @Test func englishTable() throws {
        let text = try Fixtures.report(.month, .targeted).table()
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // Headline: January has 3 messages, 2 targeted, none not inspected, 2 counted, 50 % spoofed, 0 % bulk,
        // 50 % non-public.
        let jan = try #require(lines.first { $0.hasPrefix("2019-01 ") })
        #expect(jan.split(separator: " ").map(String.init) == ["2019-01", "3", "2", "0", "2", "50.0%", "0.0%", "50.0%", "0.0%"])
        let jul = try #require(lines.first { $0.hasPrefix("2019-07 ") })
        #expect(Array(jul.split(separator: " ").map(String.init).prefix(5)) == ["2019-07", "3", "2", "1", "2"])
        let apr = try #require(lines.first { $0.hasPrefix("2019-04 ") })
        #expect(apr.split(separator: " ").map(String.init) == ["2019-04", "0", "0", "0", "0", "-", "-", "-", "-"])
        let total = try #require(lines.first { $0.hasPrefix("Total ") })
        #expect(total.split(separator: " ").map(String.init) == ["Total", "12", "8", "1", "8", "37.5%", "25.0%", "50.0%", "12.5%"])
        #expect(text.contains("Top lure subjects"))
        #expect(text.contains("請求書の送付"))
        // Categories nobody sent are left out of the table; present ones are in.
        #expect(!text.contains("PowerPoint"))
        #expect(text.contains("Not inspected"))
    }

    @Test func breakdownRowsSumTo100() throws {
        let r = try Fixtures.report(.month, .all)
        let t = TableRenderer(report: r).breakdown(.attachments)
        // Totals row: 16 files; archive 6/16 = 37.5 %.
        let totals = try #require(t.rows.last)
        #expect(totals[1] == "16")
        let archive = try #require(t.headers.firstIndex(of: "Compressed"))
        #expect(totals[archive] == "37.5%")
        for row in t.rows where row[1] != "0" {
            let cells: [Double] = row[2...].compactMap { Double($0.dropLast()) }
            let sum: Double = cells.reduce(0, +)
            let tolerance: Double = 0.05 * Double(cells.count) + 1e-9
            #expect(abs(sum - 100) <= tolerance, "\(row)")
        }
        // Equal counts show equal shares: the totals row has ten single files of 16 (6.25 % each).
        #expect(totals.filter { $0 == "6.3%" }.count == 10)
        let contents = TableRenderer(report: r).breakdown(.archiveContents)
        #expect(contents.headers.last == "Nested archives")
        #expect(contents.rows.last?.last == "2")
    }

    @Test func japaneseTableAndNA() throws {
        let text = try Fixtures.report(.half, .targeted, publicAddresses: nil, lang: .ja).table()
        for label in ["メール数", "標的型", "送信者詐称", "ばらまき型", "非公開アドレス宛", "2019年上半期", "2019年下半期", "不明",
                      "圧縮ファイル", "実行ファイル", "スクリプトファイル", "ショートカットファイル", "未検査", "合計"] {
            #expect(text.contains(label), "missing \(label)")
        }
        let h1 = try #require(text.split(separator: "\n").first { $0.hasPrefix("2019年上半期") })
        #expect(h1.contains("n/a"))
        // The headline table's lines all end in the same column despite the wide characters.
        let headline = TableRenderer(report: try Fixtures.report(.half, .targeted, publicAddresses: nil, lang: .ja)).headline().render()
        #expect(Set(headline.split(separator: "\n").map { DisplayWidth.of($0) }).count == 1)
    }

    @Test func shareRounding() {
        #expect(Shares.percentages([0, 0]) == nil)
        #expect(Shares.percentages([1, 1, 1])!.map { Shares.format($0) } == ["33.3%", "33.3%", "33.3%"])
        #expect(Shares.percentages([2, 1, 0])!.map { Shares.format($0) } == ["66.7%", "33.3%", "0.0%"])
        #expect(Shares.percentages([1, 15])!.map { Shares.format($0) } == ["6.3%", "93.8%"])
        #expect(Shares.oneDecimal(0) == "0.0")
        #expect(Shares.oneDecimal(99.96) == "100.0")
        #expect(Shares.formatShare(0.375) == "37.5%")
        #expect(Shares.formatShare(nil) == "-")
    }
}

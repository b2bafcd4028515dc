import Foundation
import Testing
@testable import SpearReport

@Suite("Display width")
struct DisplayWidthTests {
    @Test func widths() {
        #expect(DisplayWidth.of("abc") == 3)
        #expect(DisplayWidth.of("日本語") == 6)
        #expect(DisplayWidth.of("ひらがなカタカナ") == 16)
        #expect(DisplayWidth.of("１２３") == 6)          // full-width digits
        #expect(DisplayWidth.of("ＡＢ") == 4)            // full-width Latin
        #expect(DisplayWidth.of("ｱｲｳ") == 3)            // half-width katakana stay narrow
        #expect(DisplayWidth.of("請求書 No.１") == 12)   // 6 + 1 + 3 + 2
        #expect(DisplayWidth.of("2019年上半期") == 12)
        #expect(DisplayWidth.of("e\u{301}") == 1)        // combining acute
        #expect(DisplayWidth.of("か\u{3099}") == 2)      // combining voiced mark
        #expect(DisplayWidth.of("、。「」") == 8)          // CJK punctuation
        #expect(DisplayWidth.of("한국어") == 6)
        #expect(DisplayWidth.of("a\u{200B}b") == 2)      // zero-width space
        #expect(DisplayWidth.of("𠮷") == 2)              // supplementary ideograph
        #expect(DisplayWidth.of("") == 0)
    }

    @Test func padAndTruncate() {
        #expect(DisplayWidth.pad("日本", to: 6) == "日本  ")
        #expect(DisplayWidth.pad("12", to: 5, alignRight: true) == "   12")
        #expect(DisplayWidth.truncate("日本語のテキスト", to: 7) == "日本語…")
        #expect(DisplayWidth.truncate("short", to: 10) == "short")
    }

    @Test func tableAlignsMixedText() throws {
        var t = TextTable(headers: ["期間", "Subject", "件数"], rightAligned: [2])
        t.append(["2019年1月", "請求書の送付", "12"])
        t.append(["2019-02", "Invoice", "3"])
        t.append(["x", "ＡＢＣ１２３ mixed", "1000"])
        let lines = t.render().split(separator: "\n").map(String.init)
        #expect(lines.count == 5)
        // Last column is right-aligned: every line ends at the same column.
        let widths = Set(lines.map { DisplayWidth.of($0) })
        #expect(widths.count == 1)
        // The second column starts at the same column on every line.
        let starts = lines.dropFirst(2).map { line -> Int in
            let idx = line.range(of: "  ")!.lowerBound
            var rest = line[idx...]
            while rest.first == " " { rest = rest.dropFirst() }
            return DisplayWidth.of(line[..<rest.startIndex])
        }
        #expect(Set(starts).count == 1)
        #expect(starts.first == DisplayWidth.of("2019年1月") + 2)
    }
}

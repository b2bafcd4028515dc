import Foundation
import Testing
@testable import SpearReport

@Suite("HTML")
struct HTMLRendererTests {
    @Test func selfContainedPage() throws {
        let html = try Fixtures.report(.month, .targeted).html()
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<meta charset=\"utf-8\">"))
        #expect(html.contains("<title>Targeted email report</title>"))
        #expect(html.components(separatedBy: "<svg ").count - 1 == 3)
        #expect(html.contains("data-chart=\"attachments\""))
        #expect(html.contains("data-chart=\"archive_contents\""))
        #expect(html.contains("data-chart=\"disk_image_contents\""))
        // No scripts, no external resources.
        let lower = html.lowercased()
        for forbidden in ["<script", "src=", "<link", "url(", "@import", "javascript:", "href="] {
            #expect(!lower.contains(forbidden), "found \(forbidden)")
        }
        // The only URL is the SVG namespace name.
        #expect(lower.components(separatedBy: "://").count - 1 == 3)
        #expect(lower.components(separatedBy: "http://www.w3.org/2000/svg").count - 1 == 3)
    }

    @Test func subjectsAreEscaped() throws {
        let html = try Fixtures.report(.month, .targeted).html()
        #expect(html.contains("&lt;script&gt;&amp;&quot;alert"))
        #expect(!html.contains(Fixtures.xssSubject))
        #expect(html.contains("Invoice, &quot;Q1&quot; final"))
        #expect(html.contains("請求書の送付"))
    }

    @Test func japanesePage() throws {
        let html = try Fixtures.report(.half, .targeted, lang: .ja).html()
        #expect(html.contains("<html lang=\"ja\">"))
        #expect(html.contains("2019年上半期"))
        #expect(html.contains("圧縮ファイル内のファイルの種類"))
    }
}

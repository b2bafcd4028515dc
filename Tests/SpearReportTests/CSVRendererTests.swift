import Testing
@testable import SpearReport

/// A strict RFC 4180 reader, so the tests check what a spreadsheet would read, not substrings.
func parseCSV(_ text: String) -> [[String]] {
    var rows: [[String]] = []
    var row: [String] = []
    var field = ""
    var quoted = false
    var chars = Array(text)[...]
    while let c = chars.popFirst() {
        if quoted {
            if c == "\"" {
                if chars.first == "\"" { field.append("\""); chars.removeFirst() } else { quoted = false }
            } else {
                field.append(c)
            }
        } else if c == "\"" {
            quoted = true
        } else if c == "," {
            row.append(field); field = ""
        } else if c == "\r\n" || c == "\n" {
            row.append(field); field = ""
            rows.append(row); row = []
        } else {
            field.append(c)
        }
    }
    if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
    return rows
}

@Suite("CSV")
struct CSVRendererTests {
    @Test func quoting() {
        #expect(CSVRenderer.quoted("plain") == "plain")
        #expect(CSVRenderer.quoted("a,b") == "\"a,b\"")
        #expect(CSVRenderer.quoted("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSVRenderer.quoted("line\nbreak") == "\"line\nbreak\"")
        #expect(CSVRenderer.quoted("cr\r\nlf") == "\"cr\r\nlf\"")
        #expect(CSVRenderer.quoted("日本語") == "日本語")
    }

    @Test func formulaInjectionIsDefused() throws {
        let m = ReportMessage(sha256: "f", date: "2020-01-02", subject: "=HYPERLINK(\"http://x\",\"a,b\")",
                              senderDomain: "-x.example", targeted: true)
        let rows = parseCSV(try Report(messages: [m]).csv())
        let header = rows[0]
        let row = rows[1]
        #expect(row[header.firstIndex(of: "top_subject")!] == "'=HYPERLINK(\"http://x\",\"a,b\")")
        #expect(row[header.firstIndex(of: "top_sender_domain")!] == "'-x.example")
    }

    @Test func oneRowPerPeriodWithCounts() throws {
        let csv = try Fixtures.report(.month, .targeted).csv()
        #expect(csv.hasSuffix("\r\n"))
        let rows = parseCSV(csv)
        #expect(rows.count == 1 + 8)  // header + Jan…Jul + unknown
        let header = rows[0]
        #expect(rows.allSatisfy { $0.count == header.count })
        #expect(Set(header).count == header.count)
        func value(_ period: String, _ column: String) -> String? {
            guard let i = header.firstIndex(of: column), let row = rows.first(where: { $0.first == period }) else { return nil }
            return row[i]
        }
        #expect(rows.dropFirst().map { $0[0] } == ["2019-01", "2019-02", "2019-03", "2019-04", "2019-05", "2019-06", "2019-07", "unknown"])
        #expect(value("2019-01", "messages") == "3")
        #expect(value("2019-01", "counted") == "2")
        #expect(value("2019-02", "encrypted_archive") == "1")
        #expect(value("2019-02", "archive_contents_not_inspected") == "1")
        #expect(value("2019-02", "disk_image_content_files") == "2")
        #expect(value("2019-02", "disk_image_contents_shortcut") == "1")
        #expect(value("2019-02", "archive_contents_shortcut") == "0")
        #expect(value("2019-07", "attachments_archive") == "2")
        #expect(value("2019-07", "nested_archives") == "1")
        #expect(value("2019-01", "top_subject") == "請求書の送付")
        // A subject with a comma and quotes survives the round trip.
        #expect(value("2019-03", "top_subject") == "Invoice, \"Q1\" final")
        #expect(value("2019-07", "top_subject") == Fixtures.xssSubject)

        let noList = parseCSV(try Fixtures.report(publicAddresses: nil).csv())
        let i = noList[0].firstIndex(of: "non_public")!
        #expect(noList.dropFirst().allSatisfy { $0[i] == "" })
    }
}

import Testing
@testable import SpearReport

@Suite("Counting (hand-checked over Fixtures)")
struct AggregatorTests {
    @Test func monthlyTargeted() throws {
        let r = try Fixtures.report(.month, .targeted)
        #expect(r.periods.map { $0.period?.key ?? "total" } == [
            "2019-01", "2019-02", "2019-03", "2019-04", "2019-05", "2019-06", "2019-07", "unknown",
        ])

        let jan = try #require(r.stats("2019-01"))
        #expect([jan.messages, jan.targeted, jan.counted] == [3, 2, 2])
        #expect([jan.spoofed, jan.spoofedUnknown, jan.bulk, jan.encryptedArchive] == [1, 0, 0, 0])
        #expect(jan.nonPublic == 1)
        #expect(jan.nonZeroAttachments == [.word: 1, .archive: 1])
        #expect(jan.nonZeroContents == [.executable: 1, .script: 1, .shortcut: 1])
        #expect(jan.notInspected == 0)
        #expect(jan.nestedArchives == 1)
        #expect(jan.topSubjects == [RankedEntry(value: "請求書の送付", count: 2)])
        #expect(jan.topSenderDomains == [RankedEntry(value: "evil.example", count: 2)])

        let feb = try #require(r.stats("2019-02"))
        #expect([feb.messages, feb.targeted, feb.counted] == [3, 2, 2])
        #expect([feb.spoofed, feb.spoofedUnknown, feb.bulk, feb.encryptedArchive] == [1, 1, 1, 1])
        #expect(feb.nonPublic == 1)
        #expect(feb.nonZeroAttachments == [.archive: 1, .diskImage: 1, .excel: 1])
        // The ISO's shortcut and program count inside disk images, not inside compressed files.
        #expect(feb.nonZeroContents == [:])
        #expect(feb.nonZeroImageContents == [.shortcut: 1, .executable: 1])
        #expect(feb.notInspected == 1)
        #expect(feb.nestedArchives == 0)
        #expect(feb.topSubjects == [RankedEntry(value: "Meeting notes", count: 2)])
        #expect(feb.topSenderDomains == [RankedEntry(value: "phish.example", count: 2)])

        let mar = try #require(r.stats("2019-03"))
        #expect([mar.messages, mar.targeted, mar.counted, mar.spoofed, mar.bulk] == [1, 1, 1, 0, 0])
        #expect(mar.nonPublic == 0)
        #expect(mar.nonZeroAttachments == [.email: 1, .archive: 1])
        #expect(mar.nonZeroContents == [.pdf: 1])
        #expect(mar.notInspected == 0)
        #expect(mar.topSubjects == [RankedEntry(value: "Invoice, \"Q1\" final", count: 1)])

        for key in ["2019-04", "2019-05", "2019-06"] {
            let empty = try #require(r.stats(key))
            #expect(empty.messages == 0 && empty.counted == 0 && empty.attachmentFiles == 0)
            #expect(empty.nonPublic == 0)
            #expect(empty.share(empty.spoofed) == nil)
        }

        let jul = try #require(r.stats("2019-07"))
        #expect([jul.messages, jul.targeted, jul.counted] == [3, 2, 2])
        #expect([jul.spoofed, jul.spoofedUnknown, jul.bulk, jul.encryptedArchive] == [1, 0, 1, 0])
        #expect(jul.nonPublic == 1)
        #expect(jul.nonZeroAttachments == [.archive: 2, .other: 1, .rtf: 1])
        #expect(jul.nonZeroContents == [.word: 1, .text: 1])
        #expect(jul.notInspected == 2)
        #expect(jul.nestedArchives == 1)
        #expect(jul.topSubjects == [RankedEntry(value: Fixtures.xssSubject, count: 1), RankedEntry(value: "請求書の送付", count: 1)])

        let unknown = try #require(r.stats("unknown"))
        #expect(r.periods.last?.period?.isUnknown == true)
        #expect([unknown.messages, unknown.targeted, unknown.counted, unknown.spoofedUnknown] == [2, 1, 1, 1])
        #expect(unknown.nonPublic == 1)
        #expect(unknown.nonZeroAttachments == [.archive: 1])
        #expect(unknown.nonZeroContents == [.script: 2])

        let t = r.totals
        #expect(t.period == nil)
        #expect([t.messages, t.targeted, t.counted] == [12, 8, 8])
        #expect([t.spoofed, t.spoofedUnknown, t.bulk, t.encryptedArchive] == [3, 2, 2, 1])
        #expect(t.nonPublic == 4)
        #expect(t.nonZeroAttachments == [.word: 1, .archive: 6, .diskImage: 1, .excel: 1, .other: 1, .rtf: 1, .email: 1])
        #expect(t.attachmentFiles == 12)
        #expect(t.nonZeroContents == [.executable: 1, .script: 3, .shortcut: 1, .word: 1, .text: 1, .pdf: 1])
        #expect(t.nonZeroImageContents == [.executable: 1, .shortcut: 1])
        #expect(t.diskImageContentFiles == 2)
        #expect(t.notInspected == 3)
        #expect(t.archiveContentFiles == 11)
        #expect(t.nestedArchives == 2)
        #expect(t.topSubjects == [
            RankedEntry(value: "請求書の送付", count: 3),
            RankedEntry(value: "Meeting notes", count: 2),
            RankedEntry(value: Fixtures.xssSubject, count: 1),
            RankedEntry(value: "Invoice, \"Q1\" final", count: 1),
            RankedEntry(value: "未配達のお知らせ", count: 1),
        ])
        #expect(t.topSenderDomains == [RankedEntry(value: "evil.example", count: 6), RankedEntry(value: "phish.example", count: 2)])
    }

    @Test func monthlyAll() throws {
        let r = try Fixtures.report(.month, .all)
        let jan = try #require(r.stats("2019-01"))
        #expect([jan.messages, jan.targeted, jan.counted, jan.spoofed, jan.spoofedUnknown, jan.bulk] == [3, 2, 3, 1, 1, 1])
        #expect(jan.nonPublic == 1)
        #expect(jan.nonZeroAttachments == [.word: 1, .archive: 1, .pdf: 1])
        #expect(jan.topSubjects == [RankedEntry(value: "請求書の送付", count: 2), RankedEntry(value: "Newsletter", count: 1)])
        #expect(jan.topSenderDomains == [RankedEntry(value: "evil.example", count: 2), RankedEntry(value: "news.example", count: 1)])

        let feb = try #require(r.stats("2019-02"))
        #expect([feb.counted, feb.spoofed, feb.spoofedUnknown, feb.bulk] == [3, 1, 1, 1])
        #expect(feb.nonPublic == 1)

        let jul = try #require(r.stats("2019-07"))
        #expect(jul.counted == 3)
        #expect(jul.nonZeroAttachments == [.archive: 2, .other: 1, .rtf: 1, .powerpoint: 1, .image: 1])

        let unknown = try #require(r.stats("unknown"))
        #expect([unknown.counted, unknown.spoofedUnknown] == [2, 2])
        #expect(unknown.nonZeroAttachments == [.archive: 1, .html: 1])
        #expect(unknown.topSenderDomains == [RankedEntry(value: "evil.example", count: 1)])

        let t = r.totals
        #expect([t.messages, t.targeted, t.counted, t.spoofed, t.spoofedUnknown, t.bulk, t.encryptedArchive] == [12, 8, 12, 3, 4, 3, 1])
        #expect(t.nonPublic == 4)
        #expect(t.attachmentFiles == 16)
        // Contents do not change: the extra messages carry no archives.
        #expect(t.archiveContentFiles == 11)
    }

    @Test func quarterHalfYear() throws {
        let q = try Fixtures.report(.quarter)
        #expect(q.periods.map { $0.period!.key } == ["2019-Q1", "2019-Q2", "2019-Q3", "unknown"])
        let q1 = try #require(q.stats("2019-Q1"))
        #expect([q1.messages, q1.targeted, q1.counted, q1.spoofed, q1.spoofedUnknown, q1.bulk, q1.encryptedArchive] == [7, 5, 5, 2, 1, 1, 1])
        #expect(q1.nonPublic == 2)
        #expect(q1.nonZeroAttachments == [.word: 1, .archive: 3, .diskImage: 1, .excel: 1, .email: 1])
        #expect(q1.nonZeroContents == [.executable: 1, .script: 1, .shortcut: 1, .pdf: 1])
        #expect(q1.nonZeroImageContents == [.executable: 1, .shortcut: 1])
        #expect(q1.notInspected == 1)
        #expect(q1.nestedArchives == 1)
        #expect(q.stats("2019-Q2")?.messages == 0)
        #expect(q.stats("2019-Q3")?.attachmentFiles == 4)

        let h = try Fixtures.report(.half, lang: .ja)
        #expect(h.periods.map { $0.period!.key } == ["2019-H1", "2019-H2", "unknown"])
        #expect(h.periods.map { $0.period!.label(.ja) } == ["2019年上半期", "2019年下半期", "不明"])
        #expect(h.stats("2019-H1")?.counted == 5)
        #expect(h.stats("2019-H2")?.counted == 2)
        #expect(h.stats("2019-H2")?.notInspected == 2)

        let y = try Fixtures.report(.year, .all)
        #expect(y.periods.map { $0.period!.key } == ["2019", "unknown"])
        let y2019 = try #require(y.stats("2019"))
        #expect([y2019.messages, y2019.targeted, y2019.counted] == [10, 7, 10])
        #expect(y2019.attachmentFiles == 14)
        #expect(y.totals.attachmentFiles == 16)
    }

    @Test func fromToFilters() throws {
        let r = try Fixtures.report(.month, .targeted, from: "2019-02", to: "2019-03")
        #expect(r.periods.map { $0.period!.key } == ["2019-02", "2019-03"])  // no unknown bucket with a filter
        #expect([r.totals.messages, r.totals.targeted, r.totals.counted] == [4, 3, 3])

        // The filter works on months: Q1 keeps February and March only; Q2 and Q3 are shown.
        let q = try Fixtures.report(.quarter, .all, from: "2019-02")
        #expect(q.periods.map { $0.period!.key } == ["2019-Q1", "2019-Q2", "2019-Q3"])
        #expect(q.stats("2019-Q1")?.messages == 4)
        #expect(q.totals.messages == 7)

        // Bounds beyond the data are shown as empty periods.
        let wide = try Fixtures.report(.month, from: "2018-12", to: "2019-01")
        #expect(wide.periods.map { $0.period!.key } == ["2018-12", "2019-01"])
        #expect(wide.stats("2018-12")?.messages == 0)

        let toOnly = try Fixtures.report(.month, to: "2019-01")
        #expect(toOnly.periods.map { $0.period!.key } == ["2019-01"])
        #expect(toOnly.totals.messages == 3)

        let none = try Report(messages: [], options: ReportOptions(from: "2020-01", to: "2020-03"))
        #expect(none.periods.map { $0.period!.key } == ["2020-01", "2020-02", "2020-03"])
        #expect(try Report(messages: []).periods.isEmpty)
    }

    @Test func invalidFilters() {
        #expect(throws: ReportError.invalidMonth("2019-13")) { try Fixtures.report(from: "2019-13") }
        #expect(throws: ReportError.invalidMonth("2019-3")) { try Fixtures.report(to: "2019-3") }
        #expect(throws: ReportError.invalidMonth("2019-03-01")) { try Fixtures.report(to: "2019-03-01") }
        #expect(throws: ReportError.emptyRange(from: "2019-05", to: "2019-04")) {
            try Fixtures.report(from: "2019-05", to: "2019-04")
        }
    }

    @Test func nonPublicIsNilWithoutList() throws {
        let r = try Fixtures.report(publicAddresses: nil)
        #expect(r.periods.allSatisfy { $0.nonPublic == nil })
        #expect(r.totals.nonPublic == nil)
        #expect(r.totals.share(r.totals.nonPublic) == nil)
        // An empty list makes every message with a recipient non-public.
        let empty = try Fixtures.report(publicAddresses: [])
        #expect(empty.totals.nonPublic == 7)  // every counted message but m5, which has no recipients
    }

    @Test func shares() throws {
        let r = try Fixtures.report()
        let t = r.totals
        #expect(t.share(t.spoofed) == 3.0 / 8.0)
        #expect(t.share(t.nonPublic) == 0.5)
    }

    @Test func dateParsing() {
        #expect(YearMonth(timestamp: "2019-03-04T10:00:00+09:00") == YearMonth(year: 2019, month: 3))
        #expect(YearMonth(timestamp: "2019-12") == YearMonth(year: 2019, month: 12))
        #expect(YearMonth(timestamp: "2019-00-04T10:00:00Z") == nil)
        #expect(YearMonth(timestamp: "2019-1-04") == nil)
        #expect(YearMonth(timestamp: "Mon, 4 Mar 2019") == nil)
        #expect(YearMonth(timestamp: "1970-01-01T00:00:00Z") == nil)
        #expect(YearMonth(timestamp: "") == nil)
        #expect(YearMonth(option: "1970-01") == YearMonth(year: 1970, month: 1))
        // Fallback order.
        let m = ReportMessage(sha256: "x", date: "bad", receivedDate: "2020-05-01T00:00:00Z")
        #expect(Aggregator.month(of: m) == YearMonth(year: 2020, month: 5))
        let d = ReportMessage(sha256: "x", date: "2020-04-30T23:00:00-10:00", receivedDate: "2020-05-01T00:00:00Z")
        #expect(Aggregator.month(of: d) == YearMonth(year: 2020, month: 4))
    }

    @Test func unknownCategoryIsOther() {
        #expect(AttachmentCategory(normalizing: "ichitaro") == .other)
        #expect(AttachmentCategory(normalizing: "DISK_IMAGE") == .diskImage)
        #expect(AttachmentCategory(normalizing: "") == .other)
        #expect(!AttachmentCategory.leafCases.contains(.archive))
        #expect(AttachmentCategory.leafCases.count == 13)
    }

    @Test func deepNestingDoesNotRecurse() throws {
        var a = ReportAttachment(category: "script")
        for _ in 0..<1_000 { a = ReportAttachment(category: "archive", members: [a]) }
        let r = try Report(messages: [ReportMessage(sha256: "deep", date: "2021-01-01", targeted: true, attachments: [a])])
        #expect(r.totals.nestedArchives == 999)
        #expect(r.totals.archiveContents[.script] == 1)
    }
}

@Suite("Counting TNEF and disk images")
struct TNEFAndDiskImageCountingTests {
    func totals(_ attachments: [ReportAttachment]) throws -> PeriodStats {
        let m = ReportMessage(sha256: "t", date: "2019-05-01T10:00:00+09:00", subject: "s", senderDomain: "x.example",
                              recipients: ["a@corp.jp"], targeted: true, spoofed: false, attachments: attachments)
        return try Report(messages: [m], options: ReportOptions(by: .month, scope: .all)).totals
    }

    @Test("A winmail.dat counts as the files it carries, at any depth, as Outlook shows them")
    func tnefMembersAreAttachments() throws {
        let t = try totals([Fixtures.a("tnef", [Fixtures.a("pdf"), Fixtures.a("archive", [Fixtures.a("script")]),
                                                Fixtures.a("tnef", [Fixtures.a("word")])])])
        #expect(t.nonZeroAttachments == [.pdf: 1, .archive: 1, .word: 1])
        #expect(t.attachmentFiles == 3)
        #expect(t.nonZeroContents == [.script: 1])
        #expect(t.nestedArchives == 0)
    }

    @Test("A winmail.dat nothing could be read from counts as itself (other), not as nothing")
    func unreadableTNEF() throws {
        let t = try totals([Fixtures.a("tnef", complete: false)])
        #expect(t.nonZeroAttachments == [.other: 1])
    }

    @Test("A TNEF inside an archive is transparent too: its files are the archive's leaves")
    func tnefInsideArchive() throws {
        let t = try totals([Fixtures.a("archive", [Fixtures.a("tnef", [Fixtures.a("executable"), Fixtures.a("text")])])])
        #expect(t.nonZeroContents == [.executable: 1, .text: 1])
        #expect(t.nestedArchives == 0)
    }

    @Test("Files in a disk image, even inside an archive inside it, go to the disk-image breakdown")
    func diskImageBreakdown() throws {
        let t = try totals([
            Fixtures.a("disk_image", [Fixtures.a("shortcut"), Fixtures.a("archive", [Fixtures.a("executable")]), Fixtures.a("archive", encrypted: true)]),
            Fixtures.a("archive", [Fixtures.a("disk_image", [Fixtures.a("script")])]),
        ])
        #expect(t.nonZeroImageContents == [.shortcut: 1, .executable: 1])
        #expect(t.diskImageNotInspected == 1)
        #expect(t.diskImageContentFiles == 3)
        // An image inside an archive attachment: what it holds is inside a compressed file.
        #expect(t.nonZeroContents == [.script: 1])
        #expect(t.notInspected == 0)
        #expect(t.nestedArchives == 3)
    }
}


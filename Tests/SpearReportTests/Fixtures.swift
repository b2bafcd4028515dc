@testable import SpearReport

/// Twelve hand-made messages over January, February, March and July 2019 plus two undated ones, with every
/// counting rule exercised once: dates in their own offset, Received fallback, a forged 1970 date, nested
/// archives, an encrypted archive nobody could open, a broken one, a partly opened one, an unknown category,
/// Japanese subjects and a subject that needs escaping. The expected numbers in the tests were worked out by
/// hand from this list (see the comments) — not by running the code.
enum Fixtures {
    static func a(_ category: String, encrypted: Bool = false, complete: Bool = true, _ members: [ReportAttachment] = []) -> ReportAttachment {
        ReportAttachment(category: category, encrypted: encrypted, complete: complete, members: members)
    }

    static let xssSubject = "<script>&\"alert"
    static let invoiceSubject = "Invoice, \"Q1\"\nfinal"

    /// Published addresses, deliberately not lower-cased (the report normalises them).
    static let publicAddresses: Set<String> = ["Info@Corp.JP", "c@corp.jp"]

    static let messages: [ReportMessage] = [
        // 2019-01
        ReportMessage(sha256: "m1", date: "2019-01-10T09:00:00+09:00", subject: "請求書の送付", senderDomain: "evil.example",
                      recipients: ["a@corp.jp"], targeted: true, spoofed: true, attachments: [a("word")]),
        // 23:30 at -05:00 is 1 February in UTC: still January, the sender's month.
        ReportMessage(sha256: "m2", date: "2019-01-31T23:30:00-05:00", subject: "請求書の送付", senderDomain: "evil.example",
                      recipients: ["info@corp.jp"], targeted: true, spoofed: false,
                      attachments: [a("archive", [a("executable"), a("script"), a("archive", [a("shortcut")])])]),
        ReportMessage(sha256: "m3", date: "2019-01-15T10:00:00Z", subject: "Newsletter", senderDomain: "news.example",
                      recipients: ["info@corp.jp"], targeted: false, spoofed: nil, bulk: true, attachments: [a("pdf")]),
        // 2019-02, both from the Received fallback.
        ReportMessage(sha256: "m4", date: nil, receivedDate: "2019-02-01T00:10:00+09:00", subject: "  Meeting\r\n notes ",
                      senderDomain: "Phish.Example", recipients: ["b@corp.jp", "info@corp.jp"], targeted: true, spoofed: nil,
                      bulk: true, attachments: [a("archive", encrypted: true)]),
        ReportMessage(sha256: "m5", date: "Mon, 4 Feb 2019 garbage", receivedDate: "2019-02-20T12:00:00+09:00",
                      subject: "Meeting notes", senderDomain: "phish.example", recipients: [], targeted: true, spoofed: true,
                      attachments: [a("disk_image", [a("shortcut"), a("executable")]), a("excel")]),
        // An HTML newsletter whose inline logo (multipart/related) the loader has already left out: inline parts
        // never reach ReportMessage.attachments, so this message has no attachments to count.
        ReportMessage(sha256: "m6", date: "2019-02-05T08:00:00+09:00", subject: "Lunch", senderDomain: "corp.jp",
                      recipients: ["c@corp.jp"], targeted: false, spoofed: false),
        // 2019-03: a partly opened archive contributes what was found.
        ReportMessage(sha256: "m12", date: "2019-03-03T10:00:00+09:00", subject: invoiceSubject, senderDomain: "evil.example",
                      recipients: ["info@corp.jp"], targeted: true, spoofed: false,
                      attachments: [a("email"), a("archive", complete: false, [a("pdf")])]),
        // 2019-07 (the first one is 30 June in UTC).
        ReportMessage(sha256: "m7", date: "2019-07-01T00:00:00+09:00", subject: xssSubject, senderDomain: "evil.example",
                      recipients: ["info@corp.jp"], targeted: true, spoofed: false,
                      attachments: [a("archive", [a("archive", encrypted: true), a("word"), a("text")]), a("ichitaro")]),
        ReportMessage(sha256: "m8", date: "2019-07-15T10:00:00+09:00", subject: "請求書の送付", senderDomain: "evil.example",
                      recipients: ["d@corp.jp"], targeted: true, spoofed: true, bulk: true,
                      attachments: [a("archive", complete: false), a("rtf")]),
        ReportMessage(sha256: "m9", date: "2019-07-20T10:00:00+09:00", subject: "Report", senderDomain: "partner.example",
                      recipients: ["info@corp.jp"], targeted: false, notInspected: true, spoofed: false, attachments: [a("powerpoint"), a("image")]),
        // Undated, and dated 1970 (a zeroed header): both go to "unknown".
        ReportMessage(sha256: "m10", subject: "未配達のお知らせ", senderDomain: "evil.example", recipients: ["e@corp.jp"],
                      targeted: true, spoofed: nil, attachments: [a("archive", [a("script"), a("script")])]),
        ReportMessage(sha256: "m11", date: "1970-01-01T00:00:00Z", targeted: false, spoofed: nil, attachments: [a("html")]),
    ]

    static func report(_ by: Granularity = .month, _ scope: Scope = .targeted, from: String? = nil, to: String? = nil,
                       publicAddresses: Set<String>? = Fixtures.publicAddresses, lang: Language = .en) throws -> Report {
        try Report(messages: messages, options: ReportOptions(by: by, scope: scope, from: from, to: to,
                                                               publicAddresses: publicAddresses, lang: lang))
    }
}

extension PeriodStats {
    /// The attachment counts without the zeros, for compact expectations.
    var nonZeroAttachments: [AttachmentCategory: Int] { attachments.filter { $0.value > 0 } }
    var nonZeroContents: [AttachmentCategory: Int] { archiveContents.filter { $0.value > 0 } }
    var nonZeroImageContents: [AttachmentCategory: Int] { diskImageContents.filter { $0.value > 0 } }
}

extension Report {
    func stats(_ key: String) -> PeriodStats? { periods.first { $0.period?.key == key } }
}

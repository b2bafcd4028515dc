/// Every human-readable string of the table, charts and HTML, in English and Japanese. Japanese follows the
/// NPA's own wording (圧縮ファイル、実行ファイル、ばらまき型…) so that a report can sit next to theirs.
struct Labels: Sendable {
    let lang: Language

    init(_ lang: Language) { self.lang = lang }

    private func t(_ en: String, _ ja: String) -> String { lang == .ja ? ja : en }

    func category(_ c: AttachmentCategory) -> String {
        switch c {
        case .word: "Word"
        case .excel: "Excel"
        case .powerpoint: "PowerPoint"
        case .pdf: "PDF"
        case .archive: t("Compressed", "圧縮ファイル")
        case .diskImage: t("Disk image", "ディスクイメージ")
        case .executable: t("Executable", "実行ファイル")
        case .script: t("Script", "スクリプトファイル")
        case .shortcut: t("Shortcut", "ショートカットファイル")
        case .html: "HTML"
        case .email: t("Email", "メール")
        case .image: t("Image", "画像")
        case .text: t("Text", "テキスト")
        case .rtf: "RTF"
        case .other: t("Other", "その他")
        }
    }

    var notInspected: String { t("Not inspected", "未検査") }
    var notInspectedMessages: String { t("Not inspected", "未検査メール") }
    var unknown: String { t("unknown", "不明") }
    var total: String { t("Total", "合計") }
    var noData: String { t("no data", "データなし") }
    var notAvailable: String { "n/a" }

    var period: String { t("Period", "期間") }
    var messages: String { t("Messages", "メール数") }
    var counted: String { t("Counted", "集計対象") }
    var targeted: String { t("Targeted", "標的型") }
    var spoofed: String { t("Spoofed sender", "送信者詐称") }
    var bulk: String { t("Bulk-type", "ばらまき型") }
    var nonPublic: String { t("To non-public addresses", "非公開アドレス宛") }
    var encryptedArchive: String { t("Encrypted archive", "暗号化圧縮ファイル") }
    var files: String { t("Files", "ファイル数") }
    var nestedArchives: String { t("Nested archives", "入れ子の圧縮ファイル") }
    var rank: String { "#" }
    var count: String { t("Count", "件数") }
    var subject: String { t("Subject", "件名") }
    var senderDomain: String { t("Sender domain", "送信者ドメイン") }

    var title: String { t("Targeted email report", "標的型メール集計報告") }
    var headline: String { t("Headline statistics", "概要") }
    var attachmentsTitle: String { t("Attachment types (share of files)", "添付ファイルの種類（ファイル数の割合）") }
    var archiveContentsTitle: String {
        t("Types inside compressed files (share of files)", "圧縮ファイル内のファイルの種類（ファイル数の割合）")
    }
    var diskImageContentsTitle: String {
        t("Types inside disk images (share of files)", "ディスクイメージ内のファイルの種類（ファイル数の割合）")
    }
    var topSubjectsTitle: String { t("Top lure subjects", "件名（上位5件）") }
    var topDomainsTitle: String { t("Top sender domains", "送信者ドメイン（上位5件）") }

    func scope(_ s: Scope) -> String {
        switch s {
        case .targeted: t("targeted messages only", "標的型メールのみ")
        case .all: t("all messages", "全メール")
        }
    }

    func granularity(_ g: Granularity) -> String {
        switch g {
        case .month: t("by month", "月別")
        case .quarter: t("by quarter", "四半期別")
        case .half: t("by half-year", "半期別")
        case .year: t("by year", "年別")
        }
    }

    /// "by month, targeted messages only, 2019-01 to 2019-06".
    func subtitle(_ o: ReportOptions) -> String {
        var parts = [granularity(o.by), scope(o.scope)]
        switch (o.from, o.to) {
        case (let a?, let b?): parts.append(t("\(a) to \(b)", "\(a)〜\(b)"))
        case (let a?, nil): parts.append(t("from \(a)", "\(a)以降"))
        case (nil, let b?): parts.append(t("up to \(b)", "\(b)まで"))
        case (nil, nil): break
        }
        return parts.joined(separator: t(", ", "、"))
    }

    func periodLabel(_ p: Period?) -> String { p?.label(lang) ?? total }
}

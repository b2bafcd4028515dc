import SpearClassify
import SpearCore
import SpearScan
import SpearSpool
import SpearStore
import SpearUnpack

/// PPAP, the Japanese office habit: an encrypted zip, then minutes later a second mail with its password
/// (「パスワードのお知らせ」). One message alone cannot open the zip; the spool can. After a batch, every stored
/// archive that no password opened is read again from the spool and scanned with the passwords of the notices
/// near it (`ScanStore.ppapCandidates`: same sender or domain, a common recipient, within the window). When one
/// opens it, the archive message is stored again from that scan (its members, findings, verdict, fingerprints and
/// campaign, the password's source `message:<notice's SHA-256>`) and the pair recorded. The notice may come
/// before or after the archive, in this batch or an earlier one.
struct PPAPPass {
    let store: any ScanStore
    let scanner: MessageScanner
    let spool: SpoolOptions
    let window: Double
    let json: Bool
    /// Receives the JSON line of every message stored again (the archive opened, its notice), when JSON Lines are
    /// written: a later line for the same `sha256` supersedes the earlier one.
    var lineSink: ((String) -> Void)? = nil

    /// Notices tried per archive and batch, nearest first.
    static let maxNotices = 8

    /// Returns the archives opened (their raw SHA-256 and new verdict), how many were tried, and how many had more
    /// notices near them than `maxNotices`.
    func run() throws -> (opened: [(sha256: String, status: Verdict.Status)], tried: Int, crowded: Int) {
        let candidates = try store.ppapCandidates(window: window)
        guard !candidates.isEmpty else { return ([], 0, 0) }
        let found = SpoolReread.read(Set(candidates.map { SpoolReread.Location(source: $0.source, offset: $0.offset) }),
                                     options: spool)
        let magic = try? Magic()
        var opened: [(sha256: String, status: Verdict.Status)] = [], tried = 0, crowded = 0
        for candidate in candidates {
            guard let message = Rescan.message(found, source: candidate.source, offset: candidate.offset, sha256: candidate.archiveSHA256)
            else { continue }
            tried += 1
            var options = scanner.options
            // The nearest notices only: a sender with a thousand notices costs a bounded number of tries per
            // archive per batch (the untried ones are tried by the next batch).
            // And only as many as the unpacker tries passwords (64): a notice with dozens of tokens must not use
            // up the tries of the ones after it and then have them recorded as tried. At least one is taken.
            var notices: [PPAPCandidate.Notice] = []
            var room = Unpacker.maxCandidates - scanner.options.passwords.count
            for notice in candidate.notices.prefix(Self.maxNotices) where notices.isEmpty || notice.passwords.count <= room {
                notices.append(notice)
                room -= notice.passwords.count
            }
            if candidate.notices.count > notices.count { crowded += 1 }
            options.passwords += notices.flatMap { notice in
                notice.passwords.map { PasswordCandidate(value: $0, source: "message:\(notice.sha256)") }
            }
            var result = Rescan.scan(message, options: options, magic: magic)
            guard let key = result.report.attachments.flatMap(\.flattened).compactMap(\.password)
                    .first(where: { $0.source.hasPrefix("message:") })
            else {
                try store.recordPPAPTried(archiveSHA256: candidate.archiveSHA256, notices: notices.map(\.sha256))
                continue
            }
            let pair = PPAPPair(archiveSHA256: candidate.archiveSHA256, passwordSHA256: String(key.source.dropFirst("message:".count)),
                                password: key.value)
            result.report.ppapPair = pair.link(.archive)
            guard let stored = BatchRunner.stored(result, sha256: candidate.archiveSHA256, offset: message.offset, json: json) else {
                try store.recordPPAPTried(archiveSHA256: candidate.archiveSHA256, notices: notices.map(\.sha256))
                continue
            }
            try store.remove(sha256: candidate.archiveSHA256)
            _ = try store.insert(stored)
            try store.recordPPAPPair(pair)
            if let line = stored.reportJSON { lineSink?(line) }
            if json, let notice = notices.first(where: { $0.sha256 == pair.passwordSHA256 }) { try restoreNotice(notice, pair: pair, magic: magic) }
            opened.append((candidate.archiveSHA256, stored.report.verdict.status))
        }
        try store.commit()
        return (opened, tried, crowded)
    }

    /// Gives the notice its side of the pair (`ppap_pair`) in its JSON: written again as a line, and in the store
    /// where it keeps scan JSON. Left as it is when it cannot be read again.
    private func restoreNotice(_ notice: PPAPCandidate.Notice, pair: PPAPPair, magic: Magic?) throws {
        let found = SpoolReread.read([SpoolReread.Location(source: notice.source, offset: notice.offset)], options: spool)
        guard let message = Rescan.message(found, source: notice.source, offset: notice.offset, sha256: notice.sha256) else { return }
        var result = Rescan.scan(message, options: scanner.options, magic: magic)
        result.report.ppapPair = pair.link(.notice)
        guard let stored = BatchRunner.stored(result, sha256: notice.sha256, offset: message.offset, json: json) else { return }
        // Only its JSON changes (the verdict is recomputed from the same bytes): replaced in place.
        guard try store.replaceVerdict(stored) else { return }
        if let line = stored.reportJSON { lineSink?(line) }
    }
}

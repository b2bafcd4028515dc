/// Gathers the rows of a PPAP candidate query (one row per archive × notice × password, nearest notice first) into
/// candidates, in row order: the same for both stores' queries.
struct PPAPCandidateCollector {
    private var byArchive: [String: PPAPCandidate] = [:]
    private var order: [String] = []
    private var passwords: [String: [String]] = [:]

    mutating func add(archive: String, source: String, offset: Int?, notice: String, password: String, noticeSource: String,
                      noticeOffset: Int?) {
        if byArchive[archive] == nil {
            order.append(archive)
            byArchive[archive] = PPAPCandidate(archiveSHA256: archive, source: source, offset: offset, notices: [])
        }
        let key = archive + " " + notice
        if passwords[key] == nil {
            byArchive[archive]?.notices.append(.init(sha256: notice, passwords: [], source: noticeSource, offset: noticeOffset))
        }
        passwords[key, default: []].append(password)
    }

    var candidates: [PPAPCandidate] {
        order.compactMap { archive in
            guard var candidate = byArchive[archive] else { return nil }
            for k in candidate.notices.indices {
                candidate.notices[k].passwords = passwords[archive + " " + candidate.notices[k].sha256] ?? []
            }
            return candidate
        }
    }
}

/// Reads the members of one archive held in memory, within a message's budget, trying password candidates on
/// encrypted members.
public enum Unpacker {
    /// At most this many password candidates are tried on one archive.
    public static let maxCandidates = 64

    /// Unpacks `bytes`; nil when it is neither an archive nor a compressed file libarchive reads.
    public static func unpack(_ bytes: [UInt8], passwords: [PasswordCandidate], budget: UnpackBudget) -> UnpackResult? {
        guard var result = read(bytes, passphrase: nil, budget: budget, dryRun: false) else { return nil }
        let locked = result.entries.indices.filter { isLocked(result.entries[$0]) }
        guard !locked.isEmpty else { return result }
        result.lockedEntries = locked.count
        for candidate in passwords.prefix(maxCandidates) {
            // A trial read costs no budget; only the read that succeeds is charged.
            guard let trial = read(bytes, passphrase: candidate.value, budget: budget, dryRun: true),
                  trial.entries.count == result.entries.count,
                  locked.allSatisfy({ !isLocked(trial.entries[$0]) })
            else { continue }
            guard var opened = read(bytes, passphrase: candidate.value, budget: budget, dryRun: false) else { continue }
            opened.password = candidate
            opened.encrypted = true
            opened.lockedEntries = 0
            return opened
        }
        return result
    }

    private static func isLocked(_ e: ArchiveEntry) -> Bool {
        e.encrypted && e.issues.contains { if case .unreadable = $0 { true } else { false } }
    }

    /// One pass over the archive. `dryRun` reads without charging the budget (used to test a password).
    private static func read(_ bytes: [UInt8], passphrase: String?, budget: UnpackBudget, dryRun: Bool) -> UnpackResult? {
        bytes.withUnsafeBytes { buffer -> UnpackResult? in
            let reader = ArchiveReader(buffer, mode: .archive, passphrases: passphrase.map { [$0] } ?? [])
                ?? ArchiveReader(buffer, mode: .compressedFile, passphrases: [])
            guard let reader else { return nil }
            var result = UnpackResult(format: "", entries: [], encrypted: false, password: nil, lockedEntries: 0, damage: nil, limits: [])
            var produced = 0
            var stop = false
            while !stop {
                switch reader.next() {
                case .end:
                    stop = true
                case .failed(let message):
                    result.damage = message
                    stop = true
                case .entry(let header, let warning):
                    if header.isDirectory || (!header.isRegularFile && !header.isSymlink && header.size == 0) { continue }
                    if !dryRun && !budget.takeEntry() {
                        result.limits.append(.limit(.entries, "more than \(budget.limits.maxEntries) archive members in the message; the rest not read"))
                        stop = true
                        continue
                    }
                    if !dryRun && budget.timeIsUp {
                        result.limits.append(.limit(.time, "unpacking took longer than \(budget.limits.timeLimit) s; the rest not read"))
                        stop = true
                        continue
                    }
                    let (path, raw) = EntryName.decode(header.rawName)
                    var entry = ArchiveEntry(path: path, rawPath: raw, declaredSize: header.size, bytes: [],
                                             encrypted: header.encrypted, complete: true, issues: [])
                    if let why = EntryName.traversal(path) { entry.issues.append(.pathTraversal(why)) }
                    if let warning { entry.issues.append(.unreadable(warning)) }
                    if header.isSymlink {
                        entry.issues.append(.unreadable("symbolic link, not followed"))
                        result.entries.append(entry)
                        continue
                    }
                    var data: [UInt8] = []
                    data.reserveCapacity(min(header.size ?? 0, 1 << 20))
                    var limitHit: EntryIssue?
                    let outcome = reader.readData { chunk in
                        if data.count + chunk.count > budget.limits.maxEntryBytes {
                            limitHit = .limit(.entryBytes, "member larger than \(budget.limits.maxEntryBytes) bytes; read cut there")
                            return false
                        }
                        if !dryRun && !budget.takeBytes(chunk.count) {
                            limitHit = .limit(.totalBytes, "more than \(budget.limits.maxTotalBytes) uncompressed bytes in the message; read cut there")
                            return false
                        }
                        produced += chunk.count
                        if produced > budget.limits.ratioFloor && produced / max(1, bytes.count) > budget.limits.maxRatio {
                            limitHit = .limit(.ratio, "expands more than \(budget.limits.maxRatio):1 (\(produced) bytes from \(bytes.count)); read cut there")
                            return false
                        }
                        if budget.timeIsUp {
                            limitHit = .limit(.time, "unpacking took longer than \(budget.limits.timeLimit) s; read cut there")
                            return false
                        }
                        data.append(contentsOf: chunk)
                        return true
                    }
                    switch outcome {
                    case .complete: break
                    case .stopped:
                        entry.complete = false
                        if let limitHit { entry.issues.append(limitHit); result.limits.append(limitHit) }
                        // Ratio, total bytes and time end the archive; the entry limit only this member.
                        if case .limit(let kind, _) = limitHit, kind != .entryBytes { stop = true }
                    case .failed(let message):
                        entry.complete = false
                        entry.issues.append(.unreadable(message))
                        if !entry.encrypted && result.damage == nil { result.damage = message }
                    }
                    if entry.encrypted || reader.entryLooksEncrypted(message: entry.issues) { entry.encrypted = true; result.encrypted = true }
                    entry.bytes = data
                    result.entries.append(entry)
                }
            }
            result.format = [reader.formatName, reader.filterName].compactMap { $0 }.joined(separator: " + ")
            return result
        }
    }
}

extension ArchiveReader {
    /// libarchive says "encrypted" in its error text for formats whose headers do not flag encryption (7z).
    func entryLooksEncrypted(message issues: [EntryIssue]) -> Bool {
        issues.contains {
            if case .unreadable(let m) = $0 { return m.lowercased().contains("encrypt") || m.lowercased().contains("passphrase") }
            return false
        }
    }
}

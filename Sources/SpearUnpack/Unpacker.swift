/// Reads the members of one archive held in memory, within a message's budget, trying password candidates on
/// encrypted members.
public enum Unpacker {
    /// At most this many password candidates are tried on one archive.
    public static let maxCandidates = 64

    /// Unpacks `bytes`; nil when it is neither an archive nor a compressed file libarchive reads.
    public static func unpack(_ bytes: [UInt8], passwords: [PasswordCandidate], budget: UnpackBudget) -> UnpackResult? {
        unpack(bytes, passwords: { passwords }, budget: budget)
    }

    /// As above, asking for the password candidates only when an encrypted member needs them.
    public static func unpack(_ bytes: [UInt8], passwords: () -> [PasswordCandidate], budget: UnpackBudget) -> UnpackResult? {
        guard var result = members(bytes, passwords: passwords, budget: budget) else { return nil }
        // A zip's structure, checked once from its bytes, whichever reader read the members and however many
        // passwords were tried.
        if isZip(bytes) {
            result.headerMismatch = ZipDirectoryCheck.disagreement(bytes)
            result.overlappingEntries = ZipDirectoryCheck.overlap(bytes)
        }
        return result
    }

    private static func members(_ bytes: [UInt8], passwords: () -> [PasswordCandidate], budget: UnpackBudget) -> UnpackResult? {
        if let why = SevenZipHeaderCheck.refusal(bytes) {
            return UnpackResult(format: "7-Zip", entries: [], encrypted: false, password: nil, lockedEntries: 0, damage: nil,
                                limits: [.limit(.archiveHeader, why)])
        }
        guard var result = read(bytes, passphrase: nil, budget: budget, dryRun: false) else { return nil }
        if result.entries.isEmpty, result.damage == nil, result.format.hasPrefix("tar") || result.format.hasPrefix("GNU tar") || result.format.hasPrefix("POSIX"),
           result.format.contains(" + "), let single = read(bytes, passphrase: nil, budget: budget, dryRun: false, mode: .compressedFile) {
            // A compressed file whose content starts with zero blocks reads as an empty tar; it is the file itself.
            budget.refund(entries: result.chargedEntries, bytes: result.chargedBytes)
            result = single
        }
        let locked = result.entries.indices.filter { isLocked(result.entries[$0]) }
        if result.format.hasPrefix("7-Zip") && (result.headersEncrypted || !locked.isEmpty) {
            // libarchive cannot decrypt 7z; Debian's 7zz can, when installed.
            return sevenZip(bytes, result, passwords: passwords(), budget: budget)
        }
        guard !locked.isEmpty else { return result }
        result.lockedEntries = locked.count
        let candidates = passwords()
        for candidate in candidates.prefix(maxCandidates) {
            // A trial read costs no budget; only the read that succeeds is charged.
            guard let trial = read(bytes, passphrase: candidate.value, budget: budget, dryRun: true),
                  trial.entries.count == result.entries.count,
                  locked.allSatisfy({ !isLocked(trial.entries[$0]) })
            else { continue }
            budget.refund(entries: result.chargedEntries, bytes: result.chargedBytes)
            result.chargedEntries = 0
            result.chargedBytes = 0
            guard var opened = read(bytes, passphrase: candidate.value, budget: budget, dryRun: false) else { continue }
            opened.password = candidate
            opened.encrypted = true
            opened.lockedEntries = 0
            return opened
        }
        if candidates.count > maxCandidates { result.notes.append(Self.cappedNote(candidates.count)) }
        return result
    }

    /// Said when a message offers more password candidates than are tried (a text with thousands of tokens).
    static func cappedNote(_ count: Int) -> String {
        "\(count) password candidates: only the first \(maxCandidates) were tried"
    }

    private static func sevenZip(_ bytes: [UInt8], _ locked: UnpackResult, passwords: [PasswordCandidate], budget: UnpackBudget) -> UnpackResult {
        var result = locked
        result.encrypted = true
        result.lockedEntries = max(1, locked.entries.filter(\.encrypted).count)
        guard SevenZipTool.isAvailable else {
            result.damage = nil
            result.notes.append("encrypted 7z: not inspected (install Debian's 7zip package to decrypt it)")
            return result
        }
        for candidate in passwords.prefix(maxCandidates) where !budget.timeIsUp {
            let room = min(budget.limits.maxTotalBytes - budget.totalBytes, budget.limits.maxEntryBytes * max(1, budget.limits.maxEntries - budget.entries))
            guard let files = SevenZipTool.extract(bytes, password: candidate.value, maxBytes: max(0, room), timeLimit: max(1, budget.limits.timeLimit / 4)) else { continue }
            var opened = UnpackResult(format: locked.format, entries: [], encrypted: true, password: candidate, lockedEntries: 0,
                                      damage: nil, limits: [], headersEncrypted: locked.headersEncrypted)
            for (path, data) in files {
                guard budget.takeEntry(), budget.takeBytes(data.count) else {
                    opened.limits.append(.limit(.totalBytes, "the decrypted 7z exceeds the message's unpacking budget; the rest not read"))
                    break
                }
                var entry = ArchiveEntry(path: path, rawPath: nil, declaredSize: data.count, bytes: data, encrypted: true, complete: true, issues: [])
                if let why = EntryName.traversal(path) { entry.issues.append(.pathTraversal(why)) }
                opened.entries.append(entry)
            }
            return opened
        }
        result.damage = nil
        if passwords.count > maxCandidates { result.notes.append(Self.cappedNote(passwords.count)) }
        return result
    }

    private static func isLocked(_ e: ArchiveEntry) -> Bool {
        e.encrypted && e.issues.contains { if case .unreadable = $0 { true } else { false } }
    }

    /// One pass over the archive. `dryRun` reads without charging the budget (used to test a password).
    private static func read(_ bytes: [UInt8], passphrase: String?, budget: UnpackBudget, dryRun: Bool,
                             mode: ArchiveReader.Mode? = nil) -> UnpackResult? {
        bytes.withUnsafeBytes { buffer -> UnpackResult? in
            var single = mode == .compressedFile
            var reader = ArchiveReader(buffer, mode: mode ?? .archive, passphrases: passphrase.map { [$0] } ?? [])
            if reader == nil && mode == nil {
                reader = ArchiveReader(buffer, mode: .compressedFile, passphrases: [])
                single = true
            }
            guard let reader else { return nil }
            var result = UnpackResult(format: "", entries: [], encrypted: false, password: nil, lockedEntries: 0, damage: nil, limits: [])
            result.singleCompressedFile = single
            var produced = 0
            var stop = false
            while !stop {
                switch reader.next() {
                case .end:
                    stop = true
                case .failed(let message):
                    if message.lowercased().contains("encrypt") {
                        result.headersEncrypted = true
                        result.encrypted = true
                    } else {
                        result.damage = message
                    }
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
                    if !dryRun { result.chargedEntries += 1 }
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
                        if !dryRun { result.chargedBytes += chunk.count }
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
                    if let warning = outcome.warning { entry.issues.append(.damaged(warning)) }
                    switch outcome.0 {
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
            if result.damage == nil, isZip(bytes), ZipDirectoryCheck.findEOCD(bytes) == nil {
                result.damage = "no end-of-central-directory record: the zip is truncated (members read from local headers)"
            }
            return result
        }
    }
}

private func isZip(_ b: [UInt8]) -> Bool { b.count >= 4 && b[0] == 0x50 && b[1] == 0x4B && b[2] == 0x03 && b[3] == 0x04 }

extension ArchiveReader {
    /// libarchive says "encrypted" in its error text for formats whose headers do not flag encryption (7z).
    func entryLooksEncrypted(message issues: [EntryIssue]) -> Bool {
        issues.contains {
            if case .unreadable(let m) = $0 { return m.lowercased().contains("encrypt") || m.lowercased().contains("passphrase") }
            return false
        }
    }
}

/// Reads the members of one archive held in memory, within a message's budget, trying password candidates on
/// encrypted members.
///
/// Members are handed over one at a time as they stream out of libarchive (`stream`): a caller that analyses each
/// member and lets go of its bytes holds one member at a time, not the whole archive. Encrypted members no
/// password opens yet are handed over last, once the candidates are tried; a member is never handed over twice.
public enum Unpacker {
    /// At most this many password candidates are tried on one archive.
    public static let maxCandidates = 64

    /// Receives each member as soon as it has been read, with its place among the archive's members. The sink may
    /// take the entry's bytes (the analysis does, so they go once judged); what it leaves is what the result keeps.
    public typealias MemberSink = (_ entry: inout ArchiveEntry, _ place: MemberPlace) -> Void

    /// Unpacks `bytes`, every member kept in the result; nil when it is neither an archive nor a compressed file
    /// libarchive reads.
    public static func unpack(_ bytes: [UInt8], passwords: [PasswordCandidate], budget: UnpackBudget) -> UnpackResult? {
        unpack(bytes, passwords: { passwords }, budget: budget)
    }

    /// As above, asking for the password candidates only when an encrypted member needs them.
    public static func unpack(_ bytes: [UInt8], passwords: () -> [PasswordCandidate], budget: UnpackBudget) -> UnpackResult? {
        guard var result = stream(bytes, passwords: passwords, budget: budget, each: { _, _ in }) else { return nil }
        if let structure = zipStructure(bytes) {
            result.headerMismatch = structure.headerMismatch
            result.overlappingEntries = structure.overlappingEntries
        }
        return result
    }

    /// Unpacks `bytes`, handing each member to `each` as soon as it is read; the result's entries, in the
    /// archive's order, are what `each` left of them. The zip structure checks are `zipStructure`'s, not done here.
    public static func stream(_ bytes: [UInt8], passwords: () -> [PasswordCandidate], budget: UnpackBudget,
                              each: MemberSink) -> UnpackResult? {
        guard var result = members(bytes, passwords: passwords, budget: budget, each: each) else { return nil }
        // Members no password opened: their names and why they could not be read, handed over last.
        for k in result.entries.indices where isLocked(result.entries[k]) {
            each(&result.entries[k], MemberPlace(index: k, wholeCompressedFile: result.singleCompressedFile))
        }
        return result
    }

    /// How a zip is built, checked once from its bytes whichever reader reads the members and however many
    /// passwords are tried; nil for anything that is not a zip.
    public static func zipStructure(_ bytes: [UInt8]) -> (headerMismatch: String?, overlappingEntries: String?)? {
        guard isZip(bytes) else { return nil }
        return (ZipDirectoryCheck.disagreement(bytes), ZipDirectoryCheck.overlap(bytes))
    }

    private static func members(_ bytes: [UInt8], passwords: () -> [PasswordCandidate], budget: UnpackBudget,
                                each: MemberSink) -> UnpackResult? {
        if let why = SevenZipHeaderCheck.refusal(bytes) {
            return UnpackResult(format: "7-Zip", entries: [], encrypted: false, password: nil, lockedEntries: 0, damage: nil,
                                limits: [.limit(.archiveHeader, why)])
        }
        guard var result = read(bytes, passphrase: nil, budget: budget, pass: .first, sink: each) else { return nil }
        if result.entries.isEmpty, result.damage == nil, result.format.hasPrefix("tar") || result.format.hasPrefix("GNU tar") || result.format.hasPrefix("POSIX"),
           result.format.contains(" + "), let single = read(bytes, passphrase: nil, budget: budget, pass: .first, sink: each, mode: .compressedFile) {
            // A compressed file whose content starts with zero blocks reads as an empty tar; it is the file itself.
            budget.refund(entries: result.chargedEntries, bytes: result.chargedBytes)
            result = single
        }
        let locked = result.entries.indices.filter { isLocked(result.entries[$0]) }
        if result.format.hasPrefix("7-Zip") && (result.headersEncrypted || !locked.isEmpty) {
            // libarchive cannot decrypt 7z; Debian's 7zz can, when installed.
            return sevenZip(bytes, result, passwords: passwords(), budget: budget, each: each)
        }
        guard !locked.isEmpty else { return result }
        result.lockedEntries = locked.count
        let candidates = passwords()
        let wanted = Set(locked)
        for candidate in candidates.prefix(maxCandidates) {
            // A trial reads only the locked members and costs no budget; only the read that succeeds is charged.
            guard let trial = read(bytes, passphrase: candidate.value, budget: budget, pass: .trial(wanted), sink: { _, _ in }),
                  trial.entries.count == result.entries.count,
                  locked.allSatisfy({ !isLocked(trial.entries[$0]) })
            else { continue }
            budget.refund(entries: locked.count, bytes: result.lockedChargedBytes)
            result.lockedChargedBytes = 0
            guard let opened = read(bytes, passphrase: candidate.value, budget: budget, pass: .opening(wanted), sink: each) else { continue }
            // The members read without a password were handed over already; the opened ones take the locked places.
            for k in locked where k < opened.entries.count { result.entries[k] = opened.entries[k] }
            result.password = candidate
            result.encrypted = true
            result.lockedEntries = 0
            result.damage = opened.damage ?? result.damage
            result.limits += opened.limits.filter { !result.limits.contains($0) }
            return result
        }
        if candidates.count > maxCandidates { result.notes.append(Self.cappedNote(candidates.count)) }
        return result
    }

    /// Said when a message offers more password candidates than are tried (a text with thousands of tokens).
    static func cappedNote(_ count: Int) -> String {
        "\(count) password candidates: only the first \(maxCandidates) were tried"
    }

    /// An encrypted 7z through `7zz`, which writes every member at once: the members libarchive read without a
    /// password stay as they were handed over; the locked ones (all of them when even the list is encrypted) are
    /// taken from 7zz's output and handed over in their places.
    private static func sevenZip(_ bytes: [UInt8], _ locked: UnpackResult, passwords: [PasswordCandidate], budget: UnpackBudget,
                                 each: MemberSink) -> UnpackResult {
        var result = locked
        result.encrypted = true
        result.lockedEntries = max(1, locked.entries.filter(\.encrypted).count)
        result.damage = nil
        guard SevenZipTool.isAvailable else {
            result.notes.append("encrypted 7z: not inspected (install Debian's 7zip package to decrypt it)")
            return result
        }
        for candidate in passwords.prefix(maxCandidates) where !budget.timeIsUp {
            let room = min(budget.limits.maxTotalBytes - budget.totalBytes, budget.limits.maxEntryBytes * max(1, budget.limits.maxEntries - budget.entries))
            guard let files = SevenZipTool.extract(bytes, password: candidate.value, maxBytes: max(0, room), timeLimit: max(1, budget.limits.timeLimit / 4)) else { continue }
            var opened = result
            opened.password = candidate
            opened.lockedEntries = 0
            var pending: [String: [Int]] = [:]
            var readAlready: Set<String> = []
            for k in opened.entries.indices {
                if isLocked(opened.entries[k]) { pending[opened.entries[k].path, default: []].append(k) } else { readAlready.insert(opened.entries[k].path) }
            }
            for (path, data) in files {
                let place = pending[path]?.first
                if place == nil && readAlready.contains(path) { continue }
                guard budget.takeEntry(), budget.takeBytes(data.count) else {
                    opened.limits.append(.limit(.totalBytes, "the decrypted 7z exceeds the message's unpacking budget; the rest not read"))
                    break
                }
                var entry = ArchiveEntry(path: path, rawPath: nil, declaredSize: data.count, bytes: data, encrypted: true, complete: true, issues: [])
                if let why = EntryName.traversal(path) { entry.issues.append(.pathTraversal(why)) }
                let k: Int
                if let place {
                    pending[path]?.removeFirst()
                    k = place
                    opened.entries[k] = entry
                } else {
                    k = opened.entries.count
                    opened.entries.append(entry)
                }
                each(&opened.entries[k], MemberPlace(index: k, wholeCompressedFile: false))
            }
            return opened
        }
        if passwords.count > maxCandidates { result.notes.append(Self.cappedNote(passwords.count)) }
        return result
    }

    static func isLocked(_ e: ArchiveEntry) -> Bool {
        e.encrypted && e.issues.contains { if case .unreadable = $0 { true } else { false } }
    }

    /// Which pass over the archive a read is.
    private enum Pass {
        /// The first read, without a password: every member read, charged, and handed over unless locked.
        case first
        /// A password candidate tried on the locked members: read, not kept, not charged, not handed over.
        case trial(Set<Int>)
        /// The candidate that opens them: the locked members read again, charged and handed over.
        case opening(Set<Int>)
    }

    /// One pass over the archive (see `Pass`).
    private static func read(_ bytes: [UInt8], passphrase: String?, budget: UnpackBudget, pass: Pass, sink: MemberSink,
                             mode: ArchiveReader.Mode? = nil) -> UnpackResult? {
        let (only, dryRun): (Set<Int>?, Bool) = switch pass {
        case .first: (nil, false)
        case .trial(let only): (only, true)
        case .opening(let only): (only, false)
        }
        return bytes.withUnsafeBytes { buffer -> UnpackResult? in
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
                    guard header.isMember else { continue }
                    let index = result.entries.count
                    let (path, raw) = EntryName.decode(header.rawName)
                    var entry = ArchiveEntry(path: path, rawPath: raw, declaredSize: header.size, bytes: [],
                                             encrypted: header.encrypted, complete: true, issues: [])
                    if let only, !only.contains(index) {
                        // Read already, in the first pass: only its place is kept.
                        result.entries.append(entry)
                        continue
                    }
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
                    if let why = EntryName.traversal(path) { entry.issues.append(.pathTraversal(why)) }
                    if let warning { entry.issues.append(.unreadable(warning)) }
                    if header.isSymlink {
                        entry.issues.append(.unreadable("symbolic link, not followed"))
                        result.entries.append(entry)
                        if !dryRun, !isLocked(result.entries[index]) {
                            sink(&result.entries[index], MemberPlace(index: index, wholeCompressedFile: single))
                        }
                        continue
                    }
                    var data: [UInt8] = []
                    if !dryRun { data.reserveCapacity(min(header.size ?? 0, 1 << 20)) }
                    var read = 0
                    var charged = 0
                    var limitHit: EntryIssue?
                    let outcome = reader.readData { chunk in
                        if read + chunk.count > budget.limits.maxEntryBytes {
                            limitHit = .limit(.entryBytes, "member larger than \(budget.limits.maxEntryBytes) bytes; read cut there")
                            return false
                        }
                        if !dryRun && !budget.takeBytes(chunk.count) {
                            limitHit = .limit(.totalBytes, "more than \(budget.limits.maxTotalBytes) uncompressed bytes in the message; read cut there")
                            return false
                        }
                        if !dryRun { charged += chunk.count }
                        produced += chunk.count
                        if produced > budget.limits.ratioFloor && produced / max(1, bytes.count) > budget.limits.maxRatio {
                            limitHit = .limit(.ratio, "expands more than \(budget.limits.maxRatio):1 (\(produced) bytes from \(bytes.count)); read cut there")
                            return false
                        }
                        if budget.timeIsUp {
                            limitHit = .limit(.time, "unpacking took longer than \(budget.limits.timeLimit) s; read cut there")
                            return false
                        }
                        read += chunk.count
                        // A trial only asks whether the member decrypts: its bytes are not kept.
                        if !dryRun { data.append(contentsOf: chunk) }
                        return true
                    }
                    result.chargedBytes += charged
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
                    if isLocked(entry) {
                        // Handed over once the candidates are tried; its charge is given back if one opens it.
                        result.lockedChargedBytes += charged
                    } else if !dryRun {
                        sink(&result.entries[index], MemberPlace(index: index, wholeCompressedFile: single))
                    }
                }
            }
            result.format = [reader.formatName, reader.filterName].compactMap { $0 }.joined(separator: " + ")
            if result.damage == nil, isZip(bytes), ZipDirectoryCheck.findEOCD(bytes) == nil {
                result.damage = "no end-of-central-directory record: the zip is truncated (members read from local headers)"
            }
            return result
        }
    }

    /// What a zip shows before its members are read: the names, the few small parts `reading` asks for (at most
    /// `upTo` bytes each, not charged to the budget), and how it is built. Lets the classifier tell an Office
    /// document from an archive without inflating the document's pictures. Nil when it is not a zip libarchive
    /// opens.
    public static func peekZip(_ bytes: [UInt8], reading: (String) -> Bool, upTo: Int, budget: UnpackBudget) -> ZipPeek? {
        guard let structure = zipStructure(bytes) else { return nil }
        return bytes.withUnsafeBytes { buffer -> ZipPeek? in
            guard let reader = ArchiveReader(buffer, mode: .archive, passphrases: []) else { return nil }
            var peek = ZipPeek(names: [], parts: [:], headerMismatch: structure.headerMismatch,
                               overlappingEntries: structure.overlappingEntries)
            listing: while peek.names.count < budget.limits.maxEntries && !budget.timeIsUp {
                guard case .entry(let header, _) = reader.next() else { break listing }
                guard header.isMember else { continue }
                let path = EntryName.decode(header.rawName).0
                peek.names.append(path)
                guard header.isRegularFile, !header.encrypted, reading(path), peek.parts[path] == nil else { continue }
                var data: [UInt8] = []
                let cap = min(upTo, budget.limits.maxEntryBytes)
                _ = reader.readData { chunk in
                    data.append(contentsOf: chunk.prefix(cap - data.count))
                    return data.count < cap && !budget.timeIsUp
                }
                peek.parts[path] = data
            }
            return peek
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

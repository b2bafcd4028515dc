/// Turning a finished attachment into entries: the best name, the data (legacy and MAPI forms), the budget.
extension TNEFReader {
    /// A string property's value decoded: PT_STRING8 (and PT_BINARY, which some writers use for names) in the
    /// stream's code page, PT_UNICODE as UTF-16LE; nil for other types.
    func decodeString(_ p: MAPIProperty, _ r: Range<Int>) -> TNEFText.Decoded? {
        switch p.type {
        case MAPIType.unicode: TNEFText.utf16LE(bytes, r)
        case MAPIType.string8, MAPIType.binary: TNEFText.eightBit(bytes, r, charset: charset)
        default: nil
        }
    }

    /// Every non-empty name, best first: PR_ATTACH_LONG_FILENAME > PR_DISPLAY_NAME > attAttachTitle >
    /// PR_ATTACH_FILENAME; a generated `attachment N` when there is none.
    func names(_ d: TNEFAttachmentDraft) -> [(TNEFText.Decoded, TNEFAttachmentInfo.NameSource)] {
        var found: [(TNEFText.Decoded, TNEFAttachmentInfo.NameSource)] = []
        func add(_ p: MAPIProperty?, _ source: TNEFAttachmentInfo.NameSource) {
            if let p, let r = p.first, let name = decodeString(p, r), !name.string.isEmpty { found.append((name, source)) }
        }
        add(d.longFilename, .longFilename)
        add(d.displayName, .displayName)
        if let t = d.title {
            let name = TNEFText.eightBit(bytes, t, charset: charset)
            if !name.string.isEmpty { found.append((name, .title)) }
        }
        add(d.filename, .filename)
        if found.isEmpty { found.append((TNEFText.Decoded(string: "attachment \(d.number)"), .generated)) }
        return found
    }

    /// Makes the entries of the attachment being assembled, if there is one.
    mutating func finishAttachment() {
        guard let d = current else { return }
        current = nil
        if stopped { return }
        let allNames = names(d)
        let (name, source) = allNames[0]
        var issues = d.issues
        if let problem = name.problem { issues.append(.damaged(problem)) }
        if let why = EntryName.traversal(name.string) { issues.append(.pathTraversal(why)) }
        let mimeTag = d.mimeTag.flatMap { p in p.first.flatMap { decodeString(p, $0)?.string } }

        struct Part {
            var range: Range<Int>
            var content: TNEFAttachmentInfo.Content
            var complete = true
            var issues: [EntryIssue] = []
        }
        var parts: [Part] = []
        // attAttachData comes first in the stream (and in MimeKit's order); the MAPI value is a second entry
        // only when it differs, so a payload hidden in one form is still scanned.
        if let legacy = d.legacyData {
            parts.append(Part(range: legacy, content: .file))
        } else if let cut = d.truncatedData {
            parts.append(Part(range: cut, content: .file, complete: false,
                              issues: [.damaged("attAttachData cut off by the end of the stream (\(cut.count) bytes)")]))
        }
        if let p = d.data, let r = p.first {
            var part = Part(range: r, content: .file)
            if p.type == MAPIType.object {
                if r.count >= 16 {
                    let iid = bytes[r.lowerBound..<(r.lowerBound + 16)]
                    part.range = (r.lowerBound + 16)..<r.upperBound
                    if iid.elementsEqual(TNEFInterfaceID.message) {
                        part.content = .embeddedMessage
                        if !TNEF.isTNEF(Array(bytes[part.range.prefix(4)])) {
                            part.issues.append(.damaged("embedded message (IID_IMessage) does not start with the TNEF signature"))
                        }
                    } else if iid.elementsEqual(TNEFInterfaceID.storage) {
                        part.content = .oleStorage
                    } else {
                        part.content = .object(TNEFInterfaceID.text(iid))
                    }
                } else {
                    part.issues.append(.damaged("PR_ATTACH_DATA_OBJ value (\(r.count) bytes) is shorter than its 16-byte interface id"))
                }
            }
            if let first = parts.first, bytes[first.range].elementsEqual(bytes[part.range]) {
                parts[0].content = part.content
            } else {
                parts.append(part)
            }
        }
        if parts.isEmpty {
            let how = d.method.map { " (attach method \($0))" } ?? ""
            parts.append(Part(range: 0..<0, content: .none, complete: false,
                              issues: [.unreadable("no attachment data in the stream\(how)")]))
        }
        for part in parts {
            let info = TNEFAttachmentInfo(attachment: d.number, method: d.method, content: part.content,
                                          nameSource: source,
                                          names: allNames.map { .init(source: $1, name: $0.string) }, mimeTag: mimeTag)
            var entry = ArchiveEntry(path: name.string, rawPath: name.raw, declaredSize: part.range.count, bytes: [],
                                     encrypted: false, complete: part.complete, issues: issues + part.issues)
            guard emit(&entry, range: part.range) else { return }
            message.result.entries.append(entry)
            message.attachments.append(info)
        }
    }

    /// Charges one entry and its bytes to the budget and copies them; false (with the limit recorded) when the
    /// budget ends the read. An entry cut by the per-entry or total byte limit is still given, marked incomplete.
    private mutating func emit(_ entry: inout ArchiveEntry, range: Range<Int>) -> Bool {
        if stopped { return false }
        if budget.timeIsUp {
            message.result.limits.append(.limit(.time, "unpacking took longer than \(budget.limits.timeLimit) s; the rest not read"))
            stopped = true
            return false
        }
        guard budget.takeEntry() else {
            message.result.limits.append(.limit(.entries, "more than \(budget.limits.maxEntries) archive members in the message; the rest not read"))
            stopped = true
            return false
        }
        message.result.chargedEntries += 1
        var take = range.count
        if take > budget.limits.maxEntryBytes {
            take = budget.limits.maxEntryBytes
            let limit = EntryIssue.limit(.entryBytes, "member larger than \(budget.limits.maxEntryBytes) bytes; read cut there")
            entry.issues.append(limit)
            message.result.limits.append(limit)
            entry.complete = false
        }
        if !budget.takeBytes(take) {
            take = max(0, budget.limits.maxTotalBytes - budget.totalBytes)
            _ = budget.takeBytes(take)
            let limit = EntryIssue.limit(.totalBytes, "more than \(budget.limits.maxTotalBytes) uncompressed bytes in the message; read cut there")
            entry.issues.append(limit)
            message.result.limits.append(limit)
            entry.complete = false
            stopped = true
        }
        message.result.chargedBytes += take
        entry.bytes = Array(bytes[range.lowerBound..<(range.lowerBound + take)])
        return true
    }
}

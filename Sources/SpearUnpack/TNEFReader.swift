import SpearCharsets

/// One pass over a TNEF stream: attribute records in order, attachments assembled between
/// `attAttachRendData` markers, entries charged to the budget as each attachment ends.
struct TNEFReader {
    let bytes: [UInt8]
    let budget: UnpackBudget
    var message: TNEFMessage
    /// The code page of 8-bit strings (attOemCodepage; windows-1252 until the stream says).
    var charset: Charset = .windows1252
    var current: TNEFAttachmentDraft?
    var attachments = 0
    /// A budget limit ended the read: no more entries.
    var stopped = false

    init(_ bytes: [UInt8], budget: UnpackBudget) {
        self.bytes = bytes
        self.budget = budget
        let result = UnpackResult(format: "TNEF", entries: [], encrypted: false, password: nil, lockedEntries: 0,
                                  damage: nil, limits: [])
        message = TNEFMessage(result: result, attachments: [], messageClass: nil, codepage: nil, bodies: [], attributeCount: 0)
    }

    mutating func damage(_ why: String) {
        if message.result.damage == nil { message.result.damage = why }
    }

    mutating func note(_ text: String) {
        message.result.notes.append(text)
    }

    mutating func run() {
        guard TNEF.isTNEF(bytes) else {
            return damage("not a TNEF stream: no signature 78 9F 3E 22 at offset 0")
        }
        guard bytes.count >= 6 else {
            return damage("truncated: the stream ends inside its 6-byte header (\(bytes.count) bytes)")
        }
        var offset = 6
        while offset < bytes.count && !stopped {
            if message.attributeCount >= TNEF.maxAttributes {
                message.result.limits.append(.limit(.entries, "more than \(TNEF.maxAttributes) TNEF attributes; the rest not read"))
                break
            }
            if message.attributeCount & 1023 == 0 && budget.timeIsUp {
                message.result.limits.append(.limit(.time, "unpacking took longer than \(budget.limits.timeLimit) s; the rest not read"))
                stopped = true
                break
            }
            let left = bytes.count - offset
            guard left >= 9 else {
                damage("truncated: \(left) byte(s) at offset \(offset) where an attribute header (9 bytes) was expected")
                break
            }
            let level = bytes[offset]
            let id = TNEFByteWindow.u32(bytes, at: offset + 1)
            let length = Int(TNEFByteWindow.u32(bytes, at: offset + 5))
            let dataStart = offset + 9
            let available = bytes.count - dataStart
            guard length <= available else {
                damage("\(TNEFAttribute.label(id)) at offset \(offset) (level \(level)) claims \(length) bytes, only \(available) left")
                if level == TNEFAttribute.Level.attachment && id == TNEFAttribute.ID.attachData {
                    let cut = dataStart..<bytes.count
                    withDraft { $0.truncatedData = cut }
                }
                break
            }
            message.attributeCount += 1
            let attribute = TNEFAttribute(offset: offset, level: level, id: id, data: dataStart..<(dataStart + length))
            let checksumAt = dataStart + length
            let hasChecksum = bytes.count - checksumAt >= 2
            if hasChecksum {
                let stored = TNEFByteWindow.u16(bytes, at: checksumAt)
                let computed = TNEFAttribute.checksum(bytes, attribute.data)
                if stored != computed {
                    let why = "checksum of \(attribute.label) at offset \(offset) is 0x\(hex4(stored)), the data sums to 0x\(hex4(computed))"
                    if level == TNEFAttribute.Level.attachment { withDraft { $0.issues.append(.damaged(why)) } } else { note(why) }
                }
            }
            handle(attribute)
            if !hasChecksum {
                damage("truncated: the stream ends inside the checksum of \(attribute.label) at offset \(offset)")
                break
            }
            offset = checksumAt + 2
        }
        finishAttachment()
        message.result.format = "TNEF"
    }

    /// Changes the attachment being assembled; an attachment attribute before any `attAttachRendData` opens
    /// one, so its data is not lost (and that is reported).
    private mutating func withDraft(_ change: (inout TNEFAttachmentDraft) -> Void) {
        if current == nil {
            attachments += 1
            var opened = TNEFAttachmentDraft(number: attachments)
            opened.issues.append(.damaged("attachment attributes before any attAttachRendData"))
            current = opened
        }
        change(&current!)
    }

    private mutating func handle(_ attribute: TNEFAttribute) {
        switch attribute.level {
        case TNEFAttribute.Level.message: handleMessage(attribute)
        case TNEFAttribute.Level.attachment: handleAttachment(attribute)
        default:
            note("\(attribute.label) at offset \(attribute.offset) has unknown level \(attribute.level); skipped")
        }
    }

    private mutating func handleMessage(_ attribute: TNEFAttribute) {
        let data = attribute.data
        switch attribute.id {
        case TNEFAttribute.ID.oemCodepage:
            guard data.count >= 4 else { return note("\(attribute.label) at offset \(attribute.offset) is shorter than 4 bytes") }
            let codepage = TNEFByteWindow.u32(bytes, at: data.lowerBound)
            message.codepage = codepage
            if let known = TNEFText.charset(codepage: codepage) {
                charset = known
            } else {
                note("code page \(codepage) is not known here; 8-bit names decoded as windows-1252")
            }
        case TNEFAttribute.ID.messageClass:
            message.messageClass = TNEFText.eightBit(bytes, data, charset: charset).string
        case TNEFAttribute.ID.body:
            addBody(.plain)
        case TNEFAttribute.ID.messageProperties:
            let list = MAPIPropertyReader.list(bytes, data: data)
            report(list, in: attribute, forEntries: false)
            for p in list.properties where p.name == nil {
                switch p.id {
                case 0x1009: addBody(.rtfCompressed)
                case 0x1000: addBody(.plain)
                case 0x1013: addBody(.html)
                case 0x001A where message.messageClass == nil:
                    if let r = p.first { message.messageClass = decodeString(p, r)?.string }
                default: break
                }
            }
        case TNEFAttribute.ID.recipientTable:
            report(MAPIPropertyReader.table(bytes, data: data), in: attribute, forEntries: false)
        default:
            break
        }
    }

    private mutating func addBody(_ body: TNEFBody) {
        if !message.bodies.contains(body) { message.bodies.append(body) }
    }

    /// Puts a property list's problems where they belong: returned for the attachment's entries when
    /// `forEntries`, else in the notes. A cap that fired is a limit of the whole pass either way.
    @discardableResult
    private mutating func report(_ list: MAPIPropertyReader, in attribute: TNEFAttribute, forEntries: Bool) -> [EntryIssue] {
        var issues: [EntryIssue] = []
        for problem in list.problems {
            let text = "\(attribute.label) at offset \(attribute.offset): \(problem)"
            if forEntries { issues.append(.damaged(text)) } else { note(text) }
        }
        if list.capped {
            let limit = EntryIssue.limit(.entries, "more than \(MAPIPropertyReader.maxProperties) MAPI properties in \(attribute.label) at offset \(attribute.offset); the rest not read")
            message.result.limits.append(limit)
            if forEntries { issues.append(limit) }
        }
        return issues
    }

    private mutating func handleAttachment(_ attribute: TNEFAttribute) {
        let data = attribute.data
        switch attribute.id {
        case TNEFAttribute.ID.attachRenderData:
            finishAttachment()
            attachments += 1
            current = TNEFAttachmentDraft(number: attachments)
        case TNEFAttribute.ID.attachData:
            withDraft { $0.legacyData = data }
        case TNEFAttribute.ID.attachTitle:
            withDraft { $0.title = data }
        case TNEFAttribute.ID.attachment:
            let list = MAPIPropertyReader.list(bytes, data: data)
            let issues = report(list, in: attribute, forEntries: true)
            let bytes = bytes
            withDraft {
                $0.take(list.properties, bytes: bytes)
                $0.issues.append(contentsOf: issues)
            }
        default:
            break
        }
    }
}

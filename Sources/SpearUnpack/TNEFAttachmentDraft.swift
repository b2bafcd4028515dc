/// What the stream has said so far about one attachment, from its `attAttachRendData` up to the next one.
///
/// Everything is kept as ranges and properties; the entry (name decoded, data copied, budget charged) is made
/// only when the attachment ends, because the name may come after the data (`attAttachTitle` after
/// `attAttachData`, `PR_ATTACH_LONG_FILENAME` in a later `attAttachment`).
struct TNEFAttachmentDraft {
    /// From 1, in stream order.
    var number: Int
    var title: Range<Int>?
    /// `attAttachData`.
    var legacyData: Range<Int>?
    /// `attAttachData` cut off by the end of the stream: what there is of it.
    var truncatedData: Range<Int>?
    var longFilename: MAPIProperty?
    var displayName: MAPIProperty?
    var filename: MAPIProperty?
    /// `PR_ATTACH_DATA_BIN` / `PR_ATTACH_DATA_OBJ` (same id, 0x3701; the type tells which).
    var data: MAPIProperty?
    var method: UInt32?
    var mimeTag: MAPIProperty?
    /// Problems that concern every entry made from this attachment (checksums, malformed properties).
    var issues: [EntryIssue] = []

    init(number: Int) {
        self.number = number
    }

    /// MAPI property ids of attachments ([MS-OXPROPS]).
    enum PropertyID {
        static let displayName: UInt16 = 0x3001
        static let attachData: UInt16 = 0x3701
        static let attachFilename: UInt16 = 0x3704
        static let attachMethod: UInt16 = 0x3705
        static let attachLongFilename: UInt16 = 0x3707
        static let attachMimeTag: UInt16 = 0x370E
    }

    /// Takes the properties of an `attAttachment` attribute; a later value replaces an earlier one, as a
    /// second `attAttachment` for the same attachment is an update.
    mutating func take(_ properties: [MAPIProperty], bytes: [UInt8]) {
        for p in properties where p.name == nil {
            switch p.id {
            case PropertyID.attachLongFilename: longFilename = p
            case PropertyID.displayName: displayName = p
            case PropertyID.attachFilename: filename = p
            case PropertyID.attachData: data = p
            case PropertyID.attachMimeTag: mimeTag = p
            case PropertyID.attachMethod:
                if p.type == MAPIType.long, let r = p.first, r.count == 4 {
                    method = TNEFByteWindow.u32(bytes, at: r.lowerBound)
                }
            default: break
            }
        }
    }
}

/// Interface ids that prefix `PT_OBJECT` values, as they are stored (GUID fields little-endian).
enum TNEFInterfaceID {
    /// {00020307-0000-0000-C000-000000000046}: an embedded message, encoded as a nested TNEF stream.
    static let message: [UInt8] = [0x07, 0x03, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46]
    /// {0000000B-0000-0000-C000-000000000046}: an OLE2 compound file.
    static let storage: [UInt8] = [0x0B, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46]

    /// The usual text form, `{00020307-0000-0000-C000-000000000046}`.
    static func text(_ g: ArraySlice<UInt8>) -> String {
        let b = Array(g)
        guard b.count == 16 else { return "?" }
        func h(_ bytes: [UInt8]) -> String {
            bytes.map { byte in
                let digits = String(byte, radix: 16, uppercase: true)
                return digits.count == 1 ? "0" + digits : digits
            }.joined()
        }
        return "{" + h([b[3], b[2], b[1], b[0]]) + "-" + h([b[5], b[4]]) + "-" + h([b[7], b[6]]) + "-" + h(Array(b[8..<10])) + "-" + h(Array(b[10..<16])) + "}"
    }
}

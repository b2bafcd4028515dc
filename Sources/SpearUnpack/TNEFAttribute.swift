/// One TNEF attribute record: level, id (type in the high word), data, checksum ([MS-OXTNEF] 2.1.3.1).
///
/// The data stays a range into the input; the reader decides what it means from the level and id.
struct TNEFAttribute {
    /// Where the record starts (its level byte).
    var offset: Int
    var level: UInt8
    var id: UInt32
    var data: Range<Int>

    /// The 16-bit sum of the data bytes, the checksum every attribute carries.
    static func checksum(_ bytes: [UInt8], _ range: Range<Int>) -> UInt16 {
        var sum: UInt32 = 0
        for i in range { sum &+= UInt32(bytes[i]) }
        return UInt16(truncatingIfNeeded: sum)
    }

    /// The attribute's name for problem reports (`attAttachData (0x0006800F)`), or its id alone.
    var label: String { TNEFAttribute.label(id) }

    static func label(_ id: UInt32) -> String {
        let hex = "0x" + hex8(id)
        if let name = names[id] { return "\(name) (\(hex))" }
        return "attribute \(hex)"
    }

    /// The attributes the reader acts on, and a few more so reports read well.
    enum ID {
        static let tnefVersion: UInt32 = 0x0008_9006
        static let oemCodepage: UInt32 = 0x0006_9007
        static let messageClass: UInt32 = 0x0007_8008
        static let messageProperties: UInt32 = 0x0006_9003
        static let recipientTable: UInt32 = 0x0006_9004
        static let body: UInt32 = 0x0002_800C
        static let attachRenderData: UInt32 = 0x0006_9002
        static let attachData: UInt32 = 0x0006_800F
        static let attachTitle: UInt32 = 0x0001_8010
        static let attachMetaFile: UInt32 = 0x0006_8011
        static let attachment: UInt32 = 0x0006_9005
    }

    /// Message and attachment levels ([MS-OXTNEF] 2.1.3.1: LVL_MESSAGE, LVL_ATTACHMENT).
    enum Level {
        static let message: UInt8 = 1
        static let attachment: UInt8 = 2
    }

    private static let names: [UInt32: String] = [
        ID.tnefVersion: "attTnefVersion", ID.oemCodepage: "attOemCodepage", ID.messageClass: "attMessageClass",
        ID.messageProperties: "attMsgProps", ID.recipientTable: "attRecipTable", ID.body: "attBody",
        ID.attachRenderData: "attAttachRendData", ID.attachData: "attAttachData", ID.attachTitle: "attAttachTitle",
        ID.attachMetaFile: "attAttachMetaFile", ID.attachment: "attAttachment",
        0x0001_8004: "attSubject", 0x0003_8005: "attDateSent", 0x0003_8006: "attDateRecd",
        0x0001_8009: "attMessageID", 0x0006_8007: "attMessageStatus", 0x0004_800D: "attPriority",
        0x0003_8020: "attDateModified", 0x0000_8000: "attFrom", 0x0003_8012: "attAttachCreateDate",
        0x0003_8013: "attAttachModifyDate", 0x0006_9001: "attAttachTransportFilename",
        0x0004_0009: "attRequestRes", 0x0007_0600: "attOriginalMessageClass",
    ]
}

/// `id` as 8 upper-case hex digits.
func hex8(_ id: UInt32) -> String {
    let digits = String(id, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, 8 - digits.count)) + digits
}

/// `id` as 4 upper-case hex digits.
func hex4(_ id: UInt16) -> String {
    let digits = String(id, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
}

import SpearCore
import SpearMIME

/// Decodes the envelope headers of a message into a summary, recording header defects.
struct MessageHeaders {
    var defects: [Defect] = []

    mutating func summarize(_ headers: HeaderFields, location: String) -> MessageSummary {
        func text(_ name: String) -> String? {
            guard let field = headers.first(name) else { return nil }
            let decoded = HeaderText.decodeUnstructured(field.unfolded)
            record(decoded.issues, location: location, header: field.name)
            return decoded.text
        }
        func addresses(_ name: String) -> [Address] {
            var result: [Address] = []
            for field in headers.all(name) {
                let parsed = AddressParser.parse(field.unfolded)
                record(parsed.issues, location: location, header: field.name)
                if parsed.unparsed {
                    defects.append(Defect(.unparseableAddress, where: location,
                                          "\(field.name): \"\(String(decoding: field.unfolded.prefix(80), as: UTF8.self))\""))
                }
                result += parsed.addresses
            }
            return result
        }
        var date: String?
        if let raw = text("date") {
            if let parsed = MailDate.parse(raw) { date = parsed.iso8601 } else {
                defects.append(Defect(.unparseableDate, where: location, "Date: \"\(raw.prefix(80))\""))
            }
        }
        var returnPath: String?
        if let rp = headers.first("return-path") {
            let parsed = AddressParser.parse(rp.unfolded)
            returnPath = parsed.addresses.first?.address ?? ""
        }
        let messageID = headers.first("message-id").map { String(decoding: $0.unfolded, as: UTF8.self) }
        // Delivery headers name the mailbox the message was delivered to, which To/Cc need not (Bcc, lists).
        var deliveredTo: [String] = []
        for name in ["delivered-to", "x-original-to"] {
            for field in headers.all(name) {
                for a in AddressParser.parse(field.unfolded).addresses where !deliveredTo.contains(a.address) {
                    deliveredTo.append(a.address)
                }
            }
        }
        return MessageSummary(messageID: messageID, date: date, receivedDate: Self.firstReceivedDate(headers),
                              subject: text("subject"), from: addresses("from"), to: addresses("to"), cc: addresses("cc"),
                              bcc: addresses("bcc"), deliveredTo: deliveredTo, replyTo: addresses("reply-to"),
                              returnPath: returnPath)
    }

    /// The date of the first hop: the bottom-most Received header with a parseable date after its `;`.
    static func firstReceivedDate(_ headers: HeaderFields) -> String? {
        for field in headers.all("received").reversed() {
            let unfolded = field.unfolded
            guard let semicolon = unfolded.lastIndex(of: UInt8(ascii: ";")) else { continue }
            if let parsed = MailDate.parse(unfolded[(semicolon + 1)...]) { return parsed.iso8601 }
        }
        return nil
    }

    private mutating func record(_ issues: [HeaderText.Issue], location: String, header: String) {
        defects += issues.map { $0.defect(at: location, header: header) }
    }
}

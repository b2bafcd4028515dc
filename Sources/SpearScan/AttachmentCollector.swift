import SpearCore
import SpearCharsets
import SpearMIME

/// A decoded attachment's bytes, kept only when they are to be written out.
public struct Payload: Sendable {
    public var mimePath: String
    public var filename: String?
    public var bytes: [UInt8]
}

/// Walks a parsed message and decides, for every leaf, whether it is an attachment or body text; decodes both;
/// hashes attachments; finds uuencoded blocks inside text bodies; records decoding defects.
struct AttachmentCollector {
    var attachments: [AttachmentReport] = []
    var bodies: [BodyReport] = []
    var texts: [BodyText] = []
    var defects: [Defect] = []

    /// Collects from `message`; top-level results go to `attachments`.
    mutating func collect(_ message: MIMEMessage) {
        attachments = walk(message.root, parentSubtype: nil, isRoot: true)
    }

    private mutating func walk(_ part: MIMEPart, parentSubtype: String?, isRoot: Bool) -> [AttachmentReport] {
        switch part.content {
        case .multipart(_, let parts, _):
            return parts.flatMap { walk($0, parentSubtype: part.contentType.subtype, isRoot: false) }
        case .message(let bytes, let inner):
            var headerSummary = MessageHeaders()
            let summary = headerSummary.summarize(inner.headers, location: part.location)
            defects += headerSummary.defects
            let children = walk(inner.root, parentSubtype: nil, isRoot: true)
            var report = makeReport(part, bytes: Array(bytes), origin: .mime, parentSubtype: parentSubtype)
            report.message = summary
            report.children = children
            return [report]
        case .leaf(let raw):
            let decoded = TransferDecoder.decode(raw, encoding: part.transferEncoding)
            for (code, detail) in decoded.issues { defects.append(Defect(code, where: part.location, detail)) }
            if isAttachment(part, isRoot: isRoot) {
                return [makeReport(part, bytes: decoded.bytes, origin: .mime, parentSubtype: parentSubtype)]
            }
            return collectText(part, decoded: decoded.bytes)
        }
    }

    /// Attachments: a Content-Disposition of attachment, a filename, any non-text leaf (message/* status reports
    /// aside), or the body of a non-text single-part message.
    private func isAttachment(_ part: MIMEPart, isRoot: Bool) -> Bool {
        if part.disposition?.isAttachment == true { return true }
        if part.filename != nil { return true }
        let type = part.contentType
        if type.isText { return false }
        if type.type == "message" { return false }  // delivery-status, disposition-notification, partial…
        return true
    }

    private mutating func collectText(_ part: MIMEPart, decoded: [UInt8]) -> [AttachmentReport] {
        let label = part.contentType.charset
        let text = CharsetDecoder.decode(decoded, label: label)
        if text.unknownLabel {
            defects.append(Defect(.unknownCharset, where: part.location, "body: unknown charset \"\(label ?? "")\"; read as \(text.charset)"))
        }
        if text.mislabelled {
            defects.append(Defect(.mislabelledCharset, where: part.location, "body: labelled \(label ?? "none") but read as \(text.charset)"))
        }
        if text.replacements > 0 {
            defects.append(Defect(.charsetDecodeErrors, where: part.location, "body: \(text.replacements) bytes not valid \(text.charset)"))
        }
        bodies.append(BodyReport(mimePath: part.path, contentType: part.contentType.mimeType, charset: text.charset.name,
                                 size: decoded.count, forwarded: part.messageDepth > 0))
        texts.append(BodyText(mimePath: part.path, contentType: part.contentType.mimeType, text: text.string, forwarded: part.messageDepth > 0))

        // uuencoded files inside the text (Outlook Express and old mailers still send these).
        guard part.contentType.subtype == "plain" else { return [] }
        var found: [AttachmentReport] = []
        for (k, block) in UUEncode.findBlocks(in: decoded[...]).enumerated() {
            let path = "\(part.path)#uu\(k + 1)"
            if block.truncated { defects.append(Defect(.uuencodeTruncated, where: path, "uuencoded block without a complete end")) }
            let name = CharsetDecoder.guess(block.rawName).string
            var report = AttachmentReport.file(block.bytes, filename: name, mimePath: path, origin: .uuencode,
                                               forwarded: part.messageDepth > 0)
            report.contentType = "application/octet-stream"
            report.transferEncoding = "uuencode"
            found.append(report)
        }
        return found
    }

    private func makeReport(_ part: MIMEPart, bytes: [UInt8], origin: Origin, parentSubtype: String?) -> AttachmentReport {
        let name = part.filename
        var report = AttachmentReport.file(bytes, filename: name, mimePath: part.path, origin: origin,
                                           forwarded: part.messageDepth > 0)
        if let r = part.rawFilename, let name, String(decoding: r, as: UTF8.self) != name {
            report.rawFilename = CharsetDecoder.guess(r).string
        }
        report.contentType = part.contentType.mimeType
        report.disposition = part.disposition?.type
        report.transferEncoding = part.transferEncoding.description
        report.inline = part.contentID != nil && part.disposition?.isAttachment != true
            && (parentSubtype == "related" || part.disposition?.isInline == true)
        return report
    }
}

extension AttachmentReport {
    /// A report for `bytes`: hashed, named, with the name rules applied; not yet classified.
    static func file(_ bytes: [UInt8], filename: String?, mimePath: String, origin: Origin, forwarded: Bool) -> AttachmentReport {
        let digests = Digests(of: bytes)
        return AttachmentReport(filename: filename, size: bytes.count, md5: digests.md5, sha1: digests.sha1,
                                sha256: digests.sha256, mimePath: mimePath, origin: origin, forwarded: forwarded,
                                findings: filename.map(FilenameRules.findings(for:)) ?? [], content: bytes)
    }
}

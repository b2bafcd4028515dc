#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Header-block parsing and interpretation of the MIME fields.
extension ParseState {
    struct Header {
        var fields: HeaderFields
        var bodyStart: Int
        /// Set when the header ran into a boundary line before a blank line.
        var stop: Stop?
    }

    /// Reads header lines from `start` up to the blank line. A line that is neither a field nor a continuation
    /// ends the header (the body starts there, as mail clients read it), recorded as a missing separator.
    func parseHeader(_ c: Context, start: Int, stack: [[UInt8]], location: String, topLevel: Bool) -> Header {
        var fields = HeaderFields()
        var pos = start
        let end = c.end
        var current: (name: String, valueStart: Int, valueEnd: Int)?
        var headerBytes = 0
        var limitHit = false
        var crlfLines = 0, lfLines = 0
        var sawNul = false

        func commit() {
            if let f = current, !limitHit {
                fields.append(HeaderField(name: f.name, rawValue: c.array[f.valueStart..<f.valueEnd]))
                if fields.count >= limits.maxHeaderFields {
                    limitHit = true
                    defect(.headerLimitExceeded, location, "more than \(limits.maxHeaderFields) header fields; the rest skipped")
                }
            }
            current = nil
        }

        var longLineReported = false
        var stopAfterThisLine = false
        while pos < end {
            if stopAfterThisLine {
                commit()
                limitHit = true
                stopAfterThisLine = false
            }
            let lineStart = pos
            let lf = findLF(c.base, from: pos, end: end)
            let next = lf.map { $0 + 1 } ?? end
            var contentEnd = lf ?? end
            if lf != nil {
                if contentEnd > lineStart, c.base[contentEnd - 1] == ASCII.cr { contentEnd -= 1; crlfLines += 1 } else { lfLines += 1 }
            }
            let length = contentEnd - lineStart
            if length == 0 {
                commit()
                finishLineEndings(crlfLines, lfLines, location)
                if sawNul { defect(.nulByte, location, "NUL byte in the header") }
                return Header(fields: fields, bodyStart: next, stop: nil)
            }
            if !stack.isEmpty, length >= 2, c.base[lineStart] == ASCII.dash, c.base[lineStart + 1] == ASCII.dash,
               let stop = matchBoundary(c, lineStart: lineStart, bodyStart: start, stack: stack) {
                commit()
                if !fields.isEmpty || lineStart > start {
                    defect(.missingHeaderBodySeparator, location, "a boundary line follows the header without a blank line")
                }
                return Header(fields: fields, bodyStart: lineStart, stop: Stop(contentEnd: lineStart, next: stop.next, level: stop.level, isClose: stop.isClose))
            }
            let allowed = max(0, limits.maxHeaderBytes - headerBytes)
            headerBytes += next - lineStart
            if length > 998 && !longLineReported {
                longLineReported = true
                defect(.longHeaderLine, location, "header line of \(length) bytes (RFC 5322 allows 998)")
            }
            if !sawNul, memchr(c.base + lineStart, 0, length) != nil { sawNul = true }
            if !limitHit && !stopAfterThisLine && headerBytes > limits.maxHeaderBytes {
                // Keep what fits of this line, then skip the rest of the header block.
                defect(.headerLimitExceeded, location, "header block larger than \(limits.maxHeaderBytes) bytes; the rest skipped")
                contentEnd = lineStart + min(length, allowed)
                stopAfterThisLine = true
            }
            let first = c.base[lineStart]
            if ASCII.isWSP(first) {
                if current != nil {
                    current!.valueEnd = contentEnd
                } else if fields.isEmpty && !limitHit {
                    // White space before any field: not a header at all.
                    break
                }
                pos = next
                continue
            }
            if limitHit { pos = next; continue }
            // field-name: printable ASCII up to ':' (obsolete syntax allows white space before the colon).
            var i = lineStart
            while i < contentEnd, c.base[i] != ASCII.colon, c.base[i] > 0x20, c.base[i] < 0x7F { i += 1 }
            var nameEnd = i
            var obsolete = false
            while i < contentEnd, ASCII.isWSP(c.base[i]) { i += 1; obsolete = true }
            // The first line of a message must look like a real field name (letters, digits, '-', '_'): HTML such as
            // `<html><head><HTA:APPLICATION` is printable ASCII before a colon too.
            let plausibleFirst = !(topLevel && lineStart == start) || (lineStart..<nameEnd).allSatisfy { k in
                let b = c.base[k]
                return (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == ASCII.dash || b == 0x5F
            }
            guard i < contentEnd, c.base[i] == ASCII.colon, nameEnd > lineStart, plausibleFirst else {
                // Not a header line.
                commit()
                if fields.isEmpty && lineStart == start {
                    if topLevel && length >= 5 && memcmp(c.base + lineStart, "From ", 5) == 0 {
                        // The mbox "From " separator of a message saved from a mailbox.
                        pos = next
                        continue
                    }
                    // No header at all: the entity's body starts here.
                    if !topLevel { defect(.missingHeaderBodySeparator, location, "part content starts without a header or blank line") }
                    return Header(fields: fields, bodyStart: start, stop: nil)
                }
                if limits.malformedHeaderStartsBody {
                    defect(.missingHeaderBodySeparator, location,
                           "line \"\(String(decoding: c.array[lineStart..<min(contentEnd, lineStart + 60)], as: UTF8.self))\" is not a header field; the body starts there")
                    finishLineEndings(crlfLines, lfLines, location)
                    if sawNul { defect(.nulByte, location, "NUL byte in the header") }
                    return Header(fields: fields, bodyStart: lineStart, stop: nil)
                }
                // Inside the header: skipped, as mime4j does by default, and recorded, since a client that
                // instead starts the body here would show a different message.
                defect(.malformedHeaderLine, location,
                       "line \"\(String(decoding: c.array[lineStart..<min(contentEnd, lineStart + 60)], as: UTF8.self))\" is not a header field; skipped")
                pos = next
                continue
            }
            if obsolete {
                defect(.obsoleteHeaderSyntax, location, "white space before ':' in \(String(decoding: c.array[lineStart..<nameEnd], as: UTF8.self))")
            }
            commit()
            while nameEnd > lineStart, ASCII.isWSP(c.base[nameEnd - 1]) { nameEnd -= 1 }
            current = (String(decoding: c.array[lineStart..<nameEnd], as: UTF8.self), i + 1, contentEnd)
            pos = next
        }
        commit()
        if sawNul { defect(.nulByte, location, "NUL byte in the header") }
        if pos >= end && !fields.isEmpty {
            // Headers only, no blank line and no body: legal enough (an empty body), no defect.
            return Header(fields: fields, bodyStart: end, stop: nil)
        }
        return Header(fields: fields, bodyStart: fields.isEmpty ? start : pos, stop: nil)
    }

    private func finishLineEndings(_ crlf: Int, _ lf: Int, _ location: String) {
        if crlf > 0 && lf > 0 && !lineEndingsReported {
            lineEndingsReported = true
            defect(.mixedLineEndings, location, "\(crlf) header lines end in CRLF, \(lf) in LF")
        }
    }

    /// Two header values that every reader reads the same: equal once white space runs are one space and the ends
    /// are trimmed, with ASCII case folded only before the first `;` (a media type or disposition is
    /// case-insensitive; a boundary or a file name is not).
    static func sameValue(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        func normal(_ v: [UInt8]) -> [UInt8] {
            var out: [UInt8] = []
            out.reserveCapacity(v.count)
            var inParameters = false, blank = false
            for c in v {
                if c == 0x20 || c == 0x09 || c == 0x0D || c == 0x0A { blank = !out.isEmpty; continue }
                if blank { out.append(0x20); blank = false }
                if c == 0x3B { inParameters = true }
                out.append(!inParameters && c >= 0x41 && c <= 0x5A ? c | 0x20 : c)
            }
            return out
        }
        return normal(a) == normal(b)
    }

    /// Reads Content-Type, Content-Transfer-Encoding, Content-Disposition and Content-ID; records duplicates and
    /// malformed values.
    func interpret(_ fields: HeaderFields, path: String, defaultType: ContentType, messageDepth: Int,
                   isMessageRoot: Bool) -> MIMEPart {
        let location = path.isEmpty ? "message" : path
        var watched = ["content-type", "content-transfer-encoding", "content-disposition"]
        if isMessageRoot { watched += ["from", "sender", "to", "subject", "date", "reply-to", "message-id"] }
        var counts: [String: Int] = [:]
        for f in fields where watched.contains(f.key) { counts[f.key, default: 0] += 1 }
        for key in watched where counts[key, default: 0] > 1 {
            let unfolded = fields.all(key).map { HeaderText.unfold($0.rawValue) }
            let values = unfolded.map { String(decoding: $0.prefix(80), as: UTF8.self) }
            // The same value twice is harmless. Different values: readers pick different ones (first or last),
            // which decides the content's type, encoding or name, or which From the recipient sees.
            let agree = unfolded.dropFirst().allSatisfy { Self.sameValue($0, unfolded[0]) }
            let severity: Defect.Severity = agree ? .info
                : ["content-type", "content-transfer-encoding", "content-disposition", "from", "sender"].contains(key) ? .evasive : .warning
            defect(.duplicateHeader, location, "\(counts[key]!) \(fields.first(key)!.name) fields" + (agree ? " with the same value: " : ": ")
                   + values.map { "\"\($0)\"" }.joined(separator: ", "), severity: severity)
        }

        var contentType = defaultType
        var defaulted = true
        if let field = fields.first("content-type") {
            let parsed = Parameters.parse(field.unfolded)
            record(parsed.issues, location: location, header: "Content-Type")
            if let (type, subtype) = ContentType.parseHead(parsed.head) {
                contentType = ContentType(type: type, subtype: subtype, parameters: parsed.parameters)
                defaulted = false
            } else {
                let head = String(decoding: parsed.head.prefix(60), as: UTF8.self)
                if !parsed.head.isEmpty, !parsed.head.contains(0x2F),
                   ContentType.isTokenByteString(parsed.head) {
                    // `Content-Type: text` — a type without a subtype.
                    let type = ASCII.lowercasedString(parsed.head)
                    contentType = type == "text" ? ContentType(type: "text", subtype: "plain", parameters: parsed.parameters)
                        : ContentType(type: "application", subtype: "octet-stream", parameters: parsed.parameters)
                } else {
                    contentType = ContentType(type: defaultType.type, subtype: defaultType.subtype, parameters: parsed.parameters)
                }
                defect(.malformedContentType, location, "Content-Type \"\(head)\" is not type/subtype; read as \(contentType.mimeType)")
            }
        }
        var encoding = TransferEncoding.sevenBit
        if let field = fields.first("content-transfer-encoding") {
            encoding = TransferEncoding(parsing: field.unfolded)
            if case .unknown(let name) = encoding {
                defect(.unknownTransferEncoding, location, "Content-Transfer-Encoding \"\(name)\"; body kept as is")
            }
        }
        var disposition: ContentDisposition?
        if let field = fields.first("content-disposition") {
            let parsed = Parameters.parse(field.unfolded)
            record(parsed.issues, location: location, header: "Content-Disposition")
            let type = ASCII.lowercasedString(ASCII.trimmed(parsed.head))
            disposition = ContentDisposition(type: type, parameters: parsed.parameters)
        }
        var contentID: String?
        if let field = fields.first("content-id") {
            var id = String(decoding: field.unfolded, as: UTF8.self).trimmingCharacters(in: " \t")
            if id.hasPrefix("<") { id.removeFirst() }
            if id.hasSuffix(">") { id.removeLast() }
            contentID = id.isEmpty ? nil : id
        }
        return MIMEPart(path: path, headers: fields, contentType: contentType, contentTypeDefaulted: defaulted,
                        disposition: disposition, transferEncoding: encoding, contentID: contentID,
                        content: .leaf([]), messageDepth: messageDepth)
    }

    private func record(_ issues: [Parameters.Issue], location: String, header: String) {
        for issue in issues {
            switch issue {
            case .malformed(let d): defect(.malformedParameter, location, "\(header): \(d)")
            case .duplicate(let name): defect(.duplicateParameter, location, "\(header): parameter \(name) given more than once; the first is used")
            case .incompleteContinuation(let name): defect(.incompleteRFC2231, location, "\(header): RFC 2231 sections of \(name) missing or out of order")
            case .text(let t):
                let d = t.defect(at: location, header: header)
                defect(d.code, d.where, d.detail)
            }
        }
    }
}

extension ContentType {
    static func isTokenByteString(_ s: ArraySlice<UInt8>) -> Bool { s.allSatisfy(isTokenByte) }
}

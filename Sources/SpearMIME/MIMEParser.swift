#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Parses a message into its MIME tree in one pass over the bytes.
///
/// Multipart bodies are split with a stack of active boundaries, GMime-style: every line is looked at once, and a
/// boundary line of an enclosing multipart ends every part inside it (that is how a missing final boundary is
/// detected and survived). Nothing is copied except encapsulated messages that were, non-conformantly, base64- or
/// quoted-printable-encoded, and multiparts encoded the same way: those are decoded and parsed from the decoded
/// bytes. Every deviation becomes a `Defect`; every limit that fires too.
public struct MIMEParser: Sendable {
    public var limits: ParseOptions

    public init(limits: ParseOptions = .default) {
        self.limits = limits
    }

    public func parse(_ bytes: [UInt8]) -> MIMEMessage {
        let state = ParseState(limits: limits)
        if bytes.isEmpty {
            state.defect(.emptyMessage, "message", "the input is empty")
        }
        var message = bytes.withUnsafeBufferPointer { buffer in
            let context = Context(array: bytes, base: buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!, end: bytes.count)
            return state.parseMessage(context, start: 0, path: "", messageDepth: 0, depth: 0, topLevel: true)
        }
        message.defects = state.defects
        message.source = bytes[...]
        message.bodyStart = state.rootBodyStart ?? bytes.count
        return message
    }
}

/// The buffer being parsed. `base` is valid only inside the `withUnsafeBufferPointer` that made it.
struct Context {
    let array: [UInt8]
    let base: UnsafePointer<UInt8>
    let end: Int
}

/// How scanning a body stopped.
struct Stop {
    /// Where the content ends (the line break before a boundary line belongs to the boundary).
    var contentEnd: Int
    /// Index after the boundary line (or `end`).
    var next: Int
    /// The stack level of the boundary that matched, or nil at the end of the buffer.
    var level: Int?
    var isClose: Bool
}

final class ParseState {
    let limits: ParseOptions
    var defects: [Defect] = []
    /// Codes recorded after the defect list reached its bound (see `defect`).
    var keptPastBound = Set<Defect.Code>()
    var partCount = 0
    let deadline: UInt64
    private var partLimitReported = false
    private var timeReported = false
    private var depthReported = false
    var lineEndingsReported = false
    /// Where the top-level message's body starts.
    var rootBodyStart: Int?

    init(limits: ParseOptions) {
        self.limits = limits
        self.deadline = ParseState.now() &+ UInt64(max(0, limits.timeLimit) * 1e9)
    }

    static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }

    func defect(_ code: Defect.Code, _ location: String, _ detail: String, severity: Defect.Severity? = nil) {
        // Bound the defect list itself: hostile input could otherwise produce one per line. Past the bound, the
        // first defect of each code that sets the verdict (a limit, an evasive one) is still kept, so a thousand
        // cheap defects cannot hide the limit or the evasion after them.
        let d = Defect(code, where: location, detail, severity: severity)
        if defects.count < 1_000 {
            defects.append(d)
        } else if d.stopsInspection || d.severity == .evasive, keptPastBound.insert(code).inserted {
            defects.append(d)
        }
    }

    /// Whether another entity may be created; reports the part and time limits once.
    func mayCreatePart(at location: String) -> Bool {
        if partCount >= limits.maxParts {
            if !partLimitReported {
                partLimitReported = true
                defect(.partLimitExceeded, location, "more than \(limits.maxParts) MIME parts; the rest is kept as one opaque part")
            }
            return false
        }
        if ParseState.now() > deadline {
            if !timeReported {
                timeReported = true
                defect(.timeLimitExceeded, location, "parsing took longer than \(limits.timeLimit) s; the rest is kept as one opaque part")
            }
            return false
        }
        partCount += 1
        return true
    }

    // MARK: Entities

    func parseMessage(_ c: Context, start: Int, path: String, messageDepth: Int, depth: Int, topLevel: Bool) -> MIMEMessage {
        let (root, _) = parseEntity(c, start: start, path: path, stack: [], depth: depth, messageDepth: messageDepth,
                                    defaultType: .textPlain, isMessageRoot: true, topLevel: topLevel)
        return MIMEMessage(root: root, defects: [])
    }

    /// Parses the entity starting at `start`, stopping at a boundary line of `stack` or the end of the buffer.
    func parseEntity(_ c: Context, start: Int, path: String, stack: [[UInt8]], depth: Int, messageDepth: Int,
                     defaultType: ContentType, isMessageRoot: Bool, topLevel: Bool) -> (MIMEPart, Stop) {
        let location = path.isEmpty ? "message" : path
        let header = parseHeader(c, start: start, stack: stack, location: location, topLevel: topLevel)
        if topLevel && rootBodyStart == nil { rootBodyStart = header.stop == nil ? header.bodyStart : c.end }
        var part = interpret(header.fields, path: path, defaultType: defaultType, messageDepth: messageDepth,
                             isMessageRoot: isMessageRoot)
        if topLevel && header.fields.isEmpty && c.end > 0 {
            defect(.notAMessage, "message", "no header fields: the input does not look like an email message")
            // Whatever it is (a zip, a script, a document given to `scan` directly), it is analysed as one file.
            part.contentType = ContentType(type: "application", subtype: "octet-stream")
            part.contentTypeDefaulted = true
        }
        // A single-part message's body is section 1 in IMAP numbering.
        if isMessageRoot && !part.contentType.isMultipart { part.path = path.isEmpty ? "1" : path + ".1" }

        if let stop = header.stop {
            // The header ran into a boundary line: the entity has no body at all.
            part.content = .leaf(c.array[stop.contentEnd..<stop.contentEnd])
            return (part, stop)
        }
        let bodyStart = header.bodyStart
        let wantsChildren = part.contentType.isMultipart || part.contentType.isEncapsulatedMessage
        if wantsChildren && depth >= limits.maxDepth {
            if !depthReported {
                depthReported = true
                defect(.nestingLimitExceeded, location, "MIME nesting deeper than \(limits.maxDepth); deeper parts kept as one opaque part")
            }
            let stop = scan(c, from: bodyStart, stack: stack)
            part.content = .leaf(c.array[bodyStart..<stop.contentEnd])
            return (part, stop)
        }

        if part.contentType.isMultipart {
            guard let boundaryText = part.contentType.boundary, !boundaryText.isEmpty else {
                defect(.missingBoundaryParameter, location, "\(part.contentType.mimeType) without a boundary parameter; body kept as one part")
                let stop = scan(c, from: bodyStart, stack: stack)
                part.content = .leaf(c.array[bodyStart..<stop.contentEnd])
                return (part, stop)
            }
            if !part.transferEncoding.isIdentity {
                // Forbidden by RFC 2045 §6.4, and a known way past scanners: decode, then parse.
                defect(.encodedMultipart, location, "multipart body with Content-Transfer-Encoding \(part.transferEncoding); decoded and parsed")
                let stop = scan(c, from: bodyStart, stack: stack)
                let decoded = TransferDecoder.decode(c.array[bodyStart..<stop.contentEnd], encoding: part.transferEncoding).bytes
                part.content = decoded.withUnsafeBufferPointer { buf in
                    let inner = Context(array: decoded, base: buf.baseAddress ?? UnsafePointer(bitPattern: 1)!, end: decoded.count)
                    return parseMultipartBody(inner, start: 0, boundary: Array(boundaryText.utf8), stack: [], part: part, depth: depth).content
                }
                return (part, stop)
            }
            let result = parseMultipartBody(c, start: bodyStart, boundary: Array(boundaryText.utf8), stack: stack, part: part, depth: depth)
            part.content = result.content
            return (part, result.stop)
        }

        if part.contentType.isEncapsulatedMessage {
            if part.transferEncoding.isIdentity {
                let (inner, stop) = parseEntity(c, start: bodyStart, path: path, stack: stack, depth: depth + 1,
                                                messageDepth: messageDepth + 1, defaultType: .textPlain,
                                                isMessageRoot: true, topLevel: false)
                part.content = .message(bytes: c.array[bodyStart..<stop.contentEnd], MIMEMessage(root: inner, defects: []))
                return (part, stop)
            }
            defect(.encodedMessage, location, "message/rfc822 with Content-Transfer-Encoding \(part.transferEncoding); decoded and parsed")
            let stop = scan(c, from: bodyStart, stack: stack)
            let decoded = TransferDecoder.decode(c.array[bodyStart..<stop.contentEnd], encoding: part.transferEncoding).bytes
            let inner = decoded.withUnsafeBufferPointer { buf in
                let innerContext = Context(array: decoded, base: buf.baseAddress ?? UnsafePointer(bitPattern: 1)!, end: decoded.count)
                return parseEntity(innerContext, start: 0, path: path, stack: [], depth: depth + 1, messageDepth: messageDepth + 1,
                                   defaultType: .textPlain, isMessageRoot: true, topLevel: false).0
            }
            part.content = .message(bytes: decoded[...], MIMEMessage(root: inner, defects: []))
            return (part, stop)
        }

        let stop = scan(c, from: bodyStart, stack: stack)
        part.content = .leaf(c.array[bodyStart..<stop.contentEnd])
        return (part, stop)
    }

    /// Splits a multipart body at `boundary`; returns how the whole multipart (including its epilogue) stopped.
    func parseMultipartBody(_ c: Context, start: Int, boundary: [UInt8], stack outer: [[UInt8]], part: MIMEPart,
                            depth: Int) -> (content: MIMEPart.Content, stop: Stop) {
        let location = part.location
        if outer.contains(boundary) {
            // Readers disagree on which multipart such a line closes; mail_malformed_1-style lures hide parts here.
            defect(.reusedBoundary, location, "boundary \"\(String(decoding: boundary, as: UTF8.self))\" is already used by an enclosing multipart")
        }
        let stack = outer + [boundary]
        let own = stack.count - 1
        let childDefault: ContentType = part.contentType.subtype == "digest" ? .messageRFC822 : .textPlain
        let first = scan(c, from: start, stack: stack)
        guard first.level == own else {
            // No delimiter at all before the end (or before an enclosing boundary).
            defect(.missingStartBoundary, location, "no line \"--\(String(decoding: boundary, as: UTF8.self))\" found; body kept as preamble")
            return (.multipart(preamble: c.array[start..<first.contentEnd], parts: [], epilogue: c.array[first.contentEnd..<first.contentEnd]), first)
        }
        let preamble = c.array[start..<first.contentEnd]
        var parts: [MIMEPart] = []
        var stop = first
        var closed = first.isClose
        if closed { defect(.emptyMultipart, location, "the first boundary is the closing one: no parts") }
        while !closed {
            let childPath = part.path.isEmpty ? "\(parts.count + 1)" : "\(part.path).\(parts.count + 1)"
            guard mayCreatePart(at: childPath) else {
                // Keep the rest as one opaque part: scan to this multipart's close or an enclosing boundary.
                var rest = scan(c, from: stop.next, stack: stack)
                while rest.level == own && !rest.isClose { rest = scan(c, from: rest.next, stack: stack) }
                stop = rest
                closed = rest.level == own
                break
            }
            let (child, childStop) = parseEntity(c, start: stop.next, path: childPath, stack: stack, depth: depth + 1,
                                                 messageDepth: part.messageDepth, defaultType: childDefault,
                                                 isMessageRoot: false, topLevel: false)
            parts.append(child)
            stop = childStop
            if childStop.level == own {
                closed = childStop.isClose
            } else {
                break  // an enclosing boundary or the end of the buffer
            }
        }
        if !closed {
            // Ending with the message, the last part simply runs to the end: every reader sees the same parts.
            // Ended by an enclosing boundary, readers may disagree about which multipart the parts after it
            // belong to.
            defect(.missingFinalBoundary, location,
                   "no closing line \"--\(String(decoding: boundary, as: UTF8.self))--\"" + (stop.level == nil ? " before the end of the message" : " before an enclosing boundary"),
                   severity: stop.level == nil ? .warning : .evasive)
            return (.multipart(preamble: preamble, parts: parts, epilogue: c.array[stop.contentEnd..<stop.contentEnd]), stop)
        }
        let epilogueStop = scan(c, from: stop.next, stack: outer)
        let epilogueStart = min(stop.next, epilogueStop.contentEnd)
        return (.multipart(preamble: preamble, parts: parts, epilogue: c.array[epilogueStart..<epilogueStop.contentEnd]), epilogueStop)
    }

    // MARK: Boundary scanning (the hot loop)

    /// Scans from `from` to the first boundary line of `stack` (innermost first) or the end of the buffer.
    func scan(_ c: Context, from: Int, stack: [[UInt8]]) -> Stop {
        let end = c.end
        if stack.isEmpty || from >= end { return Stop(contentEnd: max(from, end), next: end, level: nil, isClose: false) }
        var lineStart = from
        while lineStart < end {
            if lineStart + 2 <= end, c.base[lineStart] == ASCII.dash, c.base[lineStart + 1] == ASCII.dash,
               let stop = matchBoundary(c, lineStart: lineStart, bodyStart: from, stack: stack) {
                return stop
            }
            guard let lf = findLF(c.base, from: lineStart, end: end) else { break }
            lineStart = lf + 1
        }
        return Stop(contentEnd: end, next: end, level: nil, isClose: false)
    }

    /// Whether the line at `lineStart` (which starts with "--") is a boundary line of `stack`.
    @inline(__always)
    func matchBoundary(_ c: Context, lineStart: Int, bodyStart: Int, stack: [[UInt8]]) -> Stop? {
        let end = c.end
        let lineEnd = findLF(c.base, from: lineStart, end: end) ?? end
        var contentEnd = lineEnd
        if contentEnd > lineStart, c.base[contentEnd - 1] == ASCII.cr { contentEnd -= 1 }
        let available = contentEnd - lineStart - 2
        for level in stride(from: stack.count - 1, through: 0, by: -1) {
            let b = stack[level]
            guard b.count <= available else { continue }
            let matches = b.withUnsafeBufferPointer { bp in memcmp(c.base + lineStart + 2, bp.baseAddress!, b.count) == 0 }
            guard matches else { continue }
            var k = lineStart + 2 + b.count
            var isClose = false
            if k + 1 < contentEnd + 1, k + 2 <= contentEnd, c.base[k] == ASCII.dash, c.base[k + 1] == ASCII.dash {
                isClose = true
                k += 2
            }
            // RFC 2046 §5.1.1 lets text follow the boundary on its line, but a boundary directly followed by more
            // boundary characters is another (longer) boundary: "--abc" must not match "--abcdef". So after a
            // delimiter only white space may come first; after a close delimiter anything may.
            if !isClose, k < contentEnd, !ASCII.isWSP(c.base[k]) { continue }
            // The line break before the boundary line belongs to it.
            var before = lineStart
            if before > bodyStart, c.base[before - 1] == ASCII.lf {
                before -= 1
                if before > bodyStart, c.base[before - 1] == ASCII.cr { before -= 1 }
            }
            return Stop(contentEnd: before, next: min(end, lineEnd + 1), level: level, isClose: isClose)
        }
        return nil
    }
}

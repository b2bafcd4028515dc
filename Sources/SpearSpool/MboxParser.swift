/// Splits an mbox stream into messages, one at a time, with memory bounded by one message plus the buffer.
///
/// ## Separator rule
/// A message starts at a line beginning with `From ` (a From_ line) that
/// 1. is at the start of the stream or follows an empty line (LF or CRLF). That empty line is the separator
///    and is part of neither message. Or that
/// 2. follows a non-empty line and is itself followed by a header field line (`name:`, the name in RFC 5322
///    `ftext`, seen within 64 bytes). The line break ending the previous line is then the separator, as in
///    MimeKit: the message is the same bytes whether its writer left the blank line out or not.
///
/// Rule 2 exists because rule 1 alone loses messages: writers that leave out the blank line (Netscape-era
/// Content-Length folders whose lengths went wrong, as in MimeKit's `content-length.mbox.txt`, and the
/// ubiquitous `echo "From x"; cat msg` export) would have every following message swallowed into one body,
/// where a scanner sees it as text, not as a message. Python's `mailbox` and MimeKit split at every From_
/// line, mutt at every From_ line with a parsable date; none needs the blank line. We ask for a header line
/// instead, which keeps what the blank-line rule protected: an unescaped body line "From Russia with love"
/// followed by prose stays body. The risk left is a body line "From ..." right before a line like
/// "Phone: 123" in a file that neither escapes nor has a valid Content-Length: that message comes out cut in
/// two, all of its bytes still scanned: less harm than a message hidden inside another. In a header block,
/// rule 2 applies only after the first header line, so a doubled From_ line stays where it is instead of
/// making an empty message. Nothing else of the From_ line is checked.
///
/// ## Escapes
/// mboxrd (and `auto` when no valid `Content-Length:`): one `>` is removed from lines matching `^>+From `.
/// mboxo: `>From ` becomes `From ` (ambiguous, see ``MboxVariant/mboxo``). mboxcl2: nothing is undone.
///
/// ## Content-Length (`auto` and `mboxcl2`)
/// When the header block has `Content-Length: N` and headers plus body fit in `maxMessageBytes`, the N bytes
/// after the blank line ending the headers are taken as the body, without looking for `From ` lines and
/// without unescaping, if what follows is the end of the stream, or a `From ` line at a line start (no blank
/// line needed: the count is the separator), or one line break and then the end or a `From ` line (that
/// line break is the separator; a count ending between its CR and LF is wrong). Otherwise the body bytes
/// are pushed back and re-read with the separator rule, as if the header were absent: a wrong count
/// neither cuts a message (it is not trusted) nor loses the next one (rule 2 still finds a From_ line that
/// no blank line precedes). Re-reading is budgeted (``rereadAllowed``): a file whose lengths keep failing
/// stops being trusted, which keeps the work linear in the file size.
///
/// Bytes before the first message start (unless they are only empty lines), and read or gzip errors, come
/// out as failed items with an offset.
final class MboxParser {
    private enum State {
        case fileStart
        case atMessage(offset: Int)
        case done
    }

    private enum Unescape { case none, mboxo, mboxrd }

    private let reader: LineReader
    private let source: String
    private let variant: MboxVariant
    private let limit: Int
    private var state = State.fileStart
    /// Bytes given back after `Content-Length:` checks that failed. Bounded (see ``rereadAllowed``) so that
    /// a file full of wrong lengths costs linear, not quadratic, time.
    private var rereadBytes = 0

    /// `Content-Length:` is ignored for the rest of the file once the bytes read twice exceed the bytes of
    /// the stream read so far plus 16 MiB.
    private var rereadAllowed: Bool { rereadBytes <= reader.offset + (16 << 20) }

    private static let lf: [UInt8] = [0x0A]
    private static let crlf: [UInt8] = [0x0D, 0x0A]
    private static let contentLength = Array("content-length:".utf8)

    init(reader: LineReader, source: String, variant: MboxVariant, maxMessageBytes: Int) {
        self.reader = reader
        self.source = source
        self.variant = variant
        self.limit = maxMessageBytes
    }

    func next() -> SpoolItem? {
        var messageOffset: Int?
        do {
            switch state {
            case .done:
                return nil
            case .atMessage(let offset):
                messageOffset = offset
                return try readMessage(at: offset)
            case .fileStart:
                guard let first = try reader.nextLine() else {
                    state = .done
                    return SpoolError(.emptyFile, path: source, reason: "empty file").item()
                }
                if first.startsWithFrom {
                    messageOffset = first.offset
                    let offset = first.offset
                    if !first.endsLine { try skipLine() }
                    return try readMessage(at: offset)
                }
                return try skipLeadingData(first)
            }
        } catch {
            state = .done
            return SpoolError.wrap(error, path: source).item(offset: messageOffset ?? reader.offset)
        }
    }

    /// Consumes the rest of the current line; returns its byte count.
    @discardableResult
    private func skipLine() throws -> Int {
        var count = 0
        while let line = try reader.nextLine() {
            count += line.count
            if line.endsLine { break }
        }
        return count
    }

    /// Data before the first `From ` line is not a message; report it rather than drop it silently.
    private func skipLeadingData(_ first: LineView) throws -> SpoolItem {
        var skipped = first.count
        var previousBlank = first.isBlank
        var onlyBlankLines = first.isBlank
        var lineStart = first.endsLine
        while let line = try reader.nextLine() {
            if lineStart && line.startsWithFrom {
                let offset = line.offset
                var count = line.count
                if !line.endsLine { count += try skipLine() }
                if try previousBlank || headerFieldFollows() {
                    state = .atMessage(offset: offset)
                    if onlyBlankLines { return try readMessage(at: offset) }  // leading empty lines: no data lost
                    return SpoolError(.notMbox, path: source,
                                      reason: "\(skipped) bytes before the first From_ line are not a message").item(offset: 0)
                }
                skipped += count
                previousBlank = false
                onlyBlankLines = false
                lineStart = true
                continue
            }
            if lineStart { previousBlank = line.isBlank }
            if !line.isBlank || !lineStart { onlyBlankLines = false }
            lineStart = line.endsLine
            skipped += line.count
        }
        state = .done
        return SpoolError(.notMbox, path: source, reason: "no From_ line in \(skipped) bytes: not an mbox").item(offset: 0)
    }

    private func readMessage(at fromOffset: Int) throws -> SpoolItem {
        var message = MessageBuffer(limit: limit)
        var pendingBlank = 0  // held-back empty line: 0 none, 1 LF, 2 CRLF
        var lineStart = true
        var inHeaders = true
        var contentLength: Int?
        let useContentLength = variant == .auto || variant == .mboxcl2
        let unescape: Unescape = switch variant {
        case .mboxo: .mboxo
        case .mboxcl2: .none
        case .mboxrd, .auto: .mboxrd
        }
        state = .done
        while let line = try reader.nextLine() {
            let atLineStart = lineStart
            lineStart = line.endsLine
            if !atLineStart {
                message.append(line.base, line.count)
                continue
            }
            if line.isBlank {
                if inHeaders {
                    inHeaders = false
                    if let n = contentLength, message.total + line.count + n <= limit, rereadAllowed {
                        let blankLength = line.count
                        message.append(line.base, line.count)
                        if try readCountedBody(&message, length: n, blankLength: blankLength) {
                            return finish(message, fromOffset)
                        }
                        pendingBlank = blankLength
                        continue
                    }
                }
                if pendingBlank > 0 { message.append(pendingBlank == 1 ? Self.lf : Self.crlf) }
                pendingBlank = line.count
                continue
            }
            if pendingBlank > 0 {
                if line.startsWithFrom {
                    state = .atMessage(offset: line.offset)
                    if !line.endsLine { try skipLine() }
                    return finish(message, fromOffset)
                }
                message.append(pendingBlank == 1 ? Self.lf : Self.crlf)
                pendingBlank = 0
            }
            if line.startsWithFrom && (!inHeaders || message.total > 0) {
                if try splitsAtUnseparatedFrom(line, &message) { return finish(message, fromOffset) }
                lineStart = true
                continue
            }
            if inHeaders && useContentLength && contentLength == nil {
                contentLength = Self.parseContentLength(line)
            }
            if unescape != .none && line.base[0] == 0x3E && Self.isEscapedFrom(line, unescape) {
                message.append(line.base + 1, line.count - 1)
            } else {
                message.append(line.base, line.count)
            }
        }
        return finish(message, fromOffset)  // a held-back blank line at the end is the final separator
    }

    /// Rule 2 for a From_ line after a non-empty line: appends it (all of it, should it be longer than the
    /// buffer) as ordinary text, then looks at the next line. If that starts a header field, takes the From_
    /// line and the line break before it back out of `message` and points the state at the new message.
    private func splitsAtUnseparatedFrom(_ line: LineView, _ message: inout MessageBuffer) throws -> Bool {
        let offset = line.offset
        let end = message.total - message.trailingLineBreak
        message.append(line.base, line.count)
        var ended = line.endsLine
        while !ended, let piece = try reader.nextLine() {
            message.append(piece.base, piece.count)
            ended = piece.endsLine
        }
        guard try headerFieldFollows() else { return false }
        message.rewind(toTotal: end)
        state = .atMessage(offset: offset)
        return true
    }

    /// Whether the next line, not consumed, starts with a header field name and a colon. Looks no further
    /// than the smallest buffer holds, so the answer does not depend on the buffer size.
    private func headerFieldFollows() throws -> Bool {
        let next = try reader.peek(LineReader.minimumCapacity)
        guard let p = next.baseAddress else { return false }
        for i in 0..<next.count {
            let b = p[i]
            if b == 0x3A { return i > 0 }
            if b < 0x21 || b > 0x7E { return false }
        }
        return false
    }

    /// Reads `length` body bytes and checks that they end where the next message starts; on success sets
    /// the state for the next message. On failure gives the bytes back to the reader and takes the blank
    /// line off `message`, so the caller can go on as if there had been no `Content-Length:`.
    private func readCountedBody(_ message: inout MessageBuffer, length: Int, blankLength: Int) throws -> Bool {
        let bodyStart = message.bytes.count
        var remaining = length
        var last: UInt8 = 0x0A  // the blank line that ended the headers
        while remaining > 0 {
            let chunk = try reader.readRaw(limit: remaining)
            if chunk.isEmpty { break }
            message.append(chunk)
            last = chunk[chunk.count - 1]
            remaining -= chunk.count
        }
        if remaining == 0 {
            let next = try reader.peek(7)
            var valid = false
            var newline = 0
            if next.isEmpty {
                valid = true
            } else if last == 0x0A && ByteMatch.isFrom(next.baseAddress!, next.count) {
                valid = true
            } else {
                // A count one short of a CRLF body would end on its CR: that is not a line break after the body.
                if next[0] == 0x0A && last != 0x0D { newline = 1 } else if next.count >= 2 && next[0] == 0x0D && next[1] == 0x0A { newline = 2 }
                if newline > 0 && (next.count == newline || ByteMatch.isFrom(next.baseAddress! + newline, next.count - newline)) {
                    valid = true
                }
            }
            if valid {
                reader.skip(newline)
                if let line = try reader.nextLine() {
                    state = .atMessage(offset: line.offset)
                    if !line.endsLine { try skipLine() }
                } else {
                    state = .done
                }
                return true
            }
        }
        let body = Array(message.bytes[bodyStart...])
        message.removeLast(body.count + blankLength)
        rereadBytes += body.count
        reader.pushBack(body)
        return false
    }

    /// `Content-Length: <digits>` with optional blanks; anything else (or an absurd number) is ignored.
    private static func parseContentLength(_ line: LineView) -> Int? {
        guard line.count > 15, line.base[0] | 0x20 == 0x63,
              ByteMatch.hasPrefixIgnoringCase(line.base, line.count, contentLength) else { return nil }
        var i = 15
        while i < line.count && (line.base[i] == 0x20 || line.base[i] == 0x09) { i += 1 }
        var value = 0
        var digits = 0
        while i < line.count, line.base[i] >= 0x30, line.base[i] <= 0x39 {
            value = value * 10 + Int(line.base[i] - 0x30)
            digits += 1
            i += 1
            if digits > 15 { return nil }
        }
        guard digits > 0 else { return nil }
        while i < line.count && (line.base[i] == 0x20 || line.base[i] == 0x09 || line.base[i] == 0x0D) { i += 1 }
        guard i == line.count || (line.base[i] == 0x0A && i == line.count - 1) else { return nil }
        return value
    }

    /// `>From ` (mboxo) or `>+From ` (mboxrd) at the start of `line` (whose first byte is `>`).
    private static func isEscapedFrom(_ line: LineView, _ mode: Unescape) -> Bool {
        var i = 1
        if mode == .mboxrd {
            while i < line.count && line.base[i] == 0x3E { i += 1 }
        }
        return ByteMatch.isFrom(line.base + i, line.count - i)
    }

    private func finish(_ message: MessageBuffer, _ offset: Int) -> SpoolItem {
        .message(SpoolMessage(source: source, offset: offset, bytes: message.bytes,
                              originalSize: message.originalSize))
    }
}

import Foundation
import Testing
@testable import SpearSpool

/// From_ lines with no blank line before them: a `Content-Length:` that ends there, one that is wrong, and
/// none at all (separator rule 2 of ``MboxParser``).
@Suite struct MboxSeparatorTests {
    static let fromA = "From a@example.com Thu Nov 26 10:00:00 2026"
    static let fromB = "From b@example.com Thu Nov 26 10:00:01 2026"

    /// Each item as (offset, text); a failed item as (nil, "failed: reason").
    func split(_ text: String, _ configure: (inout SpoolOptions) -> Void = { _ in }) throws -> [Piece] {
        let dir = TempDir()
        let path = dir.write("box", text)
        return try readAll([path], configure).map { item in
            if let m = item.message { return Piece(offset: m.offset, text: String(decoding: m.bytes, as: UTF8.self)) }
            return Piece(offset: nil, text: "failed: \(item.failure?.reason ?? "")")
        }
    }

    struct Piece: Equatable, CustomStringConvertible {
        var offset: Int?
        var text: String
        var description: String { "\(offset.map(String.init) ?? "-"): \(text.debugDescription)" }
    }

    // MARK: Content-Length

    @Test(arguments: ["\n", "\r\n"])
    func exactLengthThenFromLine(nl: String) throws {
        let second = "Subject: two\(nl)\(nl)second\(nl)"
        // The count covers the last line break (From_ line right after it), or stops before it (the line break
        // is then the separator and is not part of the message).
        for body in ["one\(nl)From inside\(nl)two\(nl)", "one\(nl)From inside\(nl)two"] {
            let first = "Subject: one\(nl)Content-Length: \(body.utf8.count)\(nl)\(nl)" + body
            let head = Self.fromA + nl + first + (body.hasSuffix(nl) ? "" : nl)
            for variant in [MboxVariant.auto, .mboxcl2] {
                let pieces = try split(head + Self.fromB + nl + second) { $0.mboxVariant = variant }
                #expect(pieces == [Piece(offset: 0, text: first), Piece(offset: head.utf8.count, text: second)],
                        "\(variant) \(body.debugDescription)")
            }
        }
    }

    /// A wrong count is not trusted, and the From_ line it missed still starts the next message.
    @Test(arguments: [-2, -1, 1, 2], ["\n", "\r\n"])
    func wrongLengthFallsBackWithoutLosingTheNext(delta: Int, nl: String) throws {
        let body = "body line\(nl)"
        let headers = "Subject: one\(nl)Content-Length: \(body.utf8.count + delta)\(nl)\(nl)"
        let second = "Subject: two\(nl)\(nl)second\(nl)"
        let head = Self.fromA + nl + headers + body
        let pieces = try split(head + Self.fromB + nl + second)
        // Whether by the count (-1 LF, -2 CRLF end on the line break) or by rule 2: the line break is the separator.
        #expect(pieces == [Piece(offset: 0, text: headers + "body line"), Piece(offset: head.utf8.count, text: second)])
        // With the blank line, the separator rule alone gives the same two messages, the body's line break kept.
        let blank = try split(head + nl + Self.fromB + nl + second)
        #expect(blank.count == 2 && blank[1] == Piece(offset: head.utf8.count + nl.utf8.count, text: second))
        #expect(blank[0].text.hasPrefix(headers + body))
    }

    @Test func lengthPastEndOfFile() throws {
        let headers = "Subject: one\nContent-Length: 500\n\n"
        // Last message: the count runs off the end; the message is what there is.
        #expect(try split(Self.fromA + "\n" + headers + "short body\n") == [Piece(offset: 0, text: headers + "short body\n")])
        // Not the last: the next messages are not swallowed, with or without a blank line before them.
        let head = Self.fromA + "\n" + headers + "short body\n"
        let second = "Subject: two\n\nsecond\n"
        #expect(try split(head + Self.fromB + "\n" + second)
                == [Piece(offset: 0, text: headers + "short body"), Piece(offset: head.utf8.count, text: second)])
        #expect(try split(head + "\n" + Self.fromB + "\n" + second)
                == [Piece(offset: 0, text: headers + "short body\n"), Piece(offset: head.utf8.count + 1, text: second)])
    }

    @Test(arguments: [5, 30, 47, 79, 85])
    func lengthIntoTheNextMessage(overshoot: Int) throws {
        let body = "body\nmore body\n"
        let headers = "Subject: one\nContent-Length: \(body.utf8.count + overshoot)\n\n"
        let head = Self.fromA + "\n" + headers + body
        let second = "Subject: two\nX-Filler: 0123456789\n\nsecond body\nlast line\n"
        let pieces = try split(head + Self.fromB + "\n" + second)
        #expect(pieces == [Piece(offset: 0, text: headers + "body\nmore body"), Piece(offset: head.utf8.count, text: second)])
    }

    @Test(arguments: ["100000000", "999999999999999", "99999999999999999999"])
    func hugeLength(value: String) throws {
        let headers = "Subject: one\nContent-Length: \(value)\n\n"
        let head = Self.fromA + "\n" + headers + "body\n"
        let second = "Subject: two\n\nsecond\n"
        #expect(try split(head + Self.fromB + "\n" + second)
                == [Piece(offset: 0, text: headers + "body"), Piece(offset: head.utf8.count, text: second)])
    }

    /// A valid count keeps everything inside verbatim, even From_ lines followed by headers, which rule 2 would
    /// split at without the count.
    @Test func countedBodyKeepsFromLinesThatLookLikeMessages() throws {
        let body = "intro\nFrom attacker@example.com Mon Jan  1 00:00:00 2026\nSubject: fake\n\nFrom x\nReceived: y\n>From z\n"
        let first = "Subject: one\nContent-Length: \(body.utf8.count)\n\n" + body
        let second = "Subject: two\n\nsecond\n"
        let text = Self.fromA + "\n" + first + Self.fromB + "\n" + second
        let offsets: [Int?] = [0, (Self.fromA + "\n" + first).utf8.count]
        for variant in [MboxVariant.auto, .mboxcl2] {
            let pieces = try split(text) { $0.mboxVariant = variant }
            #expect(pieces.map(\.text) == [first, second], "\(variant)")
            #expect(pieces.map(\.offset) == offsets, "\(variant)")
        }
        // mboxrd ignores the count: the same file is four messages.
        #expect(try split(text) { $0.mboxVariant = .mboxrd }.map(\.text)
                == ["Subject: one\nContent-Length: \(body.utf8.count)\n\nintro", "Subject: fake\n", "Received: y\nFrom z", second])
    }

    // MARK: No Content-Length (rule 2)

    @Test(arguments: ["\n", "\r\n"])
    func fromLineFollowedByHeaderStartsAMessage(nl: String) throws {
        let head = "From a\(nl)S: 1\(nl)\(nl)x\(nl)"
        let pieces = try split(head + "From b\(nl)S: 2\(nl)\(nl)y\(nl)")
        #expect(pieces == [Piece(offset: 0, text: "S: 1\(nl)\(nl)x"), Piece(offset: head.utf8.count, text: "S: 2\(nl)\(nl)y\(nl)")])
        // A message without a body, the next From_ line straight after its header block.
        let headerOnly = "From a\(nl)S: 1\(nl)"
        #expect(try split(headerOnly + "From b\(nl)S: 2\(nl)\(nl)y\(nl)")
                == [Piece(offset: 0, text: "S: 1"), Piece(offset: headerOnly.utf8.count, text: "S: 2\(nl)\(nl)y\(nl)")])
    }

    @Test func fromLineInProseStaysBody() throws {
        for text in ["S: 1\n\nx\nFrom me, with love\nand kisses\n", "S: 1\n\nx\nFrom the desk\n: not a field\n",
                     "S: 1\n\nx\nFrom here\n\nmore\n", "S: 1\n\nx\nFrom eof"] {
            #expect(try split("From a\n" + text) == [Piece(offset: 0, text: text)], "\(text.debugDescription)")
        }
        // Escaped From_ lines are never separators; the escape is undone.
        #expect(try split("From a\nS: 1\n\nx\n>From b\nS: 2\n").map(\.text) == ["S: 1\n\nx\nFrom b\nS: 2\n"])
        // A doubled From_ line stays in its message rather than making an empty one.
        #expect(try split("From a\nFrom a\nS: 1\n\nx\n") == [Piece(offset: 0, text: "From a\nS: 1\n\nx\n")])
    }

    @Test func ruleTwoAfterLeadingData() throws {
        let pieces = try split("garbage\nFrom a\nS: 1\n\nx\n") { $0.format = .mbox }
        #expect(pieces.count == 2)
        #expect(pieces.first?.offset == nil && pieces.first?.text.hasPrefix("failed: 8 bytes") == true)
        #expect(pieces.last == Piece(offset: 8, text: "S: 1\n\nx\n"))
    }

    /// The decision does not depend on the buffer: a From_ line longer than it, and lookahead across a refill.
    @Test func independentOfBufferSize() throws {
        let longFrom = "From " + String(repeating: "x", count: 300)
        var text = "From a\nS: 1\n\nx\n" + longFrom + "\nS: 2\n\ny\n"
        for i in 0..<40 { text += "From n\(i)\nSubject-\(i): v\n\n" + String(repeating: "b", count: i * 7) + "\n" }
        let reference = try split(text)
        #expect(reference.count == 42)
        #expect(reference[1] == Piece(offset: 15, text: "S: 2\n\ny"))
        for size in [64, 100, 128, 4096] {
            #expect(try split(text) { $0.readBufferSize = size } == reference, "buffer \(size)")
        }
    }

    /// A cut message still reports its true size, so every byte of the file is accounted for.
    @Test func cutMessageThenFromLine() throws {
        let body = String(repeating: "z", count: 30)
        let head = "From a\nS: 1\n\n" + body + "\n"
        let dir = TempDir()
        let path = dir.write("box", head + "From b\nS: 2\n\ny\n")
        let items = try readAll([path]) { $0.maxMessageBytes = 10; $0.readBufferSize = 64 }
        #expect(items.count == 2)
        #expect(items.first?.message?.originalSize == ("S: 1\n\n" + body).utf8.count)
        #expect(items.last?.message?.offset == head.utf8.count)
        #expect(items.last?.text == "S: 2\n\ny\n")
    }
}

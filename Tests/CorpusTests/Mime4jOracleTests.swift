import SpearCore
import Foundation
import SpearMIME
import Testing

/// Compares our MIME tree and decoded part bodies with the expectations apache-james-mime4j ships for its own test
/// messages (`X_decoded.xml` plus `X_decoded_<path>.txt|.bin`).
@Suite("mime4j oracle", .enabled(if: Corpus.isAvailable, "../shared/corpus is not beside the checkout"))
struct Mime4jOracleTests {
    static let directories = [
        "apache-james-mime4j/core/src/test/resources/testmsgs",
        "apache-james-mime4j/core/src/test/resources/mimetools-testmsgs",
    ]

    /// Messages where our reading differs from mime4j's on purpose, with the reason.
    static let knownDifferences: [String: String] = [
        "malformedHeader-noheader":
            "text with no header at all: mime4j's default mode discards every line as a malformed header field; we report not_a_message and keep the text as the body",
        "malformedHeaderStartsBody-noheader":
            "text with no header at all: mime4j keeps only its first line as the body; we keep all of it",
        "malformedHeaderStartsBody-nocrlfcrlf":
            "in its body-starts mode mime4j also drops the field-like line after the malformed one; we keep it in the body",
        "multi-frag":
            "a GIF whose base64 ends without its padding: mime4j drops the last group's bytes (399); Python's email package (401), Thunderbird and we keep them",
        "frag":
            "a JPEG whose base64 ends without its padding: mime4j drops the last group's bytes (60,894); Python's email package (60,896), Thunderbird and we keep them",
    ]

    /// Of the known differences, those where our body must be mime4j's plus the bytes of a final base64 group it
    /// dropped: the difference has to be exactly that, so the oracle still checks every other byte.
    static let unpaddedBase64 = ["multi-frag", "frag"]

    @Test("every mime4j message matches its decoded structure and bodies exactly, or differs as listed and why")
    func structureAndBodies() throws {
        var total = 0
        var matched = 0
        var known = 0
        var failures: [String] = []
        for dir in Self.directories {
            for url in Corpus.files(under: dir) where url.pathExtension == "msg" {
                let name = url.deletingPathExtension().lastPathComponent
                let expectedURL = url.deletingLastPathComponent().appendingPathComponent(name + "_decoded.xml")
                // mime4j's "malformed header starts body" mode files have no decoded oracle in the default mode.
                guard FileManager.default.fileExists(atPath: expectedURL.path) else { continue }
                total += 1
                let expected = try Mime4jTree.parse(String(decoding: try Data(contentsOf: expectedURL), as: UTF8.self),
                                                    directory: url.deletingLastPathComponent())
                // Files named malformedHeaderStartsBody* are mime4j's expectations for its other header mode.
                var options = ParseOptions()
                options.malformedHeaderStartsBody = name.hasPrefix("malformedHeaderStartsBody")
                let message = MIMEParser(limits: options).parse([UInt8](try Data(contentsOf: url)))
                let ours = Mime4jTree.from(message)
                if let difference = Mime4jTree.firstDifference(expected: expected, actual: ours, at: "1") {
                    if Self.unpaddedBase64.contains(name) {
                        // "PATH: body differs (E bytes expected, A decoded, first difference at E)": ours has all of
                        // mime4j's bytes first, then the two of the unpadded final group.
                        let numbers = difference.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }.suffix(3)
                        let expectedForm = numbers.count == 3 && numbers[numbers.startIndex + 1] == numbers.first! + 2
                            && numbers.last == numbers.first && difference.contains("body differs")
                        if !expectedForm { Issue.record("\(name): not only the unpadded final base64 group differs: \(difference)") }
                        known += 1
                        failures.append("\(name) (known: \(Self.knownDifferences[name]!)): \(difference)")
                    } else if let reason = Self.knownDifferences[name] {
                        known += 1
                        failures.append("\(name) (known: \(reason)): \(difference)")
                    } else {
                        failures.append("\(name): \(difference)")
                        Issue.record("\(name): \(difference)")
                    }
                } else {
                    matched += 1
                }
            }
        }
        #expect(total > 60, "expected the mime4j corpus to hold its 60+ decoded oracles, found \(total)")
        let share = Double(matched) / Double(max(total, 1))
        print("mime4j oracle: \(matched)/\(total) messages match (\(Int(share * 100)) %)")
        for f in failures { print("  differs: \(f)") }
        #expect(share >= 0.93, "only \(matched) of \(total) mime4j messages match")
        // Every message matches or differs in one of the ways listed, for the reason given.
        #expect(matched + known == total)
    }
}

/// The shape mime4j records for a decoded message, and ours in the same shape.
indirect enum Mime4jTree: Equatable {
    case message(fields: Int, body: Mime4jTree)
    case multipart(parts: [Mime4jTree])
    case bodyPart(fields: Int, body: Mime4jTree)
    case leaf([UInt8])

    static func from(_ message: MIMEMessage) -> Mime4jTree {
        .message(fields: message.root.headers.count, body: content(message.root))
    }

    private static func content(_ part: MIMEPart) -> Mime4jTree {
        switch part.content {
        case .leaf(let raw):
            return .leaf(TransferDecoder.decode(raw, encoding: part.transferEncoding).bytes)
        case .multipart(_, let parts, _):
            return .multipart(parts: parts.map { .bodyPart(fields: $0.headers.count, body: content($0)) })
        case .message(_, let inner):
            return from(inner)
        }
    }

    /// Parses mime4j's `_decoded.xml`, reading each leaf body from its file beside it.
    static func parse(_ xml: String, directory: URL) throws -> Mime4jTree {
        var tags: [String] = []
        var scanner = xml[...]
        while let open = scanner.firstIndex(of: "<") {
            guard let close = scanner[open...].firstIndex(of: ">") else { break }
            tags.append(String(scanner[scanner.index(after: open)..<close]))
            scanner = scanner[scanner.index(after: close)...]
        }
        var index = 0
        func node() throws -> Mime4jTree {
            let tag = tags[index]
            index += 1
            if tag == "message" || tag == "body-part" {
                var fields = 0
                var body: Mime4jTree = .leaf([])
                while index < tags.count, tags[index] != "/\(tag)" {
                    switch tags[index] {
                    case "header": index += 1
                    case "field": fields += 1; index += 1
                    case "/field", "/header": index += 1
                    default: body = try node()
                    }
                }
                index += 1
                return tag == "message" ? .message(fields: fields, body: body) : .bodyPart(fields: fields, body: body)
            }
            if tag == "multipart" {
                var parts: [Mime4jTree] = []
                while index < tags.count, tags[index] != "/multipart" {
                    switch tags[index] {
                    case "preamble", "/preamble", "epilogue", "/epilogue": index += 1
                    default: parts.append(try node())
                    }
                }
                index += 1
                return .multipart(parts: parts)
            }
            if tag.hasPrefix("text-body") || tag.hasPrefix("binary-body") {
                guard let q1 = tag.firstIndex(of: "\""), let q2 = tag[tag.index(after: q1)...].firstIndex(of: "\"") else {
                    throw CocoaError(.fileReadCorruptFile)
                }
                let file = String(tag[tag.index(after: q1)..<q2])
                return .leaf([UInt8](try Data(contentsOf: directory.appendingPathComponent(file))))
            }
            throw CocoaError(.fileReadCorruptFile)
        }
        return try node()
    }

    static func firstDifference(expected: Mime4jTree, actual: Mime4jTree, at path: String) -> String? {
        switch (expected, actual) {
        case let (.message(f1, b1), .message(f2, b2)), let (.bodyPart(f1, b1), .bodyPart(f2, b2)):
            if f1 != f2 { return "\(path): \(f1) header fields expected, \(f2) parsed" }
            return firstDifference(expected: b1, actual: b2, at: path)
        case let (.multipart(p1), .multipart(p2)):
            if p1.count != p2.count { return "\(path): \(p1.count) parts expected, \(p2.count) parsed" }
            for (k, (e, a)) in zip(p1, p2).enumerated() {
                if let d = firstDifference(expected: e, actual: a, at: "\(path)_\(k + 1)") { return d }
            }
            return nil
        case let (.message(_, b1), _) where { if case .message = actual { false } else { true } }():
            return "\(path): nested message expected, got \(kind(actual)) (inner \(kind(b1)))"
        case let (.leaf(e), .leaf(a)):
            if e == a { return nil }
            let prefix = zip(e, a).prefix { $0 == $1 }.count
            return "\(path): body differs (\(e.count) bytes expected, \(a.count) decoded, first difference at \(prefix))"
        default:
            return "\(path): \(kind(expected)) expected, \(kind(actual)) parsed"
        }
    }

    private static func kind(_ t: Mime4jTree) -> String {
        switch t {
        case .message: "message"
        case .multipart: "multipart"
        case .bodyPart: "body-part"
        case .leaf: "leaf"
        }
    }
}

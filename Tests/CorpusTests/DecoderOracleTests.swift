import SpearCore
import Foundation
import SpearCharsets
import SpearMIME
import Testing

/// MimeKit's and GMime's own decoder and charset pairs: the encoded form beside the expected decoded bytes. Every
/// pair must match exactly.
@Suite("MimeKit and GMime decoder pairs", .enabled(if: Corpus.isAvailable, "../shared/corpus is not beside the checkout"))
struct DecoderOracleTests {
    static let base64Pairs = [
        ("jstedfast-MimeKit/UnitTests/TestData/encoders/photo.b64", "jstedfast-MimeKit/UnitTests/TestData/encoders/photo.jpg"),
        ("jstedfast-gmime/tests/data/encodings/photo.b64", "jstedfast-gmime/tests/data/encodings/photo.jpg"),
    ]

    @Test("base64 decodes to the expected bytes", arguments: base64Pairs)
    func base64(encoded: String, expected: String) throws {
        let result = Base64.decode(try Corpus.bytes(encoded))
        #expect(result.bytes == (try Corpus.bytes(expected)))
        #expect(result.invalidCharacters == 0)
    }

    static let uuPairs = [
        ("jstedfast-MimeKit/UnitTests/TestData/encoders/photo.uu", "jstedfast-MimeKit/UnitTests/TestData/encoders/photo.jpg"),
        ("jstedfast-gmime/tests/data/encodings/photo.uu", "jstedfast-gmime/tests/data/encodings/photo.jpg"),
    ]

    @Test("uuencode decodes to the expected bytes", arguments: uuPairs)
    func uuencode(encoded: String, expected: String) throws {
        let blocks = UUEncode.findBlocks(in: try Corpus.bytes(encoded)[...])
        let block = try #require(blocks.first)
        #expect(String(decoding: block.rawName, as: UTF8.self) == "photo.jpg")
        #expect(!block.truncated)
        #expect(block.bytes == (try Corpus.bytes(expected)))
    }

    static let qpPairs = [
        ("jstedfast-MimeKit/UnitTests/TestData/encoders/wikipedia.qp", "jstedfast-MimeKit/UnitTests/TestData/encoders/wikipedia.txt"),
        ("jstedfast-gmime/tests/data/encodings/wikipedia.qp", "jstedfast-gmime/tests/data/encodings/wikipedia.txt"),
    ]

    @Test("quoted-printable decodes to the expected bytes (line breaks kept as stored, as these libraries do)", arguments: qpPairs)
    func quotedPrintable(encoded: String, expected: String) throws {
        let result = QuotedPrintable.decode(try Corpus.bytes(encoded), lineBreaks: .preserve)
        #expect(result.bytes == (try Corpus.bytes(expected)))
        #expect(result.invalidEscapes == 0)
    }

    @Test("GMime's raptors.png parts, base64 and uuencoded, decode to the PNG", arguments: ["raptors.b64.txt", "raptors.uu.txt"])
    func gmimeParts(name: String) throws {
        let dir = "jstedfast-gmime/tests/data/mime-part/"
        let message = MIMEParser().parse(try Corpus.bytes(dir + name))
        guard case .leaf(let raw) = message.root.content else { Issue.record("not a leaf"); return }
        #expect(message.root.filename == "raptors.png")
        let decoded = TransferDecoder.decode(raw, encoding: message.root.transferEncoding)
        #expect(decoded.bytes == (try Corpus.bytes(dir + "raptors.png")))
    }

    static let charsetPairs = [
        ("japanese.iso-2022-jp.txt", "iso-2022-jp", "japanese.utf-8.txt"),
        ("japanese.shift-jis.txt", "shift_jis", "japanese.utf-8.txt"),
        ("cyrillic.cp1251.txt", "windows-1251", "cyrillic.utf-8.txt"),
        ("cyrillic.iso-8859-5.txt", "iso-8859-5", "cyrillic.utf-8.txt"),
        ("cyrillic.koi8-r.txt", "koi8-r", "cyrillic.utf-8.txt"),
    ]

    @Test("GMime's charset pairs convert exactly", arguments: charsetPairs)
    func charset(input: String, label: String, expected: String) throws {
        let dir = "jstedfast-gmime/tests/data/filters/"
        let decoded = CharsetDecoder.decode(try Corpus.bytes(dir + input), label: label)
        #expect(decoded.isClean, "\(decoded.replacements) replacements, unknown label \(decoded.unknownLabel)")
        #expect(decoded.string == String(decoding: try Corpus.bytes(dir + expected), as: UTF8.self))
    }

    /// GMime made its Big5 file from the UTF-8 one by dropping what Big5 cannot hold (the Japanese-only kanji such
    /// as 続), so the decoded text must be the UTF-8 text with only such characters missing.
    @Test("GMime's Big5 text decodes to its UTF-8 original less the characters Big5 lacks")
    func big5() throws {
        let dir = "jstedfast-gmime/tests/data/filters/"
        let decoded = CharsetDecoder.decode(try Corpus.bytes(dir + "chinese.big5.txt"), label: "big5")
        #expect(decoded.isClean)
        let original = Array(String(decoding: try Corpus.bytes(dir + "chinese.utf-8.txt"), as: UTF8.self).unicodeScalars)
        var k = 0
        var dropped = 0
        for scalar in decoded.string.unicodeScalars {
            while k < original.count, original[k] != scalar { dropped += 1; k += 1 }
            #expect(k < original.count, "decoded character \(scalar) is not in the original at this point")
            k += 1
        }
        #expect(decoded.string.unicodeScalars.count > 300)
        // 129 is how many characters of the original Python's big5 codec cannot encode.
        #expect(dropped == 129, "\(dropped) characters missing")
    }
}

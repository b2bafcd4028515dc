import SpearCore
import Crypto
import Foundation
@testable import SpearSender
import SpearMIME
import Testing

@Suite("DKIM canonicalisation and verification")
struct DKIMTests {
    @Test("RFC 6376 §3.4.5 example: relaxed and simple")
    func rfcExample() {
        let relaxed = DKIMCanonicalization.relaxed
        #expect(relaxed.header(name: "A", rawValue: Array(" X".utf8)[...]) == Array("a:X\r\n".utf8))
        #expect(relaxed.header(name: "B", rawValue: Array(" Y\t\r\n\tZ  ".utf8)[...]) == Array("b:Y Z\r\n".utf8))
        #expect(relaxed.body(Array(" C \r\nD \t E\r\n\r\n\r\n".utf8)[...]) == Array(" C\r\nD E\r\n".utf8))
        let simple = DKIMCanonicalization.simple
        #expect(simple.header(name: "A", rawValue: Array(" X".utf8)[...]) == Array("A: X\r\n".utf8))
        #expect(simple.body(Array(" C \r\nD \t E\r\n\r\n\r\n".utf8)[...]) == Array(" C \r\nD \t E\r\n".utf8))
    }

    @Test("empty bodies: simple is one CRLF, relaxed is empty; LF line ends read as CRLF")
    func emptyAndLF() {
        #expect(DKIMCanonicalization.simple.body([]) == [0x0D, 0x0A])
        #expect(DKIMCanonicalization.relaxed.body([]) == [])
        #expect(DKIMCanonicalization.relaxed.body(Array("a\nb\n\n".utf8)[...]) == Array("a\r\nb\r\n".utf8))
    }

    @Test("whitespace-only lines are empty in relaxed; trailing ones dropped, inner ones kept")
    func whitespaceLines() {
        #expect(DKIMCanonicalization.relaxed.body(Array("a\n \t\nb\n  \n\t\n".utf8)[...]) == Array("a\r\n\r\nb\r\n".utf8))
        #expect(DKIMCanonicalization.simple.body(Array("a\n \t\nb\n  \n".utf8)[...]) == Array("a\r\n \t\r\nb\r\n  \r\n".utf8))
        #expect(DKIMCanonicalization.relaxed.body(Array(" \r\n\t\r\n".utf8)[...]) == [])
    }

    /// The verifier hashes the canonical body in 64 KiB pieces as it makes it; the digest and length must be those
    /// of the whole canonical body, with or without l=, across piece boundaries.
    @Test("body hash streamed in pieces equals the hash of the whole canonical body", arguments: [DKIMCanonicalization.simple, .relaxed])
    func streamedBodyHash(canon: DKIMCanonicalization) {
        var raw: [UInt8] = []
        var k = 0
        while raw.count < 200_000 {
            raw += Array((k % 7 == 0 ? "  \t \n" : k % 5 == 0 ? "\n" : "line \(k)  with\t white   space \r\n").utf8)
            k += 1
        }
        raw += Array("\n\n  \n".utf8)
        let whole = canon.body(raw[...])
        let (digest, length) = canon.bodyHash(raw[...], limit: nil)
        #expect(length == whole.count)
        #expect(digest == Array(SHA256.hash(data: whole)))
        for limit in [0, 1, 65_535, 65_536, 65_537, whole.count] {
            let (cut, total) = canon.bodyHash(raw[...], limit: limit)
            #expect(total == whole.count)
            #expect(cut == Array(SHA256.hash(data: whole.prefix(limit))), "l=\(limit)")
        }
    }

    @Test("the b= value is emptied, everything else kept")
    func emptyingB() {
        let raw = Array(" v=1; a=rsa-sha256; bh=abc=;\r\n\tb=Zm9v\r\n YmFy; d=x".utf8)[...]
        #expect(String(decoding: DKIMVerifier.emptyingB(raw), as: UTF8.self) == " v=1; a=rsa-sha256; bh=abc=;\r\n\tb=; d=x")
    }

    /// Signs `message` (headers + body) with Ed25519 the way RFC 8463 says, returning the signed message.
    static func signEd25519(headers: [(String, String)], body: String, key: Curve25519.Signing.PrivateKey,
                            domain: String = "example.com", selector: String = "ed", signed: [String] = ["from", "to", "subject"]) throws -> [UInt8] {
        let canonBody = DKIMCanonicalization.relaxed.body(Array(body.utf8)[...])
        let bh = Data(SHA256.hash(data: canonBody)).base64EncodedString()
        let sigValue = " v=1; a=ed25519-sha256; c=relaxed/relaxed; d=\(domain); s=\(selector); h=\(signed.joined(separator: ":")); bh=\(bh); b="
        var input: [UInt8] = []
        var used = Set<Int>()
        for name in signed {
            // Bottom-up, each instance once; a name signed more often than present contributes nothing.
            if let k = headers.indices.reversed().first(where: { headers[$0].0.lowercased() == name && !used.contains($0) }) {
                used.insert(k)
                input += DKIMCanonicalization.relaxed.header(name: headers[k].0, rawValue: Array((" " + headers[k].1).utf8)[...])
            }
        }
        input += DKIMCanonicalization.relaxed.header(name: "DKIM-Signature", rawValue: Array(sigValue.utf8)[...], final: true)
        let signature = try key.signature(for: Data(SHA256.hash(data: input)))
        var text = "DKIM-Signature:" + sigValue + signature.base64EncodedString() + "\r\n"
        for (n, v) in headers { text += "\(n): \(v)\r\n" }
        text += "\r\n" + body
        return Array(text.utf8)
    }

    static func keyRecord(_ key: Curve25519.Signing.PrivateKey) -> String {
        "ed._domainkey.example.com v=DKIM1; k=ed25519; p=" + key.publicKey.rawRepresentation.base64EncodedString()
    }

    static let headers = [("From", "Alice <alice@example.com>"), ("To", "bob@example.co.jp"), ("Subject", "quarterly report")]

    @Test("an Ed25519 signature made here verifies with the key from a key file, and is strict-aligned")
    func ed25519RoundTrip() throws {
        let key = Curve25519.Signing.PrivateKey()
        let bytes = try Self.signEd25519(headers: Self.headers, body: "Hello,\r\nsee you.\r\n", key: key)
        let message = MIMEParser().parse(bytes)
        let results = DKIMVerifier(keys: .file(contents: Self.keyRecord(key))).verify(message)
        #expect(results.count == 1)
        #expect(results.first?.result == "pass", "\(results)")
        #expect(results.first?.keyBits == 256)
        let report = SenderAnalyzer(keys: .file(contents: Self.keyRecord(key)), dns: nil, psl: nil).analyze(message)
        #expect(report.dkim.first?.alignment == "strict")
        #expect(report.indicators.contains { $0.id == "dkim_aligned_pass" })
    }

    @Test("tampering with the body or a signed header fails; an unsigned header does not matter")
    func tampering() throws {
        let key = Curve25519.Signing.PrivateKey()
        let keys = DKIMKeySource.file(contents: Self.keyRecord(key))
        let bytes = try Self.signEd25519(headers: Self.headers, body: "Pay invoice 100.\r\n", key: key)
        let text = String(decoding: bytes, as: UTF8.self)
        let body = MIMEParser().parse(Array(text.replacingOccurrences(of: "100", with: "900").utf8))
        #expect(DKIMVerifier(keys: keys).verify(body).first?.result == "fail")
        #expect(DKIMVerifier(keys: keys).verify(body).first?.reason?.contains("body hash") == true)
        let subject = MIMEParser().parse(Array(text.replacingOccurrences(of: "quarterly report", with: "urgent").utf8))
        #expect(DKIMVerifier(keys: keys).verify(subject).first?.result == "fail")
        let unsigned = MIMEParser().parse(Array(text.replacingOccurrences(of: "\r\n\r\n", with: "\r\nX-Note: added\r\n\r\n").utf8))
        #expect(DKIMVerifier(keys: keys).verify(unsigned).first?.result == "pass")
    }

    @Test("a From header added above an over-signed From breaks the signature")
    func overSigned() throws {
        let key = Curve25519.Signing.PrivateKey()
        let keys = DKIMKeySource.file(contents: Self.keyRecord(key))
        let bytes = try Self.signEd25519(headers: Self.headers, body: "x\r\n", key: key, signed: ["from", "from", "to", "subject"])
        #expect(DKIMVerifier(keys: keys).verify(MIMEParser().parse(bytes)).first?.result == "pass")
        let forged = Array("From: CEO <ceo@example.com>\r\n".utf8) + bytes
        #expect(DKIMVerifier(keys: keys).verify(MIMEParser().parse(forged)).first?.result == "fail")
    }

    @Test("offline, missing keys, revoked keys, unknown algorithms")
    func outcomes() throws {
        let key = Curve25519.Signing.PrivateKey()
        let message = MIMEParser().parse(try Self.signEd25519(headers: Self.headers, body: "x\r\n", key: key))
        #expect(DKIMVerifier(keys: .offline).verify(message).first?.result == "neutral")
        #expect(DKIMVerifier(keys: .file(contents: "")).verify(message).first?.result == "permerror")
        #expect(DKIMVerifier(keys: .file(contents: "ed._domainkey.example.com v=DKIM1; k=ed25519; p=")).verify(message).first?.reason?.contains("revoked") == true)
        let sha1 = MIMEParser().parse(Array("DKIM-Signature: v=1; a=rsa-sha1; d=example.com; s=x; h=from; bh=YQ==; b=YQ==\r\nFrom: a@example.com\r\n\r\nx\r\n".utf8))
        #expect(DKIMVerifier(keys: .offline).verify(sha1).first?.reason?.contains("rsa-sha1") == true)
    }
}

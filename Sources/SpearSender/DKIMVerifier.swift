public import SpearCore
internal import Crypto
internal import _CryptoExtras
import Foundation
public import SpearMIME

/// RFC 6376 DKIM verification (rsa-sha256, and ed25519-sha256 per RFC 8463) of every DKIM-Signature of a message.
public struct DKIMVerifier: Sendable {
    public var keys: DKIMKeySource

    public init(keys: DKIMKeySource) {
        self.keys = keys
    }

    public func verify(_ message: MIMEMessage) -> [DKIMResult] {
        let fields = message.headers.fields
        return fields.indices.filter { fields[$0].key == "dkim-signature" }.prefix(10).map { verify(signatureAt: $0, in: message) }
    }

    private func verify(signatureAt index: Int, in message: MIMEMessage) -> DKIMResult {
        let field = message.headers.fields[index]
        let text = String(decoding: field.rawValue, as: UTF8.self)
        var result = DKIMResult(result: "permerror")
        guard let tags = TagList.dictionary(text) else { result.reason = "malformed tag list"; return result }
        result.domain = tags["d"]?.lowercased()
        result.selector = tags["s"]
        result.algorithm = tags["a"]?.lowercased()
        result.canonicalization = tags["c"] ?? "simple/simple"
        guard tags["v"] == "1" else { result.reason = "v= is not 1"; return result }
        guard let d = result.domain, let s = result.selector, let a = result.algorithm,
              let b = tags["b"].flatMap({ Data(base64Encoded: $0.withoutWhitespace) }),
              let bh = tags["bh"].flatMap({ Data(base64Encoded: $0.withoutWhitespace) }),
              let h = tags["h"] else {
            result.reason = "a required tag (d, s, a, b, bh, h) is missing or malformed"
            return result
        }
        guard a == "rsa-sha256" || a == "ed25519-sha256" else {
            result.reason = a == "rsa-sha1" ? "rsa-sha1 is no longer acceptable (RFC 8301)" : "unknown algorithm \(a)"
            return result
        }
        let parts = (tags["c"] ?? "simple/simple").split(separator: "/")
        guard let headerCanon = DKIMCanonicalization(parts.first ?? "simple"),
              let bodyCanon = DKIMCanonicalization(parts.count > 1 ? parts[1] : "simple") else {
            result.reason = "unknown canonicalization"
            return result
        }
        let signedNames = h.split(separator: ":").map { $0.trimmingWhitespace().lowercased() }
        guard signedNames.contains("from") else { result.reason = "h= does not sign From"; return result }

        // Body hash.
        var limit: Int?
        if let l = tags["l"] {
            guard let length = Int(l), length >= 0 else {
                result.reason = "l= is larger than the body"
                return result
            }
            limit = length
        }
        let (bodyDigest, bodyLength) = bodyCanon.bodyHash(message.rawBody, limit: limit)
        if let limit {
            guard limit <= bodyLength else {
                result.reason = "l= is larger than the body"
                return result
            }
            result.bodyLength = limit
        }
        guard Data(bodyDigest) == bh else {
            result.result = "fail"
            result.reason = "body hash mismatch (the body was changed after signing)"
            return result
        }

        // The key.
        let keyName = "\(s)._domainkey.\(d)"
        let record: String
        switch keys.txt(keyName) {
        case .skipped:
            result.result = "neutral"
            result.reason = "not verified (offline)"
            return result
        case .temporary(let why):
            result.result = "temperror"
            result.reason = "DNS lookup of \(keyName) failed: \(why)"
            return result
        case .missing:
            result.reason = "no key at \(keyName)"
            return result
        case .records(let records):
            guard let first = records.first(where: { $0.contains("p=") }) else {
                result.reason = "no key record at \(keyName)"
                return result
            }
            record = first
        }
        guard let key = TagList.dictionary(record), let p = key["p"] else { result.reason = "malformed key record"; return result }
        if p.withoutWhitespace.isEmpty { result.reason = "key revoked (empty p=)"; return result }
        guard let der = Data(base64Encoded: p.withoutWhitespace) else { result.reason = "key p= is not base64"; return result }
        let keyType = key["k"]?.lowercased() ?? "rsa"

        // Header hash input, made once a key is in hand (offline nothing could check it): each signed name takes
        // the last unused instance, bottom up; missing ones add nothing.
        var used = Set<Int>()
        var input: [UInt8] = []
        let fields = message.headers.fields
        for name in signedNames {
            if let k = fields.indices.reversed().first(where: { fields[$0].key == name && !used.contains($0) && $0 != index }) {
                used.insert(k)
                input += headerCanon.header(name: fields[k].name, rawValue: fields[k].rawValue)
            }
        }
        input += headerCanon.header(name: field.name, rawValue: Self.emptyingB(field.rawValue), final: true)

        let digest = SHA256.hash(data: input)
        switch (a, keyType) {
        case ("rsa-sha256", "rsa"):
            guard let publicKey = try? _RSA.Signing.PublicKey(unsafeDERRepresentation: der) else {
                result.reason = "RSA key cannot be read"
                return result
            }
            result.keyBits = publicKey.keySizeInBits
            let valid = publicKey.isValidSignature(_RSA.Signing.RSASignature(rawRepresentation: b), for: digest, padding: .insecurePKCS1v1_5)
            result.result = valid ? "pass" : "fail"
            if !valid { result.reason = "signature mismatch (a signed header was changed, or the wrong key)" }
            else if publicKey.keySizeInBits < 1024 { result.result = "permerror"; result.reason = "RSA key shorter than 1024 bits" }
        case ("ed25519-sha256", "ed25519"):
            guard let publicKey = try? Curve25519.Signing.PublicKey(rawRepresentation: der) else {
                result.reason = "Ed25519 key cannot be read"
                return result
            }
            result.keyBits = 256
            let valid = publicKey.isValidSignature(b, for: Data(digest))
            result.result = valid ? "pass" : "fail"
            if !valid { result.reason = "signature mismatch (a signed header was changed, or the wrong key)" }
        default:
            result.reason = "key type \(keyType) does not match algorithm \(a)"
        }
        return result
    }

    /// The DKIM-Signature value with the b= tag's value removed (everything else kept byte for byte).
    static func emptyingB(_ raw: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        let bytes = Array(raw)
        var i = 0
        var tagStart = 0
        while i <= bytes.count {
            if i == bytes.count || bytes[i] == 0x3B {  // ';'
                // The tag in [tagStart, i): is its name "b"?
                var j = tagStart
                while j < i, bytes[j] == 0x20 || bytes[j] == 0x09 || bytes[j] == 0x0D || bytes[j] == 0x0A { j += 1 }
                var k = j
                while k < i, bytes[k] != 0x3D, bytes[k] != 0x20, bytes[k] != 0x09, bytes[k] != 0x0D, bytes[k] != 0x0A { k += 1 }
                let name = bytes[j..<k]
                if name.count == 1, name.first == 0x62 || name.first == 0x42,
                   let eq = bytes[k..<i].firstIndex(of: 0x3D) {
                    return ArraySlice(Array(bytes[..<(eq + 1)]) + Array(bytes[i...]))
                }
                tagStart = i + 1
            }
            i += 1
        }
        return raw
    }
}

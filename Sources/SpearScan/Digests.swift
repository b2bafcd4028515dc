import SpearCore
internal import Crypto

/// MD5, SHA-1 and SHA-256 of one byte string, as lower-case hex: the three hashes threat-intelligence feeds use.
public struct Digests: Sendable, Hashable, Codable {
    public var md5: String
    public var sha1: String
    public var sha256: String

    public init(of bytes: some Collection<UInt8>) {
        if let d = bytes.withContiguousStorageIfAvailable({ Digests(buffer: UnsafeRawBufferPointer($0)) }) {
            self = d
        } else {
            self = Array(bytes).withUnsafeBytes { Digests(buffer: $0) }
        }
    }

    init(buffer: UnsafeRawBufferPointer) {
        md5 = Digests.hex(Insecure.MD5.hash(data: buffer))
        sha1 = Digests.hex(Insecure.SHA1.hash(data: buffer))
        sha256 = Digests.hex(SHA256.hash(data: buffer))
    }

    /// SHA-256 alone, for identifying a whole message.
    public static func sha256(of bytes: [UInt8]) -> String {
        bytes.withUnsafeBytes { hex(SHA256.hash(data: $0)) }
    }

    static func hex(_ digest: some Sequence<UInt8>) -> String { Hex.lowercase(digest) }
}

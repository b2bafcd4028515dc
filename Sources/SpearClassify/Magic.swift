import CMagic

/// The one file that talks to libmagic: a cookie with the system database loaded.
///
/// A `magic_t` is not thread-safe and owns its result buffer, so a `Magic` is not `Sendable`: each worker thread
/// creates its own (about 0.2 ms) and keeps it. Results are copied out at once.
public final class Magic {
    private let cookie: OpaquePointer
    /// Answers for recent contents by their SHA-256: a spool repeats its files (logos, signatures, the payload of
    /// a bulk campaign), and libmagic calls cost more than the rest of classifying a file.
    private var recent: [String: (mimeType: String, description: String?)] = [:]
    static let recentLimit = 4096

    public struct Result: Sendable, Hashable, Codable {
        public var description: String
        public var mimeType: String

        public init(description: String, mimeType: String) {
            self.description = description
            self.mimeType = mimeType
        }

        enum CodingKeys: String, CodingKey { case description, mimeType = "mime_type" }
    }

    public struct LoadError: Error, CustomStringConvertible {
        public var description: String
    }

    public init() throws(LoadError) {
        guard let c = magic_open(spearscan_magic_none) else {
            throw LoadError(description: "libmagic: cannot allocate a cookie")
        }
        guard magic_load(c, nil) == 0 else {
            let why = magic_error(c).map { String(cString: $0) } ?? "cannot load the magic database"
            magic_close(c)
            throw LoadError(description: "libmagic: \(why)")
        }
        cookie = c
    }

    deinit { magic_close(cookie) }

    /// How much of a text file libmagic sees. On text, libmagic's pattern tests (hundreds of regular expressions)
    /// cost 1–3 ms per call whatever the size and tell nothing our own script, HTML and mail rules do not; so text
    /// gets only its encoding tests (`MAGIC_NO_CHECK_SOFT`), over the first 4 KiB.
    public static let textPrefix = 4 << 10

    /// The MIME type of `bytes`, whose SHA-256 is `sha256`, and its description when `describe` is true (nil
    /// otherwise: a second libmagic call, which a batch that keeps only the type skips). Remembered for the next
    /// file with the same content.
    public func identify(_ bytes: [UInt8], sha256: String, describe: Bool) -> (mimeType: String, description: String?) {
        if let known = recent[sha256], known.description != nil || !describe { return known }
        let mimeType = recent[sha256]?.mimeType ?? call(bytes, flags: spearscan_magic_mime_type) ?? "application/octet-stream"
        let description = describe ? call(bytes, flags: spearscan_magic_none) ?? "data" : nil
        if recent.count >= Self.recentLimit { recent.removeAll(keepingCapacity: true) }
        recent[sha256] = (mimeType, description)
        return (mimeType, description)
    }

    /// Identifies `bytes` (an attachment or archive member, never body text: libmagic is slow on text).
    public func identify(_ bytes: [UInt8]) -> Result {
        Result(description: call(bytes, flags: spearscan_magic_none) ?? "data",
               mimeType: call(bytes, flags: spearscan_magic_mime_type) ?? "application/octet-stream")
    }

    /// One libmagic call with `flags`; text gets only the encoding tests over its first bytes (see `textPrefix`).
    private func call(_ bytes: [UInt8], flags: Int32) -> String? {
        let textual = ContentSignatures.looksTextual(bytes)
        let count = textual ? min(bytes.count, Magic.textPrefix) : bytes.count
        let extra = textual ? spearscan_magic_no_check_soft : 0
        return bytes.withUnsafeBytes { all in
            let buffer = UnsafeRawBufferPointer(rebasing: all[0..<count])
            let base = buffer.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
            _ = magic_setflags(cookie, flags | extra)
            return magic_buffer(cookie, base, buffer.count).map { String(cString: $0) }
        }
    }
}

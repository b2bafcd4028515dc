/// One member read out of an archive.
public struct ArchiveEntry: Sendable {
    /// The decoded name (UTF-8, or Shift_JIS/CP932 decoded), as written in the archive, never used as a path.
    public var path: String
    /// The name's bytes when they were not UTF-8.
    public var rawPath: [UInt8]?
    /// The size the archive claims, if it says.
    public var declaredSize: Int?
    /// The content read (possibly cut short: see `complete`).
    public var bytes: [UInt8]
    public var encrypted: Bool
    /// False when a limit or damage stopped the read before the end.
    public var complete: Bool
    public var issues: [EntryIssue]
}

/// Where a member handed to a `Unpacker.MemberSink` stands among the archive's members.
public struct MemberPlace: Sendable, Equatable {
    /// Its position in the result's entries (the archive's order).
    public var index: Int
    /// The content of a bare compressed file (`invoice.js.gz`): it has no name of its own.
    public var wholeCompressedFile: Bool

    public init(index: Int, wholeCompressedFile: Bool) {
        self.index = index
        self.wholeCompressedFile = wholeCompressedFile
    }
}

public enum EntryIssue: Sendable, Equatable {
    /// `..`, an absolute path, a drive letter or a NUL: a name meant to escape an extraction directory.
    case pathTraversal(String)
    /// The data could not be read (damage, wrong or missing password).
    case unreadable(String)
    /// Read, but libarchive warned (a bad CRC, a size that does not match): the content is analysed as read.
    case damaged(String)
    /// A limit stopped the read.
    case limit(LimitKind, String)
}

/// Which password candidate opened an archive, and where it came from.
public struct PasswordCandidate: Sendable, Hashable, Codable {
    public var value: String
    /// `option` (--password), `password_file`, or `body` (found in the message's own text).
    public var source: String

    public init(value: String, source: String) {
        self.value = value
        self.source = source
    }
}

/// The outcome of unpacking one archive (one level: members that are archives themselves are unpacked by the
/// caller, which decides by classifying them).
public struct UnpackResult: Sendable {
    /// libarchive's name for the format, with the compression filter (`ZIP 2.0 (deflation)`, `gzip`).
    public var format: String
    public var entries: [ArchiveEntry]
    /// Some member is encrypted.
    public var encrypted: Bool
    /// The candidate that decrypted the encrypted members, if one did.
    public var password: PasswordCandidate?
    /// Encrypted members no candidate (or no tool) could open.
    public var lockedEntries: Int
    /// Why reading stopped early (damage), if it did.
    public var damage: String?
    /// Limits that fired in this archive.
    public var limits: [EntryIssue]
    /// A bare compressed file (`invoice.js.gz`): one member, named by the caller from the outer name.
    public var singleCompressedFile = false
    /// Even the member list is encrypted (7z with encrypted headers).
    public var headersEncrypted = false
    /// A zip whose central directory and local headers disagree (names, sizes, missing headers): readers that
    /// use one or the other see different members.
    public var headerMismatch: String?
    /// A zip whose central-directory entries point into each other's data (the overlapping zip bomb), in words.
    public var overlappingEntries: String?
    /// What could not be done, in words (a missing tool).
    public var notes: [String] = []
    /// What this pass took from the budget, so a pass that is thrown away can give it back.
    var chargedEntries = 0
    var chargedBytes = 0
    /// What the locked members took from the budget, given back when a password opens them.
    var lockedChargedBytes = 0
}

extension UnpackResult {
    /// Hands every entry to `each`, in order: for readers that hold all members at once anyway (a TNEF stream's
    /// attachments are slices of the stream).
    public mutating func handOver(_ each: Unpacker.MemberSink) {
        for k in entries.indices { each(&entries[k], MemberPlace(index: k, wholeCompressedFile: singleCompressedFile)) }
    }
}

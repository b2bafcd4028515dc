import SpearScan

/// The part of a spool one batch takes when several share it (`--shard K/N`, issue #17): a stable assignment, the
/// same on every machine and in every run, so that N batches over one spool scan each message exactly once.
public struct Shard: Sendable, Hashable {
    /// What decides a message's shard.
    public enum Key: String, Sendable, CaseIterable {
        /// The SHA-256 of the raw message: even shares whatever the spool's layout; every shard reads (but does
        /// not scan) every message.
        case hash
        /// The file's name (a Maildir file without its `:2,` flags, which change as mail is read; an mbox as a
        /// whole): each shard reads only its own files' messages in full.
        case name
    }

    /// 1-based: `--shard 2/3` is the second of three.
    public let index: Int
    public let count: Int
    public let key: Key

    public init(index: Int, count: Int, key: Key = .hash) throws {
        guard count >= 1, index >= 1, index <= count else { throw ShardError("a shard is K/N with 1 <= K <= N, not \(index)/\(count)") }
        self.index = index
        self.count = count
        self.key = key
    }

    /// Parses `K/N`.
    public init(_ text: String, key: Key = .hash) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]) else { throw ShardError("a shard is K/N (like 2/3), not \"\(text)\"") }
        try self.init(index: k, count: n, key: key)
    }

    /// Whether this shard takes the message with this raw SHA-256 (hex) read from `source`.
    public func owns(sha256: String, source: String) -> Bool {
        key == .hash ? owns(hex: sha256) : owns(name: source)
    }

    /// Whether this shard takes what was read from `source` by name (a file that could not be read is recorded by
    /// the shard its name falls to, whatever the key).
    public func owns(name source: String) -> Bool {
        owns(hex: Digests.sha256(of: Array(Self.stableName(source).utf8)))
    }

    private func owns(hex: String) -> Bool {
        guard count > 1 else { return true }
        let value = UInt64(hex.prefix(16), radix: 16) ?? 0
        return Int(value % UInt64(count)) == index - 1
    }

    /// The last path component, without a Maildir file's `:2,FLAGS` info.
    static func stableName(_ source: String) -> String {
        let last = source.split(separator: "/").last.map(String.init) ?? source
        if let colon = last.firstIndex(of: ":") { return String(last[..<colon]) }
        return last
    }
}

public struct ShardError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

#if canImport(Glibc)
import Glibc
#endif

/// Bounds on unpacking for one message; each one that fires is reported, never silent.
public struct UnpackLimits: Sendable, Equatable {
    /// Archives inside archives (inside attached messages) at most this deep.
    public var maxDepth = 16
    /// Archive members per message.
    public var maxEntries = 10_000
    /// Uncompressed bytes per message, all archives together.
    public var maxTotalBytes = 256 << 20
    /// Uncompressed bytes of one member.
    public var maxEntryBytes = 100 << 20
    /// Expansion ratio (uncompressed : archive size), checked once an archive has produced `ratioFloor` bytes.
    public var maxRatio = 1_000
    public var ratioFloor = 1 << 20
    /// Wall time spent unpacking one message, in seconds.
    public var timeLimit: Double = 30

    public init() {}
}

/// Which limit fired.
public enum LimitKind: String, Sendable, Codable {
    case depth, entries, totalBytes = "total_bytes", entryBytes = "entry_bytes", ratio, time
    /// What an archive's own header declares (a 7z header asking for millions of files): the archive is not read.
    case archiveHeader = "archive_header"
}

/// The running account of one message's unpacking, shared by every archive in it.
public final class UnpackBudget {
    public let limits: UnpackLimits
    public private(set) var entries = 0
    public private(set) var totalBytes = 0
    private let deadline: UInt64

    public init(limits: UnpackLimits = UnpackLimits()) {
        self.limits = limits
        deadline = UnpackBudget.now() &+ UInt64(max(0, limits.timeLimit) * 1e9)
    }

    static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }

    var timeIsUp: Bool { UnpackBudget.now() > deadline }

    /// Takes one entry from the budget; false when none is left.
    func takeEntry() -> Bool {
        guard entries < limits.maxEntries else { return false }
        entries += 1
        return true
    }

    /// Gives back what a pass that was thrown away took (a read before the right password was known).
    func refund(entries: Int, bytes: Int) {
        self.entries = max(0, self.entries - entries)
        totalBytes = max(0, totalBytes - bytes)
    }

    /// Takes `n` bytes from the budget; false when they do not fit.
    func takeBytes(_ n: Int) -> Bool {
        guard totalBytes + n <= limits.maxTotalBytes else { return false }
        totalBytes += n
        return true
    }
}

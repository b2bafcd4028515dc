/// Why a report could not be built from the given options.
public enum ReportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `--from`/`--to` is not `YYYY-MM` with a month 01–12.
    case invalidMonth(String)
    /// `--from` is after `--to`.
    case emptyRange(from: String, to: String)

    public var description: String {
        switch self {
        case .invalidMonth(let s): "not a month (expected YYYY-MM): \(s)"
        case .emptyRange(let from, let to): "--from \(from) is after --to \(to)"
        }
    }
}

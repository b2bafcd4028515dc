/// Which messages are counted (`--scope`). `targeted` is the default because the NPA's figures are about
/// targeted attacks only; `all` shows what the whole mail stream looks like.
public enum Scope: String, Sendable, Hashable, CaseIterable, Codable {
    case targeted, all
}

/// The language of labels in the table, charts and HTML (`--lang`). JSON and CSV are data and stay in
/// language-independent keys.
public enum Language: String, Sendable, Hashable, CaseIterable, Codable {
    case en, ja
}

import SpearCharsets

/// Archive member names: decoded for people, checked for escape attempts, never used as file-system paths.
enum EntryName {
    /// UTF-8 when the bytes are UTF-8 (libarchive converts names it knows the charset of); otherwise
    /// Shift_JIS/CP932 (the common case of Japanese zips written without the UTF-8 flag), kept raw as well.
    static func decode(_ raw: [UInt8]) -> (String, [UInt8]?) {
        if let s = String(validating: raw, as: UTF8.self) { return (s, nil) }
        let guessed = CharsetDecoder.decode(raw, charset: .cp932)
        if guessed.replacements == 0 { return (guessed.string, raw) }
        return (CharsetDecoder.guess(raw).string, raw)
    }

    /// Why `name` would escape an extraction directory, or nil.
    static func traversal(_ name: String) -> String? {
        if name.unicodeScalars.contains("\u{0}") { return "name contains NUL" }
        if name.hasPrefix("/") || name.hasPrefix("\\") { return "absolute path" }
        let scalars = Array(name.unicodeScalars)
        if scalars.count >= 2, scalars[1] == ":", ("A"..."Z").contains(scalars[0]) || ("a"..."z").contains(scalars[0]) {
            return "drive letter"
        }
        let components = name.split(whereSeparator: { $0 == "/" || $0 == "\\" })
        if components.contains("..") { return "'..' component" }
        return nil
    }
}

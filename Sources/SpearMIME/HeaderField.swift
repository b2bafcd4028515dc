/// One header field as written: the name and the raw (still folded, still encoded) value bytes.
public struct HeaderField: Sendable {
    /// The field name as written (ASCII).
    public let name: String
    /// The field name lower-cased, for lookups.
    public let key: String
    /// Raw value bytes after the colon, including folding line breaks.
    public let rawValue: ArraySlice<UInt8>

    public init(name: String, rawValue: ArraySlice<UInt8>) {
        self.name = name
        self.key = name.lowercased()
        self.rawValue = rawValue
    }

    /// The value with folding removed (RFC 5322 §2.2.3: a line break followed by white space is dropped, the
    /// white space kept) and surrounding white space trimmed. Still raw bytes: encoded words are not decoded.
    public var unfolded: [UInt8] { HeaderText.unfold(rawValue) }

    /// The value decoded as unstructured text (RFC 2047 encoded words decoded; raw 8-bit bytes guessed).
    public var text: String { HeaderText.decodeUnstructured(unfolded).text }
}

/// The header fields of one entity, in order, with repeated fields kept.
public struct HeaderFields: Sendable, RandomAccessCollection {
    public private(set) var fields: [HeaderField] = []

    public init(_ fields: [HeaderField] = []) { self.fields = fields }

    public var startIndex: Int { fields.startIndex }
    public var endIndex: Int { fields.endIndex }
    public subscript(i: Int) -> HeaderField { fields[i] }

    mutating func append(_ field: HeaderField) { fields.append(field) }

    /// The first field with this name (case-insensitive), as most mail clients read it.
    public func first(_ name: String) -> HeaderField? {
        let key = name.lowercased()
        return fields.first { $0.key == key }
    }

    /// Every field with this name, in order.
    public func all(_ name: String) -> [HeaderField] {
        let key = name.lowercased()
        return fields.filter { $0.key == key }
    }

    /// Decoded unstructured text of the first field with this name.
    public func text(_ name: String) -> String? { first(name)?.text }
}

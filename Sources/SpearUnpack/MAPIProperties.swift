/// One MAPI property as TNEF encodes it inside attMsgProps, attAttachment and recipient rows
/// ([MS-OXTNEF] 2.1.3.4): a tag, a name for named properties, then one or more values.
///
/// Only the first value is kept (as a range into the input): every property the reader uses (names, data,
/// attach method) is single-valued, and keeping ranges means nothing is copied until an entry is made.
struct MAPIProperty {
    var id: UInt16
    /// The value type without the multi-value flag (`PT_STRING8` = 0x001E …).
    var type: UInt16
    var isMultiValued: Bool
    /// GUID and id or string name, for ids from 0x8000 up.
    var name: MAPINamedProperty?
    /// The first value's bytes, without its length prefix and padding.
    var first: Range<Int>?
    var valueCount: Int
}

/// The name of a named property: a property-set GUID with either a numeric id or a string.
struct MAPINamedProperty: Equatable {
    var guid: [UInt8]
    var kind: Kind

    enum Kind: Equatable {
        case id(UInt32)
        case string(String)
    }
}

/// MAPI property types ([MS-OXCDATA] 2.11.1) and how TNEF lays their values out.
enum MAPIType {
    static let null: UInt16 = 0x0001
    static let long: UInt16 = 0x0003
    static let object: UInt16 = 0x000D
    static let string8: UInt16 = 0x001E
    static let unicode: UInt16 = 0x001F
    static let binary: UInt16 = 0x0102
    static let multiValued: UInt16 = 0x1000

    /// The width of a fixed-size value as written in TNEF (16-bit values are padded to 4 bytes), -1 for a
    /// counted variable-length value, nil for a type whose length cannot be known (then nothing after it in the
    /// list can be located).
    static func width(_ type: UInt16) -> Int? {
        switch type {
        case 0x0001: 0                                   // PT_NULL
        case 0x0002, 0x0003, 0x0004, 0x000A, 0x000B: 4   // PT_I2, PT_LONG, PT_R4, PT_ERROR, PT_BOOLEAN
        case 0x0005, 0x0006, 0x0007, 0x0014, 0x0040: 8   // PT_DOUBLE, PT_CURRENCY, PT_APPTIME, PT_I8, PT_SYSTIME
        case 0x0048: 16                                  // PT_CLSID
        case 0x000D, 0x001E, 0x001F, 0x0102, 0x00FB: -1  // PT_OBJECT, PT_STRING8, PT_UNICODE, PT_BINARY, PT_SVREID
        default: nil
        }
    }
}

/// Reads counted MAPI property lists, bounded and never trusting a count or length.
///
/// A count larger than what the remaining bytes could hold is clamped (and reported); a value whose length runs
/// past the attribute, an unknown type or an unknown name kind ends the list (reported), since nothing after it
/// can be located. At most `maxProperties` properties are read from one attribute, whatever it claims.
struct MAPIPropertyReader {
    /// Properties read from one attribute at most (all rows of a recipient table together).
    static let maxProperties = 65_536

    private var window: TNEFByteWindow
    private(set) var properties: [MAPIProperty] = []
    private(set) var problems: [String] = []
    /// The attribute held more than `maxProperties` properties; the rest were not read.
    private(set) var capped = false
    private var stopped = false

    init(_ bytes: [UInt8], data: Range<Int>) {
        window = TNEFByteWindow(bytes, range: data)
    }

    /// A property list: count, then properties (attMsgProps, attAttachment).
    static func list(_ bytes: [UInt8], data: Range<Int>) -> MAPIPropertyReader {
        var reader = MAPIPropertyReader(bytes, data: data)
        reader.readList()
        return reader
    }

    /// A recipient table: row count, then one property list per row (attRecipTable).
    static func table(_ bytes: [UInt8], data: Range<Int>) -> MAPIPropertyReader {
        var reader = MAPIPropertyReader(bytes, data: data)
        let at = reader.window.offset
        guard let claimed = reader.window.u32() else {
            reader.problems.append("recipient table at offset \(at) has no row count")
            return reader
        }
        let fit = reader.window.remaining / 4
        var rows = Int(claimed)
        if rows > fit {
            reader.problems.append("recipient table at offset \(at) claims \(claimed) rows; at most \(fit) fit in the \(reader.window.remaining) bytes left")
            rows = fit
        }
        for _ in 0..<rows where !reader.stopped && !reader.capped { reader.readList() }
        return reader
    }

    private mutating func fail(_ problem: String) {
        problems.append(problem)
        stopped = true
    }

    private mutating func readList() {
        let countAt = window.offset
        guard let claimed = window.u32() else { return fail("property list at offset \(countAt) has no property count") }
        // Each property takes at least its 4-byte tag.
        let fit = window.remaining / 4
        var count = Int(claimed)
        if count > fit {
            problems.append("property list at offset \(countAt) claims \(claimed) properties; at most \(fit) fit in the \(window.remaining) bytes left")
            count = fit
        }
        for index in 0..<count {
            if stopped { return }
            if properties.count >= MAPIPropertyReader.maxProperties {
                capped = true
                return
            }
            readProperty(index: index, of: count)
        }
    }

    private mutating func readProperty(index: Int, of count: Int) {
        let at = window.offset
        guard let rawType = window.u16(), let id = window.u16() else {
            return fail("property list ends inside property \(index + 1) of \(count) (offset \(at))")
        }
        let type = rawType & ~MAPIType.multiValued
        let multi = rawType & MAPIType.multiValued != 0
        let tag = "0x\(hex4(id))\(hex4(rawType))"
        var name: MAPINamedProperty?
        if id >= 0x8000 {
            guard let named = readName(tag: tag, at: at) else { return }
            name = named
        }
        guard let width = MAPIType.width(type) else {
            return fail("property \(tag) at offset \(at) has unknown type 0x\(hex4(type)); the rest of the list cannot be located")
        }
        var values = 1
        if multi || width < 0 {
            let countAt = window.offset
            guard let claimed = window.u32() else { return fail("property \(tag) at offset \(at) ends before its value count") }
            // A zero-width value (PT_NULL) is bounded as if it took 4 bytes, so a huge count cannot spin.
            let fit = window.remaining / max(width, 4)
            values = Int(claimed)
            if !multi && claimed != 1 {
                problems.append("single-valued property \(tag) at offset \(countAt) claims \(claimed) values")
            }
            if values > fit {
                problems.append("property \(tag) at offset \(countAt) claims \(claimed) values; at most \(fit) fit")
                values = fit
            }
        }
        var property = MAPIProperty(id: id, type: type, isMultiValued: multi, name: name, first: nil, valueCount: values)
        if width >= 0 {
            // Fixed-width values are taken in one step: a loop over them would spin on zero-width (PT_NULL) values,
            // whose count costs no bytes.
            let valueAt = window.offset
            guard let all = window.take(width * values) else {
                return fail("values of property \(tag) at offset \(valueAt) need \(width * values) bytes, \(window.remaining) left")
            }
            if values > 0 { property.first = all.lowerBound..<(all.lowerBound + width) }
        } else {
            // Each variable-length value costs at least its 4-byte length, so this loop is bounded by the bytes.
            for _ in 0..<values {
                let valueAt = window.offset
                guard let length = window.u32() else {
                    return fail("property \(tag) at offset \(valueAt) ends before a value length")
                }
                guard let range = window.take(Int(length)) else {
                    return fail("value of property \(tag) at offset \(valueAt) claims \(length) bytes, \(window.remaining) left")
                }
                let pad = tnefPadding(Int(length))
                if window.skip(upTo: pad) < pad {
                    problems.append("value of property \(tag) at offset \(valueAt) lacks its \(pad) padding bytes at the end of the attribute")
                }
                if property.first == nil { property.first = range }
            }
        }
        properties.append(property)
    }

    private mutating func readName(tag: String, at: Int) -> MAPINamedProperty? {
        guard let guid = window.take(16), let kind = window.u32() else {
            fail("named property \(tag) at offset \(at) ends inside its name")
            return nil
        }
        let guidBytes = Array(window.bytes[guid])
        switch kind {
        case 0:
            guard let number = window.u32() else {
                fail("named property \(tag) at offset \(at) ends before its numeric id")
                return nil
            }
            return MAPINamedProperty(guid: guidBytes, kind: .id(number))
        case 1:
            guard let length = window.u32(), let text = window.take(Int(length)) else {
                fail("string name of property \(tag) at offset \(at) runs past the attribute")
                return nil
            }
            window.skip(upTo: tnefPadding(Int(length)))
            return MAPINamedProperty(guid: guidBytes, kind: .string(TNEFText.utf16LE(window.bytes, text).string))
        default:
            fail("named property \(tag) at offset \(at) has unknown name kind \(kind); the rest of the list cannot be located")
            return nil
        }
    }
}

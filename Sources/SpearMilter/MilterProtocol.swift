/// The milter protocol (Sendmail's libmilter, version 6, also spoken by Postfix), as bytes: a packet is a 32-bit
/// big-endian length, then that many bytes, the first of which is the command. Decoding is bounded: a length of
/// zero or past `maxLength` is an error (the connection is closed), never an allocation.
public enum MilterFrame {
    /// The largest packet accepted: MTAs send the body in chunks of at most 64 KB; a megabyte leaves room for
    /// long macro lists and headers.
    public static let maxLength = 1 << 20

    public enum Parsed: Equatable {
        /// A whole packet: its command, its data, and how many bytes it took from the buffer.
        case packet(command: UInt8, data: ArraySlice<UInt8>, consumed: Int)
        case needMore
        case invalid(String)
    }

    /// The packet at `start` of `buffer`.
    public static func parse(_ buffer: [UInt8], from start: Int = 0) -> Parsed {
        guard buffer.count - start >= 4 else { return .needMore }
        let length = Int(buffer[start]) << 24 | Int(buffer[start + 1]) << 16 | Int(buffer[start + 2]) << 8 | Int(buffer[start + 3])
        guard length >= 1, length <= maxLength else { return .invalid("a packet of \(length) bytes (at most \(maxLength))") }
        guard buffer.count - start - 4 >= length else { return .needMore }
        return .packet(command: buffer[start + 4], data: buffer[(start + 5)..<(start + 4 + length)], consumed: 4 + length)
    }

    public static func encode(_ command: UInt8, _ data: [UInt8] = []) -> [UInt8] {
        let length = UInt32(data.count + 1)
        return [UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF), command] + data
    }
}

/// What the MTA tells the milter, decoded.
public enum MilterCommand: Equatable, Sendable {
    case negotiate(version: UInt32, actions: UInt32, protocolFlags: UInt32)
    /// Macros for the stage named by `stage` (a command byte: `C`, `H`, `M`, `R`, `T`, `L`, `N`, `E`).
    case macros(stage: UInt8, [String: String])
    case connect(hostname: String, family: UInt8, port: UInt16, address: String)
    case helo(String)
    case mailFrom([String])
    case recipient([String])
    case data
    /// A header as the MTA passed it, its bytes untouched (8-bit headers, Shift_JIS names, are read as `scan` reads them).
    case header(name: [UInt8], value: [UInt8])
    case endOfHeaders
    case body([UInt8])
    /// The end of the message (it may carry a last piece of body).
    case endOfMessage([UInt8])
    case abort
    case quit
    case quitNewConnection
    case unknown(String)

    public struct Malformed: Error, CustomStringConvertible, Equatable {
        public var description: String
    }

    public static func decode(command: UInt8, data: ArraySlice<UInt8>) throws -> MilterCommand {
        let data = Array(data)
        switch command {
        case UInt8(ascii: "O"):
            guard data.count >= 12 else { throw Malformed(description: "option negotiation of \(data.count) bytes") }
            return .negotiate(version: word(data, 0), actions: word(data, 4), protocolFlags: word(data, 8))
        case UInt8(ascii: "D"):
            guard let stage = data.first else { throw Malformed(description: "macros without a stage") }
            let fields = strings(data.dropFirst(), keepEmpty: true)
            var macros: [String: String] = [:]
            for pair in stride(from: 0, to: fields.count - 1, by: 2) { macros[fields[pair]] = fields[pair + 1] }
            return .macros(stage: stage, macros)
        case UInt8(ascii: "C"):
            // hostname NUL, family, then (unless unknown) port and address NUL.
            guard let nul = data.firstIndex(of: 0), nul + 1 < data.count else { throw Malformed(description: "connect without a family") }
            let hostname = text(data[..<nul]), family = data[nul + 1]
            guard family != UInt8(ascii: "U") else { return .connect(hostname: hostname, family: family, port: 0, address: "") }
            guard data.count >= nul + 4 else { throw Malformed(description: "connect without a port") }
            let port = UInt16(data[nul + 2]) << 8 | UInt16(data[nul + 3])
            return .connect(hostname: hostname, family: family, port: port, address: strings(data[(nul + 4)...]).first ?? "")
        case UInt8(ascii: "H"): return .helo(strings(data[...]).first ?? "")
        case UInt8(ascii: "M"): return .mailFrom(strings(data[...]))
        case UInt8(ascii: "R"): return .recipient(strings(data[...]))
        case UInt8(ascii: "T"): return .data
        case UInt8(ascii: "L"):
            guard let nul = data.firstIndex(of: 0) else { throw Malformed(description: "a header without a value") }
            let rest = data[(nul + 1)...]
            return .header(name: Array(data[..<nul]), value: Array(rest.prefix { $0 != 0 }))
        case UInt8(ascii: "N"): return .endOfHeaders
        case UInt8(ascii: "B"): return .body(data)
        case UInt8(ascii: "E"): return .endOfMessage(data)
        case UInt8(ascii: "A"): return .abort
        case UInt8(ascii: "Q"): return .quit
        case UInt8(ascii: "K"): return .quitNewConnection
        case UInt8(ascii: "U"): return .unknown(strings(data[...]).first ?? "")
        default: throw Malformed(description: "unknown command 0x\(String(command, radix: 16))")
        }
    }

    private static func word(_ data: [UInt8], _ at: Int) -> UInt32 {
        UInt32(data[at]) << 24 | UInt32(data[at + 1]) << 16 | UInt32(data[at + 2]) << 8 | UInt32(data[at + 3])
    }

    private static func text(_ bytes: ArraySlice<UInt8>) -> String { String(decoding: bytes, as: UTF8.self) }

    /// NUL-terminated strings (a last one without its NUL counts too).
    private static func strings(_ bytes: ArraySlice<UInt8>, keepEmpty: Bool = false) -> [String] {
        var out: [String] = []
        var start = bytes.startIndex
        for i in bytes.indices where bytes[i] == 0 {
            out.append(text(bytes[start..<i]))
            start = i + 1
        }
        if start < bytes.endIndex { out.append(text(bytes[start...])) }
        return keepEmpty ? out : out.filter { !$0.isEmpty }
    }
}

/// What the milter answers.
public enum MilterReply: Equatable, Sendable {
    case negotiate(version: UInt32, actions: UInt32, protocolFlags: UInt32)
    case `continue`
    case accept
    case reject
    case tempfail
    /// An SMTP reply of the milter's choosing ("550 5.7.1 …").
    case replyCode(String)
    case addHeader(name: String, value: String)
    /// A header inserted at `index` (0: the top, where Authentication-Results belongs).
    case insertHeader(index: UInt32, name: String, value: String)
    /// The `index`th (from 1) header of that name changed; an empty value deletes it.
    case changeHeader(index: UInt32, name: String, value: String)
    case quarantine(reason: String)

    private static func bigEndian(_ word: UInt32) -> [UInt8] {
        [UInt8(truncatingIfNeeded: word >> 24), UInt8(truncatingIfNeeded: word >> 16), UInt8(truncatingIfNeeded: word >> 8),
         UInt8(truncatingIfNeeded: word)]
    }

    public var bytes: [UInt8] {
        switch self {
        case .negotiate(let version, let actions, let flags):
            return MilterFrame.encode(UInt8(ascii: "O"), Self.bigEndian(version) + Self.bigEndian(actions) + Self.bigEndian(flags))
        case .continue: return MilterFrame.encode(UInt8(ascii: "c"))
        case .accept: return MilterFrame.encode(UInt8(ascii: "a"))
        case .reject: return MilterFrame.encode(UInt8(ascii: "r"))
        case .tempfail: return MilterFrame.encode(UInt8(ascii: "t"))
        case .replyCode(let text): return MilterFrame.encode(UInt8(ascii: "y"), Array(text.utf8) + [0])
        case .addHeader(let name, let value): return MilterFrame.encode(UInt8(ascii: "h"), Array(name.utf8) + [0] + Array(value.utf8) + [0])
        case .insertHeader(let index, let name, let value):
            return MilterFrame.encode(UInt8(ascii: "i"), Self.bigEndian(index) + Array(name.utf8) + [0] + Array(value.utf8) + [0])
        case .changeHeader(let index, let name, let value):
            return MilterFrame.encode(UInt8(ascii: "m"), Self.bigEndian(index) + Array(name.utf8) + [0] + Array(value.utf8) + [0])
        case .quarantine(let reason): return MilterFrame.encode(UInt8(ascii: "q"), Array(reason.utf8) + [0])
        }
    }
}

/// The protocol's flag bits this milter uses (libmilter's mfdef.h).
public enum MilterFlags {
    /// Actions: add (and insert) headers, change or delete headers, quarantine.
    public static let addHeaders: UInt32 = 0x01
    public static let changeHeaders: UInt32 = 0x10
    public static let quarantine: UInt32 = 0x20
    /// Protocol: no UNKNOWN or DATA events; header values with their leading space.
    public static let noUnknown: UInt32 = 0x100
    public static let noData: UInt32 = 0x200
    public static let headerLeadingSpace: UInt32 = 0x100000
    /// Protocol: no reply expected for connect, HELO, MAIL, RCPT, DATA, unknown commands, each header, the end of
    /// the headers, each body chunk (the MTA then sends them without waiting: fewer round trips a message).
    public static let noReplyConnect: UInt32 = 0x1000, noReplyHelo: UInt32 = 0x2000, noReplyMail: UInt32 = 0x4000
    public static let noReplyRecipient: UInt32 = 0x8000, noReplyData: UInt32 = 0x10000, noReplyUnknown: UInt32 = 0x20000
    public static let noReplyHeader: UInt32 = 0x80, noReplyEndOfHeaders: UInt32 = 0x40000, noReplyBody: UInt32 = 0x80000
    public static let noReplies: UInt32 = noReplyConnect | noReplyHelo | noReplyMail | noReplyRecipient | noReplyData
        | noReplyUnknown | noReplyHeader | noReplyEndOfHeaders | noReplyBody
}

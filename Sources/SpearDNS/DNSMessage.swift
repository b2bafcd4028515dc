/// DNS wire format: the query we send (TXT, A, AAAA or MX) and a strict, bounds-checked reader for replies (RFC 1035).
///
/// Replies are hostile input. Every read is checked against the packet size, nothing is allocated from a
/// length field before that length is checked against the bytes that are really there, compression pointers
/// must point strictly backwards (each jump further back than the last) with a cap on jumps, and names are
/// capped at 255 bytes on the wire.
enum DNSWire {
    static let typeTXT: UInt16 = DNSRecordType.txt.rawValue
    static let typeCNAME: UInt16 = 5
    static let classIN: UInt16 = 1
    static let headerSize = 12
    /// Longest CNAME chain followed inside one answer section.
    static let maxCNAMEHops = 8
    /// Most compression pointers followed while reading one name.
    static let maxPointerJumps = 64

    /// A standard query (opcode 0, RD set) for `name` `type` IN (TXT unless told), without EDNS.
    static func query(id: UInt16, name: DNSName, type: DNSRecordType = .txt) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(headerSize + 260)
        out.append(contentsOf: [UInt8(id >> 8), UInt8(id & 0xFF)])
        out.append(contentsOf: [0x01, 0x00])  // QR=0, opcode 0, RD=1
        out.append(contentsOf: [0, 1, 0, 0, 0, 0, 0, 0])  // QDCOUNT 1, AN/NS/AR 0
        out.append(contentsOf: name.wire)
        out.append(contentsOf: [UInt8(type.rawValue >> 8), UInt8(type.rawValue & 0xFF)])
        out.append(contentsOf: [UInt8(classIN >> 8), UInt8(classIN & 0xFF)])
        return out
    }

    /// A short name for a non-zero RCODE.
    static func rcodeName(_ rcode: Int) -> String {
        switch rcode {
        case 1: return "FORMERR"
        case 2: return "SERVFAIL"
        case 3: return "NXDOMAIN"
        case 4: return "NOTIMP"
        case 5: return "REFUSED"
        default: return "RCODE \(rcode)"
        }
    }
}

/// What one reply packet means for the query it may answer.
enum DNSReply: Equatable, Sendable {
    /// A definitive answer: `.records`, `.nxdomain` or `.noData` (never `.failure`).
    case answer(DNSAnswer)
    /// TC was set: ask the same server again over TCP.
    case truncated
    /// The server answered our question with an error RCODE (SERVFAIL, REFUSED, ...); try another server.
    case serverFailure(String)
    /// It is a reply to our question but cannot be read.
    case malformed(String)
    /// Not a reply to our question (other id, not a response, other question): ignore it and keep waiting.
    case unrelated(String)
}

/// Thrown by the reader on any out-of-bounds or invalid structure.
struct DNSMalformed: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}

/// A bounds-checked reader over one packet.
struct DNSPacketReader {
    let bytes: [UInt8]

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    func u16(at offset: Int) throws -> UInt16 {
        guard offset >= 0, offset <= bytes.count - 2 else { throw DNSMalformed("truncated field at \(offset)") }
        return UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }

    func u32(at offset: Int) throws -> UInt32 {
        guard offset >= 0, offset <= bytes.count - 4 else { throw DNSMalformed("truncated field at \(offset)") }
        return UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16
            | UInt32(bytes[offset + 2]) << 8 | UInt32(bytes[offset + 3])
    }

    /// Reads a possibly compressed name starting at `start`; returns its labels and the offset just after the
    /// name as it is stored at `start` (after the first pointer if there is one).
    func name(at start: Int) throws -> (labels: [[UInt8]], end: Int) {
        var pos = start
        var end: Int? = nil
        var labels: [[UInt8]] = []
        var wireLength = 1  // the root's zero byte
        var jumps = 0
        var limit = Int.max  // a pointer must point before this (and before itself)
        while true {
            guard pos >= 0, pos < bytes.count else { throw DNSMalformed("name runs past the packet") }
            let length = Int(bytes[pos])
            switch length & 0xC0 {
            case 0x00:
                if length == 0 {
                    return (labels, end ?? pos + 1)
                }
                guard length <= bytes.count - pos - 1 else { throw DNSMalformed("label runs past the packet") }
                wireLength += length + 1
                guard wireLength <= 255 else { throw DNSMalformed("name longer than 255 bytes") }
                labels.append(Array(bytes[(pos + 1)..<(pos + 1 + length)]))
                pos += 1 + length
            case 0xC0:
                guard pos + 1 < bytes.count else { throw DNSMalformed("pointer runs past the packet") }
                let target = (length & 0x3F) << 8 | Int(bytes[pos + 1])
                guard target < pos, target < limit else { throw DNSMalformed("compression pointer does not point back") }
                jumps += 1
                guard jumps <= DNSWire.maxPointerJumps else { throw DNSMalformed("too many compression pointers") }
                if end == nil { end = pos + 2 }
                limit = target
                pos = target
            default:
                throw DNSMalformed("unsupported label type")
            }
        }
    }

    /// The RDATA of one record of `type` in `range`, as `DNSAnswer.records` gives it: TXT strings concatenated,
    /// an A or AAAA address in its usual text form, an MX as "preference exchange".
    func rdata(_ type: DNSRecordType, _ range: Range<Int>) throws -> [UInt8] {
        guard range.lowerBound >= 0, range.upperBound <= bytes.count else { throw DNSMalformed("RDATA past the packet") }
        switch type {
        case .txt:
            return try txtData(range)
        case .a:
            guard range.count == 4 else { throw DNSMalformed("A RDATA of \(range.count) bytes") }
            return Array(bytes[range].map(String.init).joined(separator: ".").utf8)
        case .aaaa:
            guard range.count == 16 else { throw DNSMalformed("AAAA RDATA of \(range.count) bytes") }
            return Array(IPAddressText.v6(Array(bytes[range])).utf8)
        case .mx:
            let preference = try u16(at: range.lowerBound)
            let (labels, end) = try name(at: range.lowerBound + 2)
            guard end == range.upperBound else { throw DNSMalformed("MX RDATA length mismatch") }
            guard !labels.isEmpty else { return Array("\(preference) .".utf8) }  // RFC 7505 null MX
            return Array("\(preference) ".utf8) + Array(labels.joined(separator: [UInt8(ascii: ".")]))
        }
    }

    /// The character-strings of a TXT RDATA in `range`, concatenated; they must fill the RDATA exactly.
    func txtData(_ range: Range<Int>) throws -> [UInt8] {
        guard range.lowerBound >= 0, range.upperBound <= bytes.count else { throw DNSMalformed("TXT past the packet") }
        var out: [UInt8] = []
        out.reserveCapacity(range.count)  // bounded by the packet
        var pos = range.lowerBound
        while pos < range.upperBound {
            let length = Int(bytes[pos])
            guard length <= range.upperBound - pos - 1 else { throw DNSMalformed("TXT string runs past its record") }
            out.append(contentsOf: bytes[(pos + 1)..<(pos + 1 + length)])
            pos += 1 + length
        }
        return out
    }
}

/// Reads DNS replies for one question.
enum DNSReplyParser {
    private struct Record {
        let owner: [[UInt8]]
        let type: UInt16
        /// TXT: the concatenated strings; A, AAAA, MX: the presentation form (see `DNSAnswer.records`).
        var text: [UInt8] = []
        /// CNAME: the target's labels.
        var target: [[UInt8]] = []
    }

    /// Interprets `packet` as a reply to the query `id`/`question`/`type`. Never traps, whatever the bytes.
    static func parse(_ packet: [UInt8], id: UInt16, question: DNSName, type wanted: DNSRecordType = .txt) -> DNSReply {
        let reader = DNSPacketReader(packet)
        guard packet.count >= DNSWire.headerSize else { return .unrelated("shorter than a DNS header") }
        // Header fields cannot throw now: the header is there.
        let replyID = (try? reader.u16(at: 0)) ?? 0
        let flags = (try? reader.u16(at: 2)) ?? 0
        let qdCount = Int((try? reader.u16(at: 4)) ?? 0)
        let anCount = Int((try? reader.u16(at: 6)) ?? 0)
        guard replyID == id else { return .unrelated("id mismatch") }
        guard flags & 0x8000 != 0 else { return .unrelated("not a response") }
        let opcode = Int(flags >> 11) & 0x0F
        let truncated = flags & 0x0200 != 0
        let rcode = Int(flags & 0x000F)

        if qdCount == 0 {
            // Some servers drop the question from error replies (FORMERR, REFUSED, NOTIMP).
            if rcode != 0 { return .serverFailure(DNSWire.rcodeName(rcode)) }
            if truncated { return .truncated }
            return .malformed("reply without a question")
        }
        guard qdCount == 1 else { return .malformed("reply with \(qdCount) questions") }
        var pos = DNSWire.headerSize
        do {
            let (qname, end) = try reader.name(at: pos)
            let qtype = try reader.u16(at: end)
            let qclass = try reader.u16(at: end + 2)
            guard labelsEqual(qname, question.labels), qtype == wanted.rawValue, qclass == DNSWire.classIN else {
                return .unrelated("question mismatch")
            }
            pos = end + 4
        } catch let error as DNSMalformed {
            return .unrelated("unreadable question: \(error.reason)")
        } catch {
            return .unrelated("unreadable question")
        }
        guard opcode == 0 else { return .malformed("opcode \(opcode) in reply") }
        if truncated { return .truncated }
        switch rcode {
        case 0: break
        case 3: return .answer(.nxdomain)
        default: return .serverFailure(DNSWire.rcodeName(rcode))
        }

        var records: [Record] = []
        do {
            for _ in 0..<anCount {
                let (owner, end) = try reader.name(at: pos)
                let type = try reader.u16(at: end)
                let rrClass = try reader.u16(at: end + 2)
                _ = try reader.u32(at: end + 4)  // TTL
                let rdLength = Int(try reader.u16(at: end + 8))
                let rdStart = end + 10
                guard rdLength <= packet.count - rdStart else { throw DNSMalformed("RDATA runs past the packet") }
                let rdEnd = rdStart + rdLength
                pos = rdEnd
                guard rrClass == DNSWire.classIN else { continue }
                switch type {
                case wanted.rawValue:
                    records.append(Record(owner: owner, type: type, text: try reader.rdata(wanted, rdStart..<rdEnd)))
                case DNSWire.typeCNAME:
                    let (target, targetEnd) = try reader.name(at: rdStart)
                    guard targetEnd == rdEnd else { throw DNSMalformed("CNAME RDATA length mismatch") }
                    records.append(Record(owner: owner, type: type, target: target))
                default:
                    continue
                }
            }
        } catch let error as DNSMalformed {
            return .malformed("answer section: \(error.reason)")
        } catch {
            return .malformed("answer section")
        }

        var current = question.labels
        for _ in 0...DNSWire.maxCNAMEHops {
            let texts = records.filter { $0.type == wanted.rawValue && labelsEqual($0.owner, current) }
            if !texts.isEmpty {
                return .answer(.records(texts.map { String(decoding: $0.text, as: UTF8.self) }))
            }
            guard let alias = records.first(where: { $0.type == DNSWire.typeCNAME && labelsEqual($0.owner, current) })
            else { return .answer(.noData) }
            current = alias.target
        }
        return .malformed("CNAME chain longer than \(DNSWire.maxCNAMEHops)")
    }
}

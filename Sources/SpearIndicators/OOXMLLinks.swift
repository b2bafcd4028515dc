import SpearCore

/// An OOXML document's external relationships (`TargetMode="External"`): hyperlinks, remote templates, linked
/// OLE objects and frames, pictures fetched from a server. Read from the `.rels` parts the classifier's peek already
/// holds, so no member is inflated for them.
enum OOXMLLinks {
    static func read(_ rels: [UInt8], part name: String, into list: inout SightingList) {
        let open = Array("<Relationship".utf8)
        var i = 0
        while i < rels.count, !list.full {
            guard let start = find(open, in: rels, from: i) else { return }
            var end = start + open.count
            while end < rels.count, rels[end] != 0x3E { end += 1 }
            let element = rels[start..<end]
            i = end
            guard attribute("TargetMode", in: element)?.lowercased() == "external",
                  let target = attribute("Target", in: element) else { continue }
            let type = attribute("Type", in: element).map { String($0.split(separator: "/").last ?? "") } ?? "relationship"
            let part = "relationship \(type) in \(name)"
            if Reference.kind(of: target) != nil { list.addReference(target, part: part) } else { list.add(.filename, target, part: part) }
        }
    }

    /// An attribute's value, XML entities decoded.
    static func attribute(_ name: String, in element: ArraySlice<UInt8>) -> String? {
        let key = Array(" \(name)=".utf8)
        guard let at = find(key, in: Array(element), from: 0) else { return nil }
        var i = element.startIndex + at + key.count
        guard i < element.endIndex, element[i] == 0x22 || element[i] == 0x27 else { return nil }
        let quote = element[i]
        i += 1
        var end = i
        while end < element.endIndex, element[end] != quote { end += 1 }
        return decodeEntities(String(decoding: element[i..<end], as: UTF8.self))
    }

    static func decodeEntities(_ s: String) -> String {
        guard s.contains("&") else { return s }
        var out = ""
        var rest = Substring(s)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            guard let semi = rest[amp...].prefix(12).firstIndex(of: ";") else { out += rest[amp...]; return out }
            let entity = rest[rest.index(after: amp)..<semi]
            switch entity {
            case "amp": out += "&"
            case "lt": out += "<"
            case "gt": out += ">"
            case "quot": out += "\""
            case "apos": out += "'"
            default:
                let number = entity.hasPrefix("#x") ? UInt32(entity.dropFirst(2), radix: 16)
                    : entity.hasPrefix("#") ? UInt32(entity.dropFirst()) : nil
                if let number, let scalar = Unicode.Scalar(number) { out.unicodeScalars.append(scalar) } else { out += rest[amp...semi] }
            }
            rest = rest[rest.index(after: semi)...]
        }
        return out + rest
    }

    static func find(_ needle: [UInt8], in b: [UInt8], from: Int) -> Int? {
        guard let first = needle.first, needle.count <= b.count else { return nil }
        var i = from
        while i + needle.count <= b.count {
            if b[i] == first, b[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }
}

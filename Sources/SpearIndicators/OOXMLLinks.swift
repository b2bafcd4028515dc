import SpearCore

/// An OOXML document's external relationships (`TargetMode="External"`): hyperlinks, remote templates, linked
/// OLE objects and frames, pictures fetched from a server. Read from the `.rels` parts the classifier's peek already
/// holds, so no member is inflated for them.
enum OOXMLLinks {
    static func read(_ rels: [UInt8], part name: String, into list: inout SightingList) {
        // `<Relationship` or a prefixed `<pr:Relationship`, followed by white space.
        let word = Array("Relationship".utf8)
        var i = 0
        while i < rels.count, !list.full {
            guard let at = TextBytes.find(word, in: rels, from: i) else { return }
            i = at + word.count
            guard at > 0, rels[at - 1] == 0x3C || rels[at - 1] == 0x3A, i < rels.count, isSpace(rels[i]) else { continue }
            // The element ends at the first `>` outside quotes (a value may hold one).
            var end = i
            var quote: UInt8?
            while end < rels.count {
                let c = rels[end]
                if let q = quote { if c == q { quote = nil } } else if c == 0x22 || c == 0x27 { quote = c } else if c == 0x3E { break }
                end += 1
            }
            let element = rels[i..<end]
            i = end
            guard attribute("TargetMode", in: element)?.lowercased() == "external",
                  let target = attribute("Target", in: element) else { continue }
            let type = attribute("Type", in: element).map { String($0.split(separator: "/").last ?? "") } ?? "relationship"
            let part = "relationship \(type) in \(name)"
            if target.lowercased().hasPrefix("mailto:") { continue }
            if Reference.kind(of: target) != nil { list.addReference(target, part: part) } else { list.add(.filename, target, part: part) }
        }
    }

    static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0D || c == 0x0A }

    /// An attribute's value, character references decoded (XML's are HTML's too); the name preceded by white space, `=` with optional space.
    static func attribute(_ name: String, in element: ArraySlice<UInt8>) -> String? {
        let key = Array(name.utf8)
        let e = Array(element)
        var from = 0
        while let at = TextBytes.find(key, in: e, from: from) {
            from = at + key.count
            guard at > 0, isSpace(e[at - 1]) else { continue }
            var i = at + key.count
            while i < e.count, isSpace(e[i]) { i += 1 }
            guard i < e.count, e[i] == 0x3D else { continue }
            i += 1
            while i < e.count, isSpace(e[i]) { i += 1 }
            guard i < e.count, e[i] == 0x22 || e[i] == 0x27 else { continue }
            let quote = e[i]
            i += 1
            var end = i
            while end < e.count, e[end] != quote { end += 1 }
            return HTMLCharacterReference.decode(String(decoding: e[i..<end], as: UTF8.self))
        }
        return nil
    }
}

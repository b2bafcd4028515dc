import FuzzDriver
import SpearCore
import SpearIndicators

private let reader = FileIndicatorReader(perFile: 100, inflatedBytes: 4 << 20)

/// The kinds of file the reader looks into, chosen by the input's first byte; the rest is the file.
private let kinds: [(Category, String)] = [
    (.pdf, "a.pdf"), (.rtf, "a.rtf"), (.shortcut, "a.lnk"), (.shortcut, "a.url"), (.text, "a.desktop"),
    (.script, "a.js"), (.script, "a.vbs"), (.script, "a.ps1"), (.script, "a.bat"), (.html, "a.html"), (.word, "a.docx"),
]

/// What a file points at, read from hostile bytes: PDF (objects, strings, object streams inflated), RTF fields and
/// OLE objects, shell links, .url/.desktop, script literals, HTML, OOXML relationships (the input as a .rels part).
/// The per-file bound must hold and no value may be empty.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFileLinks(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = input(data, size)
    guard let first = bytes.first else { return 0 }
    let (category, name) = kinds[Int(first) % kinds.count]
    let file = Array(bytes.dropFirst())
    let rels = category == .word ? [(name: "word/_rels/document.xml.rels", bytes: file)] : []
    guard let found = reader.read(file, category: category, filename: name, relationships: rels) else { return 0 }
    require(found.items.count <= 100, "\(found.items.count) sightings past the per-file bound")
    require(found.notes.count <= 2, "\(found.notes.count) notes")
    for s in found.items {
        require(!s.value.isEmpty && !s.part.isEmpty, "an empty sighting: \(s)")
        require(s.value.utf8.count <= 8_192, "a sighting of \(s.value.utf8.count) bytes")
    }
    return 0
}

@_cdecl("fuzz_filelinks_main")
public func fuzzFileLinksMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzFileLinks)
}

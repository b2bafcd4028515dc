import FuzzDriver
import SpearClassify

/// The classifier's content signatures over one file per input: libmagic's answer for it (a real handle, as a
/// worker has), then the classifier under several names (none, a matching one, a lying one), and once more as the
/// zip of an OOXML document whose members (relationships, macros, the document part) are the input's second half.
nonisolated(unsafe) let magic = try? Magic()
let names: [String?] = [nil, "invoice.pdf", "order.docx", "請求書.xlsx", "readme.txt", "photo.jpg.exe", "run.js", "a.lnk", "x.iso"]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzClassify(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = input(data, size)
    let identified = magic?.identify(bytes) ?? Magic.Result(description: "data", mimeType: "application/octet-stream")
    let classifier = Classifier()
    _ = Classifier.mayBeContainer(bytes)
    _ = Classifier.needsDescription(bytes)
    for name in names { _ = classifier.classify(bytes, name: name, magic: identified) }

    let (head, tail) = split(bytes)
    let members = ["[Content_Types].xml", "word/document.xml", "word/_rels/settings.xml.rels", "word/vbaProject.bin",
                   "xl/workbook.xml", "ppt/presentation.xml", "word/embeddings/oleObject1.bin"]
    let view = ContainerView(names: members) { _ in tail }
    _ = classifier.classify(head, name: "order.docm", magic: Magic.Result(description: "Zip archive data", mimeType: "application/zip"),
                            container: view)
    return 0
}

@_cdecl("fuzz_classify_main")
public func fuzzClassifyMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzClassify)
}

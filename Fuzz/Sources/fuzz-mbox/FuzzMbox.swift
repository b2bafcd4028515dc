import FuzzDriver
@testable import SpearSpool

/// The mbox splitter: the input as an mbox file, read in every variant (auto, mboxo, mboxrd, mboxcl2) through the
/// same line reader a batch uses, with a small buffer so that lines cross buffer boundaries and a small message
/// limit so that it fires. Messages come out in order, within the limit, and the reader always ends.
final class MemorySource: ByteSource {
    let bytes: [UInt8]
    private(set) var rawBytesRead = 0
    init(_ bytes: [UInt8]) { self.bytes = bytes }
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = min(buffer.count, bytes.count - rawBytesRead)
        bytes.withUnsafeBytes { src in
            buffer.baseAddress!.copyMemory(from: src.baseAddress! + rawBytesRead, byteCount: n)
        }
        rawBytesRead += n
        return n
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMbox(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = input(data, size)
    let limit = 64 << 10
    for variant in MboxVariant.allCases {
        let parser = MboxParser(reader: LineReader(source: MemorySource(bytes), capacity: 4096), source: "fuzz.mbox",
                                variant: variant, maxMessageBytes: limit)
        var lastOffset = -1, items = 0
        while let item = parser.next() {
            items += 1
            require(items <= bytes.count + 2, "more messages than bytes: the reader does not advance")
            if case .message(let m) = item {
                require(m.bytes.count <= limit, "a message of \(m.bytes.count) bytes past the limit of \(limit)")
                if let offset = m.offset {
                    require(offset > lastOffset && offset <= bytes.count, "offset \(offset) after \(lastOffset) in \(bytes.count) bytes")
                    lastOffset = offset
                }
            }
        }
    }
    return 0
}

@_cdecl("fuzz_mbox_main")
public func fuzzMboxMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzMbox)
}

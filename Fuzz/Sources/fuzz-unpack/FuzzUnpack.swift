import FuzzDriver
import SpearUnpack

/// One archive per input through libarchive (every format the unpacker enables: zip, 7z, rar, lzh, tar, cab, iso,
/// cpio, the compressors), with a password to try and a budget smaller than a message's, so that the limits fire
/// often. What comes out must keep within the budget, every member must be handed to the sink exactly once, and
/// the peek the classifier uses on a zip (names, relationship parts) must keep within its own bounds.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzUnpack(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = input(data, size)
    var limits = UnpackLimits()
    limits.maxTotalBytes = 32 << 20
    limits.maxEntryBytes = 16 << 20
    limits.maxEntries = 2_000
    limits.timeLimit = 5
    var handed: [Int] = []
    var handedBytes = 0
    let streamed = Unpacker.stream(bytes, passwords: { [PasswordCandidate(value: "infected", source: "option")] },
                                   budget: UnpackBudget(limits: limits)) { entry, place in
        handed.append(place.index)
        handedBytes += entry.bytes.count
    }
    _ = Unpacker.zipStructure(bytes)
    if let peek = Unpacker.peekZip(bytes, reading: { $0.hasSuffix(".rels") }, upTo: 1 << 20, budget: UnpackBudget(limits: limits)) {
        require(peek.names.count <= limits.maxEntries, "a peek of \(peek.names.count) names past \(limits.maxEntries)")
        for (name, part) in peek.parts { require(part.count <= 1 << 20 && name.hasSuffix(".rels"), "part \(name) of \(part.count) bytes") }
    }
    guard let result = streamed else { return 0 }
    require(handed.sorted() == Array(result.entries.indices), "members handed over \(handed), result has \(result.entries.count)")
    require(result.entries.count <= limits.maxEntries, "\(result.entries.count) entries past the limit of \(limits.maxEntries)")
    let total = result.entries.reduce(0) { $0 + $1.bytes.count }
    require(total == handedBytes, "the result holds \(total) bytes, the sink was handed \(handedBytes)")
    require(total <= limits.maxTotalBytes, "\(total) bytes unpacked past the limit of \(limits.maxTotalBytes)")
    for entry in result.entries { require(entry.bytes.count <= limits.maxEntryBytes, "a member of \(entry.bytes.count) bytes") }
    return 0
}

@_cdecl("fuzz_unpack_main")
public func fuzzUnpackMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzUnpack)
}

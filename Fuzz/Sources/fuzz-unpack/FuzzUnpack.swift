import FuzzDriver
import SpearUnpack

/// One archive per input through libarchive (every format the unpacker enables: zip, 7z, rar, lzh, tar, cab, iso,
/// cpio, the compressors), with a password to try and a budget smaller than a message's, so that the limits fire
/// often. What comes out must keep within the budget.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzUnpack(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = input(data, size)
    var limits = UnpackLimits()
    limits.maxTotalBytes = 32 << 20
    limits.maxEntryBytes = 16 << 20
    limits.maxEntries = 2_000
    limits.timeLimit = 5
    guard let result = Unpacker.unpack(bytes, passwords: [PasswordCandidate(value: "infected", source: "option")],
                                       budget: UnpackBudget(limits: limits)) else { return 0 }
    require(result.entries.count <= limits.maxEntries, "\(result.entries.count) entries past the limit of \(limits.maxEntries)")
    let total = result.entries.reduce(0) { $0 + $1.bytes.count }
    require(total <= limits.maxTotalBytes, "\(total) bytes unpacked past the limit of \(limits.maxTotalBytes)")
    for entry in result.entries { require(entry.bytes.count <= limits.maxEntryBytes, "a member of \(entry.bytes.count) bytes") }
    return 0
}

@_cdecl("fuzz_unpack_main")
public func fuzzUnpackMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzUnpack)
}

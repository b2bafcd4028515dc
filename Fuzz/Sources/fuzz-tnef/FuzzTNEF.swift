import FuzzDriver
import SpearUnpack

/// One TNEF stream (winmail.dat) per input, read within a message's unpacking budget: no crash, no hang, no
/// allocation beyond the budget, whatever the attribute lengths, counts and checksums say.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTNEF(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var bytes = input(data, size)
    // Most inputs should get past the signature check, so the fuzzer explores the attributes.
    if bytes.count >= 4, bytes[0] & 1 == 0 { bytes.replaceSubrange(0..<4, with: [0x78, 0x9F, 0x3E, 0x22]) }
    var limits = UnpackLimits()
    limits.maxTotalBytes = 16 << 20
    limits.maxEntryBytes = 8 << 20
    let result = TNEF.read(bytes, budget: UnpackBudget(limits: limits))
    precondition(result.entries.reduce(0) { $0 + $1.bytes.count } <= limits.maxTotalBytes)
    return 0
}

/// SwiftPM links an executable's entry point as `<module>_main`; libFuzzer's driver is started from it.
@_cdecl("fuzz_tnef_main")
public func fuzzTNEFMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzTNEF)
}

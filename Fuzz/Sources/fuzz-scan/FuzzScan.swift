import FuzzDriver
import SpearClassify
import SpearScan

/// The whole scan of one message, as `spearscan scan --offline` runs it: parse, decode, unpack, classify with a
/// real libmagic handle, passwords from the body, verdict and both report renderings.
nonisolated(unsafe) let magic = try? Magic()
let scanner: MessageScanner = {
    var options = ScanOptions()
    options.unpack.timeLimit = 5
    return MessageScanner(options: options)
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzScan(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let result = scanner.scan(input(data, size), source: "fuzz.eml", magic: magic)
    _ = ReportRenderer.json(result.report)
    _ = ReportRenderer.text(result.report)
    return 0
}

@_cdecl("fuzz_scan_main")
public func fuzzScanMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzScan)
}

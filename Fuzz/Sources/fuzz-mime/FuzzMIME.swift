import FuzzDriver
import SpearMIME

/// One whole message per input through the MIME parser, then every leaf's transfer decoding: no crash, no hang.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMIME(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let message = MIMEParser(limits: ParseOptions()).parse(input(data, size))
    for part in message.root.leaves {
        if case .leaf(let raw) = part.content { _ = TransferDecoder.decode(raw, encoding: part.transferEncoding) }
    }
    return 0
}

/// SwiftPM links an executable's entry point as `<module>_main`; libFuzzer's driver is started from it.
@_cdecl("fuzz_mime_main")
public func fuzzMIMEMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzMIME)
}

import FuzzDriver
import SpearMIME

/// One header field value per input through each header decoder: RFC 2047 encoded words, RFC 2231 parameters
/// (also as Content-Type and Content-Disposition of a part, with continuations), address lists and dates.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHeader(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let value = input(data, size)
    let unfolded = HeaderText.unfold(value[...])
    _ = HeaderText.decodeUnstructured(unfolded)
    let parameters = Parameters.parse(unfolded)
    for entry in parameters.parameters.entries { _ = parameters.parameters.entry(entry.name) }
    let addresses = AddressParser.parse(unfolded)
    for a in addresses.addresses { _ = Address.domain(of: a.address) }
    if let date = MailDate.parse(unfolded[...]) {
        _ = date.iso8601
        _ = date.epochSeconds
    }
    // The same value as a part's fields, the way the parser meets them.
    let part = Array("Content-Type: ".utf8) + value + Array("\r\nContent-Disposition: ".utf8) + value
        + Array("\r\nFrom: ".utf8) + value + Array("\r\nSubject: ".utf8) + value + Array("\r\n\r\nbody\r\n".utf8)
    let message = MIMEParser(limits: ParseOptions()).parse(part)
    _ = message.root.filename
    return 0
}

@_cdecl("fuzz_header_main")
public func fuzzHeaderMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzHeader)
}

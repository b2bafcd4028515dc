import FuzzDriver
import SpearMIME
@testable import SpearSender

/// Authentication-Results, ARC-Authentication-Results, Received-SPF and Received parsing: the input as a message's
/// header block (each field parsed on its own, then all of them as the trust walk reads them, with trusted ids and
/// relays so the walk goes past the first hop), then the whole offline sender analysis of that message, and what
/// asking ahead for DNS reads of its header.
let analyzer: SenderAnalyzer = {
    var config = SenderConfig()
    config.trustedAuthservIDs = ["mx.example.co.jp"]
    config.trustedRelays = ["example.co.jp"]
    config.protectedDomains = ["example.co.jp"]
    return SenderAnalyzer(config: config, keys: .offline, dns: nil)
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAuthRes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let message = MIMEParser(limits: ParseOptions()).parse(input(data, size))
    var received: [ReceivedHeader] = []
    for field in message.headers {
        switch field.key {
        case "authentication-results", "arc-authentication-results": _ = AuthenticationResultsParser.parseAR(text(field.unfolded))
        case "received":
            let hop = ReceivedHeader.parse(field.unfolded)
            _ = hop.date
            received.append(hop)
        default: break
        }
    }
    _ = AuthenticationResultsParser.parse(message.headers, received: received, trustedIDs: ["mx.example.co.jp"],
                                          trustedRelays: ["example.co.jp"], organization: { $0 })
    _ = analyzer.analyze(message, parsed: nil)
    // What asking ahead reads of the same header (issue #15): the DKIM key names, DMARC and SPF names.
    _ = SenderPrefetch.dkim(message.headers)
    _ = SenderPrefetch.policies(message.headers, psl: nil)
    return 0
}

@_cdecl("fuzz_authres_main")
public func fuzzAuthResMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzAuthRes)
}

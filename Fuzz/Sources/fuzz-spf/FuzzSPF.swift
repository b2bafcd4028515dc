import FuzzDriver
@testable import SpearSender

/// SPF records and macros (RFC 7208): the input as a TXT record, parsed completely (mechanisms, qualifiers,
/// CIDR lengths, modifiers), then every domain-spec and the redirect expanded for an IPv4 and an IPv6 client;
/// and the input as a macro-string and as an address.
let clients = [SPFAddress("192.0.2.10")!, SPFAddress("2001:db8::cb01")!]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSPF(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let record = text(input(data, size))
    _ = SPFAddress(record)
    _ = SPFMacro.isValid(record)
    for ip in clients {
        let values = SPFMacro.Values(sender: "user+tag@mail.example.jp", domain: "mail.example.jp", ip: ip, helo: "mx.example.jp")
        _ = try? SPFMacro.expand(record, values: values, limit: 253)
        guard let parsed = try? SPFRecord.parse(record, domain: "mail.example.jp") else { continue }
        var specs = parsed.redirect.map { [$0] } ?? []
        for directive in parsed.directives {
            switch directive.mechanism {
            case .include(let d), .exists(let d): specs.append(d)
            case .a(let d?, _, _), .mx(let d?, _, _), .ptr(let d?): specs.append(d)
            default: break
            }
        }
        for spec in specs { _ = try? SPFMacro.expand(spec, values: values, limit: 253) }
    }
    return 0
}

@_cdecl("fuzz_spf_main")
public func fuzzSPFMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzSPF)
}

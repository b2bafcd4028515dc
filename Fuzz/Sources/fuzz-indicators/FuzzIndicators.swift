import FuzzDriver
import SpearCore
import SpearDomains
import SpearIndicators

private let extractor: IndicatorExtractor = {
    var limits = IndicatorLimits()
    limits.perSource = 200
    limits.perMessage = 300
    return IndicatorExtractor(psl: PublicSuffixList(rules: "jp\nco.jp\ncom\nnet\norg\n*.ck\n!www.ck\n"), limits: limits)
}()

/// Indicator extraction over hostile text: the input as a plain-text body and as an HTML body (UTF-8, lossy). The
/// limits must hold, every URL must have a scheme and a host without spaces, every domain and address must be one
/// token, and defanging must never fail.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIndicators(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let body = text(input(data, size))
    let bodies = [BodyText(mimePath: "1", contentType: "text/plain", text: body, forwarded: false),
                  BodyText(mimePath: "2", contentType: "text/html", text: body, forwarded: false)]
    let out = extractor.extract(.init(bodies: bodies, from: [], replyTo: [], clientAddress: nil, files: []))
    require(out.indicators.count <= 300, "\(out.indicators.count) indicators past the message's limit")
    for i in out.indicators {
        switch i.type {
        case .url:
            let lower = i.value.lowercased()
            require(["http://", "https://", "ftp://"].contains { lower.hasPrefix($0) }, "a URL without its scheme: \(i.value.debugDescription)")
            require(!i.value.contains(" ") && !i.value.contains("\n"), "a URL with white space: \(i.value.debugDescription)")
        case .domain, .ipv4, .ipv6:
            require(!i.value.isEmpty && !i.value.contains(" ") && !i.value.contains("/"), "a host that is not one token: \(i.value.debugDescription)")
        default:
            break
        }
        _ = i.defanged
    }
    return 0
}

@_cdecl("fuzz_indicators_main")
public func fuzzIndicatorsMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzIndicators)
}

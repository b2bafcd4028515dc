import FuzzDriver
@testable import SpearDNS

/// The DNS reply parser: the input as a reply packet. The query it answers is read from the packet itself (its id,
/// its question name and type), so that most inputs pass the "is this our reply" checks and the fuzzer explores
/// the answers: compression pointers, CNAME chains, TXT strings, A/AAAA/MX data, truncation and RCODEs. Asked
/// also as a reply to a fixed question and as each other type.
let fixed = try! DNSName.parse("selector._domainkey.example.jp").get()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDNS(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let packet = input(data, size)
    let reader = DNSPacketReader(packet)
    let id = (try? reader.u16(at: 0)) ?? 0
    var question = fixed
    var asked = DNSRecordType.txt
    if let (labels, end) = try? reader.name(at: DNSWire.headerSize),
       case .success(let name) = DNSName.parse(labels.map { String(decoding: $0, as: UTF8.self) }.joined(separator: ".")) {
        question = name
        if let type = (try? reader.u16(at: end)).flatMap(DNSRecordType.init(rawValue:)) { asked = type }
    }
    for type in DNSRecordType.allCases {
        _ = DNSReplyParser.parse(packet, id: id, question: question, type: type)
    }
    _ = DNSReplyParser.parse(packet, id: id, question: fixed, type: asked)
    return 0
}

@_cdecl("fuzz_dns_main")
public func fuzzDNSMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzDNS)
}

/// The record types the resolver asks for: TXT (DKIM keys, DMARC and SPF policies) and the address and mail
/// exchanger records SPF's `a`, `mx` and `exists` mechanisms need.
public enum DNSRecordType: UInt16, Sendable, Hashable, CaseIterable {
    case a = 1
    case mx = 15
    case txt = 16
    case aaaa = 28

    var name: String {
        switch self {
        case .a: return "A"
        case .mx: return "MX"
        case .txt: return "TXT"
        case .aaaa: return "AAAA"
        }
    }
}

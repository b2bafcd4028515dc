import FuzzDriver
import Foundation
import SpearMIME
import SpearSender

/// DKIM verification input: the message (its DKIM-Signature tag lists, the headers it signs, the body it hashes
/// under either canonicalisation, l= lengths) against the fixtures' real RSA and Ed25519 keys, and a key record
/// from the input itself (`v=`, `k=`, `h=`, `t=`, `p=` tag lists). The input is `record NUL message`, or only a
/// message; the fixture keys cover selectors rsa2048, rsa1024, ed25519 at example.com and news at news.example.net.
let fixtureKeys: String = (try? String(contentsOfFile: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Tests/Fixtures/dkim/keys.txt").path, encoding: .utf8)) ?? ""
let fixtureVerifier = DKIMVerifier(keys: .file(contents: fixtureKeys))

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDKIM(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = input(data, size)
    let (head, tail) = split(bytes)
    let message = MIMEParser(limits: ParseOptions()).parse(tail.isEmpty ? head : tail)
    _ = fixtureVerifier.verify(message)
    if !tail.isEmpty {
        // The record on one line, as a key file holds it, for every selector the fuzzer may name.
        let record = text(head).filter { $0 != "\n" && $0 != "\r" }
        let keys = ["fuzz._domainkey.example.com", "rsa2048._domainkey.example.com", "ed25519._domainkey.example.com"]
            .map { "\($0) \(record)" }.joined(separator: "\n")
        _ = DKIMVerifier(keys: .file(contents: keys)).verify(message)
    }
    return 0
}

@_cdecl("fuzz_dkim_main")
public func fuzzDKIMMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzDKIM)
}

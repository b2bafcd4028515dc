import FuzzDriver
import SpearScan

/// The password finders over message text: the input as a body (UTF-8, lossy), read for passwords after their
/// phrases (half- and full-width, on the line, the next line, or alone below) and as a PPAP password notice
/// (phrases, else lines that are only a password-like token). Every candidate must be a printable ASCII token of a
/// bounded length, as an archive reader is given.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPassword(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let body = text(input(data, size))
    let texts = [(location: "1", text: body), (location: "2.1", text: String(body.prefix(200)))]
    for candidate in PasswordFinder.candidates(in: texts) + PasswordFinder.notice(in: texts) {
        require((3...64).contains(candidate.value.count), "a candidate of \(candidate.value.count) characters")
        require(candidate.value.allSatisfy { $0.isASCII && !$0.isWhitespace }, "a candidate with spaces or non-ASCII: \(candidate.value.debugDescription)")
    }
    return 0
}

@_cdecl("fuzz_password_main")
public func fuzzPasswordMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzPassword)
}

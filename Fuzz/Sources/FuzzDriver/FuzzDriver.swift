@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

/// Starts libFuzzer's driver on `callback`. SwiftPM links an executable's entry point as `<module>_main` (so that
/// tests can import it), which leaves libFuzzer's own `main` unused; each target defines that symbol and calls this.
public func runFuzzer(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
                      _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt {
    var count = argc
    var vector = argv
    return LLVMFuzzerRunDriver(&count, &vector, callback)
}

/// The input as bytes (libFuzzer passes a null pointer for the empty input).
public func input(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
    guard let data, size > 0 else { return [] }
    return [UInt8](UnsafeBufferPointer(start: data, count: size))
}

/// The input split at the first byte `separator`: the fields of a target that takes two inputs.
public func split(_ bytes: [UInt8], at separator: UInt8 = 0) -> (head: [UInt8], tail: [UInt8]) {
    guard let k = bytes.firstIndex(of: separator) else { return (bytes, []) }
    return (Array(bytes[..<k]), Array(bytes[(k + 1)...]))
}

/// The input as text, as the header and record parsers receive it (lossy UTF-8, like a decoded header).
public func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

/// A property the parser must keep: a violation stops the fuzzer with the input saved, like a crash.
public func require(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() { fatalError("property violated: \(message())") }
}

import FuzzDriver
import Glibc
@testable import SpearSpool

/// The gzip stream under an `.mbox.gz`: the input as the compressed file (members concatenated, truncated,
/// trailing garbage, bad CRCs), inflated through zlib with a small input buffer and split as mbox, as a batch reads
/// it. Each input is written to one file in /dev/shm (the stream reads a file descriptor, as a batch does).
let path = "/dev/shm/spearscan-fuzz-gzip-\(getpid()).mbox.gz"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGzip(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = input(data, size)
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard fd >= 0 else { fatalError("cannot write \(path)") }
    bytes.withUnsafeBytes { _ = write(fd, $0.baseAddress, $0.count) }
    close(fd)
    do {
        let stream = try GzipStream(file: try FileSource(path: path, noFollow: true), inputCapacity: 4096)
        let parser = MboxParser(reader: LineReader(source: stream, capacity: 8192), source: path, variant: .auto,
                                maxMessageBytes: 1 << 20)
        // It must end (a hang is caught by libFuzzer's -timeout): a few KB of deflate can be millions of messages.
        while parser.next() != nil {}
    } catch {
        // A stream zlib cannot start is an error the batch records; not a finding for the fuzzer.
    }
    return 0
}

@_cdecl("fuzz_gzip_main")
public func fuzzGzipMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzGzip)
}

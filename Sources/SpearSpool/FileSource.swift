#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file read with POSIX `open`/`read`, without Foundation and without mapping it, so that files larger
/// than memory stream through a fixed buffer.
final class FileSource: ByteSource {
    let path: String
    private let fd: Int32
    private(set) var rawBytesRead = 0

    /// - Parameter noFollow: refuse a symbolic link (`O_NOFOLLOW`); used inside directory trees so that a
    ///   link swapped in after the walk looked at it still cannot make us read outside the tree.
    init(path: String, noFollow: Bool) throws {
        var flags = O_RDONLY | O_CLOEXEC
        if noFollow { flags |= O_NOFOLLOW }
        let fd = open(path, flags)
        if fd < 0 { throw SpoolError.fromErrno(errno, path: path, action: "cannot open") }
        self.path = path
        self.fd = fd
        openedState = state()
    }

    /// The file's state when it was opened: a reader that opens it to sniff and reads it later still sees a
    /// change made in between.
    private(set) var openedState: State?

    deinit { close(fd) }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            let n = Glibc.read(fd, base, buffer.count)
            if n >= 0 {
                rawBytesRead += n
                return n
            }
            if errno == EINTR { continue }
            throw SpoolError.fromErrno(errno, path: path, action: "read failed")
        }
    }

    /// Size from `fstat`, or `nil` when it cannot be had.
    func size() -> Int? {
        var st = stat()
        guard fstat(fd, &st) == 0 else { return nil }
        return Int(st.st_size)
    }

    /// Size and modification time from `fstat`: two reads that see the same state saw the same file.
    struct State: Equatable {
        var size: Int
        var seconds: Int
        var nanoseconds: Int
    }

    func state() -> State? {
        var st = stat()
        guard fstat(fd, &st) == 0 else { return nil }
        return State(size: Int(st.st_size), seconds: Int(st.st_mtim.tv_sec), nanoseconds: Int(st.st_mtim.tv_nsec))
    }

    /// Reads up to `count` bytes at the start of the file without moving the read position (for sniffing).
    func peekStart(_ count: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        let n = out.withUnsafeMutableBytes { pread(fd, $0.baseAddress, count, 0) }
        return n > 0 ? Array(out[0..<n]) : []
    }
}

import FuzzDriver
import SpearMilter

/// A connection's bytes as an MTA (or anyone) might send them: cut into packets, decoded, and played through a
/// session that keeps at most 64 KB of a message, under a common bound of 48 KB on held bytes. No crash, no hang,
/// whatever the lengths and commands say; a message handed on is never larger than the session keeps, the bound
/// is never passed, every byte held is given back, and after a close nothing more is read.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMilter(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = input(data, size)
    let held = HeldBytes(limit: 48 << 10)
    var session = MilterSession(maxMessageBytes: 64 << 10, held: held)
    var start = 0
    reading: while true {
        switch MilterFrame.parse(bytes, from: start) {
        case .needMore, .invalid:
            break reading
        case .packet(let command, let data, let consumed):
            precondition(consumed >= 5 && start + consumed <= bytes.count)
            start += consumed
            guard let decoded = try? MilterCommand.decode(command: command, data: data) else { break reading }
            switch session.handle(decoded) {
            case .close: break reading
            case .endOfMessage(let message):
                precondition(message.bytes.count <= session.maxMessageBytes && message.heldBytes == message.bytes.count)
                held.release(message.heldBytes)
            case .reply(let replies): for reply in replies { precondition(reply.bytes.count >= 5) }
            case .silent: break
            }
            precondition(held.current <= held.limit)
        }
    }
    session.releaseHeld()
    precondition(held.current == 0, "\(held.current) bytes still held")
    return 0
}

/// SwiftPM links an executable's entry point as `<module>_main`; libFuzzer's driver is started from it.
@_cdecl("fuzz_milter_main")
public func fuzzMilterMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzMilter)
}

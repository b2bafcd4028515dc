import SpearClassify
import SpearCore
import SpearScan
import SpearSpool
import SpearStore
import SpearUnpack

/// Reading a stored message again from the spool and scanning it again: what the passes after a batch (PPAP,
/// learning) do for messages the store holds already.
enum Rescan {
    /// The message read again from where it was stored, if it is still there and still the same message (the
    /// spool may have changed since).
    static func message(_ found: [SpoolReread.Location: SpoolMessage], source: String, offset: Int?, sha256: String) -> SpoolMessage? {
        guard let message = found[SpoolReread.Location(source: source, offset: offset)],
              Digests.sha256(of: message.bytes) == sha256 else { return nil }
        return message
    }

    static func scan(_ message: SpoolMessage, options: ScanOptions, magic: Magic?) -> ScanResult {
        MessageScanner(options: options).scan(message.bytes, source: message.source, truncatedFrom: message.originalSize, magic: magic)
    }
}

extension PPAPPair {
    /// The notice's password, as the archive's scan is given it.
    var passwordCandidate: PasswordCandidate { PasswordCandidate(value: password, source: "message:\(passwordSHA256)") }

    /// One side of the pair, for that message's JSON.
    func link(_ role: PPAPLink.Role) -> PPAPLink {
        PPAPLink(role: role, archiveSHA256: archiveSHA256, noticeSHA256: passwordSHA256, password: password)
    }
}

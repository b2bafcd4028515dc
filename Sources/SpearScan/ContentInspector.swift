import SpearClassify
import SpearCore
import SpearUnpack

/// One kind of container the scan opens. It says whether it reads some bytes, reads them within the message's
/// budget, and how what it finds is judged. A new kind of container is one new conformance here, listed in
/// `ContentInspectors.all`; `FileAnalyzer` maps every `UnpackResult` to findings and children the same way.
protocol ContentInspector: Sendable {
    /// Whether these bytes are this inspector's (asked in the order of `ContentInspectors.all`; the first wins).
    func accepts(_ bytes: [UInt8]) -> Bool
    /// nil: not a container this inspector can read after all.
    func open(_ bytes: [UInt8], passwords: () -> [PasswordCandidate], budget: UnpackBudget) -> UnpackResult?
    /// Where its members come from.
    var memberOrigin: Origin { get }
    /// Its members are what the user sees as the message's attachments (judged as attachments: `executable_file`,
    /// not `executable_in_archive`), not files inside a container.
    var membersAreAttachments: Bool { get }
    /// The finding for one of the reader's notes about the container as a whole.
    func finding(forNote note: String, label: String) -> Finding
    /// How much a member read with an error weighs.
    var damagedMemberSeverity: Finding.Severity { get }
}

/// A TNEF stream (winmail.dat): Outlook's wrapper for a message's attachments.
struct TNEFInspector: ContentInspector {
    func accepts(_ bytes: [UInt8]) -> Bool { Classifier.isTNEF(bytes) }
    func open(_ bytes: [UInt8], passwords: () -> [PasswordCandidate], budget: UnpackBudget) -> UnpackResult? {
        TNEF.read(bytes, budget: budget)
    }
    var memberOrigin: Origin { .tnef }
    var membersAreAttachments: Bool { true }
    /// The reader's notes are flaws it read past (a checksum, an unknown code page), every attachment still read.
    func finding(forNote note: String, label: String) -> Finding {
        Finding(id: .tnefMalformed, severity: .info, evidence: "\(label): \(note)")
    }
    /// A TNEF writer's wrong checksum is sloppiness, not a damaged archive someone crafted.
    var damagedMemberSeverity: Finding.Severity { .info }
}

/// Archives and disk images through libarchive (and `7zz` for encrypted 7z), with the message's passwords.
struct ArchiveInspector: ContentInspector {
    func accepts(_ bytes: [UInt8]) -> Bool { true }
    func open(_ bytes: [UInt8], passwords: () -> [PasswordCandidate], budget: UnpackBudget) -> UnpackResult? {
        Unpacker.unpack(bytes, passwords: passwords, budget: budget)
    }
    var memberOrigin: Origin { .archive }
    var membersAreAttachments: Bool { false }
    /// The unpacker's notes are what it could not do (an encrypted 7z without 7zz).
    func finding(forNote note: String, label: String) -> Finding {
        Finding(id: .notInspected, severity: .low, evidence: "\(label): \(note)", kind: .notInspected)
    }
    var damagedMemberSeverity: Finding.Severity { .low }
}

enum ContentInspectors {
    /// In the order they are asked: the specific formats first, libarchive (which tries many) last.
    static let all: [any ContentInspector] = [TNEFInspector(), ArchiveInspector()]
}

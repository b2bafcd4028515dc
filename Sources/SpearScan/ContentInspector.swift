import SpearClassify
import SpearCore
import SpearMIME
import SpearUnpack

/// One kind of content the scan opens: a container whose members it lists, or a message it parses. A new kind is
/// one new conformance, listed in `ContentInspectors`; `FileAnalyzer` turns every `Inspection` into findings and
/// children the same way, whichever inspector made it.
protocol ContentInspector: Sendable {
    /// Whether the file's content is this inspector's. Containers are asked before the file is classified (an
    /// OOXML document is a zip whose members say what it is), with `category` nil; the others once the
    /// classifier has decided, with its category.
    func accepts(_ bytes: [UInt8], category: Category?) -> Bool
    /// What the classifier may look into before any member is read (a zip's names and relationship parts); nil
    /// when it needs nothing of this kind of container, or the container cannot be read.
    func peek(_ bytes: [UInt8], in context: InspectionContext) -> ContainerPeek?
    /// How a container's members and the reader's notes are judged; nil for what is not a container.
    var memberRules: MemberRules? { get }
    /// What is inside; nil: not content this inspector can read after all. A container hands each member to
    /// `each` as soon as it is read, so the caller can judge it and let its bytes go before the next is read.
    func inspect(_ bytes: [UInt8], in context: InspectionContext, each: Unpacker.MemberSink) -> Inspection?
    /// The evidence when the nesting limit stops it (`"archive nesting deeper than 4"`).
    func tooDeep(_ limit: Int) -> String
}

extension ContentInspector {
    func peek(_ bytes: [UInt8], in context: InspectionContext) -> ContainerPeek? { nil }
}

/// A container as the classifier sees it before its members are read, and how it is built.
struct ContainerPeek {
    let view: ContainerView
    let headerMismatch: String?
    let overlappingEntries: String?
}

/// What an inspector is given besides the bytes: the message's budget, its passwords (computed the first time a
/// container asks) and how to parse a message.
struct InspectionContext {
    let budget: UnpackBudget
    let parseOptions: ParseOptions
    /// The MIME path of the file inspected.
    let location: String
    let passwords: () -> [PasswordCandidate]
}

/// What an inspector found inside a file.
enum Inspection {
    /// A container's members, already handed over one by one, and what the reader said of the whole.
    case members(UnpackResult)
    /// A message (an .eml inside an archive): its header summary and its attachments, not yet classified.
    case message(ReadMessage)
}

/// How a container's members and the reader's notes are judged.
struct MemberRules: Sendable {
    /// Where its members come from.
    let origin: Origin
    /// Its members are what the user sees as the message's attachments (judged as attachments: `executable_file`,
    /// not `executable_in_archive`), not files inside a container.
    let membersAreAttachments: Bool
    /// The finding for one of the reader's notes about the container as a whole (evidence: `label: note`).
    let note: (id: FindingID, severity: Finding.Severity, kind: Finding.Kind)
    /// How much a member read with an error weighs.
    let damagedMemberSeverity: Finding.Severity

    func finding(forNote note: String, label: String) -> Finding {
        Finding(id: self.note.id, severity: self.note.severity, evidence: "\(label): \(note)", kind: self.note.kind)
    }
}

/// A TNEF stream (winmail.dat): Outlook's wrapper for a message's attachments.
struct TNEFInspector: ContentInspector {
    /// The reader's notes are flaws it read past (a checksum, an unknown code page), every attachment still read;
    /// a TNEF writer's wrong checksum is sloppiness, not a damaged archive someone crafted.
    static let rules = MemberRules(origin: .tnef, membersAreAttachments: true, note: (.tnefMalformed, .info, .evidence),
                                   damagedMemberSeverity: .info)
    var memberRules: MemberRules? { Self.rules }
    func accepts(_ bytes: [UInt8], category: Category?) -> Bool { category == nil && Classifier.isTNEF(bytes) }
    func inspect(_ bytes: [UInt8], in context: InspectionContext, each: Unpacker.MemberSink) -> Inspection? {
        var result = TNEF.read(bytes, budget: context.budget)
        result.handOver(each)
        return .members(result)
    }
    func tooDeep(_ limit: Int) -> String { "archive nesting deeper than \(limit): not opened" }
}

/// Archives and disk images through libarchive (and `7zz` for encrypted 7z), with the message's passwords.
struct ArchiveInspector: ContentInspector {
    /// The unpacker's notes are what it could not do (an encrypted 7z without 7zz).
    static let rules = MemberRules(origin: .archive, membersAreAttachments: false, note: (.notInspected, .low, .notInspected),
                                   damagedMemberSeverity: .low)
    var memberRules: MemberRules? { Self.rules }
    func accepts(_ bytes: [UInt8], category: Category?) -> Bool { category == nil && Classifier.mayBeContainer(bytes) }
    func peek(_ bytes: [UInt8], in context: InspectionContext) -> ContainerPeek? {
        Unpacker.peekZip(bytes, reading: Classifier.looksInto, upTo: Classifier.partLimit, budget: context.budget).map { zip in
            ContainerPeek(view: ContainerView(names: zip.names) { zip.parts[$0] },
                          headerMismatch: zip.headerMismatch, overlappingEntries: zip.overlappingEntries)
        }
    }
    func inspect(_ bytes: [UInt8], in context: InspectionContext, each: Unpacker.MemberSink) -> Inspection? {
        Unpacker.stream(bytes, passwords: context.passwords, budget: context.budget, each: each).map { .members($0) }
    }
    func tooDeep(_ limit: Int) -> String { "archive nesting deeper than \(limit): not opened" }
}

/// A message saved as a file (an .eml inside a zip, or attached as application/octet-stream): parsed like the
/// message itself, its attachments analysed as its children. Attached message/rfc822 parts are read by the MIME
/// walk already and never reach it.
struct MessageInspector: ContentInspector {
    var memberRules: MemberRules? { nil }
    func accepts(_ bytes: [UInt8], category: Category?) -> Bool { category == .email }
    func inspect(_ bytes: [UInt8], in context: InspectionContext, each: Unpacker.MemberSink) -> Inspection? {
        .message(ReadMessage(bytes, parse: context.parseOptions, location: context.location))
    }
    func tooDeep(_ limit: Int) -> String { "message nested deeper than \(limit): not opened" }
}

enum ContentInspectors {
    /// Asked before classifying, in this order: the specific formats first, libarchive (which tries many) last.
    static let containers: [any ContentInspector] = [TNEFInspector(), ArchiveInspector()]
    /// Asked once the category is known.
    static let classified: [any ContentInspector] = [MessageInspector()]
}

import SpearCore
import SpearReport

/// A store's `attachments` rows made trees again, for the report and `export` of either backend (one copy of
/// the rules): each row is added with its message and parent, and a file's members are the rows naming it as
/// parent, in the order added. Rows are added by id, which puts a parent before its members (both stores insert
/// a message's files depth first, parent first, under growing ids); a row added before its parent is left out,
/// as the report always left it.
struct AttachmentForest<Value> {
    private var values: [Int64: Value] = [:]
    private var members: [Int64: [Int64]] = [:]
    private var roots: [(message: Int64, id: Int64)] = []

    /// `listed`: whether a top-level file is returned by `trees` (the report leaves inline parts out; their
    /// members go with them).
    mutating func add(_ value: Value, id: Int64, message: Int64, parent: Int64?, listed: Bool = true) {
        values[id] = value
        if let parent {
            if values[parent] != nil { members[parent, default: []].append(id) }
        } else if listed {
            roots.append((message: message, id: id))
        }
    }

    /// Every listed top-level file's tree with its message, in the order added; `attach` hands a file its
    /// members' trees.
    func trees(attach: (inout Value, [Value]) -> Void) -> [(message: Int64, tree: Value)] {
        roots.map { (message: $0.message, tree: tree($0.id, attach)) }
    }

    private func tree(_ id: Int64, _ attach: (inout Value, [Value]) -> Void) -> Value {
        var value = values[id]!
        attach(&value, (members[id] ?? []).map { tree($0, attach) })
        return value
    }
}

extension AttachmentForest where Value == ReportAttachment {
    /// The report's attachments: an archive's members are `members`.
    func trees() -> [(message: Int64, tree: ReportAttachment)] { trees { $0.members = $1 } }
}

extension AttachmentForest where Value == SharedFile {
    /// The files `export` shares: a container's members are `children`.
    func trees() -> [(message: Int64, tree: SharedFile)] { trees { $0.children = $1 } }
}

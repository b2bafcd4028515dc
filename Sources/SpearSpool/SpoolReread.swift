/// Messages read again from where a batch found them (a store keeps each message's source and mbox offset), for
/// the steps that need a message's bytes after the batch: a PPAP archive opened once its password mail is found.
///
/// Each file is read once, front to back, whatever the number of messages wanted from it (an offset into a
/// gzip-compressed mbox is an offset into its decompressed stream, so there is no seeking); a message is
/// returned only if it is still there, at the same place.
public enum SpoolReread {
    /// Where a message was found: a file (offset nil) or a message of an mbox.
    public struct Location: Hashable, Sendable {
        public var source: String
        public var offset: Int?

        public init(source: String, offset: Int?) {
            self.source = source
            self.offset = offset
        }
    }

    /// The messages found again, by location; one that is gone, or a file that no longer reads, is left out.
    public static func read(_ wanted: Set<Location>, options: SpoolOptions = SpoolOptions()) -> [Location: SpoolMessage] {
        var found: [Location: SpoolMessage] = [:]
        let bySource = Dictionary(grouping: wanted, by: \.source)
        for (source, locations) in bySource.sorted(by: { $0.key < $1.key }) {
            let offsets = Set(locations.map(\.offset))
            let reader: any SpoolItemSource = offsets.contains(nil)
                ? MessageFile(path: source, noFollow: true, options: options)
                : MboxFile(path: source, noFollow: true, options: options)
            var left = offsets.count
            while left > 0, let item = reader.next() {
                guard case .message(let m) = item, offsets.contains(m.offset) else { continue }
                found[Location(source: source, offset: m.offset)] = m
                left -= 1
            }
        }
        return found
    }
}

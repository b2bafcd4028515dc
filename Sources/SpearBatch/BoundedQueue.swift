import Foundation

/// A blocking FIFO between threads, bounded by item count and by bytes, so a spool of any size is read only as
/// fast as it is scanned and memory stays flat. `close()` lets consumers drain and then get nil.
final class BoundedQueue<Element: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [(Element, Int)] = []
    private var head = 0
    private var bytes = 0
    private var closed = false
    private let maxItems: Int
    private let maxBytes: Int

    init(maxItems: Int, maxBytes: Int) {
        self.maxItems = maxItems
        self.maxBytes = maxBytes
    }

    /// Waits for room; an item larger than `maxBytes` is still accepted when the queue is empty.
    func put(_ element: Element, bytes size: Int = 0) {
        condition.lock()
        while count >= maxItems || (count > 0 && bytes + size > maxBytes) { condition.wait() }
        items.append((element, size))
        bytes += size
        condition.broadcast()
        condition.unlock()
    }

    /// Adds an item if there is room now; false (and nothing added) when the queue is full or closed.
    func offer(_ element: Element, bytes size: Int = 0) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !closed, count < maxItems, count == 0 || bytes + size <= maxBytes else { return false }
        items.append((element, size))
        bytes += size
        condition.broadcast()
        return true
    }

    /// The next item, waiting for one; nil once the queue is closed and empty.
    func take() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while count == 0 && !closed { condition.wait() }
        guard count > 0 else { return nil }
        return dequeue(1)[0]
    }

    /// The items already waiting, at most `limit`, without waiting for more (a consumer that is behind takes
    /// what piled up in one go).
    func takeWaiting(limit: Int) -> [Element] {
        condition.lock()
        defer { condition.unlock() }
        let n = min(limit, count)
        guard n > 0 else { return [] }
        return dequeue(n)
    }

    /// Waits until an item is there or the queue is closed (true), or until `deadline` passes with neither (false).
    func waitForItem(until deadline: Date) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while count == 0 && !closed {
            if !condition.wait(until: deadline) { return count > 0 || closed }
        }
        return true
    }

    /// Removes the first `n` items (the lock held), giving their room back to waiting producers.
    private func dequeue(_ n: Int) -> [Element] {
        let taken = items[head..<(head + n)]
        bytes -= taken.reduce(0) { $0 + $1.1 }
        head += n
        if head > 64 && head * 2 > items.count {
            items.removeFirst(head)
            head = 0
        }
        condition.broadcast()
        return taken.map(\.0)
    }

    var isEmpty: Bool {
        condition.lock()
        defer { condition.unlock() }
        return count == 0
    }

    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    private var count: Int { items.count - head }
}

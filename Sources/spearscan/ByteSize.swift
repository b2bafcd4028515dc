import ArgumentParser

/// A size argument such as `256M`, `1G`, `4096`.
struct ByteSize: ExpressibleByArgument {
    var bytes: Int

    init(bytes: Int) { self.bytes = bytes }

    init?(argument: String) {
        var digits = argument.uppercased()
        var multiplier = 1
        if let last = digits.last, let m = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30][String(last)] {
            multiplier = m
            digits.removeLast()
        }
        guard let n = Int(digits), n > 0, n <= Int.max / multiplier else { return nil }
        bytes = n * multiplier
    }

    var defaultValueDescription: String { "256M" }
}

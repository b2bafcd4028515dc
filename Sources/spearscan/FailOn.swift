import SpearCore
import ArgumentParser
import SpearScan

/// Which verdicts make `scan` and `batch` exit with status 1.
enum FailOn: String, ExpressibleByArgument, CaseIterable {
    /// Only evidence of an attack (the default): a locked PPAP zip is not a failure.
    case suspicious
    /// Also a message something of which could not be inspected, for pipelines that must look at those.
    case notInspected = "not-inspected"

    func fails(_ status: Verdict.Status) -> Bool {
        switch status {
        case .suspicious: true
        case .notInspected: self == .notInspected
        case .clean: false
        }
    }
}

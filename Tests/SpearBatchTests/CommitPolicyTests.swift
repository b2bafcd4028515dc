import Foundation
@testable import SpearBatch
import Testing

@Suite("The batch's commit policy: every N messages or T seconds, whichever comes first")
struct CommitPolicyTests {
    @Test func countAndClock() {
        let start = Date()
        var policy = CommitPolicy(every: 3, interval: 2.0)
        let decisions = [0.0, 0, 0, 1, 2.5, 3].map { policy.stored(now: start.addingTimeInterval($0)) }
        // The third message commits; then two seconds pass and one message commits; count and clock start again.
        #expect(decisions == [false, false, true, false, true, false])
    }
}

import Foundation
import Testing
@testable import SpearReport

@Suite("Counting not-inspected messages")
struct NotInspectedMessageTests {
    @Test("A not_inspected message is its own figure, never targeted, and not counted in the targeted scope")
    func ownFigure() throws {
        let r = try Fixtures.report(.month, .targeted)
        let jul = try #require(r.stats("2019-07"))
        #expect(jul.notInspectedMessages == 1)
        #expect(jul.messages == 3 && jul.targeted == 2 && jul.counted == 2)
        #expect(r.totals.notInspectedMessages == 1)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.json().utf8)) as? [String: Any])
        #expect((json["totals"] as? [String: Any])?["not_inspected_messages"] as? Int == 1)
    }
}

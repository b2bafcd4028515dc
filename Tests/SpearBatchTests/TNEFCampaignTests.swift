import SpearCore
import Foundation
import SpearCampaigns
import SpearScan
import Testing

/// A file carried inside a winmail.dat links campaigns like any attachment: the same script sent once wrapped
/// by Outlook and once attached directly is the same program.
@Suite("Campaigns: TNEF members link")
struct TNEFCampaignTests {
    @Test("The script inside winmail.dat and the same script attached directly share a payload fingerprint")
    func memberLinks() throws {
        let tnef = [UInt8](try Data(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/tnef/lure.tnef")))
        let wrapped = TestMail.message(to: ["a@corp.example.co.jp"], body: "ご確認ください。",
                                       attachments: [.init(name: "winmail.dat", type: "application/ms-tnef", bytes: tnef)], id: "w")
        let direct = TestMail.message(to: ["b@corp.example.co.jp"], body: "ご確認ください。",
                                      attachments: [.init(name: "注文書.xls.js", type: "application/octet-stream",
                                                          bytes: TestMail.fixture("hello.js"))], id: "d")
        func payloads(_ bytes: [UInt8]) -> Set<String> {
            let result = MessageScanner().scan(bytes, source: "m.eml")
            return Set(MessageFingerprints(report: result.report, texts: result.texts).payloads)
        }
        // printf 'WScript.Echo("spearscan fixture: harmless");\r\n' | sha256sum
        let script = "b692e3d0d6a2f5a6813c1ef7f482b9dde56c26f63d3cfa15654dcc0754a24c09"
        #expect(payloads(wrapped).contains(script))
        #expect(payloads(direct).contains(script))
    }
}

import FuzzDriver
import SpearCore
import SpearDomains
import SpearMIME
@testable import SpearSender

/// Spool learning in the sender stage (issue #14): the offline sender analysis with learned knowledge (a provider
/// in front of one organisation, correspondents and a person's name), then the property rescoring relies on:
/// `effect(of:)` on the message's observation makes the same decisions `analyze` made (else a stored message
/// would be rescored on every run), and the lookalike keys and name key of whatever the header holds.
let knowledge = SpoolKnowledge(
    operators: [LearnedOperator(recipientOrg: "hibari-kikaku.co.jp", operatorOrg: "mailshield-cloud.jp", messages: 95, total: 98),
                LearnedOperator(recipientOrg: "minato-shoji.co.jp", operatorOrg: "minato-shoji.co.jp", messages: 200, total: 200)],
    correspondents: [Correspondent(recipientOrg: "minato-shoji.co.jp", senderOrg: "aoba-kensetsu.co.jp", messages: 14, days: 9, firstSeen: "2019-04-02"),
                     Correspondent(recipientOrg: "hibari-kikaku.co.jp", senderOrg: "example.co.jp", messages: 5, days: 3, firstSeen: "2019-05-01"),
                     Correspondent(recipientOrg: "minato-shoji.co.jp", senderOrg: "aoba-kensetzu.co.jp", messages: 300, days: 2,
                                   firstSeen: "2019-03-01", refusedAsLookalikeOf: "aoba-kensetsu.co.jp")],
    names: [CorrespondentName(recipientOrg: "minato-shoji.co.jp", senderOrg: "aoba-kensetsu.co.jp", name: "山本一郎", messages: 6)])
let analyzer = SenderAnalyzer(keys: .offline, dns: nil, knowledge: knowledge)
let psl = PublicSuffixList.system

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLearn(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let message = MIMEParser(limits: ParseOptions()).parse(input(data, size))
    let report = analyzer.analyze(message, parsed: nil)
    guard let observation = report.observation else { return 0 }
    let effect = analyzer.effect(of: observation)
    if effect != observation.applied {
        fatalError("effect(of:) \(effect) differs from what analyze applied \(observation.applied) for \(observation)")
    }
    if let org = observation.fromOrg { _ = LookalikeKeys.keys(org, psl: psl) }
    _ = LearnedIndex.nameKey(observation.fromName)
    return 0
}

@_cdecl("fuzz_learn_main")
public func fuzzLearnMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzLearn)
}

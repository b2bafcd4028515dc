import Foundation
public import SpearCore
import Yams

/// What the milter does with an analysed message, by its verdict: rules tried in order, the first that matches
/// deciding; a message no rule matches is accepted with spearscan's headers (the default policy: headers only,
/// never reject). A policy file (`--policy FILE`, YAML):
///
/// ```yaml
/// rules:
///   - finding: script_in_archive        # one of the finding ids behind the verdict
///     action: reject
///     reply: "550 5.7.1 Refused: a script inside an archive"
///   - status: suspicious                # suspicious, not_inspected or clean
///     action: quarantine
///     reason: "spearscan: suspicious"
///   - status: not_inspected
///     action: accept
/// ```
///
/// A rule with both `status` and `finding` needs both. Actions: `accept` (headers), `quarantine` (headers, held in
/// the MTA's quarantine with `reason`), `reject` (an SMTP 5xx `reply`), `tempfail` (a 4xx `reply`).
public struct MilterPolicy: Sendable, Equatable {
    public enum Action: Equatable, Sendable {
        case accept
        case quarantine(reason: String)
        case reject(reply: String)
        case tempfail(reply: String)
    }

    public struct Rule: Equatable, Sendable {
        public var status: Verdict.Status?
        public var finding: String?
        public var action: Action
    }

    public var rules: [Rule]

    public init(rules: [Rule] = []) {
        self.rules = rules
    }

    public struct Invalid: Error, CustomStringConvertible {
        public var description: String
    }

    /// The action for a verdict (its finding ids are read from its reasons, or what it could not inspect).
    public func action(for verdict: Verdict) -> Action {
        let ids = Set(MilterVerdict.ids(verdict.reasons + verdict.notInspected))
        for rule in rules {
            if let status = rule.status, status != verdict.status { continue }
            if let finding = rule.finding, !ids.contains(finding) { continue }
            return rule.action
        }
        return .accept
    }

    /// Reads a policy file; every mistake is one line naming the file, the rule and what is wrong.
    public static func load(path: String) throws -> MilterPolicy {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw Invalid(description: "\(path): cannot be read")
        }
        let document: Any?
        do { document = try Yams.load(yaml: text) } catch {
            throw Invalid(description: "\(path): not YAML: \(error)")
        }
        guard let top = document as? [String: Any], Set(top.keys).isSubset(of: ["rules"]), let list = top["rules"] as? [Any] else {
            throw Invalid(description: "\(path): expected a mapping with one key, rules, holding a list")
        }
        var rules: [Rule] = []
        for (n, item) in list.enumerated() {
            let at = "\(path): rule \(n + 1)"
            guard let rule = item as? [String: Any] else { throw Invalid(description: "\(at): not a mapping") }
            let unknown = Set(rule.keys).subtracting(["status", "finding", "action", "reply", "reason"])
            guard unknown.isEmpty else { throw Invalid(description: "\(at): unknown key \(unknown.sorted().joined(separator: ", "))") }
            var parsed = Rule(status: nil, finding: nil, action: .accept)
            if let status = rule["status"] {
                guard let text = status as? String, let value = Verdict.Status(rawValue: text) else {
                    throw Invalid(description: "\(at): status must be suspicious, not_inspected or clean")
                }
                parsed.status = value
            }
            if let finding = rule["finding"] {
                guard let text = finding as? String, !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
                    throw Invalid(description: "\(at): finding must be a finding id (letters, digits, _)")
                }
                parsed.finding = text
            }
            guard let action = rule["action"] as? String else { throw Invalid(description: "\(at): no action") }
            let reply = rule["reply"] as? String, reason = rule["reason"] as? String
            switch action {
            case "accept":
                parsed.action = .accept
            case "quarantine":
                parsed.action = .quarantine(reason: try clean(reason ?? "spearscan", at: at, what: "reason"))
            case "reject":
                parsed.action = .reject(reply: try smtpReply(reply ?? "550 5.7.1 Message refused by policy", class: "5", at: at))
            case "tempfail":
                parsed.action = .tempfail(reply: try smtpReply(reply ?? "451 4.7.1 Try again later", class: "4", at: at))
            default:
                throw Invalid(description: "\(at): action must be accept, quarantine, reject or tempfail, not \(action)")
            }
            rules.append(parsed)
        }
        return MilterPolicy(rules: rules)
    }

    /// An SMTP reply of the given class ("550 5.7.1 text"): three digits, a space, an enhanced status code of the
    /// same class, text; printable ASCII on one line.
    private static func smtpReply(_ text: String, class first: Character, at: String) throws -> String {
        let reply = try clean(text, at: at, what: "reply")
        let parts = reply.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].count == 3, parts[0].allSatisfy(\.isNumber), parts[0].first == first,
              parts[1].first == first, parts[1].split(separator: ".").count == 3 else {
            throw Invalid(description: "\(at): reply must read like \"\(first)xx \(first).7.1 text\", not \(text)")
        }
        return reply
    }

    private static func clean(_ text: String, at: String, what: String) throws -> String {
        guard !text.isEmpty, text.utf8.count <= 400, text.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F }) else {
            throw Invalid(description: "\(at): \(what) must be printable ASCII on one line, at most 400 characters")
        }
        return text
    }
}

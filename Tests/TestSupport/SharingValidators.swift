public import Foundation
public import Testing

/// The real validators of the sharing formats, from the checkout's `.venv` (`.ci/run` makes it): the OASIS
/// `stix2-validator` in strict mode, and `pymisp`, which must load a MISP event and give it back unchanged.
public enum SharingValidators {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let python = root.appendingPathComponent(".venv/bin/python3").path
    static let stixValidator = root.appendingPathComponent(".venv/bin/stix2_validator").path

    /// Whether both are installed.
    public static var available: Bool {
        FileManager.default.isExecutableFile(atPath: stixValidator) && run(python, ["-c", "import pymisp"]).status == 0
    }

    public static let missing = Comment(rawValue: "no .venv with stix2-validator and pymisp (python3 -m venv .venv && .venv/bin/pip install stix2-validator pymisp; .ci/run makes it)")

    /// The validator's verdict on a bundle: nil when valid (strict, references enforced), else its report.
    public static func stixErrors(_ bundle: Data) throws -> String? {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("stix-\(UUID().uuidString).json")
        try bundle.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let r = run(stixValidator, ["--strict", "--enforce-refs", file.path])
        return r.status == 0 && r.out.contains("STIX JSON: Valid") ? nil : r.out + r.err
    }

    /// Loads a MISP event with pymisp, and loads what pymisp writes back: nil when both work and keep every
    /// attribute (event and object ones), else what went wrong. On success, `summary` gets pymisp's view.
    public static func mispErrors(_ event: Data, summary: inout [String: Any]) throws -> String? {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("misp-\(UUID().uuidString).json")
        try event.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let script = """
        import json, sys
        from pymisp import MISPEvent
        e = MISPEvent(); e.load(open(sys.argv[1], encoding="utf-8").read())
        again = MISPEvent(); again.load(e.to_json())
        def values(ev): return sorted((a.type, a.value, bool(a.to_ids)) for a in ev.attributes) + sorted((o.name, a.object_relation, a.value) for o in ev.objects for a in o.attributes)
        if values(e) != values(again): sys.exit("round trip changed the attributes")
        print(json.dumps({"info": e.info, "tags": [t.name for t in e.tags],
                          "attributes": [[a.type, a.value, bool(a.to_ids)] for a in e.attributes],
                          "objects": [o.name for o in e.objects]}, ensure_ascii=False))
        """
        let r = run(python, ["-c", script, file.path])
        guard r.status == 0, let last = r.out.split(separator: "\n").last, let data = String(last).data(using: .utf8), let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            return r.out + r.err
        }
        summary = json
        return nil
    }

    /// Runs a tool; its standard error goes with its output (one pipe, read to the end, so it never fills).
    static func run(_ tool: String, _ arguments: [String]) -> (status: Int32, out: String, err: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = arguments
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        do { try p.run() } catch { return (-1, "", "\(error)") }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self), "")
    }
}

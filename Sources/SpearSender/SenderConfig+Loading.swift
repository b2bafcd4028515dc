import Foundation
import Yams

extension SenderConfig {
    /// Why a configuration file could not be used: one line naming the file.
    public struct LoadError: Error, CustomStringConvertible {
        public var description: String
    }

    /// The files looked at when `--config` is not given, first found wins: `$SPEARSCAN_CONFIG`,
    /// `./spearscan.yaml`, `$XDG_CONFIG_HOME/spearscan/config.yaml` (or `~/.config/spearscan/config.yaml`),
    /// `/etc/spearscan/config.yaml`.
    public static var searchPath: [String] {
        let env = ProcessInfo.processInfo.environment
        var paths: [String] = []
        if let p = env["SPEARSCAN_CONFIG"], !p.isEmpty { paths.append(p) }
        paths.append("spearscan.yaml")
        let xdg = env["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (env["HOME"].map { $0 + "/.config" } ?? "")
        if !xdg.isEmpty { paths.append(xdg + "/spearscan/config.yaml") }
        paths.append("/etc/spearscan/config.yaml")
        return paths
    }

    /// Reads a YAML configuration file (keys as in README); unknown keys are ignored.
    public static func load(path: String) throws(LoadError) -> SenderConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LoadError(description: "\(path): cannot read the configuration file")
        }
        guard data.count < 4 << 20 else { throw LoadError(description: "\(path): configuration file larger than 4 MiB") }
        let text = String(decoding: data, as: UTF8.self)
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return SenderConfig() }
        do {
            return try YAMLDecoder().decode(SenderConfig.self, from: text)
        } catch {
            let reason = String(describing: error).split(separator: "\n").first.map(String.init) ?? "invalid YAML"
            throw LoadError(description: "\(path): \(reason)")
        }
    }

    /// The explicit file, else the first file of the search path that exists, else the defaults.
    public static func resolve(explicit: String?) throws(LoadError) -> (SenderConfig, String?) {
        if let explicit { return (try load(path: explicit), explicit) }
        for path in searchPath where FileManager.default.fileExists(atPath: path) {
            return (try load(path: path), path)
        }
        return (SenderConfig(), nil)
    }
}

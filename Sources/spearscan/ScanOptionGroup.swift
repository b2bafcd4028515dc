import ArgumentParser
import SpearClassify
import SpearDNS
import SpearDomains
import SpearIndicators
import SpearMIME
import SpearScan
import SpearSender
import SpearUnpack

/// The options that shape a scan (limits, passwords, sender analysis), shared by `scan` and `batch`.
struct ScanOptionGroup: ParsableArguments {
    @Option(help: "Exit 1 on: suspicious (default), or not-inspected (suspicious or not inspected).")
    var failOn: FailOn = .suspicious

    @Option(help: "Read at most this many bytes of a message (suffixes K, M, G); the rest is reported as not inspected.")
    var maxMessageSize: ByteSize = ByteSize(bytes: 256 << 20)

    @Option(help: "Maximum MIME nesting depth.")
    var maxDepth: Int = 64

    @Option(help: "Maximum MIME parts per message.")
    var maxParts: Int = 10_000

    @Option(name: .customLong("password"), help: "A password to try on encrypted archives (repeatable).")
    var passwords: [String] = []

    @Option(help: "A file of passwords to try on encrypted archives, one per line.")
    var passwordFile: String?

    @Option(help: "Maximum nesting of archives inside archives.")
    var maxArchiveDepth: Int = 16

    @Option(help: "Maximum archive members per message.")
    var maxArchiveEntries: Int = 10_000

    @Option(help: "Maximum uncompressed bytes per message, all archives together (suffixes K, M, G).")
    var maxUnpackedSize: ByteSize = ByteSize(bytes: 256 << 20)

    @Option(help: "Maximum uncompressed bytes of one archive member (suffixes K, M, G).")
    var maxMemberSize: ByteSize = ByteSize(bytes: 100 << 20)

    @Option(help: "Maximum expansion ratio of an archive, checked past 1 MiB.")
    var maxRatio: Int = 1_000

    @Option(help: "Maximum seconds spent unpacking one message.")
    var unpackTimeLimit: Double = 30

    @Option(help: "Configuration file (YAML): protected domains and names, trusted authserv-ids and relays, free-mail overrides.")
    var config: String?

    @Option(help: "DKIM public keys for offline verification: lines of 'selector._domainkey.domain TXT-value'.")
    var dkimKeys: String?

    @Option(name: .customLong("dns-server"), help: "DNS server (IP or IP:port) for DKIM keys, DMARC policies and SPF (repeatable); default: the system resolver.")
    var dnsServers: [String] = []

    @Flag(help: "No DNS lookups: DKIM signatures without a key from --dkim-keys are reported as not verified; no DMARC policy, no SPF.")
    var offline = false

    @Flag(help: "Skip the sender-spoofing analysis.")
    var noSender = false

    @Flag(help: "Do not extract indicators (URLs, domains, addresses, hashes): the report's iocs stay empty.")
    var noIocs = false

    @Flag(help: "Write indicator values defanged (hxxps://example[.]com/) so that they can be pasted safely.")
    var defang = false

    func validate() throws {
        if maxDepth < 1 { throw ValidationError("--max-depth must be at least 1") }
        if maxParts < 1 { throw ValidationError("--max-parts must be at least 1") }
        if offline && !dnsServers.isEmpty { throw ValidationError("--offline and --dns-server contradict each other") }
        if maxArchiveDepth < 0 || maxArchiveEntries < 0 || maxRatio < 1 || unpackTimeLimit <= 0 {
            throw ValidationError("archive limits must be positive")
        }
    }

    /// The scan options these flags describe; a file that cannot be read (passwords, config, keys) is reported
    /// on one line and ends the program with status 2.
    func makeOptions() throws -> ScanOptions {
        var options = ScanOptions()
        options.maxMessageBytes = maxMessageSize.bytes
        options.parse.maxDepth = maxDepth
        options.parse.maxParts = maxParts
        options.unpack.maxDepth = maxArchiveDepth
        options.unpack.maxEntries = maxArchiveEntries
        options.unpack.maxTotalBytes = maxUnpackedSize.bytes
        options.unpack.maxEntryBytes = maxMemberSize.bytes
        options.unpack.maxRatio = maxRatio
        options.unpack.timeLimit = unpackTimeLimit
        options.passwords = passwords.map { PasswordCandidate(value: $0, source: "option") }
        if let passwordFile {
            let input = try readOrExit(passwordFile, limit: 1 << 20)
            let lines = String(decoding: input.bytes, as: UTF8.self).split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
            options.passwords += lines.filter { !$0.isEmpty }.map { PasswordCandidate(value: String($0), source: "password_file") }
        }
        if !noIocs { options.indicators = IndicatorExtractor(psl: PublicSuffixList.system) }
        if !noSender {
            let resolved: (SenderConfig, String?)
            do { resolved = try SenderConfig.resolve(explicit: config) } catch {
                Output.error(error.description)
                throw ExitCode(2)
            }
            let cache = offline ? nil : DNSCache(resolver: DNSResolver(servers: dnsServers.isEmpty ? nil : dnsServers))
            var keys = cache.map(DKIMKeySource.dns) ?? .offline
            if let dkimKeys {
                keys = .file(contents: String(decoding: try readOrExit(dkimKeys, limit: 16 << 20).bytes, as: UTF8.self))
            }
            options.sender = SenderAnalyzer(config: resolved.0, keys: keys, dns: cache)
        }
        return options
    }

    private func readOrExit(_ path: String, limit: Int) throws -> InputReader.Input {
        do { return try InputReader.read(path, limit: limit) } catch {
            Output.error(error.description)
            throw ExitCode(2)
        }
    }
}

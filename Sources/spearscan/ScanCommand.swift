import ArgumentParser
import SpearClassify
import SpearMIME
import SpearDNS
import SpearScan
import SpearSender
import SpearUnpack
#if canImport(Glibc)
import Glibc
#endif

struct ScanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Scan messages: MIME tree, attachments with hashes, findings, defects and a verdict.",
        discussion: """
            FILE is an .eml (RFC 5322) message; - reads standard input. With several files, JSON output is one \
            object per line. Exit status: 0 nothing suspicious, 1 something suspicious in at least one message, \
            2 at least one file could not be read (the others are still scanned).
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Argument(help: "Message files to scan; - for standard input.")
    var files: [String]

    @Option(help: "Output format: text or json.")
    var format: Format = .text

    @Option(name: .customLong("extract"), help: "Write every attachment into DIR under a sanitized name.")
    var extractDirectory: String?

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

    func validate() throws {
        if files.isEmpty { throw ValidationError("name at least one FILE, or - for standard input") }
        if files.filter({ $0 == "-" }).count > 1 { throw ValidationError("standard input (-) can be read only once") }
        if maxDepth < 1 { throw ValidationError("--max-depth must be at least 1") }
        if maxParts < 1 { throw ValidationError("--max-parts must be at least 1") }
        if offline && !dnsServers.isEmpty { throw ValidationError("--offline and --dns-server contradict each other") }
        if maxArchiveDepth < 0 || maxArchiveEntries < 0 || maxRatio < 1 || unpackTimeLimit <= 0 {
            throw ValidationError("archive limits must be positive")
        }
    }

    func run() async throws {
        var options = ScanOptions()
        options.maxMessageBytes = maxMessageSize.bytes
        options.parse.maxDepth = maxDepth
        options.parse.maxParts = maxParts
        options.keepPayloads = extractDirectory != nil
        options.unpack.maxDepth = maxArchiveDepth
        options.unpack.maxEntries = maxArchiveEntries
        options.unpack.maxTotalBytes = maxUnpackedSize.bytes
        options.unpack.maxEntryBytes = maxMemberSize.bytes
        options.unpack.maxRatio = maxRatio
        options.unpack.timeLimit = unpackTimeLimit
        options.passwords = passwords.map { PasswordCandidate(value: $0, source: "option") }
        if let passwordFile {
            do {
                let input = try InputReader.read(passwordFile, limit: 1 << 20)
                let lines = String(decoding: input.bytes, as: UTF8.self).split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
                options.passwords += lines.filter { !$0.isEmpty }.map { PasswordCandidate(value: String($0), source: "password_file") }
            } catch {
                Output.error(error.description)
                throw ExitCode(2)
            }
        }
        if !noSender {
            let resolved: (SenderConfig, String?)
            do { resolved = try SenderConfig.resolve(explicit: config) } catch {
                Output.error(error.description)
                throw ExitCode(2)
            }
            let cache = offline ? nil : DNSCache(resolver: DNSResolver(servers: dnsServers.isEmpty ? nil : dnsServers))
            var keys = cache.map(DKIMKeySource.dns) ?? .offline
            if let dkimKeys {
                do {
                    let input = try InputReader.read(dkimKeys, limit: 16 << 20)
                    keys = .file(contents: String(decoding: input.bytes, as: UTF8.self))
                } catch {
                    Output.error(error.description)
                    throw ExitCode(2)
                }
            }
            options.sender = SenderAnalyzer(config: resolved.0, keys: keys, dns: cache)
        }
        // One libmagic handle for this process (a worker), loaded once.
        let magic = try? Magic()
        let scanner = MessageScanner(options: options)
        var writer: AttachmentWriter?
        if let dir = extractDirectory {
            do { writer = try AttachmentWriter(directory: dir) } catch {
                Output.error(error.description)
                throw ExitCode(2)
            }
        }
        defer { writer?.close() }

        var status: Int32 = 0
        for file in files {
            let input: InputReader.Input
            do {
                input = try InputReader.read(file, limit: options.maxMessageBytes)
            } catch {
                Output.error(error.description)
                status = 2
                continue
            }
            let result = scanner.scan(input.bytes, source: file, truncatedFrom: input.truncatedFrom, magic: magic)
            var report = result.report
            if let writer {
                do {
                    for payload in result.payloads {
                        let name = try writer.write(payload.bytes, suggestedName: payload.filename,
                                                    fallback: "part-" + payload.mimePath.replacingDots())
                        report.extracted.append(ExtractedFile(mimePath: payload.mimePath, file: writer.directory + "/" + name))
                    }
                } catch {
                    Output.error(error.description)
                    status = 2
                }
            }
            switch format {
            case .json: Output.write(ReportRenderer.json(report) + "\n")
            case .text: Output.write(ReportRenderer.text(report) + (files.count > 1 ? "\n" : ""))
            }
            if report.verdict.suspicious && status == 0 { status = 1 }
        }
        if status != 0 { throw ExitCode(status) }
    }
}

extension String {
    fileprivate func replacingDots() -> String {
        String(map { $0 == "." || $0 == "#" ? "-" : $0 })
    }
}

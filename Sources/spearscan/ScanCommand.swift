import SpearCore
import ArgumentParser
import SpearClassify
import SpearMIME
import SpearDNS
import SpearExport
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
            object per line. Exit status: 0 nothing suspicious, 1 at least one message suspicious (with --fail-on \
            not-inspected: or not inspected), 2 at least one file could not be read (the others are still scanned).
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, stix, misp }

    @Argument(help: "Message files to scan; - for standard input.")
    var files: [String]

    @Option(help: "Output format: text, json, stix (a STIX 2.1 bundle of all the files scanned) or misp (a MISP event).")
    var format: Format = .text

    @Option(name: .customLong("extract"), help: "Write every attachment into DIR under a sanitized name.")
    var extractDirectory: String?

    @OptionGroup var scanOptions: ScanOptionGroup
    @OptionGroup(title: "Sharing (--format stix or misp)") var sharing: SharingOptionGroup

    func validate() throws {
        if files.isEmpty { throw ValidationError("name at least one FILE, or - for standard input") }
        if files.filter({ $0 == "-" }).count > 1 { throw ValidationError("standard input (-) can be read only once") }
    }

    func run() async throws {
        var options = try scanOptions.makeOptions()
        options.keepPayloads = extractDirectory != nil
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
        var shared: [SharedMessage] = []
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
            // Defanging is for what a person reads: the JSON and the text; shared indicators are the values.
            case .json: Output.write(ReportRenderer.json(scanOptions.defang ? report.indicatorsDefanged : report) + "\n")
            case .text: Output.write(ReportRenderer.text(scanOptions.defang ? report.indicatorsDefanged : report) + (files.count > 1 ? "\n" : ""))
            case .stix, .misp: shared.append(SharedMessage(report, withRecipients: sharing.withRecipients))
            }
            if scanOptions.failOn.fails(report.verdict.status) && status == 0 { status = 1 }
        }
        if let share = ShareFormat(rawValue: format.rawValue), !shared.isEmpty {
            let title = shared.count == 1 ? "message \(shared[0].subject.map { "\"\($0)\"" } ?? shared[0].sha256)" : "\(shared.count) messages"
            Output.write(try sharing.render(SharedEvidence(messages: shared, campaigns: []), format: share, title: title))
        }
        if status != 0 { throw ExitCode(status) }
    }
}

extension String {
    fileprivate func replacingDots() -> String {
        String(map { $0 == "." || $0 == "#" ? "-" : $0 })
    }
}

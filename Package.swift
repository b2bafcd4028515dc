// swift-tools-version:6.0
import PackageDescription

/// The stages of the pipeline, each a library target, read bottom-up:
///
///   C shims (CArchive, CLZMA, CMagic, CSQLite, CZlib) and leaf libraries: SpearCharsets → SpearMIME, SpearUnpack,
///   SpearDNS, SpearDomains, SpearSpool, SpearReport (Foundation only).
///   SpearCore: the shared vocabulary (findings and their ids, ScanReport, Verdict, SenderReport, Category, Origin,
///   CampaignMessage, the SenderStage protocol) over SpearMIME's value types. Every stage below depends on it.
///   Stages: SpearClassify (libmagic + content rules), SpearSender (sender evidence; implements SenderStage),
///   SpearScan (one message: parse → attachments → unpack → classify → findings → verdict; the sender stage is
///   injected), SpearCampaigns (fingerprints, linking, the bulk-type rule), SpearStore (the store behind
///   ScanStore; SQLite), SpearBatch (spool → parallel scans → store).
///   spearscan: the CLI, which composes them (it alone knows every stage).
///
/// Where to add: a new archive format → SpearUnpack; a file-type rule → SpearClassify; a sender indicator →
/// SpearSender (a SenderCheck); a store backend → SpearStore (a ScanStore); an export format → a target over
/// SpearCore and SpearCampaigns.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "spearscan",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "spearscan", targets: ["spearscan"]),
        .library(name: "SpearCore", targets: ["SpearCore"]),
        .library(name: "SpearScan", targets: ["SpearScan"]),
        .library(name: "SpearIndicators", targets: ["SpearIndicators"]),
        .library(name: "SpearMIME", targets: ["SpearMIME"]),
        .library(name: "SpearUnpack", targets: ["SpearUnpack"]),
        .library(name: "SpearClassify", targets: ["SpearClassify"]),
        .library(name: "SpearSender", targets: ["SpearSender"]),
        .library(name: "SpearDNS", targets: ["SpearDNS"]),
        .library(name: "SpearDomains", targets: ["SpearDomains"]),
        .library(name: "SpearSpool", targets: ["SpearSpool"]),
        .library(name: "SpearCampaigns", targets: ["SpearCampaigns"]),
        .library(name: "SpearStore", targets: ["SpearStore"]),
        .library(name: "SpearBatch", targets: ["SpearBatch"]),
        .library(name: "SpearExport", targets: ["SpearExport"]),
        .library(name: "SpearMilter", targets: ["SpearMilter"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        // The shared PostgreSQL store: a maintained client (PostgresNIO) and the NIO pieces its API speaks in.
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        // The milter's /metrics endpoint (Prometheus text format).
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // C libraries, wrapped by one file each in the stage that uses them.
        .systemLibrary(name: "CArchive", pkgConfig: "libarchive", providers: [.apt(["libarchive-dev"])]),
        .systemLibrary(name: "CMagic", pkgConfig: "libmagic", providers: [.apt(["libmagic-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CLZMA", pkgConfig: "liblzma", providers: [.apt(["liblzma-dev"])]),

        // Charset decoding (iconv + our ISO-2022-JP transcoder); lossy, never failing.
        .target(name: "SpearCharsets", swiftSettings: strictSettings),
        // Recursive-capable unpacking of archives in memory with libarchive, within a message's budget.
        .target(name: "SpearUnpack", dependencies: ["CArchive", "CLZMA", "SpearCharsets"], swiftSettings: strictSettings),
        // What a file really is: libmagic plus our own content rules; category, macros, encryption.
        .target(name: "SpearClassify", dependencies: ["CMagic", "SpearCore"], swiftSettings: strictSettings),
        // A small DNS client (TXT lookups over UDP/TCP, system resolver or a given server), with a per-run cache.
        .target(name: "SpearDNS", swiftSettings: strictSettings),
        // Domains: the Public Suffix List (organisational domains), punycode, confusables, lookalike detection.
        .target(name: "SpearDomains", swiftSettings: strictSettings),
        // Sender-spoofing evidence: header indicators, Authentication-Results, DKIM, lookalikes, the verdict.
        .target(
            name: "SpearSender",
            dependencies: [
                "SpearMIME", "SpearCore", "SpearDNS", "SpearDomains",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        // Bytes-level RFC 5322 / MIME parser: headers, encoded words, parameters, multipart, transfer encodings.
        .target(name: "SpearMIME", dependencies: ["SpearCharsets"], swiftSettings: strictSettings),
        // The vocabulary every stage speaks: findings and their ids, the scan report, verdict, sender report,
        // categories and origins, campaign inputs, and the sender stage's protocol. Depends on the MIME parser's
        // value types (Address, Defect, MIMEMessage) only.
        .target(name: "SpearCore", dependencies: ["SpearMIME"], swiftSettings: strictSettings),
        // The scan pipeline: attachments, digests, findings, verdict, JSON/text reports, extraction.
        // Indicators of compromise from a scanned message: URLs (text, HTML, defanged, full-width), their domains and
        // addresses, sender addresses, the first external hop, file hashes; signature and footer context.
        .target(name: "SpearIndicators", dependencies: ["CZlib", "SpearCore", "SpearMIME", "SpearDomains"], swiftSettings: strictSettings),
        .target(
            name: "SpearScan",
            dependencies: [
                "SpearMIME",
                "SpearCore",
                "SpearIndicators",
                "SpearCharsets",
                "SpearUnpack",
                "SpearClassify",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        // Campaign correlation: fingerprints (normalised text, payload hashes, MinHash) and the bulk-type rule.
        .target(
            name: "SpearCampaigns",
            dependencies: ["SpearCore", "SpearMIME", "SpearDomains", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strictSettings
        ),
        // Period reports in the NPA's categories: counting, table, CSV, JSON, SVG charts, HTML (Foundation only).
        .target(name: "SpearReport", swiftSettings: strictSettings),
        // The store behind a protocol: SQLite (system library) or PostgreSQL (PostgresNIO), incremental campaigns.
        .target(
            name: "SpearStore",
            dependencies: [
                "CSQLite", "SpearCore", "SpearCampaigns", "SpearDomains", "SpearReport", "SpearMIME",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // Sharing: STIX 2.1 bundles and MISP events of messages, their indicators and campaigns.
        .target(
            name: "SpearExport",
            dependencies: ["SpearCore", "SpearCampaigns", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strictSettings
        ),
        // Reading mail spools: Maildir, mbox (mboxo/mboxrd/mboxcl2, gzip), directory trees; streaming.
        .target(name: "SpearSpool", dependencies: ["CZlib"], swiftSettings: strictSettings),
        // The batch: spool → parallel scans → store, in spool order, with bounded memory.
        .target(
            name: "SpearBatch",
            dependencies: ["SpearCore", "SpearSpool", "SpearScan", "SpearCampaigns", "SpearStore", "SpearClassify", "SpearMIME", "SpearUnpack"],
            swiftSettings: strictSettings
        ),
        // On the wire: the milter protocol (version 6) on SwiftNIO, each arriving message scanned and answered
        // with spearscan's headers.
        .target(
            name: "SpearMilter",
            dependencies: [
                "SpearCore", "SpearScan",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "spearscan",
            dependencies: [
                "SpearCore",
                "SpearScan",
                "SpearIndicators",
                "SpearMIME",
                "SpearUnpack",
                "SpearClassify",
                "SpearSender",
                "SpearDNS",
                "SpearSpool",
                "SpearBatch",
                "SpearCampaigns",
                "SpearDomains",
                "SpearStore",
                "SpearReport",
                "SpearExport",
                "SpearMilter",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),

        // Test support only (not a product): a dnsmasq on 127.0.0.1 serving given records.
        .target(name: "TestSupport", dependencies: ["SpearDNS"], path: "Tests/TestSupport", swiftSettings: strictSettings),

        .testTarget(name: "SpearCharsetsTests", dependencies: ["SpearCharsets"], swiftSettings: strictSettings),
        .testTarget(name: "SpearMIMETests", dependencies: ["SpearMIME"], swiftSettings: strictSettings),
        .testTarget(name: "SpearUnpackTests", dependencies: ["SpearUnpack"], swiftSettings: strictSettings),
        .testTarget(name: "SpearClassifyTests", dependencies: ["SpearClassify", "SpearCore"], swiftSettings: strictSettings),
        .testTarget(name: "SpearDNSTests", dependencies: ["SpearDNS", "TestSupport"], swiftSettings: strictSettings),
        .testTarget(name: "SpearDomainsTests", dependencies: ["SpearDomains"], swiftSettings: strictSettings),
        .testTarget(name: "SpearSenderTests", dependencies: ["SpearSender", "SpearMIME", "SpearCore", "SpearDNS", "SpearDomains", "TestSupport"], swiftSettings: strictSettings),
        .testTarget(name: "SpearScanTests", dependencies: ["SpearScan", "SpearCore", "SpearMIME", "SpearClassify"], swiftSettings: strictSettings),
        .testTarget(name: "SpearIndicatorsTests", dependencies: ["SpearIndicators", "SpearCore", "SpearDomains"], swiftSettings: strictSettings),
        .testTarget(name: "CorpusTests", dependencies: ["SpearMIME", "SpearCharsets", "SpearScan", "SpearCore"], swiftSettings: strictSettings),
        .testTarget(name: "SpearReportTests", dependencies: ["SpearReport", "CZlib", "TestSupport"], swiftSettings: strictSettings),
        .testTarget(name: "SpearExportTests", dependencies: ["SpearExport", "SpearCore", "SpearCampaigns", "TestSupport"], swiftSettings: strictSettings),
        .testTarget(name: "SpearCampaignsTests", dependencies: ["SpearCampaigns", "SpearCore"], swiftSettings: strictSettings),
        .testTarget(name: "SpearSpoolTests", dependencies: ["SpearSpool", "TestSupport"], swiftSettings: strictSettings),
        .testTarget(
            name: "SpearBatchTests",
            dependencies: ["SpearBatch", "SpearStore", "SpearCampaigns", "SpearScan", "SpearSpool", "SpearCore", "SpearDomains", "SpearIndicators",
                           "TestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "SpearMilterTests", dependencies: ["SpearMilter", "SpearScan", "SpearCore",
                                                      .product(name: "NIOConcurrencyHelpers", package: "swift-nio")], swiftSettings: strictSettings),
        .testTarget(name: "CLITests", dependencies: ["spearscan", "TestSupport", "SpearDNS"], swiftSettings: strictSettings),
    ]
)

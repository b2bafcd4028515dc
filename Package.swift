// swift-tools-version:6.0
import PackageDescription

/// The stages of the pipeline, each a library target, read bottom-up:
/// CArchive/CMagic (C shims) → SpearCharsets → SpearMIME → SpearUnpack → SpearClassify → SpearScan →
/// spearscan (CLI).
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
        .library(name: "SpearScan", targets: ["SpearScan"]),
        .library(name: "SpearMIME", targets: ["SpearMIME"]),
        .library(name: "SpearUnpack", targets: ["SpearUnpack"]),
        .library(name: "SpearClassify", targets: ["SpearClassify"]),
        .library(name: "SpearSender", targets: ["SpearSender"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // C libraries, wrapped by one file each in the stage that uses them.
        .systemLibrary(name: "CArchive", pkgConfig: "libarchive", providers: [.apt(["libarchive-dev"])]),
        .systemLibrary(name: "CMagic", pkgConfig: "libmagic", providers: [.apt(["libmagic-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),

        // Charset decoding (iconv + our ISO-2022-JP transcoder); lossy, never failing.
        .target(name: "SpearCharsets", swiftSettings: strictSettings),
        // Findings: the common language of every heuristic (id, severity, evidence).
        .target(name: "SpearFindings", swiftSettings: strictSettings),
        // Recursive-capable unpacking of archives in memory with libarchive, within a message's budget.
        .target(name: "SpearUnpack", dependencies: ["CArchive", "SpearCharsets"], swiftSettings: strictSettings),
        // What a file really is: libmagic plus our own content rules; category, macros, encryption.
        .target(name: "SpearClassify", dependencies: ["CMagic", "SpearFindings"], swiftSettings: strictSettings),
        // A small DNS client (TXT lookups over UDP/TCP, system resolver or a given server), with a per-run cache.
        .target(name: "SpearDNS", swiftSettings: strictSettings),
        // Domains: the Public Suffix List (organisational domains), punycode, confusables, lookalike detection.
        .target(name: "SpearDomains", swiftSettings: strictSettings),
        // Sender-spoofing evidence: header indicators, Authentication-Results, DKIM, lookalikes, the verdict.
        .target(
            name: "SpearSender",
            dependencies: [
                "SpearMIME", "SpearFindings", "SpearDNS", "SpearDomains",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        // Bytes-level RFC 5322 / MIME parser: headers, encoded words, parameters, multipart, transfer encodings.
        .target(name: "SpearMIME", dependencies: ["SpearCharsets"], swiftSettings: strictSettings),
        // The scan pipeline: attachments, digests, findings, verdict, JSON/text reports, extraction.
        .target(
            name: "SpearScan",
            dependencies: [
                "SpearMIME",
                "SpearFindings",
                "SpearUnpack",
                "SpearClassify",
                "SpearSender",
                "SpearDNS",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        // Campaign correlation: fingerprints (normalised text, payload hashes, MinHash) and the bulk-type rule.
        .target(
            name: "SpearCampaigns",
            dependencies: ["SpearScan", "SpearMIME", "SpearDomains"],
            swiftSettings: strictSettings
        ),
        // Period reports in the NPA's categories: counting, table, CSV, JSON, SVG charts, HTML (Foundation only).
        .target(name: "SpearReport", swiftSettings: strictSettings),
        // The store behind a protocol; SQLite (system library) with incremental campaigns.
        .target(
            name: "SpearStore",
            dependencies: ["CSQLite", "SpearCampaigns", "SpearScan", "SpearDomains", "SpearFindings", "SpearSender", "SpearReport", "SpearMIME"],
            swiftSettings: strictSettings
        ),
        // Reading mail spools: Maildir, mbox (mboxo/mboxrd/mboxcl2, gzip), directory trees; streaming.
        .target(name: "SpearSpool", dependencies: ["CZlib"], swiftSettings: strictSettings),
        // The batch: spool → parallel scans → store, in spool order, with bounded memory.
        .target(
            name: "SpearBatch",
            dependencies: ["SpearSpool", "SpearScan", "SpearCampaigns", "SpearStore", "SpearClassify", "SpearMIME"],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "spearscan",
            dependencies: [
                "SpearScan",
                "SpearMIME",
                "SpearUnpack",
                "SpearClassify",
                "SpearSender",
                "SpearDNS",
                "SpearSpool",
                "SpearBatch",
                "SpearCampaigns",
                "SpearStore",
                "SpearReport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),

        // Test support only (not a product): a dnsmasq on 127.0.0.1 serving given records.
        .target(name: "TestSupport", dependencies: ["SpearDNS"], path: "Tests/TestSupport", swiftSettings: strictSettings),

        .testTarget(name: "SpearCharsetsTests", dependencies: ["SpearCharsets"], swiftSettings: strictSettings),
        .testTarget(name: "SpearMIMETests", dependencies: ["SpearMIME"], swiftSettings: strictSettings),
        .testTarget(name: "SpearUnpackTests", dependencies: ["SpearUnpack"], swiftSettings: strictSettings),
        .testTarget(name: "SpearClassifyTests", dependencies: ["SpearClassify"], swiftSettings: strictSettings),
        .testTarget(name: "SpearDNSTests", dependencies: ["SpearDNS", "TestSupport"], swiftSettings: strictSettings),
        .testTarget(name: "SpearDomainsTests", dependencies: ["SpearDomains"], swiftSettings: strictSettings),
        .testTarget(name: "SpearSenderTests", dependencies: ["SpearSender", "SpearMIME", "SpearFindings", "SpearDNS", "SpearDomains", "TestSupport"], swiftSettings: strictSettings),
        .testTarget(name: "SpearScanTests", dependencies: ["SpearScan", "SpearFindings", "SpearMIME"], swiftSettings: strictSettings),
        .testTarget(name: "CorpusTests", dependencies: ["SpearMIME", "SpearCharsets", "SpearScan"], swiftSettings: strictSettings),
        .testTarget(name: "SpearReportTests", dependencies: ["SpearReport", "CZlib", "TestSupport"], swiftSettings: strictSettings),
        .testTarget(name: "SpearCampaignsTests", dependencies: ["SpearCampaigns"], swiftSettings: strictSettings),
        .testTarget(name: "SpearSpoolTests", dependencies: ["SpearSpool", "TestSupport"], swiftSettings: strictSettings),
        .testTarget(
            name: "SpearBatchTests",
            dependencies: ["SpearBatch", "SpearStore", "SpearCampaigns", "SpearScan", "SpearSpool"],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "CLITests", dependencies: ["spearscan", "TestSupport", "SpearDNS"], swiftSettings: strictSettings),
    ]
)

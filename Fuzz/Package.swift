// swift-tools-version:6.0
import PackageDescription

// libFuzzer targets, one per entry point that reads hostile bytes, kept out of the main package so `swift build`
// and `swift test` stay fast. Fuzz/run.sh builds them (-sanitize=fuzzer,address, -enable-testing so that a harness
// can reach an internal parser with @testable import) and runs one; each target's entry point is
// LLVMFuzzerTestOneInput, started through FuzzDriver.runFuzzer.
let spearscan = "spearscan"
func fuzz(_ name: String, _ products: String...) -> Target {
    .executableTarget(name: "fuzz-\(name)", dependencies: ["FuzzDriver"] + products.map { .product(name: $0, package: spearscan) })
}

let package = Package(
    name: "spearscan-fuzz",
    dependencies: [.package(name: spearscan, path: "..")],
    targets: [
        .target(name: "FuzzDriver"),
        fuzz("mime", "SpearMIME"),
        fuzz("header", "SpearMIME"),
        fuzz("transfer", "SpearMIME"),
        fuzz("unpack", "SpearUnpack"),
        fuzz("tnef", "SpearUnpack"),
        fuzz("classify", "SpearClassify"),
        fuzz("dkim", "SpearMIME", "SpearSender"),
        fuzz("spf", "SpearSender"),
        fuzz("authres", "SpearMIME", "SpearSender"),
        fuzz("dns", "SpearDNS"),
        fuzz("mbox", "SpearSpool"),
        fuzz("gzip", "SpearSpool"),
        fuzz("scan", "SpearScan", "SpearClassify"),
        fuzz("password", "SpearScan"),
        fuzz("indicators", "SpearIndicators", "SpearCore", "SpearDomains"),
        fuzz("filelinks", "SpearIndicators", "SpearCore"),
        fuzz("learn", "SpearCore", "SpearDomains", "SpearMIME", "SpearSender"),
        fuzz("milter", "SpearMilter"),
    ],
    // Swift 6.3's region-based isolation checker crashes (signal 6 in SendNonSendable) on the mbox and gzip
    // harnesses' entry points; the harnesses are single-threaded C callbacks, so they build in the Swift 5 mode.
    // The package under test keeps its own Swift 6 mode.
    swiftLanguageModes: [.v5]
)

// swift-tools-version:6.0
import PackageDescription

// libFuzzer targets, kept out of the main package so `swift build` and `swift test` stay fast. Build and run them
// with Fuzz/run.sh (it adds -sanitize=fuzzer,address); each target's entry point is LLVMFuzzerTestOneInput.
let package = Package(
    name: "spearscan-fuzz",
    dependencies: [.package(name: "spearscan", path: "..")],
    targets: [
        .target(name: "FuzzDriver"),
        .executableTarget(name: "fuzz-tnef", dependencies: ["FuzzDriver", .product(name: "SpearUnpack", package: "spearscan")]),
        .executableTarget(name: "fuzz-mime", dependencies: ["FuzzDriver", .product(name: "SpearMIME", package: "spearscan")]),
    ]
)

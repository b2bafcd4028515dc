// swift-tools-version:6.0
import PackageDescription

// Benchmarks live in their own package so `swift test` never builds or times them. Run Benchmarks/run.sh.
let package = Package(
    name: "spearscan-benchmarks",
    dependencies: [.package(name: "spearscan", path: "..")],
    targets: [
        .executableTarget(
            name: "spearscan-bench",
            dependencies: [
                .product(name: "SpearCore", package: "spearscan"),
                .product(name: "SpearScan", package: "spearscan"),
                .product(name: "SpearIndicators", package: "spearscan"),
                .product(name: "SpearDomains", package: "spearscan"),
                .product(name: "SpearSender", package: "spearscan"),
                .product(name: "SpearMIME", package: "spearscan"),
                .product(name: "SpearUnpack", package: "spearscan"),
                .product(name: "SpearClassify", package: "spearscan"),
                .product(name: "SpearBatch", package: "spearscan"),
                .product(name: "SpearStore", package: "spearscan"),
            ]
        ),
    ]
)

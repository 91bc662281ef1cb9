// swift-tools-version: 6.2
import PackageDescription

// Throughput benchmarks, kept out of `swift test`. Run with `make bench` (release build).
let package = Package(
    name: "tumulte-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "tumulte", path: "..")
    ],
    targets: [
        .executableTarget(
            name: "TumulteBenchmarks",
            dependencies: [
                .product(name: "ChatBridge", package: "tumulte"),
                .product(name: "Core", package: "tumulte"),
            ],
            swiftSettings: [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]
        )
    ]
)

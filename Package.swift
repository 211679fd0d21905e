// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Lianzheng",
    products: [
        .executable(name: "lianzheng", targets: ["lianzheng"]),
        .library(name: "LianzhengKit", targets: ["LianzhengKit"]),
        // libFuzzer targets: build and run with Fuzz/run.sh (not part of CI).
        .executable(name: "CSVFuzz", targets: ["CSVFuzz"]),
        .executable(name: "SchemeFuzz", targets: ["SchemeFuzz"]),
    ],
    targets: [
        .systemLibrary(
            name: "CSQLite",
            path: "Sources/CSQLite",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .target(
            name: "CSHA256",
            path: "Sources/CSHA256"
        ),
        .target(
            name: "CUTF8",
            path: "Sources/CUTF8"
        ),
        .target(
            name: "LianzhengKit",
            dependencies: ["CSQLite", "CSHA256", "CUTF8"],
            path: "Sources/LianzhengKit"
        ),
        .executableTarget(
            name: "lianzheng",
            dependencies: ["LianzhengKit"],
            path: "Sources/lianzheng"
        ),
        .executableTarget(
            name: "LianzhengBenchmarks",
            dependencies: ["LianzhengKit"],
            path: "Benchmarks"
        ),
        .target(
            name: "LianzhengFuzzChecks",
            dependencies: ["LianzhengKit"],
            path: "Tests/Fuzz/Checks"
        ),
        .executableTarget(
            name: "CSVFuzz",
            dependencies: ["LianzhengFuzzChecks"],
            path: "Tests/Fuzz/CSVFuzz"
        ),
        .executableTarget(
            name: "SchemeFuzz",
            dependencies: ["LianzhengFuzzChecks"],
            path: "Tests/Fuzz/SchemeFuzz"
        ),
        .testTarget(
            name: "LianzhengKitTests",
            dependencies: ["LianzhengKit", "LianzhengFuzzChecks"],
            path: "Tests/LianzhengKitTests"
        ),
        .testTarget(
            name: "LianzhengCLITests",
            dependencies: ["LianzhengKit"],
            path: "Tests/LianzhengCLITests"
        ),
    ],
    swiftLanguageModes: [.v6]
)

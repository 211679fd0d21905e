// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Lianzheng",
    products: [
        .executable(name: "lianzheng", targets: ["lianzheng"]),
        .library(name: "LianzhengKit", targets: ["LianzhengKit"]),
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
            name: "LianzhengKit",
            dependencies: ["CSQLite", "CSHA256"],
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
        .testTarget(
            name: "LianzhengKitTests",
            dependencies: ["LianzhengKit"],
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

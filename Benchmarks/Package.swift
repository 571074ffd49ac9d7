// swift-tools-version:6.1
import PackageDescription

// Benchmarks live in their own package so that ordo-one/benchmark and its trait stay out
// of the library's manifest. Run from this folder: `swift package benchmark`.
let package = Package(
    name: "DriverAnalysisBenchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "DriverAnalysis", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "DriverBenchmarks",
            dependencies: [
                .product(name: "DriverAnalysis", package: "DriverAnalysis"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/DriverBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)

// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "DriverAnalysis",
    products: [
        .library(name: "DriverAnalysis", targets: ["DriverAnalysis"]),
        // Matrix, Cholesky, QR least squares and the BLAS/LAPACK wrappers: the numeric core.
        // DriverAnalysis does not re-export it; import it to name `Matrix` (a model's covariance).
        .library(name: "LinearAlgebra", targets: ["LinearAlgebra"]),
        .executable(name: "kda", targets: ["kda"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        // BLAS/LAPACK through a shim header. An implementation detail: only LinearAlgebra imports it.
        .systemLibrary(
            name: "CLAPACK",
            path: "Sources/CLAPACK",
            providers: [.apt(["liblapack-dev", "libblas-dev"])]
        ),
        .target(
            name: "LinearAlgebra",
            dependencies: ["CLAPACK"],
            linkerSettings: [.linkedFramework("Accelerate", .when(platforms: [.macOS]))]
        ),
        // Byte counting for the CSV reader (SSE2 where available). An implementation detail of
        // DriverAnalysis, like CLAPACK is of LinearAlgebra.
        .target(name: "CSVScan"),
        .target(
            name: "DriverAnalysis",
            dependencies: ["LinearAlgebra", "CSVScan"]
        ),
        .executableTarget(
            name: "kda",
            dependencies: [
                "DriverAnalysis",
                "LinearAlgebra",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            resources: [.copy("Resources")]
        ),
        .target(
            name: "Fixtures",
            dependencies: ["LinearAlgebra"],
            path: "Tests/Fixtures",
            exclude: ["Scripts", "README.md"],
            resources: [.copy("Data")]
        ),
        .testTarget(
            name: "LinearAlgebraTests",
            dependencies: ["LinearAlgebra", "Fixtures"]
        ),
        // Test-only: calls the public API with hostile inputs in a child process of
        // DriverAnalysisTests (HostileProbeTests), so that a trap fails one test instead of
        // killing the test run. Not a product.
        .executableTarget(
            name: "HostileProbe",
            dependencies: ["DriverAnalysis", "LinearAlgebra", "Fixtures"],
            path: "Tests/HostileProbe"
        ),
        .testTarget(
            name: "DriverAnalysisTests",
            dependencies: ["DriverAnalysis", "Fixtures", "HostileProbe", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(
            name: "DocExamplesTests",
            dependencies: ["DriverAnalysis", "LinearAlgebra"]
        ),
        .testTarget(
            name: "KDATests",
            dependencies: ["kda", "Fixtures"],
            exclude: ["Malformed", "Golden"]
        ),
    ]
)

import Benchmark
import DriverAnalysis
import LinearAlgebra

/// A deterministic n × p design (intercept + ratings-like columns) and response.
/// Generated on the fly: no large benchmark input is committed.
func syntheticDesign(rows n: Int, columns p: Int, seed: UInt64 = 42) -> (Matrix, [Double]) {
    var state = seed
    func next() -> Double {   // SplitMix64 → [0, 1)
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Double((z ^ (z >> 31)) >> 11) * 0x1p-53
    }
    var x = try! Matrix(rows: n, columns: p)
    var y = [Double](repeating: 0, count: n)
    x.withUnsafeMutableBufferPointer { xp in
        for i in 0..<n { xp[i] = 1 }
        for j in 1..<p { for i in 0..<n { xp[i + j * n] = (10 * next()).rounded(.down) } }
        for i in 0..<n {
            var value = 2.0
            for j in 1..<p { value += xp[i + j * n] * Double(j % 5) / 10 }
            y[i] = value + next() - 0.5
        }
    }
    return (x, y)
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .peakMemoryResident], maxDuration: .seconds(20), maxIterations: 10)

    dataBenchmarks()
    modelBenchmarks()
    importanceBenchmarks()
    endToEndBenchmarks()
    cliPartsBenchmarks()
    let (x, y) = syntheticDesign(rows: 1_000_000, columns: 30)

    Benchmark("LeastSquares.QRLeastSquares 1e6x30") { benchmark in
        blackHole(try QRLeastSquares.solve(x, y, options: .init(method: .qr)))
    }
    Benchmark("LeastSquares.automatic (semi-normal) 1e6x30") { benchmark in
        blackHole(try QRLeastSquares.solve(x, y))
    }
    Benchmark("LeastSquares.QRLeastSquares(refine always) 1e6x30") { benchmark in
        blackHole(try QRLeastSquares.solve(x, y, options: .init(refinement: .always, method: .qr)))
    }
    Benchmark("LeastSquares.dgels 1e6x30") { benchmark in
        blackHole(try ReferenceSolvers.dgels(x, y))
    }
}

/// Kernels that accumulate in more than double precision, used by iterative refinement of
/// least-squares solutions (the residual `r = y − Xb` of an ill-conditioned fit must be
/// computed more accurately than `b` itself; Björck 1996, *Numerical Methods for Least
/// Squares Problems*, §2.9).
///
/// On x86-64 the accumulator is the 80-bit `Float80` (64-bit significand). Elsewhere (arm64,
/// where `Float80` does not exist and fused multiply-add is native) a double-double
/// accumulation with `TwoSum`/`TwoProduct` (Ogita, Rump & Oishi 2005) gives about 106 bits.
/// Both run column by column over contiguous storage.
enum ExtendedPrecision {
    /// `y − Σⱼ X[:, j] · b[j]` over `columns`, each row accumulated in extended precision
    /// and rounded once. `x` is column-major with `rows` rows.
    static func residual(
        x: UnsafeBufferPointer<Double>, rows: Int, columns: [Int], coefficients: [Double], y: [Double]
    ) -> [Double] {
        #if arch(x86_64) && !os(Windows)
        return residualFloat80(x: x, rows: rows, columns: columns, coefficients: coefficients, y: y)
        #else
        return residualDoubleDouble(x: x, rows: rows, columns: columns, coefficients: coefficients, y: y)
        #endif
    }

    /// `Σᵢ X[i, j] · v[i]` for one column, accumulated in extended precision.
    static func dot(column j: Int, of x: UnsafeBufferPointer<Double>, rows: Int, with v: [Double]) -> Double {
        #if arch(x86_64) && !os(Windows)
        return dotFloat80(column: j, of: x, rows: rows, with: v)
        #else
        return dotDoubleDouble(column: j, of: x, rows: rows, with: v)
        #endif
    }

    #if arch(x86_64) && !os(Windows)
    static func residualFloat80(
        x: UnsafeBufferPointer<Double>, rows: Int, columns: [Int], coefficients: [Double], y: [Double]
    ) -> [Double] {
        // Rows in blocks whose 80-bit accumulators stay in cache; X is read once.
        let block = 2048
        let active = columns.filter { coefficients[$0] != 0 }
        let b = active.map { Float80(coefficients[$0]) }
        var out = [Double](repeating: 0, count: rows)
        var acc = [Float80](repeating: 0, count: block)
        out.withUnsafeMutableBufferPointer { o in
            acc.withUnsafeMutableBufferPointer { s in
                var start = 0
                while start < rows {
                    let m = min(block, rows - start)
                    for i in 0..<m { s[i] = Float80(y[start + i]) }
                    for (k, j) in active.enumerated() {
                        let col = x.baseAddress! + j * rows + start
                        let bk = b[k]
                        for i in 0..<m { s[i] -= Float80(col[i]) * bk }
                    }
                    for i in 0..<m { o[start + i] = Double(s[i]) }
                    start += m
                }
            }
        }
        return out
    }

    static func dotFloat80(column j: Int, of x: UnsafeBufferPointer<Double>, rows: Int, with v: [Double]) -> Double {
        let col = x.baseAddress! + j * rows
        var s0: Float80 = 0, s1: Float80 = 0
        v.withUnsafeBufferPointer { vp in
            var i = 0
            while i + 1 < rows {
                s0 += Float80(col[i]) * Float80(vp[i])
                s1 += Float80(col[i + 1]) * Float80(vp[i + 1])
                i += 2
            }
            if i < rows { s0 += Float80(col[i]) * Float80(vp[i]) }
        }
        return Double(s0 + s1)
    }
    #endif

    /// Double-double variant (portable; the only one on arm64).
    static func residualDoubleDouble(
        x: UnsafeBufferPointer<Double>, rows: Int, columns: [Int], coefficients: [Double], y: [Double]
    ) -> [Double] {
        var high = y
        var low = [Double](repeating: 0, count: rows)
        high.withUnsafeMutableBufferPointer { s in
            low.withUnsafeMutableBufferPointer { c in
                for j in columns {
                    let b = -coefficients[j]
                    if b == 0 { continue }
                    let col = x.baseAddress! + j * rows
                    for i in 0..<rows {
                        let (p, e) = twoProduct(col[i], b)
                        let (t, err) = twoSum(s[i], p)
                        s[i] = t
                        c[i] += err + e
                    }
                }
            }
        }
        return zip(high, low).map { $0 + $1 }
    }

    static func dotDoubleDouble(column j: Int, of x: UnsafeBufferPointer<Double>, rows: Int, with v: [Double]) -> Double {
        let col = x.baseAddress! + j * rows
        var s = 0.0, c = 0.0
        for i in 0..<rows {
            let (p, e) = twoProduct(col[i], v[i])
            let (t, err) = twoSum(s, p)
            s = t
            c += err + e
        }
        return s + c
    }

    /// Knuth's error-free sum: `a + b == s + e` exactly.
    @inline(__always)
    static func twoSum(_ a: Double, _ b: Double) -> (sum: Double, error: Double) {
        let s = a + b
        let z = s - a
        return (s, (a - (s - z)) + (b - z))
    }

    /// Error-free product via fused multiply-add: `a · b == p + e` exactly.
    @inline(__always)
    static func twoProduct(_ a: Double, _ b: Double) -> (product: Double, error: Double) {
        let p = a * b
        return (p, (-p).addingProduct(a, b))
    }
}

@testable import LinearAlgebra
import Testing

@Suite("Extended-precision kernels")
struct ExtendedPrecisionTests {
    @Test func residualCancelsExactlyWhereDoubleCannot() {
        // 1e16 + 1 − 1e16: double arithmetic loses the 1; both kernels keep it.
        let x: [Double] = [1e16, 1]        // one row, two columns (column-major, rows = 1)
        let b: [Double] = [1, 1]
        let y: [Double] = [1e16 + 2]       // rounds to 1e16 + 2 exactly
        x.withUnsafeBufferPointer { xp in
            let dd = ExtendedPrecision.residualDoubleDouble(x: xp, rows: 1, columns: [0, 1], coefficients: b, y: y)
            #expect(dd == [1])
            #if arch(x86_64) && !os(Windows)
            let f80 = ExtendedPrecision.residualFloat80(x: xp, rows: 1, columns: [0, 1], coefficients: b, y: y)
            #expect(f80 == [1])
            #endif
        }
    }

    @Test func dotKernelsAgree() {
        let n = 1001
        let column = (0..<n).map { Double($0 % 17) * 1e8 + 0.1 * Double($0) }
        let v = (0..<n).map { (Double($0 % 5) - 2) * 1e-3 + 1 }
        column.withUnsafeBufferPointer { xp in
            let dd = ExtendedPrecision.dotDoubleDouble(column: 0, of: xp, rows: n, with: v)
            let generic = ExtendedPrecision.dot(column: 0, of: xp, rows: n, with: v)
            #expect(abs(dd - generic) <= 2 * dd.ulp)
        }
    }

    @Test func errorFreeTransformations() {
        let (s, e) = ExtendedPrecision.twoSum(1, 1e-20)
        #expect(s == 1 && e == 1e-20)
        let a = 1 + Double.ulpOfOne, (p, f) = ExtendedPrecision.twoProduct(a, a)
        #expect(p == 1 + 2 * Double.ulpOfOne && f == Double.ulpOfOne * Double.ulpOfOne)
    }
}

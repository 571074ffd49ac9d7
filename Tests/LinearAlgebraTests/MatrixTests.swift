import Fixtures
import Foundation
import LinearAlgebra
import Testing

@Suite("Matrix and BLAS products")
struct MatrixTests {
    /// A deterministic, well-scaled test matrix.
    static func sample(rows: Int, columns: Int, seed: Double = 1) -> Matrix {
        var m = Matrix(uncheckedRows: rows, columns: columns)
        for j in 0..<columns { for i in 0..<rows { m[i, j] = ((Double(i * 7 + j * 13) * seed).truncatingRemainder(dividingBy: 11) - 5) / 3 } }
        return m
    }

    @Test func columnMajorLayoutAndAccessors() throws {
        let m = try Matrix(rows: [[1, 2, 3], [4, 5, 6]])
        #expect(m.elements == [1, 4, 2, 5, 3, 6])
        #expect(Array(m.column(1)) == [2, 5])
        #expect(m.row(1) == [4, 5, 6])
        #expect(m.transposed().elements == [1, 2, 3, 4, 5, 6])
        #expect(try m.selectingColumns([2, 0]).elements == [3, 6, 1, 4])
        #expect(try Matrix.identity(2).elements == [1, 0, 0, 1])
    }

    @Test func shapeErrorsAreTyped() {
        #expect(throws: LinearAlgebraError.self) { try Matrix(rows: 2, columns: 2, columnMajor: [1, 2, 3]) }
        #expect(throws: LinearAlgebraError.self) { try Matrix(columns: [[1, 2], [3]]) }
        #expect(throws: LinearAlgebraError.self) { try Matrix(rows: [[1, 2], [3]]) }
        #expect(throws: LinearAlgebraError.self) { try MatrixTests.sample(rows: 3, columns: 2).multiplied(by: MatrixTests.sample(rows: 3, columns: 2)) }
        #expect(throws: LinearAlgebraError.self) { try MatrixTests.sample(rows: 3, columns: 2).multiplied(by: [1, 2, 3]) }
    }

    /// Sizes and indices from outside (a decoded document, a caller's arithmetic) throw instead of
    /// trapping: negative dimensions, a dimension beyond LAPACK's 32-bit range, an element count
    /// that overflows `Int`, a column index out of range, and decoded shapes that disagree.
    @Test func impossibleShapesThrow() throws {
        #expect(throws: LinearAlgebraError.dimensionMismatch(operation: "Matrix(rows:columns:repeating:)", expected: "non-negative dimensions", actual: "-1 × 2")) {
            try Matrix(rows: -1, columns: 2)
        }
        #expect(throws: LinearAlgebraError.dimensionTooLarge(Int(Int32.max) + 1)) { try Matrix(rows: Int(Int32.max) + 1, columns: 0) }
        #expect(throws: LinearAlgebraError.dimensionMismatch(operation: "Matrix(rows:columns:columnMajor:)", expected: "non-negative dimensions", actual: "2 × -3")) {
            try Matrix(rows: 2, columns: -3, columnMajor: [])
        }
        #expect(throws: LinearAlgebraError.dimensionTooLarge(Int.max)) { try Matrix(rows: Int.max, columns: 2, columnMajor: []) }
        #expect(throws: LinearAlgebraError.dimensionMismatch(operation: "Matrix(rows:columns:repeating:)", expected: "non-negative dimensions", actual: "-3 × -3")) {
            try Matrix.identity(-3)
        }
        let m = try Matrix(rows: [[1, 2], [3, 4]])
        #expect(throws: LinearAlgebraError.dimensionMismatch(operation: "Matrix.selectingColumns(_:)", expected: "column indices in 0..<2", actual: "index 2")) {
            try m.selectingColumns([0, 2])
        }
        #expect(try Matrix(rows: 0, columns: 3).elements.isEmpty)
        // Decoding checks the shape against the elements, overflow included.
        for json in [#"{"rows": 2, "columns": 2, "elements": [1, 2, 3]}"#, #"{"rows": -1, "columns": -1, "elements": [1]}"#,
                     #"{"rows": 9223372036854775807, "columns": 2, "elements": []}"#, #"{"rows": 1, "columns": 1}"#] {
            #expect(throws: DecodingError.self, "\(json)") { try JSONDecoder().decode(Matrix.self, from: Data(json.utf8)) }
        }
        let decoded = try JSONDecoder().decode(Matrix.self, from: Data(#"{"rows": 1, "columns": 2, "elements": [1, null]}"#.utf8))
        #expect(decoded.rows == 1 && decoded.columns == 2 && decoded[0, 0] == 1 && decoded[0, 1].isNaN)
    }

    @Test func crossProductMatchesNaiveSum() throws {
        let x = Self.sample(rows: 9, columns: 4)
        let c = try x.crossProduct()
        for a in 0..<4 {
            for b in 0..<4 {
                let naive = (0..<9).reduce(0.0) { $0 + x[$1, a] * x[$1, b] }
                expectClose(c[a, b], naive, relative: 1e-14, absolute: 1e-14)
            }
        }
    }

    @Test func gemmAndGemvMatchNaiveProducts() throws {
        let a = Self.sample(rows: 5, columns: 3), b = Self.sample(rows: 5, columns: 4, seed: 3)
        let atb = try a.multiplied(by: b, transposingSelf: true)
        #expect(atb.rows == 3 && atb.columns == 4)
        for i in 0..<3 {
            for j in 0..<4 {
                expectClose(atb[i, j], (0..<5).reduce(0.0) { $0 + a[$1, i] * b[$1, j] }, relative: 1e-14, absolute: 1e-14)
            }
        }
        let abt = try a.transposed().multiplied(by: b.transposed(), transposingOther: true)
        #expect(abt == atb)
        let v = [1.0, -2, 0.5]
        let av = try a.multiplied(by: v)
        for i in 0..<5 { expectClose(av[i], a[i, 0] - 2 * a[i, 1] + 0.5 * a[i, 2], relative: 1e-14, absolute: 1e-14) }
        let w = [1.0, 2, 3, 4, 5]
        let atw = try a.multiplied(by: w, transposed: true)
        for j in 0..<3 { expectClose(atw[j], (0..<5).reduce(0.0) { $0 + a[$1, j] * w[$1] }, relative: 1e-14, absolute: 1e-14) }
    }
}

@Suite("Cholesky and symmetric eigendecomposition")
struct FactorizationTests {
    /// [[4, 2, 0.6], [2, 5, 1], [0.6, 1, 3]] is symmetric positive definite.
    static let spd = try! Matrix(rows: [[4, 2, 0.6], [2, 5, 1], [0.6, 1, 3]])

    @Test func choleskySolvesAndInverts() throws {
        let chol = try Cholesky(Self.spd)
        let u = chol.factor
        let back = try u.multiplied(by: u, transposingSelf: true)
        for k in 0..<9 { expectClose(back.elements[k], Self.spd.elements[k], relative: 1e-15, absolute: 1e-15) }
        let x = try chol.solve([1, 2, 3])
        let ax = try Self.spd.multiplied(by: x)
        for (a, b) in zip(ax, [1.0, 2, 3]) { expectClose(a, b, relative: 1e-14) }
        let inverse = try Self.spd.symmetricPositiveDefiniteInverse()
        let identity = try Self.spd.multiplied(by: inverse)
        for i in 0..<3 { for j in 0..<3 { expectClose(identity[i, j], i == j ? 1 : 0, relative: 1e-14, absolute: 1e-15) } }
        // log det by cofactor expansion: 4(15 − 1) − 2(6 − 0.6) + 0.6(2 − 3) = 44.6
        expectClose(chol.logDeterminant, log(44.6), relative: 1e-14)
    }

    @Test func choleskyNamesTheFailingMinor() throws {
        let indefinite = try Matrix(rows: [[1, 2, 0], [2, 1, 0], [0, 0, 1]])
        #expect(throws: LinearAlgebraError.notPositiveDefinite(minor: 1)) { try Cholesky(indefinite) }
        #expect(throws: LinearAlgebraError.self) { try Cholesky(Matrix(rows: 2, columns: 3)) }
        #expect(throws: LinearAlgebraError.nonFinite(operation: "Cholesky", row: 1, column: 0)) {
            try Cholesky(Matrix(rows: [[1, 0], [.nan, 1]]))
        }
    }

    @Test func eigenReconstructsAndSquareRoots() throws {
        let eigen = try SymmetricEigen(Self.spd)
        #expect(eigen.values == eigen.values.sorted())
        let back = try eigen.reconstructed { $0 }
        for k in 0..<9 { expectClose(back.elements[k], Self.spd.elements[k], relative: 1e-14, absolute: 1e-14) }
        let root = try eigen.reconstructed { $0.squareRoot() }
        let square = try root.multiplied(by: root)
        for k in 0..<9 { expectClose(square.elements[k], Self.spd.elements[k], relative: 1e-14, absolute: 1e-14) }
        // trace = sum of eigenvalues; 2×2 closed form for a diagonal block
        expectClose(eigen.values.reduce(0, +), 12, relative: 1e-14)
        let diag = try SymmetricEigen(Matrix(rows: [[2, 1], [1, 2]]))
        expectClose(diag.values[0], 1, relative: 1e-15)
        expectClose(diag.values[1], 3, relative: 1e-15)
    }
}

@Suite("Weighted cross-products")
struct WeightedCrossProductTests {
    @Test func matchesTheScaledCrossProduct() throws {
        let x = MatrixTests.sample(rows: 20_000, columns: 3)
        let w = (0..<20_000).map { Double($0 % 5) * 0.5 }
        var scaled = x
        for j in 0..<3 { for i in 0..<20_000 { scaled[i, j] *= w[i].squareRoot() } }
        let expected = try scaled.crossProduct(), actual = try x.weightedCrossProduct(weights: w)
        for k in 0..<9 { expectClose(actual.elements[k], expected.elements[k], relative: 1e-12, absolute: 1e-9) }
        #expect(throws: LinearAlgebraError.self) { try x.weightedCrossProduct(weights: [1, 2]) }
    }
}

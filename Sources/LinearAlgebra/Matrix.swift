/// A dense matrix of `Double` stored column-major in one contiguous buffer.
///
/// `Matrix` is a value type with copy-on-write storage (it wraps a Swift `Array`), so it is
/// `Sendable` and safe to share across tasks. Element `(i, j)` lives at `elements[i + j * rows]`,
/// the layout BLAS and LAPACK expect with leading dimension `rows`.
///
/// Heavy operations (products, factorizations) are methods that call BLAS/LAPACK; nothing
/// expensive hides in a computed property.
public struct Matrix: Sendable, Equatable, CustomStringConvertible {
    /// Number of rows.
    public let rows: Int
    /// Number of columns.
    public let columns: Int
    /// The elements in column-major order; `elements.count == rows * columns`.
    public private(set) var elements: [Double]

    /// A `rows × columns` matrix with every element equal to `value`.
    public init(rows: Int, columns: Int, repeating value: Double = 0) {
        precondition(rows >= 0 && columns >= 0, "Matrix dimensions must be non-negative")
        self.rows = rows
        self.columns = columns
        self.elements = [Double](repeating: value, count: rows * columns)
    }

    /// A matrix over existing column-major storage.
    ///
    /// - Throws: ``LinearAlgebraError/dimensionMismatch(operation:expected:actual:)`` when
    ///   `columnMajor.count != rows * columns`.
    public init(rows: Int, columns: Int, columnMajor: [Double]) throws {
        guard rows >= 0, columns >= 0, columnMajor.count == rows * columns else {
            throw LinearAlgebraError.dimensionMismatch(
                operation: "Matrix(rows:columns:columnMajor:)",
                expected: "\(rows) × \(columns) = \(rows * columns) elements",
                actual: "\(columnMajor.count) elements")
        }
        self.rows = rows
        self.columns = columns
        self.elements = columnMajor
    }

    /// A matrix whose `j`-th column is `columns[j]`.
    ///
    /// - Throws: ``LinearAlgebraError/dimensionMismatch(operation:expected:actual:)`` when the
    ///   columns differ in length.
    public init(columns: [[Double]]) throws {
        let rowCount = columns.first?.count ?? 0
        if let ragged = columns.firstIndex(where: { $0.count != rowCount }) {
            throw LinearAlgebraError.dimensionMismatch(
                operation: "Matrix(columns:)",
                expected: "every column of length \(rowCount)",
                actual: "column \(ragged) has length \(columns[ragged].count)")
        }
        self.rows = rowCount
        self.columns = columns.count
        var storage = [Double]()
        storage.reserveCapacity(rowCount * columns.count)
        for column in columns { storage.append(contentsOf: column) }
        self.elements = storage
    }

    /// A matrix from row arrays (`rows[i][j]` is element `(i, j)`), convenient for literals.
    ///
    /// - Throws: ``LinearAlgebraError/dimensionMismatch(operation:expected:actual:)`` for ragged rows.
    public init(rows rowArrays: [[Double]]) throws {
        let columnCount = rowArrays.first?.count ?? 0
        if let ragged = rowArrays.firstIndex(where: { $0.count != columnCount }) {
            throw LinearAlgebraError.dimensionMismatch(
                operation: "Matrix(rows:)",
                expected: "every row of length \(columnCount)",
                actual: "row \(ragged) has length \(rowArrays[ragged].count)")
        }
        self.init(rows: rowArrays.count, columns: columnCount)
        for (i, row) in rowArrays.enumerated() {
            for (j, value) in row.enumerated() { elements[i + j * rows] = value }
        }
    }

    /// The `n × n` identity matrix.
    public static func identity(_ n: Int) -> Matrix {
        var m = Matrix(rows: n, columns: n)
        for i in 0..<n { m.elements[i + i * n] = 1 }
        return m
    }

    /// Element `(row, column)`. Out-of-range indices trap, as with `Array`.
    public subscript(row: Int, column: Int) -> Double {
        get {
            precondition(row >= 0 && row < rows && column >= 0 && column < columns, "Matrix index out of range")
            return elements[row + column * rows]
        }
        set {
            precondition(row >= 0 && row < rows && column >= 0 && column < columns, "Matrix index out of range")
            elements[row + column * rows] = newValue
        }
    }

    /// The `j`-th column as a contiguous slice of the storage.
    public func column(_ j: Int) -> ArraySlice<Double> {
        precondition(j >= 0 && j < columns, "Matrix column out of range")
        return elements[(j * rows)..<((j + 1) * rows)]
    }

    /// The `i`-th row, copied (rows are strided in column-major storage). O(columns).
    public func row(_ i: Int) -> [Double] {
        precondition(i >= 0 && i < rows, "Matrix row out of range")
        return (0..<columns).map { elements[i + $0 * rows] }
    }

    /// The diagonal, `min(rows, columns)` elements.
    public func diagonal() -> [Double] {
        (0..<min(rows, columns)).map { elements[$0 + $0 * rows] }
    }

    /// The transpose, copied. O(rows · columns).
    public func transposed() -> Matrix {
        var t = Matrix(rows: columns, columns: rows)
        for j in 0..<columns {
            for i in 0..<rows { t.elements[j + i * columns] = elements[i + j * rows] }
        }
        return t
    }

    /// The sub-matrix made of the given columns, in the given order.
    public func selectingColumns(_ indices: [Int]) -> Matrix {
        var out = Matrix(rows: rows, columns: indices.count)
        for (k, j) in indices.enumerated() {
            precondition(j >= 0 && j < columns, "Matrix column out of range")
            out.elements.replaceSubrange((k * rows)..<((k + 1) * rows), with: elements[(j * rows)..<((j + 1) * rows)])
        }
        return out
    }

    /// Calls `body` with the column-major storage.
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Double>) throws -> R) rethrows -> R {
        try elements.withUnsafeBufferPointer(body)
    }

    /// Calls `body` with mutable column-major storage.
    public mutating func withUnsafeMutableBufferPointer<R>(
        _ body: (inout UnsafeMutableBufferPointer<Double>) throws -> R
    ) rethrows -> R {
        try elements.withUnsafeMutableBufferPointer(body)
    }

    /// The first `(row, column)` holding NaN or ±∞, scanning column by column, or `nil`.
    public func firstNonFiniteElement() -> (row: Int, column: Int)? {
        guard let k = elements.firstIndex(where: { !$0.isFinite }) else { return nil }
        return (k % rows, k / rows)
    }

    /// The elements row by row, tab-separated within a row and newline-separated between rows. O(rows·columns).
    public var description: String {
        (0..<rows).map { i in (0..<columns).map { "\(self[i, $0])" }.joined(separator: "\t") }
            .joined(separator: "\n")
    }
}

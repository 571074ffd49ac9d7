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
    ///
    /// - Parameters:
    ///   - rows: the number of rows, `0 ≤ rows ≤ Int32.max` (LAPACK's integer range).
    ///   - columns: the number of columns, in the same range.
    ///   - value: every element's value. Default `0`.
    /// - Throws: ``LinearAlgebraError/dimensionMismatch(operation:expected:actual:)`` for a negative
    ///   dimension, ``LinearAlgebraError/dimensionTooLarge(_:)`` for a dimension beyond LAPACK's
    ///   32-bit range or a `rows · columns` that overflows `Int` — never a trap.
    /// Complexity: O(rows · columns).
    public init(rows: Int, columns: Int, repeating value: Double = 0) throws {
        try Self.checkDimensions(rows: rows, columns: columns, operation: "Matrix(rows:columns:repeating:)")
        self.init(uncheckedRows: rows, columns: columns, repeating: value)
    }

    /// ``init(rows:columns:repeating:)`` for dimensions the package has computed itself (sizes of
    /// arrays it holds): a negative dimension is a bug in the package, checked by `precondition`.
    package init(uncheckedRows rows: Int, columns: Int, repeating value: Double = 0) {
        precondition(rows >= 0 && columns >= 0, "Matrix dimensions must be non-negative")
        self.rows = rows
        self.columns = columns
        self.elements = [Double](repeating: value, count: rows * columns)
    }

    /// Throws unless `rows` and `columns` are each in `0...Int32.max` and their product fits an `Int`.
    static func checkDimensions(rows: Int, columns: Int, operation: String) throws {
        guard rows >= 0, columns >= 0 else {
            throw LinearAlgebraError.dimensionMismatch(operation: operation, expected: "non-negative dimensions",
                                                       actual: "\(rows) × \(columns)")
        }
        if let large = [rows, columns].first(where: { $0 > Int(Int32.max) }) { throw LinearAlgebraError.dimensionTooLarge(large) }
        if rows.multipliedReportingOverflow(by: columns).overflow { throw LinearAlgebraError.dimensionTooLarge(max(rows, columns)) }
    }

    /// A matrix over existing column-major storage.
    ///
    /// - Parameters:
    ///   - rows: the number of rows, non-negative.
    ///   - columns: the number of columns, non-negative.
    ///   - columnMajor: the `rows × columns` elements, column after column (element `(i, j)` at
    ///     `i + j · rows`).
    /// - Throws: ``LinearAlgebraError/dimensionMismatch(operation:expected:actual:)`` when
    ///   `columnMajor.count != rows * columns` or a dimension is negative,
    ///   ``LinearAlgebraError/dimensionTooLarge(_:)`` beyond LAPACK's 32-bit range.
    public init(rows: Int, columns: Int, columnMajor: [Double]) throws {
        try Self.checkDimensions(rows: rows, columns: columns, operation: "Matrix(rows:columns:columnMajor:)")
        guard columnMajor.count == rows * columns else {
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
    /// - Parameter columns: the columns, all of one length (the row count); an empty array gives a `0 × 0`
    ///   matrix.
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
    /// - Parameter rowArrays: the rows, all of one length (the column count); an empty array gives a
    ///   `0 × 0` matrix.
    /// - Throws: ``LinearAlgebraError/dimensionMismatch(operation:expected:actual:)`` for ragged rows.
    public init(rows rowArrays: [[Double]]) throws {
        let columnCount = rowArrays.first?.count ?? 0
        if let ragged = rowArrays.firstIndex(where: { $0.count != columnCount }) {
            throw LinearAlgebraError.dimensionMismatch(
                operation: "Matrix(rows:)",
                expected: "every row of length \(columnCount)",
                actual: "row \(ragged) has length \(rowArrays[ragged].count)")
        }
        self.init(uncheckedRows: rowArrays.count, columns: columnCount)
        for (i, row) in rowArrays.enumerated() {
            for (j, value) in row.enumerated() { elements[i + j * rows] = value }
        }
    }

    /// The `n × n` identity matrix.
    ///
    /// - Parameter n: the order, non-negative (0 gives an empty matrix).
    /// - Throws: what ``init(rows:columns:repeating:)`` throws for `n × n` (a negative or too large `n`).
    /// Complexity: O(n²).
    public static func identity(_ n: Int) throws -> Matrix {
        var m = try Matrix(rows: n, columns: n)
        for i in 0..<n { m.elements[i + i * n] = 1 }
        return m
    }

    /// Element `(row, column)`.
    ///
    /// - Parameters:
    ///   - row: the 0-based row index.
    ///   - column: the 0-based column index.
    /// - Precondition: `0 ≤ row < rows` and `0 ≤ column < columns`: an index out of range traps, as
    ///   with `Array`'s subscript (an index is the caller's own arithmetic, never data; check it
    ///   against ``rows`` and ``columns`` when it comes from outside).
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
    ///
    /// - Parameter j: the 0-based column index.
    /// - Precondition: `0 ≤ j < columns` (traps otherwise, as `Array`'s subscript does).
    public func column(_ j: Int) -> ArraySlice<Double> {
        precondition(j >= 0 && j < columns, "Matrix column out of range")
        return elements[(j * rows)..<((j + 1) * rows)]
    }

    /// The `i`-th row, copied (rows are strided in column-major storage). O(columns).
    ///
    /// - Parameter i: the 0-based row index.
    /// - Precondition: `0 ≤ i < rows` (traps otherwise, as `Array`'s subscript does).
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
        var t = Matrix(uncheckedRows: columns, columns: rows)
        for j in 0..<columns {
            for i in 0..<rows { t.elements[j + i * columns] = elements[i + j * rows] }
        }
        return t
    }

    /// The sub-matrix made of the given columns, in the given order.
    ///
    /// - Parameter indices: the 0-based columns to keep, in the order wanted; repeats are allowed.
    /// - Throws: ``LinearAlgebraError/dimensionMismatch(operation:expected:actual:)`` naming the
    ///   first index outside `0..<columns`.
    /// Complexity: O(rows · indices.count).
    public func selectingColumns(_ indices: [Int]) throws -> Matrix {
        if let bad = indices.first(where: { $0 < 0 || $0 >= columns }) {
            throw LinearAlgebraError.dimensionMismatch(operation: "Matrix.selectingColumns(_:)", expected: "column indices in 0..<\(columns)",
                                                       actual: "index \(bad)")
        }
        var out = Matrix(uncheckedRows: rows, columns: indices.count)
        for (k, j) in indices.enumerated() {
            out.elements.replaceSubrange((k * rows)..<((k + 1) * rows), with: elements[(j * rows)..<((j + 1) * rows)])
        }
        return out
    }

    /// Calls `body` with the column-major storage.
    ///
    /// - Parameter body: a closure given the elements in column-major order (element `(i, j)` at
    ///   `i + j · rows`); the buffer is valid only during the call.
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Double>) throws -> R) rethrows -> R {
        try elements.withUnsafeBufferPointer(body)
    }

    /// Calls `body` with mutable column-major storage.
    ///
    /// - Parameter body: a closure given the elements in column-major order to read or overwrite; the
    ///   buffer is valid only during the call and must not be replaced.
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

import CLAPACK

/// A design matrix `X` held as the analysis's own column buffers — never copied into one
/// `n × p` block. Row `i` of `X` is `s_i · (1, x_i1, …, x_ik)` (the constant only with an
/// intercept; `s_i` an optional row scale such as `√w_i` for weighted least squares).
///
/// Every product a least-squares fit needs is computed by row blocks: a block of
/// ``blockRows`` rows is gathered into a small contiguous buffer (a few MB, in cache) and
/// handed to BLAS (`dsyrk` for `XᵀX`), or walked column by column for `Xᵀv` and `y − Xb`.
/// Blocks are grouped into fixed chunks that workers take in parallel; chunk results are added
/// in chunk order, so the results do not depend on the number of threads. Peak extra memory is
/// one block per worker plus one `p × p` matrix per chunk.
package struct ColumnDesign: LeastSquaresDesign {
    /// The data columns (without the constant), each `rows` long.
    package let columns: [[Double]]
    /// Whether a constant column comes first.
    package let intercept: Bool
    /// A factor per row multiplying every column (the constant too), or `nil` for 1.
    package let rowScale: [Double]?
    /// Rows of `X`.
    package let rows: Int

    /// Rows gathered per BLAS call.
    package static let blockRows = 2048
    /// Rows per parallel chunk (a multiple of ``blockRows``).
    package static let chunkRows = 65_536

    /// A design over `columns` (all of one length), with a leading constant when `intercept`.
    package init(columns: [[Double]], intercept: Bool, rowScale: [Double]? = nil) {
        self.columns = columns
        self.intercept = intercept
        self.rowScale = rowScale
        rows = columns.first?.count ?? rowScale?.count ?? 0
    }

    /// Columns of `X` (the constant included).
    package var columnCount: Int { columns.count + (intercept ? 1 : 0) }

    private var chunkCount: Int { (rows + Self.chunkRows - 1) / Self.chunkRows }

    /// Writes rows `range` of `X` into `target` (column-major, leading dimension `range.count`).
    private func gather(_ range: Range<Int>, into target: UnsafeMutablePointer<Double>) {
        let m = range.count
        var offset = 0
        if intercept {
            for i in 0..<m { target[i] = rowScale?[range.lowerBound + i] ?? 1 }
            offset = m
        }
        for column in columns {
            column.withUnsafeBufferPointer { c in
                let source = c.baseAddress! + range.lowerBound
                if let rowScale {
                    rowScale.withUnsafeBufferPointer { s in
                        let scale = s.baseAddress! + range.lowerBound
                        for i in 0..<m { target[offset + i] = source[i] * scale[i] }
                    }
                } else {
                    (target + offset).update(from: source, count: m)
                }
            }
            offset += m
        }
    }

    /// Visits `X` by row blocks of ``blockRows`` rows, in fixed chunks of ``chunkRows`` rows that
    /// workers take in parallel: each chunk starts from `initial()`, and `body(&state, rows,
    /// columns)` sees each of its blocks in order, `columns[j]` pointing at row `rows.lowerBound`
    /// of column `j` of `X` — straight into the caller's buffers (the constant into a block of
    /// ones), or into a gathered block when the design has a row scale. The chunk states come
    /// back in chunk order, so a caller summing them in that order gets the same bits on any
    /// number of threads. Extra memory: one block per worker. Complexity: O(rows) plus the body.
    package func reduceBlocks<State>(_ initial: @Sendable () -> State,
                                     _ body: @Sendable (inout State, Range<Int>, [UnsafePointer<Double>]) -> Void) -> [State] {
        guard rows > 0 else { return [] }
        return Self.withPointers(to: columns[...]) { bases in
            let shared = UncheckedSendable(bases)
            return Parallel.map(chunkCount) { chunk -> State in
                var state = initial()
                let start = chunk * Self.chunkRows, end = Swift.min(rows, start + Self.chunkRows)
                let p = Swift.max(1, columnCount)
                let buffer = UnsafeMutablePointer<Double>.allocate(capacity: Self.blockRows * (rowScale == nil ? 1 : p))
                defer { buffer.deallocate() }
                if rowScale == nil { buffer.initialize(repeating: 1, count: Self.blockRows) }
                for blockStart in stride(from: start, to: end, by: Self.blockRows) {
                    let range = blockStart..<Swift.min(end, blockStart + Self.blockRows)
                    var pointers: [UnsafePointer<Double>] = []
                    pointers.reserveCapacity(columnCount)
                    if rowScale != nil {
                        gather(range, into: buffer)
                        for j in 0..<columnCount { pointers.append(UnsafePointer(buffer + j * range.count)) }
                    } else {
                        if intercept { pointers.append(UnsafePointer(buffer)) }
                        for base in shared.value { pointers.append(base + range.lowerBound) }
                    }
                    body(&state, range, pointers)
                }
                return state
            }
        }
    }

    /// Calls `body` with the base address of every array in `arrays` (nested buffer accesses,
    /// so the addresses stay valid for the whole call); the arrays must not be empty.
    private static func withPointers<R>(to arrays: ArraySlice<[Double]>, _ collected: [UnsafePointer<Double>] = [],
                                        _ body: ([UnsafePointer<Double>]) -> R) -> R {
        guard let first = arrays.first else { return body(collected) }
        return first.withUnsafeBufferPointer { buffer in
            withPointers(to: arrays.dropFirst(), collected + [buffer.baseAddress!], body)   // rows > 0: not empty
        }
    }

    /// `XᵀX` (symmetric `p × p`), by `dsyrk` on gathered row blocks.
    package func crossProduct() throws -> Matrix {
        let p = columnCount
        let p32 = try LAPACK.int32(p)
        let chunks = Parallel.map(chunkCount) { chunk -> [Double] in
            var gram = [Double](repeating: 0, count: p * p)
            let start = chunk * Self.chunkRows, end = Swift.min(rows, start + Self.chunkRows)
            let buffer = UnsafeMutablePointer<Double>.allocate(capacity: Self.blockRows * p)
            defer { buffer.deallocate() }
            gram.withUnsafeMutableBufferPointer { g in
                for blockStart in stride(from: start, to: end, by: Self.blockRows) {
                    let range = blockStart..<Swift.min(end, blockStart + Self.blockRows)
                    gather(range, into: buffer)
                    let m = Int32(range.count)
                    kda_dsyrk_upper(1, p32, m, 1, buffer, m, 1, g.baseAddress, p32)
                }
            }
            return gram
        }
        var c = Matrix(uncheckedRows: p, columns: p)
        c.withUnsafeMutableBufferPointer { target in
            for gram in chunks { for k in 0..<(p * p) { target[k] += gram[k] } }
        }
        c.symmetrizeFromUpper()
        return c
    }

    /// `Xᵀv`: per row block, one `ddot` per column straight on the caller's buffers (no copy).
    package func transposedTimes(_ v: [Double]) throws -> [Double] {
        let p = columnCount, offset = intercept ? 1 : 0
        let chunks = Parallel.map(chunkCount) { chunk -> [Double] in
            let start = chunk * Self.chunkRows, end = Swift.min(rows, start + Self.chunkRows)
            var sums = [Double](repeating: 0, count: p)
            let scaled = UnsafeMutablePointer<Double>.allocate(capacity: Self.blockRows)
            defer { scaled.deallocate() }
            v.withUnsafeBufferPointer { vp in
                for blockStart in stride(from: start, to: end, by: Self.blockRows) {
                    let m = Swift.min(end, blockStart + Self.blockRows) - blockStart
                    var u = UnsafePointer(vp.baseAddress! + blockStart)
                    if let rowScale {
                        for i in 0..<m { scaled[i] = rowScale[blockStart + i] * vp[blockStart + i] }
                        u = UnsafePointer(scaled)
                    }
                    if intercept {
                        var total = 0.0
                        for i in 0..<m { total += u[i] }
                        sums[0] += total
                    }
                    for (j, column) in columns.enumerated() {
                        sums[j + offset] += column.withUnsafeBufferPointer { kda_ddot(Int32(m), $0.baseAddress! + blockStart, u) }
                    }
                }
            }
            return sums
        }
        var result = [Double](repeating: 0, count: p)
        for sums in chunks { for j in 0..<p { result[j] += sums[j] } }
        return result
    }

    /// `y − Xb`: per row block, one `daxpy` per column straight on the caller's buffers.
    package func residuals(_ y: [Double], _ b: [Double]) throws -> [Double] {
        var r = [Double](repeating: 0, count: rows)
        let out = UncheckedSendable(r.withUnsafeMutableBufferPointer { $0.baseAddress! })
        let offset = intercept ? 1 : 0
        Parallel.forEach(chunkCount) { chunk in
            let start = chunk * Self.chunkRows, end = Swift.min(rows, start + Self.chunkRows)
            for blockStart in stride(from: start, to: end, by: Self.blockRows) {
                let m = Swift.min(end, blockStart + Self.blockRows) - blockStart
                let target = out.value + blockStart
                let constant = intercept ? b[0] : 0
                for i in 0..<m { target[i] = constant }
                for (j, column) in columns.enumerated() {
                    column.withUnsafeBufferPointer { kda_daxpy(Int32(m), b[j + offset], $0.baseAddress! + blockStart, target) }
                }
                if let rowScale {
                    for i in 0..<m { target[i] = y[blockStart + i] - rowScale[blockStart + i] * target[i] }
                } else {
                    for i in 0..<m { target[i] = y[blockStart + i] - target[i] }
                }
            }
        }
        return r
    }

    /// Euclidean norm of column `j` of `X` (overflow-safe, as the QR path computes it).
    package func columnNorm(_ j: Int) -> Double {
        guard rows > 0 else { return 0 }
        let data = intercept ? (j == 0 ? nil : columns[j - 1]) : columns[j]
        switch (data, rowScale) {
        case let (data?, nil):
            return data.withUnsafeBufferPointer { QRLeastSquares.columnNorm($0.baseAddress!, count: rows) }
        case let (data?, scale?):
            let product = zip(data, scale).map { $0 * $1 }
            return product.withUnsafeBufferPointer { QRLeastSquares.columnNorm($0.baseAddress!, count: rows) }
        case let (nil, scale?):
            return scale.withUnsafeBufferPointer { QRLeastSquares.columnNorm($0.baseAddress!, count: rows) }
        case (nil, nil):
            return Double(rows).squareRoot()
        }
    }

    /// `x_iᵀ C x_i` for every row (`C` symmetric over the columns `retained`): leverages when
    /// `C = (XᵀX)⁻¹`. By `dgemm` on gathered row blocks.
    package func quadraticForms(_ c: Matrix, retained: [Int]) throws -> [Double] {
        let k = retained.count, p = columnCount
        var h = [Double](repeating: 0, count: rows)
        let out = UncheckedSendable(h.withUnsafeMutableBufferPointer { $0.baseAddress! })
        let k32 = try LAPACK.int32(k)
        Parallel.forEach(chunkCount) { chunk in
            let start = chunk * Self.chunkRows, end = Swift.min(rows, start + Self.chunkRows)
            let full = UnsafeMutablePointer<Double>.allocate(capacity: Self.blockRows * p)
            let block = UnsafeMutablePointer<Double>.allocate(capacity: Self.blockRows * k)
            let product = UnsafeMutablePointer<Double>.allocate(capacity: Self.blockRows * k)
            defer { full.deallocate(); block.deallocate(); product.deallocate() }
            for blockStart in stride(from: start, to: end, by: Self.blockRows) {
                let range = blockStart..<Swift.min(end, blockStart + Self.blockRows)
                let m = range.count
                gather(range, into: full)
                for (a, j) in retained.enumerated() { (block + a * m).update(from: full + j * m, count: m) }
                c.withUnsafeBufferPointer { cp in
                    kda_dgemm(0, 0, Int32(m), k32, k32, 1, block, Int32(m), cp.baseAddress, k32, 0, product, Int32(m))
                }
                for i in 0..<m {
                    var value = 0.0
                    for a in 0..<k { value += product[i + a * m] * block[i + a * m] }
                    out.value[range.lowerBound + i] = value
                }
            }
        }
        return h
    }

    /// The columns `retained` of `X` (positions counting the constant), in that order; the
    /// constant stays first when retained.
    package func selecting(_ retained: [Int]) -> ColumnDesign {
        let offset = intercept ? 1 : 0
        let keepsConstant = intercept && retained.contains(0)
        return ColumnDesign(columns: retained.filter { $0 >= offset }.map { columns[$0 - offset] }, intercept: keepsConstant,
                            rowScale: rowScale)
    }

    /// The design with every row `i` multiplied by `factors[i]` as well.
    package func scalingRows(by factors: [Double]) -> ColumnDesign {
        ColumnDesign(columns: columns, intercept: intercept, rowScale: rowScale.map { zip($0, factors).map { $0 * $1 } } ?? factors)
    }

    /// The design as one column-major matrix (for the QR fallback).
    package func materialized() -> Matrix {
        let p = columnCount
        var m = Matrix(uncheckedRows: rows, columns: p)
        m.withUnsafeMutableBufferPointer { target in
            if rows > 0 { gather(0..<rows, into: target.baseAddress!) }
        }
        return m
    }

    /// The first non-finite element `(row, column)` of the data or the row scale, if any.
    package func firstNonFiniteElement() -> (row: Int, column: Int)? {
        let offset = intercept ? 1 : 0
        if let rowScale, let i = rowScale.firstIndex(where: { !$0.isFinite }) { return (i, 0) }
        for (j, column) in columns.enumerated() {
            if let i = column.firstIndex(where: { !$0.isFinite }) { return (i, j + offset) }
        }
        return nil
    }
}

import LinearAlgebra

/// Validated correlation-scale input to the importance methods: the driver correlation
/// matrix `R` (p × p) and the driver–outcome correlations `r`.
///
/// Everything correlation-based is scale-free, so it can come from raw data, ``Moments``
/// (streamed or computed in a warehouse) or a correlation matrix supplied by the user.
public struct ImportanceInput: Sendable {
    /// Driver names, in matrix order.
    public let names: [String]
    /// Name of the outcome.
    public let outcomeName: String
    /// Driver correlations, p × p.
    public let driverCorrelation: Matrix
    /// Correlation of each driver with the outcome.
    public let outcomeCorrelation: [Double]

    /// The number of drivers `p`.
    public var driverCount: Int { names.count }

    /// From a full correlation matrix whose variables are `names` (drivers and outcome).
    ///
    /// - Parameters:
    ///   - correlation: the correlation (or covariance) matrix of the variables, symmetric and finite, in the
    ///     order of `names`.
    ///   - names: the variables of `correlation`: the drivers and the outcome.
    ///   - outcome: the outcome's name among `names`; every other variable is a driver.
    /// - Throws: ``ImportanceError`` for no drivers, a driver with zero variance, or a matrix that
    ///   is not positive semidefinite (naming the drivers on the offending eigenvector);
    ///   `LinearAlgebraError.nonFinite` naming the first `NaN` or infinite entry (never called a
    ///   zero variance).
    public init(correlation: Matrix, names: [String], outcome: String) throws {
        guard correlation.rows == names.count, correlation.columns == names.count else {
            throw ImportanceError.dimensionMismatch("a \(correlation.rows) × \(correlation.columns) matrix for \(names.count) names")
        }
        guard let y = names.firstIndex(of: outcome) else {
            throw ImportanceError.dimensionMismatch("the outcome '\(outcome)' is not among the matrix's variables")
        }
        let drivers = names.indices.filter { $0 != y }
        guard !drivers.isEmpty else { throw ImportanceError.tooFewDrivers(count: 0, minimum: 1) }
        // A NaN or an infinity is not a variance of zero: it is named as what it is.
        if let bad = correlation.firstNonFiniteElement() {
            throw LinearAlgebraError.nonFinite(operation: "ImportanceInput(correlation:names:outcome:) ('\(names[bad.row])', '\(names[bad.column])')",
                                               row: bad.row, column: bad.column)
        }
        for j in names.indices where !(correlation[j, j] > 0) {
            if j == y { throw ImportanceError.zeroVariance(driver: outcome) }
            throw ImportanceError.zeroVariance(driver: names[j])
        }
        // Standardize (accepts a covariance matrix too), dividing by each standard deviation in
        // turn: `cᵢⱼ/√cᵢᵢ/√cⱼⱼ` neither overflows for variances near 1e308 nor underflows for
        // subnormal ones, where `cᵢⱼ·(1/√cᵢᵢ)·(1/√cⱼⱼ)` would.
        let root = names.indices.map { correlation[$0, $0].squareRoot() }
        var r = Matrix(uncheckedRows: drivers.count, columns: drivers.count)
        for (a, i) in drivers.enumerated() {
            for (b, j) in drivers.enumerated() { r[a, b] = i == j ? 1 : correlation[i, j] / root[i] / root[j] }
        }
        if let bad = r.firstNonFiniteElement() {
            throw ImportanceError.zeroVariance(driver: names[drivers[bad.row]])
        }
        let full = try SymmetricEigen(correlation.standardized(by: root))
        if let smallest = full.values.first, smallest < -1e-8 {
            let loadings = (0..<names.count).map { abs(full.vectors[$0, 0]) }
            let top = loadings.indices.sorted { loadings[$0] > loadings[$1] }.prefix(3).map { names[$0] }
            throw ImportanceError.notPositiveSemidefinite(smallestEigenvalue: smallest, drivers: Array(top))
        }
        self.names = drivers.map { names[$0] }
        self.outcomeName = outcome
        driverCorrelation = r
        outcomeCorrelation = drivers.map { correlation[$0, y] / root[$0] / root[y] }
    }

    /// From moments of drivers and outcome.
    ///
    /// - Parameters:
    ///   - moments: the moments (means, cross-products, weights) of the drivers and the outcome.
    ///   - outcome: the outcome's name among the moments' variables; every other variable is a driver.
    public init(moments: Moments, outcome: String) throws {
        try self.init(correlation: moments.crossProducts, names: moments.names, outcome: outcome)
    }

    /// From a listwise sample.
    ///
    /// - Parameter sample: the analysed rows (complete cases); their moments use the sample's weights, if any.
    public init(sample: AnalysisSample) throws {
        try self.init(moments: try sample.moments(), outcome: sample.outcomeName)
    }

    /// The same input restricted to (and ordered as) `drivers` (indices into ``names``).
    func subset(_ drivers: [Int]) -> ImportanceInput {
        var r = Matrix(uncheckedRows: drivers.count, columns: drivers.count)
        for (a, i) in drivers.enumerated() { for (b, j) in drivers.enumerated() { r[a, b] = driverCorrelation[i, j] } }
        return ImportanceInput(names: drivers.map { names[$0] }, outcomeName: outcomeName, driverCorrelation: r,
                               outcomeCorrelation: drivers.map { outcomeCorrelation[$0] })
    }

    init(names: [String], outcomeName: String, driverCorrelation: Matrix, outcomeCorrelation: [Double]) {
        self.names = names
        self.outcomeName = outcomeName
        self.driverCorrelation = driverCorrelation
        self.outcomeCorrelation = outcomeCorrelation
    }

    /// R² of the full model, `rᵀR⁻¹r` (pseudo-inverse sense for collinear drivers).
    public func rSquared() -> Double {
        var current = driverCorrelation.elements
        var vector = outcomeCorrelation
        let p = driverCount
        var value = 0.0
        for m in 0..<p {
            let pivot = current[m + m * p]
            guard pivot > SubsetRSquaredWalk.collinearityTolerance else { continue }
            let bm = vector[m]
            value += bm * bm / pivot
            for l in (m + 1)..<max(m + 1, p) {
                let factor = current[m + l * p] / pivot
                vector[l] -= factor * bm
                for k in (m + 1)..<p { current[k + l * p] -= current[k + m * p] * factor }
            }
        }
        return value
    }
}

extension Matrix {
    /// The square matrix scaled to unit diagonal, `mᵢⱼ/sᵢ/sⱼ` with `s` the square roots of the diagonal.
    func standardized(by root: [Double]) -> Matrix {
        var out = Matrix(uncheckedRows: rows, columns: columns)
        for i in 0..<rows { for j in 0..<columns { out[i, j] = i == j ? 1 : self[i, j] / root[i] / root[j] } }
        return out
    }
}

import LinearAlgebra

/// What to do with respondents who skipped a question.
public enum MissingDataPolicy: String, Sendable, CaseIterable, Codable {
    /// Use only respondents with every selected column present (model fits need this).
    case listwise
    /// Use, for each pair of variables, every respondent with both present (correlation-based
    /// methods; see ``PairwiseMoments``).
    case pairwise
}

/// The rows and columns one analysis uses, after listwise deletion and validation.
public struct AnalysisSample: Sendable {
    /// Name of the outcome column.
    public let outcomeName: String
    /// Names of the driver columns, in the order of ``drivers``.
    public let driverNames: [String]
    /// Name of the weight column, `nil` when unweighted (`"weight"` for a sample built in memory with weights).
    public let weightName: String?
    /// Outcome values, complete rows only.
    public let outcome: [Double]
    /// Driver values, one array per driver, complete rows only.
    public let drivers: [[Double]]
    /// Weights of the rows kept (finite, ≥ 0), or `nil` when unweighted.
    public let weights: [Double]?
    /// Source row numbers of the rows kept.
    public let rowNumbers: [Int]
    /// Rows in the data before deletion.
    public let totalRows: Int
    /// Per selected column, how many rows were missing it (before deletion).
    public let missingByColumn: [String: Int]
    /// 0-based positions of the rows kept in the ``SurveyData`` they came from.
    public let sourceIndices: [Int]
    /// How the driver columns were coded from the survey when they are not its own columns — the
    /// factor dummies of a ``DriverDesign``'s sample — else `nil`. A model fitted on the sample keeps
    /// it, so that its `predict(_:)` codes a new ``SurveyData`` the same way.
    public internal(set) var termCoding: TermCoding? = nil

    /// A sample from complete columns already in memory (no missing values), for the stages
    /// and methods that take one (``Bootstrap/shapley(_:replicates:seed:confidenceLevel:)``,
    /// ``WhatIf/churnWithIntervals(sample:scenario:scale:margin:lifetime:customers:tops:replicates:seed:confidenceLevel:)``).
    ///
    /// - Parameters:
    ///   - outcome: the outcome's name and values, finite (no missing values).
    ///   - drivers: each driver's name and values, as long as the outcome's and finite; names unique and
    ///     other than the outcome's.
    ///   - weights: one non-negative finite weight per row; `nil` (the default) for an unweighted sample.
    /// - Throws: ``SurveyDataError/columnLengthMismatch(column:expected:found:)`` for columns
    ///   of different lengths, ``SurveyDataError/nonFinite(path:row:column:value:)`` for a
    ///   `NaN` or infinite value (complete rows only), ``SurveyDataError/invalidWeight(path:row:column:value:reason:)``
    ///   for a negative weight, ``SurveyDataError/extremeScale(column:magnitude:)`` for values whose
    ///   squares overflow or underflow, ``AnalysisError/outcomeAmongDrivers(outcome:)`` and
    ///   ``AnalysisError/duplicateDriver(name:role:)`` as ``SurveyData/sample(outcome:drivers:weight:minimumRows:)``.
    public init(outcome: (name: String, values: [Double]), drivers: [(name: String, values: [Double])],
                weights: [Double]? = nil) throws {
        try Self.checkRoles(outcome: outcome.name, drivers: drivers.map(\.name))
        let n = outcome.values.count
        for column in [outcome] + drivers {
            guard column.values.count == n else { throw SurveyDataError.columnLengthMismatch(column: column.name, expected: n, found: column.values.count) }
            if let bad = column.values.firstIndex(where: { !$0.isFinite }) {
                throw SurveyDataError.nonFinite(path: "<memory>", row: bad + 2, column: column.name, value: "\(column.values[bad])")
            }
        }
        if let weights {
            guard weights.count == n else { throw SurveyDataError.columnLengthMismatch(column: "weight", expected: n, found: weights.count) }
            if let bad = weights.firstIndex(where: { !($0.isFinite && $0 >= 0) }) {
                throw SurveyDataError.invalidWeight(path: "<memory>", row: bad + 2, column: "weight", value: weights[bad], reason: "weights must be finite and not negative")
            }
        }
        try SurveyData.checkScale([outcome.name] + drivers.map(\.name), [outcome.values] + drivers.map(\.values))
        self.init(outcomeName: outcome.name, driverNames: drivers.map(\.name), weightName: weights == nil ? nil : "weight",
                  outcome: outcome.values, drivers: drivers.map(\.values), weights: weights, rowNumbers: Array(2..<(n + 2)),
                  totalRows: n, missingByColumn: [:], sourceIndices: Array(0..<n))
    }

    init(outcomeName: String, driverNames: [String], weightName: String?, outcome: [Double], drivers: [[Double]], weights: [Double]?,
         rowNumbers: [Int], totalRows: Int, missingByColumn: [String: Int], sourceIndices: [Int]) {
        self.outcomeName = outcomeName
        self.driverNames = driverNames
        self.weightName = weightName
        self.outcome = outcome
        self.drivers = drivers
        self.weights = weights
        self.rowNumbers = rowNumbers
        self.totalRows = totalRows
        self.missingByColumn = missingByColumn
        self.sourceIndices = sourceIndices
    }

    /// Refuses an outcome listed among the drivers (it would explain itself: R² = 1) and a driver
    /// listed twice (two identical columns: one of them aliased), as the façade does.
    static func checkRoles(outcome: String, drivers: [String]) throws {
        if drivers.contains(outcome) { throw AnalysisError.outcomeAmongDrivers(outcome: outcome) }
        var seen = Set<String>()
        if let repeated = drivers.first(where: { !seen.insert($0).inserted }) {
            throw AnalysisError.duplicateDriver(name: repeated, role: "driver")
        }
    }

    /// Rows kept.
    public var observationCount: Int { outcome.count }
    /// Rows dropped by listwise deletion.
    public var droppedRows: Int { totalRows - observationCount }

    /// Kish's effective sample size `(Σw)²/Σw²`; the row count when unweighted.
    public var effectiveSampleSize: Double {
        guard let weights else { return Double(observationCount) }
        let sum = weights.reduce(0, +), squares = weights.reduce(0) { $0 + $1 * $1 }
        return squares > 0 ? sum * sum / squares : 0
    }

    /// `[1, drivers…]` (or drivers only) as a column-major design matrix.
    ///
    /// - Parameter intercept: whether to put a column of ones first; `true` by default.
    public func designMatrix(intercept: Bool = true) throws -> Matrix {
        try Matrix(columns: (intercept ? [[Double](repeating: 1, count: observationCount)] : []) + drivers)
    }

    /// Moments of `[drivers…, outcome]` (outcome last).
    public func moments() throws -> Moments {
        try Moments(names: driverNames + [outcomeName], columns: drivers + [outcome], weights: weights)
    }
}

extension SurveyData {
    /// Selects the outcome, drivers and optional weight, drops incomplete rows (listwise), and
    /// validates what remains.
    ///
    /// - Parameters:
    ///   - outcome: the outcome column.
    ///   - drivers: the driver columns.
    ///   - weight: an optional weight column.
    ///   - minimumRows: fewest complete rows accepted (default: drivers + 2, what an
    ///     OLS fit with intercept needs for one residual degree of freedom).
    /// - Throws: ``SurveyDataError`` for an unknown, unnamed (empty header: results need a
    ///   name) or non-numeric column, a non-finite value,
    ///   a negative weight, all-zero weights, a driver that is all missing or constant among the
    ///   complete rows, or too few complete rows; ``AnalysisError/outcomeAmongDrivers(outcome:)``
    ///   when the outcome is also a driver (it would explain itself, R² = 1),
    ///   ``AnalysisError/duplicateDriver(name:role:)`` for a driver listed twice and
    ///   ``AnalysisError/conflictingRoles(column:roles:)`` for a weight that is also the outcome or a driver.
    public func sample(outcome: String, drivers: [String], weight: String? = nil, minimumRows: Int? = nil) throws -> AnalysisSample {
        try AnalysisSample.checkRoles(outcome: outcome, drivers: drivers)
        if let weight, weight == outcome || drivers.contains(weight) {
            throw AnalysisError.conflictingRoles(column: weight, roles: ["the weight", weight == outcome ? "the outcome" : "a driver"])
        }
        for name in [outcome] + drivers + (weight.map { [$0] } ?? []) {
            let column = try column(name)
            if column.isUnnamed { throw SurveyDataError.unnamedColumn(path: source, column: column.position) }
        }
        let y = try numericValues(outcome)
        let xs = try drivers.map { try numericValues($0) }
        let w = try weight.map { try numericValues($0) }
        // Missing cells per column, columns in parallel.
        let columns = [y] + xs + (w.map { [$0] } ?? [])
        let missingCounts = Parallel.map(columns.count) { j in
            columns[j].withUnsafeBufferPointer { c in
                var count = 0
                for i in c.indices { count += c[i].isNaN ? 1 : 0 }
                return count
            }
        }
        var missing: [String: Int] = [outcome: missingCounts[0]]
        for (j, (name, x)) in zip(drivers, xs).enumerated() {
            let count = missingCounts[j + 1]
            if count == x.count { throw SurveyDataError.allMissing(column: name) }
            missing[name] = count
        }
        if let weight, let w {
            missing[weight] = missingCounts[columns.count - 1]
            if let bad = w.firstIndex(where: { $0 < 0 }) {
                throw SurveyDataError.invalidWeight(path: source, row: rowNumbers[bad], column: weight, value: w[bad], reason: "weights must not be negative")
            }
        }
        // Complete rows, column by column (cache-friendly), visiting only columns with a gap; the
        // columns are shared, not copied, when every row is complete.
        var complete = [Bool](repeating: true, count: rowCount)
        for (column, count) in zip(columns, missingCounts) where count > 0 {
            column.withUnsafeBufferPointer { c in for i in 0..<rowCount where c[i].isNaN { complete[i] = false } }
        }
        var keep: [Int] = []
        keep.reserveCapacity(rowCount)
        for i in 0..<rowCount where complete[i] { keep.append(i) }
        let all = keep.count == rowCount
        let needed = minimumRows ?? drivers.count + 2
        guard keep.count >= needed else {
            throw SurveyDataError.tooFewCompleteRows(needed: needed, available: keep.count,
                                                     reason: "\(drivers.count) drivers with an intercept")
        }
        let keptWeights = w.map { column in all ? column : keep.map { column[$0] } }
        if let weight, let keptWeights, keptWeights.allSatisfy({ $0 == 0 }) {
            throw SurveyDataError.allWeightsZero(column: weight)
        }
        let keptDrivers = all ? xs : xs.map { column in keep.map { column[$0] } }
        for (name, column) in zip(drivers, keptDrivers) where column.allSatisfy({ $0 == column[0] }) {
            throw SurveyDataError.constantColumn(column: name, value: column[0])
        }
        let keptOutcome = all ? y : keep.map { y[$0] }
        try Self.checkScale([outcome] + drivers, [keptOutcome] + keptDrivers)
        return AnalysisSample(
            outcomeName: outcome, driverNames: drivers, weightName: weight, outcome: keptOutcome,
            drivers: keptDrivers, weights: keptWeights, rowNumbers: all ? rowNumbers : keep.map { rowNumbers[$0] },
            totalRows: rowCount, missingByColumn: missing, sourceIndices: keep)
    }

    /// The magnitudes whose squares and cross-products a `Double` holds with room to spare:
    /// sums of squares of values beyond 10¹⁵⁰ overflow and of values below 10⁻¹⁵⁰ underflow,
    /// which would read as infinite or zero variance.
    static let magnitudeRange = 1e-150...1e150

    /// Refuses a column whose largest magnitude lies outside ``magnitudeRange`` (all-zero columns
    /// are constant and refused before), naming it and the rescaling that fixes it.
    static func checkScale(_ names: [String], _ columns: [[Double]]) throws {
        for (name, column) in zip(names, columns) {
            let largest = column.reduce(0) { max($0, abs($1)) }
            guard largest > 0, !magnitudeRange.contains(largest) else { continue }
            throw SurveyDataError.extremeScale(column: name, magnitude: largest)
        }
    }
}

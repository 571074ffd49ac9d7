import LinearAlgebra

/// Stage 4: the importance–performance matrix of the rating drivers — importance shares
/// against performance as percent of each rating's own scale (so 1–5, 1–7 and 0–10 items sit
/// on one axis), split into *fix first*, *keep up*, *nice to have* and *possible overkill*
/// (Martilla & James 1977). Drivers that are not ratings (tenure, charges, 0/1 attributes,
/// factors) have no performance: they are attributes, not levers on the matrix.
public struct PriorityStage: Sendable {
    /// The matrix of the rating drivers (in selection order), when importance shares exist and
    /// at least one driver is a rating.
    public let matrix: PriorityMatrix?
    /// Per selected driver, its place on the matrix (`nil` for non-ratings).
    public let placements: [PriorityMatrix.Driver?]
    /// Per selected driver, the mean rating over every answer (`nil` for non-ratings).
    public let meanRatings: [Double?]

    /// Places the rating drivers of `selection` by `shares`.
    ///
    /// - Parameters:
    ///   - data: the survey.
    ///   - selection: the drivers; only ratings with a scale are placed.
    ///   - shares: each selected driver's importance share, in selection order; `nil`: no matrix, only the mean
    ///     ratings.
    ///   - c: the analysis options.
    /// - Throws: ``CXError`` for inconsistent inputs, ``SurveyDataError`` for an unusable column.
    /// Complexity: O(n × ratings).
    public init(data: SurveyData, selection: DriverSelection, shares: [Double]?, configuration c: AnalysisConfiguration) throws {
        let variables = selection.variables
        let rated = variables.indices.filter { variables[$0].kind == .rating && variables[$0].scale != nil }
        var means = [Double?](repeating: nil, count: variables.count)
        var percents: [Double] = []
        // Each rating's answered total and count, columns in parallel.
        let columns = try rated.map { try data.numericValues(variables[$0].name) }
        let totals = Parallel.map(columns.count) { k -> (sum: Double, count: Int) in
            columns[k].withUnsafeBufferPointer { values in
                var sum = 0.0, count = 0
                for v in values where !v.isNaN { sum += v; count += 1 }
                return (sum, count)
            }
        }
        for (k, j) in rated.enumerated() {
            let scale = variables[j].scale ?? 0...1
            let (sum, count) = totals[k]
            guard count > 0 else { throw CXError.empty("no ratings for '\(variables[j].name)'") }
            means[j] = sum / Double(count)
            percents.append(100 * (sum / Double(count) - scale.lowerBound) / (scale.upperBound - scale.lowerBound))
        }
        var placements = [PriorityMatrix.Driver?](repeating: nil, count: variables.count)
        var matrix: PriorityMatrix? = nil
        if let shares, !rated.isEmpty {
            let built = try PriorityMatrix(names: rated.map { variables[$0].name }, importance: rated.map { shares[$0] },
                                           performance: percents, scale: 0...100)
            for (k, j) in rated.enumerated() { placements[j] = built.drivers[k] }
            matrix = built
        }
        self.matrix = matrix
        self.placements = placements
        meanRatings = means
    }
}

/// Stage 4: the importance–performance matrix of the drivers — importance shares against
/// performance on the rating scale, split into *fix first*, *keep up*, *nice to have* and
/// *possible overkill* (Martilla & James 1977).
public struct PriorityStage: Sendable {
    /// The rating scale: `1…scaleMax` when every rating is at least 1, else from the lowest
    /// value (or 0) to `scaleMax`.
    public let scale: ClosedRange<Double>
    /// The matrix, when importance shares exist.
    public let matrix: PriorityMatrix?

    /// Places the `drivers` of `data` by `shares`.
    ///
    /// - Throws: ``CXError`` for inconsistent inputs.
    public init(data: SurveyData, drivers: [String], shares: [Double]?, configuration c: AnalysisConfiguration) throws {
        let ratings = try drivers.map { try data.numericValues($0) }
        let observedMin = ratings.lazy.flatMap { $0 }.filter { !$0.isNaN }.min() ?? 0
        let scale = min(observedMin, 1) >= 1 ? 1...max(1.5, c.scaleMax) : min(0, observedMin)...max(c.scaleMax, min(0, observedMin) + 1)
        self.scale = scale
        matrix = try shares.map { try PriorityMatrix(names: drivers, importance: $0, ratings: ratings, scale: scale) }
    }
}

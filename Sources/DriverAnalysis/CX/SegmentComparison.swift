import Foundation
import LinearAlgebra

/// The same driver analysis in every segment (region, plan, channel…), and whether a driver's
/// effect differs between segments.
///
/// Each segment gets its own model and Shapley importance. Heterogeneity of a driver's
/// coefficient across the `k` segments is tested with Cochran's Q:
/// `Q = Σ_s (b_s − b̄)²/SE_s²`, `b̄ = Σ(b_s/SE_s²)/Σ(1/SE_s²)`, χ² with `k − 1` df (Cochran 1954).
/// Segments with fewer complete rows than the model has parameters are skipped with a warning;
/// segments with fewer than 10 rows per parameter are kept with a warning.
public struct SegmentComparison: Sendable {
    /// The analysis of one segment level.
    public struct SegmentFit: Sendable {
        /// The segment level (a value of the segment column).
        public let name: String
        /// Complete rows of the segment used in its model.
        public let observationCount: Int
        /// Per driver: coefficient, standard error.
        public let coefficients: [Coefficient]
        /// Shapley values (R² units for linear, McFadden R² for logistic).
        public let importance: [Double]
        /// R² or McFadden R².
        public let fit: Double
    }

    /// Cochran's Q test that one driver's coefficient is the same in every segment.
    public struct Heterogeneity: Sendable, Equatable {
        /// The driver tested.
        public let driver: String
        /// `Q = Σ_s (b_s − b̄)²/SE_s²` over the segments where the driver is estimable; `NaN` when fewer than two are.
        public let q: Double
        /// `k − 1` for `k` usable segments (0 when `q` is `NaN`).
        public let degreesOfFreedom: Int
        /// Upper-tail χ² probability of `q` on ``degreesOfFreedom``; small values mean the effect differs. `NaN` with `q`.
        public let pValue: Double
    }

    /// The drivers, in the order of each segment's coefficients and importance.
    public let drivers: [String]
    /// Segments that could be fitted, in the order ``SurveyData/split(by:)`` returns their levels.
    public let segments: [SegmentFit]
    /// One test per driver, in ``drivers`` order.
    public let heterogeneity: [Heterogeneity]
    /// Skipped segments (too few complete rows, data errors) and segments with fewer than 10 rows per parameter.
    public let warnings: [DriverReport.Warning]

    /// Splits `data` by the levels of `segment`, fits `outcome ~ drivers` with importance in each,
    /// and tests every driver for heterogeneity.
    ///
    /// - Parameters:
    ///   - data: the survey.
    ///   - segment: the column whose levels split the survey.
    ///   - outcome: the outcome column.
    ///   - drivers: the driver columns (numeric).
    ///   - model: `.linear` (Shapley values of R²) or `.logistic` (of McFadden R²).
    /// - Throws: ``SurveyDataError`` for an unknown segment column; ``ModelError`` or
    ///   ``ImportanceError`` when a segment with enough rows cannot be analysed;
    ///   ``AnalysisError/invalidOption(option:value:reason:)`` for `.ordinal`.
    /// Complexity: per segment, one model fit plus exact Shapley (`O(2^p·p²)` linear,
    /// `2^p` logistic fits); then O(p·k).
    public init(data: SurveyData, segment: String, outcome: String, drivers: [String], model: DriverReport.ModelKind) throws {
        let parameters = drivers.count + 1
        guard model != .ordinal else {
            throw AnalysisError.invalidOption(option: "model", value: "ordinal", reason: "segment comparison fits linear or logistic models")
        }
        var segments: [SegmentFit] = []
        var warnings: [DriverReport.Warning] = []
        for part in try data.split(by: segment) {
            let sample: AnalysisSample
            do {
                sample = try part.data.sample(outcome: outcome, drivers: drivers, minimumRows: parameters + 1)
            } catch let error as SurveyDataError {
                if case let .tooFewCompleteRows(_, available, _) = error {
                    warnings.append(.init(.smallSegment, CXError.segmentTooSmall(segment: part.level, rows: available, parameters: parameters).description + "; skipped"))
                    continue
                }
                warnings.append(.init(.smallSegment, "segment '\(part.level)': \(error); skipped"))
                continue
            }
            if sample.observationCount < 10 * parameters {
                warnings.append(.init(.smallSegment, "segment '\(part.level)' has only \(sample.observationCount) complete rows for \(parameters) parameters (fewer than 10 per parameter): estimates are unstable"))
            }
            switch model {
            case .linear:
                let fit = try LinearRegression(sample)
                let shapley = try ShapleyDecomposition(ImportanceInput(sample: sample))
                segments.append(SegmentFit(name: part.level, observationCount: sample.observationCount, coefficients: Array(fit.coefficients.dropFirst()),
                                        importance: shapley.values, fit: fit.rSquared))
            case .logistic, .ordinal:
                let fit = try LogisticRegression(sample)
                let dominance = try LogisticDominance(outcome: sample.outcome, drivers: sample.drivers, names: drivers)
                segments.append(SegmentFit(name: part.level, observationCount: sample.observationCount, coefficients: Array(fit.coefficients.dropFirst()),
                                        importance: dominance.values, fit: fit.mcFaddenRSquared))
            }
        }
        self.drivers = drivers
        self.segments = segments
        self.warnings = warnings
        heterogeneity = try drivers.indices.map { j in
            let usable = segments.filter { !$0.coefficients[j].isAliased && $0.coefficients[j].standardError > 0 }
            guard usable.count >= 2 else { return Heterogeneity(driver: drivers[j], q: .nan, degreesOfFreedom: 0, pValue: .nan) }
            let w = usable.map { 1 / ($0.coefficients[j].standardError * $0.coefficients[j].standardError) }
            let b = usable.map { $0.coefficients[j].estimate }
            let pooled = zip(w, b).reduce(0) { $0 + $1.0 * $1.1 } / w.reduce(0, +)
            let q = zip(w, b).reduce(0) { $0 + $1.0 * ($1.1 - pooled) * ($1.1 - pooled) }
            let df = usable.count - 1
            return Heterogeneity(driver: drivers[j], q: q, degreesOfFreedom: df,
                                 pValue: try ChiSquaredDistribution(degreesOfFreedom: Double(df)).survival(q))
        }
    }
}

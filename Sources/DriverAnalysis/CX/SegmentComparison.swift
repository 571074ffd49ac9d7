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
    public enum ModelKind: String, Sendable { case linear, logistic }

    public struct Segment: Sendable {
        public let name: String
        public let count: Int
        /// Per driver: coefficient, standard error.
        public let coefficients: [Coefficient]
        /// Shapley values (R² units for linear, McFadden R² for logistic).
        public let importance: [Double]
        /// R² or McFadden R².
        public let fit: Double
    }

    public struct Heterogeneity: Sendable, Equatable {
        public let driver: String
        public let q: Double
        public let degreesOfFreedom: Int
        public let pValue: Double
    }

    public let drivers: [String]
    public let segments: [Segment]
    public let heterogeneity: [Heterogeneity]
    public let warnings: [String]

    public init(data: SurveyData, segment: String, outcome: String, drivers: [String], model: ModelKind) throws {
        let parameters = drivers.count + 1
        var segments: [Segment] = []
        var warnings: [String] = []
        for part in try data.split(by: segment) {
            let sample: AnalysisSample
            do {
                sample = try part.data.sample(outcome: outcome, drivers: drivers, minimumRows: parameters + 1)
            } catch let error as SurveyDataError {
                if case let .tooFewCompleteRows(_, available, _) = error {
                    warnings.append(CXError.segmentTooSmall(segment: part.level, rows: available, parameters: parameters).description + "; skipped")
                    continue
                }
                warnings.append("segment '\(part.level)': \(error); skipped")
                continue
            }
            if sample.count < 10 * parameters {
                warnings.append("segment '\(part.level)' has only \(sample.count) complete rows for \(parameters) parameters (fewer than 10 per parameter): estimates are unstable")
            }
            switch model {
            case .linear:
                let fit = try LinearRegression(sample)
                let shapley = try ShapleyDecomposition(ImportanceInput(sample: sample))
                segments.append(Segment(name: part.level, count: sample.count, coefficients: Array(fit.coefficients.dropFirst()),
                                        importance: shapley.values, fit: fit.rSquared))
            case .logistic:
                let fit = try LogisticRegression(sample)
                let dominance = try LogisticDominance(outcome: sample.outcome, drivers: sample.drivers, names: drivers)
                segments.append(Segment(name: part.level, count: sample.count, coefficients: Array(fit.coefficients.dropFirst()),
                                        importance: dominance.values, fit: fit.mcFaddenR2))
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

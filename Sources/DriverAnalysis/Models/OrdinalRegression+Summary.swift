import Foundation
import LinearAlgebra

extension OrdinalRegression: RegressionModel {
    /// Wald z statistics: the standard normal.
    public var inferenceDistribution: InferenceDistribution { .normal }

    /// The driver names, in order.
    public var driverNames: [String] { coefficients.map(\.name) }

    /// The linear predictor `xᵀβ` (`P(Y ≤ k) = logistic(ζₖ − xᵀβ)`) for new term values given
    /// column-wise; ``predict(rows:)`` takes rows and `predict(_:)` a ``SurveyData``.
    ///
    /// - Parameter drivers: the term values column-wise: `drivers[j][i]` is term `j` (in ``driverNames``
    ///   order) of new observation `i`; all columns of one length.
    /// - Throws: ``ModelError/dimensionMismatch(_:)`` unless there is one column per term, all of one length.
    /// Complexity: O(observations × terms).
    public func predict(columns drivers: [[Double]]) throws -> [Double] {
        try ModelInput.checkPredictionColumns(drivers, names: driverNames)
        let n = drivers.first?.count ?? 0
        return (0..<n).map { i in zip(coefficients, drivers).reduce(0) { $0 + ($1.0.isAliased ? 0 : $1.0.estimate * $1.1[i]) } }
    }

    /// A compact summary in the layout of R's `summary(polr)`: coefficients, cut-points,
    /// log-likelihood, McFadden R² and AIC.
    public var description: String {
        var lines = ["Ordinal regression (proportional odds, logit link)   n = \(observationCount)   categories: \(levels.count)", ""]
        lines.append(coefficientTable(level: confidenceLevel).description)
        lines.append("Cut-points:")
        lines.append(CoefficientTable(coefficients: thresholds, intervals: thresholds.map(\.confidenceInterval), level: confidenceLevel,
                                      statisticSymbol: "z").description)
        lines.append("---")
        lines.append("log L = \(NumberFormat.significant(logLikelihood, digits: 6))   null log L = \(NumberFormat.significant(nullLogLikelihood, digits: 6))   McFadden R² = \(NumberFormat.significant(mcFaddenRSquared))   AIC = \(NumberFormat.significant(aic, digits: 6))\(converged ? "" : "   (not converged)")")
        return lines.joined(separator: "\n")
    }

    private enum CodingKeys: String, CodingKey {
        case levels, observationCount = "n", confidenceLevel = "confidence_level", coefficients, thresholds, covariance
        case logLikelihood = "log_likelihood", nullLogLikelihood = "null_log_likelihood", mcFaddenRSquared = "mcfadden_r2", aic, iterations, converged
        case termCoding = "design"
    }

    /// Decodes a model written by ``encode(to:)``.
    ///
    /// - Throws: `DecodingError.dataCorrupted` for a document that no fit could have written:
    ///   other than one cut-point between consecutive levels, a covariance that is not
    ///   (drivers + cut-points) square, a negative count.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        levels = try c.decode([Double].self, forKey: .levels)
        observationCount = try c.decode(Int.self, forKey: .observationCount)
        confidenceLevel = try c.decode(Double.self, forKey: .confidenceLevel)
        coefficients = try c.decode([Coefficient].self, forKey: .coefficients)
        thresholds = try c.decode([Coefficient].self, forKey: .thresholds)
        covariance = try c.decode(Matrix.self, forKey: .covariance)
        logLikelihood = try c.decodeLenient(.logLikelihood)
        nullLogLikelihood = try c.decodeLenient(.nullLogLikelihood)
        mcFaddenRSquared = try c.decodeLenient(.mcFaddenRSquared)
        aic = try c.decodeLenient(.aic)
        iterations = try c.decode(Int.self, forKey: .iterations)
        converged = try c.decode(Bool.self, forKey: .converged)
        let parameters = coefficients.count + thresholds.count
        try c.require(levels.count == thresholds.count + 1, .thresholds, "\(thresholds.count) cut-points for \(levels.count) levels")
        try c.require(covariance.rows == parameters && covariance.columns == parameters, .covariance,
                      "a \(covariance.rows) × \(covariance.columns) covariance for \(parameters) parameters")
        try c.require(observationCount >= 0, .observationCount, "a negative observation count (\(observationCount))")
        try c.require(iterations >= 0, .iterations, "a negative iteration count (\(iterations))")
        termCoding = try c.decodeTermCoding(.termCoding, driverNames: coefficients.map(\.name))
    }

    /// Encodes every result of the fit and its ``termCoding`` (key `design`); non-finite numbers are
    /// written as `null`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(levels, forKey: .levels)
        try c.encode(observationCount, forKey: .observationCount)
        try c.encode(confidenceLevel, forKey: .confidenceLevel)
        try c.encode(coefficients, forKey: .coefficients)
        try c.encode(thresholds, forKey: .thresholds)
        try c.encode(covariance, forKey: .covariance)
        try c.encodeLenient(logLikelihood, forKey: .logLikelihood)
        try c.encodeLenient(nullLogLikelihood, forKey: .nullLogLikelihood)
        try c.encodeLenient(mcFaddenRSquared, forKey: .mcFaddenRSquared)
        try c.encodeLenient(aic, forKey: .aic)
        try c.encode(iterations, forKey: .iterations)
        try c.encode(converged, forKey: .converged)
        try c.encode(termCoding, forKey: .termCoding)
    }
}

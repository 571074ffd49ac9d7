import Foundation
import LinearAlgebra

extension LogisticRegression: RegressionModel {
    /// Wald z statistics: the standard normal.
    public var inferenceDistribution: InferenceDistribution { .normal }

    /// Event probabilities `1/(1 + e^−xᵀβ)` for new term values given column-wise
    /// (``predictProbabilities(_:)``); ``predict(rows:)`` takes rows and `predict(_:)` a ``SurveyData``.
    ///
    /// - Parameter drivers: the term values column-wise: `drivers[j][i]` is term `j` (in ``driverNames``
    ///   order) of new observation `i`; all columns of one length.
    /// - Throws: ``ModelError/dimensionMismatch(_:)`` unless there is one column per term, all of one length.
    /// Complexity: O(observations × terms).
    public func predict(columns drivers: [[Double]]) throws -> [Double] { try predictProbabilities(drivers) }

    /// A compact summary in the layout of R's `summary.glm`: coefficients with odds ratios,
    /// deviances, pseudo-R², AUC and information criteria.
    public var description: String {
        var lines = ["Logistic regression (maximum likelihood, \(options.samplingWeights ? "design-based" : "model-based") standard errors)   n = \(observationCount)", ""]
        lines.append(coefficientTable(level: options.confidenceLevel).description)
        lines.append("---")
        let shown = coefficients.indices.filter { !coefficients[$0].isAliased && !(options.intercept && $0 == 0) }.prefix(CoefficientTable.printedTermLimit)
        if !shown.isEmpty {
            lines.append("Odds ratios: " + shown.map { "\(Escaping.message(coefficients[$0].name, limit: 40)) \(NumberFormat.significant(oddsRatios[$0], digits: 3))" }.joined(separator: ", "))
        }
        lines.append("Null deviance: \(NumberFormat.significant(nullDeviance, digits: 6))   residual deviance: \(NumberFormat.significant(deviance, digits: 6))   AIC = \(NumberFormat.significant(aic, digits: 6))   BIC = \(NumberFormat.significant(bic, digits: 6))")
        lines.append("McFadden R² = \(NumberFormat.significant(mcFaddenRSquared))   Nagelkerke R² = \(NumberFormat.significant(nagelkerkeRSquared))   AUC = \(NumberFormat.significant(auc))   Newton iterations: \(iterations)\(converged ? "" : " (not converged)")")
        if !aliasedTerms.isEmpty {
            lines.append("Aliased (collinear, not estimable): \(aliasedTerms.map { Escaping.message($0, limit: 40) }.joined(separator: ", "))")
        }
        for warning in warnings { lines.append("Note: \(warning.message)") }
        return lines.joined(separator: "\n")
    }

    private enum CodingKeys: String, CodingKey {
        case options, coefficients, oddsRatios = "odds_ratios", oddsRatioIntervals = "odds_ratio_intervals", covariance
        case observationCount = "n", logLikelihood = "log_likelihood", nullLogLikelihood = "null_log_likelihood", deviance
        case nullDeviance = "null_deviance", aic, bic, mcFaddenRSquared = "mcfadden_r2", coxSnellRSquared = "cox_snell_r2"
        case nagelkerkeRSquared = "nagelkerke_r2", auc, iterations, converged, fittedProbabilities = "fitted_probabilities"
        case warnings, nearSeparation = "near_separation", termCoding = "design", modelCovariance = "model_covariance"
    }

    /// Decodes a model written by ``encode(to:)``.
    ///
    /// - Throws: `DecodingError.dataCorrupted` for a document that no fit could have written: no
    ///   `(Intercept)` term first although the options have an intercept, odds ratios or their
    ///   intervals not one per term, a covariance that is not terms × terms, a negative count.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        options = try c.decode(LogisticModelOptions.self, forKey: .options)
        coefficients = try c.decode([Coefficient].self, forKey: .coefficients)
        oddsRatios = try c.decodeLenientArray(.oddsRatios)
        oddsRatioIntervals = try c.decode([ClosedInterval].self, forKey: .oddsRatioIntervals)
        covariance = try c.decode(Matrix.self, forKey: .covariance)
        // Written only when it differs from `covariance` (sampling weights: the sandwich).
        modelCovariance = try c.decodeIfPresent(Matrix.self, forKey: .modelCovariance) ?? covariance
        observationCount = try c.decode(Int.self, forKey: .observationCount)
        let terms = coefficients.count
        try c.require(!options.intercept || coefficients.first?.name == "(Intercept)", .coefficients,
                      "the options have an intercept but the first term is not '(Intercept)'")
        try c.require(oddsRatios.count == terms, .oddsRatios, "\(oddsRatios.count) odds ratios for \(terms) terms")
        try c.require(oddsRatioIntervals.count == terms, .oddsRatioIntervals, "\(oddsRatioIntervals.count) odds-ratio intervals for \(terms) terms")
        try c.require(covariance.rows == terms && covariance.columns == terms, .covariance,
                      "a \(covariance.rows) × \(covariance.columns) covariance for \(terms) terms")
        try c.require(observationCount >= 0, .observationCount, "a negative observation count (\(observationCount))")
        logLikelihood = try c.decodeLenient(.logLikelihood)
        nullLogLikelihood = try c.decodeLenient(.nullLogLikelihood)
        deviance = try c.decodeLenient(.deviance)
        nullDeviance = try c.decodeLenient(.nullDeviance)
        aic = try c.decodeLenient(.aic)
        bic = try c.decodeLenient(.bic)
        mcFaddenRSquared = try c.decodeLenient(.mcFaddenRSquared)
        coxSnellRSquared = try c.decodeLenient(.coxSnellRSquared)
        nagelkerkeRSquared = try c.decodeLenient(.nagelkerkeRSquared)
        auc = try c.decodeLenient(.auc)
        iterations = try c.decode(Int.self, forKey: .iterations)
        converged = try c.decode(Bool.self, forKey: .converged)
        fittedProbabilities = try c.decodeObservations(.fittedProbabilities)
        nearSeparation = try c.decode(Bool.self, forKey: .nearSeparation)
        try c.require(iterations >= 0, .iterations, "a negative iteration count (\(iterations))")
        termCoding = try c.decodeTermCoding(.termCoding, driverNames: coefficients.dropFirst(options.intercept ? 1 : 0).map(\.name))
    }

    /// Encodes every result of the fit and its ``termCoding`` (key `design`); the fitted
    /// probabilities only when the encoder's `userInfo[.modelObservations]` is `true`. Non-finite
    /// numbers are written as `null`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(options, forKey: .options)
        try c.encode(coefficients, forKey: .coefficients)
        try c.encodeLenient(oddsRatios, forKey: .oddsRatios)
        try c.encode(oddsRatioIntervals, forKey: .oddsRatioIntervals)
        try c.encode(covariance, forKey: .covariance)
        if options.samplingWeights { try c.encode(modelCovariance, forKey: .modelCovariance) }
        try c.encode(observationCount, forKey: .observationCount)
        try c.encodeLenient(logLikelihood, forKey: .logLikelihood)
        try c.encodeLenient(nullLogLikelihood, forKey: .nullLogLikelihood)
        try c.encodeLenient(deviance, forKey: .deviance)
        try c.encodeLenient(nullDeviance, forKey: .nullDeviance)
        try c.encodeLenient(aic, forKey: .aic)
        try c.encodeLenient(bic, forKey: .bic)
        try c.encodeLenient(mcFaddenRSquared, forKey: .mcFaddenRSquared)
        try c.encodeLenient(coxSnellRSquared, forKey: .coxSnellRSquared)
        try c.encodeLenient(nagelkerkeRSquared, forKey: .nagelkerkeRSquared)
        try c.encodeLenient(auc, forKey: .auc)
        try c.encode(iterations, forKey: .iterations)
        try c.encode(converged, forKey: .converged)
        if encoder.includesModelObservations { try c.encodeLenient(fittedProbabilities, forKey: .fittedProbabilities) }
        try c.encode(warnings, forKey: .warnings)
        try c.encode(nearSeparation, forKey: .nearSeparation)
        try c.encode(termCoding, forKey: .termCoding)
    }
}

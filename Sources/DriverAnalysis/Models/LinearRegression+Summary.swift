import Foundation
import LinearAlgebra

extension LinearRegression: RegressionModel {
    /// Student t with the residual degrees of freedom (`n − rank`, or `Σw − rank` for frequency weights).
    public var inferenceDistribution: InferenceDistribution { .studentT(degreesOfFreedom: residualDegreesOfFreedom) }

    /// A compact summary in the layout of R's `summary.lm`: the coefficient table, residual
    /// standard error, R², F and information criteria (at most ~50 lines whatever the size).
    public var description: String {
        let weighting = options.weighting == .precision ? "" : ", \(options.weighting.rawValue) weights"
        var lines = ["Linear regression (least squares, \(options.covariance == .classical ? "classical" : options.covariance.rawValue.uppercased()) standard errors\(weighting))   n = \(observationCount)", ""]
        lines.append(coefficientTable(level: options.confidenceLevel).description)
        lines.append("---")
        lines.append("Residual standard error: \(NumberFormat.significant(residualStandardError)) on \(NumberFormat.significant(residualDegreesOfFreedom, digits: 10)) degrees of freedom")
        lines.append("R² = \(NumberFormat.significant(rSquared))   adjusted R² = \(NumberFormat.significant(adjustedRSquared))   F = \(NumberFormat.significant(fStatistic)), \(NumberFormat.pValueClause(fPValue))")
        lines.append("log L = \(NumberFormat.significant(logLikelihood, digits: 6))   AIC = \(NumberFormat.significant(aic, digits: 6))   BIC = \(NumberFormat.significant(bic, digits: 6))   condition number = \(NumberFormat.significant(conditionNumber, digits: 3))")
        if !aliasedTerms.isEmpty {
            lines.append("Aliased (collinear, not estimable): \(aliasedTerms.map { Escaping.message($0, limit: 40) }.joined(separator: ", "))")
        }
        return lines.joined(separator: "\n")
    }

    private enum CodingKeys: String, CodingKey {
        case options, coefficients, covariance, observationCount = "n", residualDegreesOfFreedom = "residual_df", rSquared = "r2"
        case adjustedRSquared = "adjusted_r2", fStatistic = "f_statistic", fPValue = "f_p_value"
        case residualStandardError = "residual_std_error", residualSumOfSquares = "rss", logLikelihood = "log_likelihood", aic, bic
        case standardizedCoefficients = "standardized_coefficients", varianceInflationFactors = "vif"
        case conditionNumber = "condition_number", residuals, fittedValues = "fitted_values", termCoding = "design"
        case modelCovariance = "model_covariance"
    }

    /// Decodes a model written by ``encode(to:)``.
    ///
    /// - Throws: `DecodingError.dataCorrupted` for a document that no fit could have written: no
    ///   `(Intercept)` term first although the options have an intercept, a covariance that is not
    ///   terms × terms, per-driver arrays (standardized coefficients, VIFs) of another length than
    ///   the drivers, residuals and fitted values of different lengths, a negative count.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        options = try c.decode(LinearModelOptions.self, forKey: .options)
        coefficients = try c.decode([Coefficient].self, forKey: .coefficients)
        covariance = try c.decode(Matrix.self, forKey: .covariance)
        // Written only when it is not proportional to `covariance` (robust or design-based errors).
        modelCovariance = try c.decodeIfPresent(Matrix.self, forKey: .modelCovariance) ?? covariance
        gramInverse = nil
        observationCount = try c.decode(Int.self, forKey: .observationCount)
        try c.require(!options.intercept || coefficients.first?.name == "(Intercept)", .coefficients,
                      "the options have an intercept but the first term is not '(Intercept)'")
        try c.require(covariance.rows == coefficients.count && covariance.columns == coefficients.count, .covariance,
                      "a \(covariance.rows) × \(covariance.columns) covariance for \(coefficients.count) terms")
        try c.require(observationCount >= 0, .observationCount, "a negative observation count (\(observationCount))")
        residualDegreesOfFreedom = try c.decodeLenient(.residualDegreesOfFreedom)
        rSquared = try c.decodeLenient(.rSquared)
        adjustedRSquared = try c.decodeLenient(.adjustedRSquared)
        fStatistic = try c.decodeLenient(.fStatistic)
        fPValue = try c.decodeLenient(.fPValue)
        residualStandardError = try c.decodeLenient(.residualStandardError)
        residualSumOfSquares = try c.decodeLenient(.residualSumOfSquares)
        logLikelihood = try c.decodeLenient(.logLikelihood)
        aic = try c.decodeLenient(.aic)
        bic = try c.decodeLenient(.bic)
        standardizedCoefficients = try c.decodeLenientArray(.standardizedCoefficients)
        varianceInflationFactors = try c.decodeLenientArray(.varianceInflationFactors)
        conditionNumber = try c.decodeIfPresent(Double.self, forKey: .conditionNumber) ?? .infinity
        residuals = try c.decodeObservations(.residuals)
        fittedValues = try c.decodeObservations(.fittedValues)
        let drivers = coefficients.count - (options.intercept ? 1 : 0)
        try c.require(standardizedCoefficients.count == drivers, .standardizedCoefficients,
                      "\(standardizedCoefficients.count) standardized coefficients for \(drivers) drivers")
        try c.require(varianceInflationFactors.count == drivers, .varianceInflationFactors,
                      "\(varianceInflationFactors.count) variance inflation factors for \(drivers) drivers")
        try c.require(residuals.count == fittedValues.count, .residuals,
                      "\(residuals.count) residuals for \(fittedValues.count) fitted values")
        termCoding = try c.decodeTermCoding(.termCoding, driverNames: coefficients.dropFirst(options.intercept ? 1 : 0).map(\.name))
    }

    /// Encodes every result of the fit (residuals and fitted values only when the encoder's
    /// `userInfo[.modelObservations]` is `true`) and its
    /// ``termCoding`` (key `design`); non-finite numbers are written as `null`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(options, forKey: .options)
        try c.encode(coefficients, forKey: .coefficients)
        try c.encode(covariance, forKey: .covariance)
        if options.covariance != .classical || options.weighting == .sampling { try c.encode(modelCovariance, forKey: .modelCovariance) }
        try c.encode(observationCount, forKey: .observationCount)
        try c.encodeLenient(residualDegreesOfFreedom, forKey: .residualDegreesOfFreedom)
        try c.encodeLenient(rSquared, forKey: .rSquared)
        try c.encodeLenient(adjustedRSquared, forKey: .adjustedRSquared)
        try c.encodeLenient(fStatistic, forKey: .fStatistic)
        try c.encodeLenient(fPValue, forKey: .fPValue)
        try c.encodeLenient(residualStandardError, forKey: .residualStandardError)
        try c.encodeLenient(residualSumOfSquares, forKey: .residualSumOfSquares)
        try c.encodeLenient(logLikelihood, forKey: .logLikelihood)
        try c.encodeLenient(aic, forKey: .aic)
        try c.encodeLenient(bic, forKey: .bic)
        try c.encodeLenient(standardizedCoefficients, forKey: .standardizedCoefficients)
        try c.encodeLenient(varianceInflationFactors, forKey: .varianceInflationFactors)
        try c.encodeLenient(conditionNumber, forKey: .conditionNumber)
        if encoder.includesModelObservations {
            try c.encodeLenient(residuals, forKey: .residuals)
            try c.encodeLenient(fittedValues, forKey: .fittedValues)
        }
        try c.encode(termCoding, forKey: .termCoding)
    }
}

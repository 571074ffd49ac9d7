import Foundation

/// The distribution of a fitted model's test statistics: Student t with the residual degrees
/// of freedom (linear models) or the standard normal (likelihood models: Wald z).
public enum InferenceDistribution: Sendable, Equatable, Codable {
    /// Student t with `degreesOfFreedom` (classical OLS inference).
    case studentT(degreesOfFreedom: Double)
    /// The standard normal (Wald z statistics of logistic and ordinal models).
    case normal

    /// The two-sided critical value for `level` (e.g. 1.96 for 0.95 under the normal);
    /// `NaN` when `level` is not strictly between 0 and 1 or the degrees of freedom are not positive.
    public func criticalValue(level: Double) -> Double {
        guard level > 0, level < 1 else { return .nan }
        switch self {
        case .normal: return NormalDistribution.standard.quantile(0.5 + level / 2)
        case let .studentT(dof):
            guard let t = try? StudentTDistribution(degreesOfFreedom: dof) else { return .nan }
            return t.quantile(0.5 + level / 2)
        }
    }

    /// The symbol used in summaries: `t` or `z`.
    public var statisticSymbol: String {
        if case .normal = self { return "z" }
        return "t"
    }
}

/// The vocabulary every fitted model shares — in the spirit of StatsAPI.jl (`coef`, `stderror`,
/// `confint`, `coeftable`, `nobs`, `loglikelihood`, `aic`, `bic`, `predict`) and statsmodels'
/// results classes, in Swift's naming. ``LinearRegression``, ``LogisticRegression`` and
/// ``OrdinalRegression`` conform.
///
/// Every model prints a compact summary like R's `summary()` (`description`), encodes
/// (`Codable`, non-finite numbers as `null`) and answers by name
/// (``coefficient(named:)``).
public protocol RegressionModel: Sendable, Codable, CustomStringConvertible {
    /// The terms with their inference, in model order (`(Intercept)` first when fitted).
    var coefficients: [Coefficient] { get }
    /// Observations the fit used (non-zero weight).
    var observationCount: Int { get }
    /// The maximized log-likelihood `log L`.
    var logLikelihood: Double { get }
    /// Akaike's information criterion `−2 log L + 2k`.
    var aic: Double { get }
    /// Schwarz's Bayesian information criterion `−2 log L + k log n`.
    var bic: Double { get }
    /// The reference distribution of the coefficients' statistics.
    var inferenceDistribution: InferenceDistribution { get }
    /// The names of the driver columns the model needs for prediction, in order.
    var driverNames: [String] { get }
    /// Predictions for new driver values, one column per name in ``driverNames``: the fitted
    /// mean for linear models, the event probability for logistic models, the linear
    /// predictor `xᵀβ` for ordinal models.
    func predict(_ drivers: [[Double]]) throws -> [Double]
}

extension RegressionModel {
    /// The term called `name` (`(Intercept)`, a driver, or `Factor[Level]`).
    ///
    /// - Throws: ``ModelError/unknownTerm(name:suggestions:)`` with the nearest term names.
    /// Complexity: O(terms).
    public func coefficient(named name: String) throws -> Coefficient {
        if let found = coefficients.first(where: { $0.name == name }) { return found }
        throw ModelError.unknownTerm(name: name, suggestions: ColumnNameSuggestions.nearest(to: name, in: coefficients.map(\.name)))
    }

    /// The term names in model order.
    public var termNames: [String] { coefficients.map(\.name) }
    /// The estimates in model order (`NaN` for aliased terms).
    public var estimates: [Double] { coefficients.map(\.estimate) }
    /// The standard errors in model order (`NaN` for aliased terms).
    public var standardErrors: [Double] { coefficients.map(\.standardError) }

    /// Wald confidence intervals `β̂ ± c·SE` at `level`, with `c` from ``inferenceDistribution``
    /// (the intervals the coefficients carry use the level the model was fitted with; this
    /// recomputes them at any other). A level outside (0, 1) gives `NaN` ends.
    ///
    /// Complexity: O(terms).
    public func confidenceIntervals(level: Double) -> [(term: String, interval: ClosedInterval)] {
        let c = inferenceDistribution.criticalValue(level: level)
        return coefficients.map { coefficient in
            (coefficient.name, ClosedInterval(lower: coefficient.estimate - c * coefficient.standardError,
                                              upper: coefficient.estimate + c * coefficient.standardError))
        }
    }

    /// The coefficient table (estimate, standard error, statistic, p-value, interval at `level`).
    public func coefficientTable(level: Double = 0.95) -> CoefficientTable {
        CoefficientTable(coefficients: coefficients, intervals: confidenceIntervals(level: level).map(\.interval), level: level,
                         statisticSymbol: inferenceDistribution.statisticSymbol)
    }

    /// Predictions for the rows of `data`, taking each driver column by name.
    ///
    /// - Throws: ``SurveyDataError`` when a driver column is missing or not numeric.
    public func predict(_ data: SurveyData) throws -> [Double] {
        try predict(driverNames.map { try data.numericValues($0) })
    }
}

/// A printable coefficient table, like the middle block of R's `summary.lm`.
public struct CoefficientTable: Sendable, Codable, CustomStringConvertible {
    /// The terms with their inference.
    public let coefficients: [Coefficient]
    /// Confidence intervals at ``level``, one per term.
    public let intervals: [ClosedInterval]
    /// The confidence level of ``intervals``.
    public let level: Double
    /// `t` or `z`.
    public let statisticSymbol: String

    /// Terms beyond this many are summarized in one line by ``description``.
    public static let printedTermLimit = 40

    /// Aligned columns `term  estimate  std. error  t  p  [lo, hi]` with significance stars
    /// (`***` p < 0.001, `**` < 0.01, `*` < 0.05, `.` < 0.1), at most ``printedTermLimit`` rows.
    public var description: String {
        let percent = NumberFormat.significant(100 * level, digits: 3)
        var rows = [["", "estimate", "std. error", statisticSymbol, "p", "\(percent) % interval", ""]]
        for (k, c) in coefficients.enumerated().prefix(Self.printedTermLimit) {
            if c.isAliased {
                rows.append([Escaping.message(c.name, limit: 40), "aliased", "", "", "", "", ""])
                continue
            }
            rows.append([Escaping.message(c.name, limit: 40), NumberFormat.significant(c.estimate), NumberFormat.significant(c.standardError),
                         NumberFormat.significant(c.statistic, digits: 3), NumberFormat.pValue(c.pValue),
                         intervals[k].description, Self.stars(c.pValue)])
        }
        var lines = TextTable.aligned(rows, leftAligned: [0, 6])
        if coefficients.count > Self.printedTermLimit {
            lines.append("… \(coefficients.count - Self.printedTermLimit) more terms (see coefficients)")
        }
        return lines.joined(separator: "\n")
    }

    static func stars(_ p: Double) -> String {
        guard p.isFinite else { return "" }
        return p < 0.001 ? "***" : p < 0.01 ? "**" : p < 0.05 ? "*" : p < 0.1 ? "." : ""
    }
}

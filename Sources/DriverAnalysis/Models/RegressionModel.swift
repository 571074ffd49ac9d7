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
    ///
    /// - Parameter level: the two-sided coverage, strictly between 0 and 1, e.g. 0.95.
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
    /// Notes on the fit (non-convergence, separation, aliased terms), with the codes of the
    /// report's notes; empty for a clean fit.
    var warnings: [DriverReport.Warning] { get }
    /// The names of the model's terms other than the intercept (its design columns), in order:
    /// driver names, `Factor[Level]` dummies, controls.
    var driverNames: [String] { get }
    /// How each of ``driverNames`` is computed from a survey's columns (numeric columns, factor
    /// dummies against a reference level), for `predict(_:)` on a ``SurveyData``.
    var termCoding: TermCoding { get }
    /// Predictions for new term values given **column-wise**: `columns[j][i]` is term `j`
    /// (in ``driverNames`` order) of new observation `i` — the fitted mean for linear models, the
    /// event probability for logistic models, the linear predictor `xᵀβ` for ordinal models.
    /// ``predict(rows:)`` takes the same values row-wise.
    ///
    /// - Parameter columns: the term values column-wise, one array per term in ``driverNames`` order, all
    ///   of one length.
    /// - Throws: ``ModelError/dimensionMismatch(_:)`` unless there is one column per term, all
    ///   of one length.
    /// Complexity: O(observations × terms).
    func predict(columns: [[Double]]) throws -> [Double]
}

extension RegressionModel {
    /// The term called `name` (`(Intercept)`, a driver, or `Factor[Level]`).
    ///
    /// - Parameter name: the exact term name, as ``termNames`` lists it.
    /// - Throws: ``ModelError/unknownTerm(name:suggestions:)`` with the nearest term names.
    /// Complexity: O(terms).
    public func coefficient(named name: String) throws -> Coefficient {
        if let found = coefficients.first(where: { $0.name == name }) { return found }
        throw ModelError.unknownTerm(name: name, suggestions: ColumnNameSuggestions.nearest(to: name, in: coefficients.map(\.name)))
    }

    /// The coefficient of a typed term — a numeric driver, or a factor's dummy given by its column
    /// and level — without spelling the `Column[Level]` name: `coefficient(for: .init(column:
    /// "Contract", level: "Two year"))`.
    ///
    /// - Parameter term: the term, as ``TermCoding/terms`` lists them.
    /// - Throws: ``ModelError/unknownTerm(name:suggestions:)`` with the nearest term names.
    /// Complexity: O(terms).
    public func coefficient(for term: TermCoding.Term) throws -> Coefficient {
        try coefficient(named: term.name)
    }

    /// The term names in model order.
    public var termNames: [String] { coefficients.map(\.name) }
    /// The estimates in model order (`NaN` for aliased terms).
    public var estimates: [Double] { coefficients.map(\.estimate) }
    /// The standard errors in model order (`NaN` for aliased terms).
    public var standardErrors: [Double] { coefficients.map(\.standardError) }
    /// The two-sided p-values in model order (`NaN` for aliased terms), as R's
    /// `summary(fit)$coefficients[, 4]` and statsmodels' `pvalues`.
    public var pValues: [Double] { coefficients.map(\.pValue) }

    /// The Wald intervals at `level` by term name, as statsmodels' `conf_int()` and R's
    /// `confint.default` index them. Term names are unique in a fitted model (the models refuse
    /// duplicate driver names). A level outside (0, 1) gives `NaN` ends.
    ///
    /// - Parameter level: the coverage, strictly between 0 and 1, e.g. 0.95.
    /// Complexity: O(terms).
    public func confidenceIntervalsByTerm(level: Double) -> [String: ClosedInterval] {
        Dictionary(zip(termNames, confidenceIntervals(level: level)), uniquingKeysWith: { first, _ in first })
    }

    /// Wald confidence intervals `β̂ ± c·SE` at `level`, in model order (as ``estimates``), with
    /// `c` from ``inferenceDistribution`` — the intervals the coefficients carry use the level the
    /// model was fitted with; this recomputes them at any other. A level outside (0, 1) gives
    /// `NaN` ends; an aliased term gives `NaN` ends.
    ///
    /// - Parameter level: the coverage, e.g. 0.9.
    /// - Returns: one interval per term of ``termNames``.
    /// Complexity: O(terms).
    public func confidenceIntervals(level: Double) -> [ClosedInterval] {
        let c = inferenceDistribution.criticalValue(level: level)
        return coefficients.map { $0.waldInterval(critical: c) }
    }

    /// The Wald confidence interval of one term at `level` (R's `confint.default(fit, "wifi", level)`).
    ///
    /// - Parameters:
    ///   - term: `(Intercept)`, a driver, or `Factor[Level]`.
    ///   - level: the coverage, strictly between 0 and 1, e.g. 0.9.
    /// - Throws: ``ModelError/unknownTerm(name:suggestions:)`` with the nearest term names;
    ///   ``AnalysisError/invalidOption(option:value:reason:)`` for a level outside (0, 1) or `NaN`.
    /// Complexity: O(terms).
    public func confidenceInterval(for term: String, level: Double) throws -> ClosedInterval {
        guard level > 0, level < 1 else {
            throw AnalysisError.invalidOption(option: "level", value: "\(level)", reason: "a confidence level is strictly between 0 and 1")
        }
        return try coefficient(named: term).waldInterval(critical: inferenceDistribution.criticalValue(level: level))
    }

    /// The coefficient table (estimate, standard error, statistic, p-value, interval at `level`).
    ///
    /// - Parameter level: the coverage of the intervals, strictly between 0 and 1; 0.95 by default.
    public func coefficientTable(level: Double = 0.95) -> CoefficientTable {
        CoefficientTable(coefficients: coefficients, intervals: confidenceIntervals(level: level), level: level,
                         statisticSymbol: inferenceDistribution.statisticSymbol)
    }

    /// Predictions for the rows of `data`, one per row: numeric terms are read from their columns
    /// by name and factor dummies are coded from the text of their column with the levels and
    /// reference of the fit (``termCoding``), as statsmodels' `predict` applies a formula's design to
    /// new data. A missing cell gives a `NaN` prediction for its row.
    ///
    /// - Parameter data: the new observations, with a column for every numeric term and factor of
    ///   ``termCoding``, named as in the fit.
    /// - Throws: ``SurveyDataError`` when a column is missing or not numeric,
    ///   ``ModelError/unseenLevel(column:level:knownLevels:)`` for a factor value the fit never saw.
    /// Complexity: O(rows × terms).
    public func predict(_ data: SurveyData) throws -> [Double] {
        try predict(columns: termCoding.columns(in: data))
    }

    /// Predictions for new observations given **row-wise**, as statsmodels' and GLM.jl's `predict`
    /// take them: `rows[i]` holds the values of every term of observation `i`, in ``driverNames``
    /// order (factor dummies as 0/1; use the ``SurveyData`` form to code text). ``predict(columns:)``
    /// takes the same values column-wise.
    ///
    /// - Parameter rows: one array per new observation, each holding every term's value in ``driverNames``
    ///   order.
    /// - Throws: ``ModelError/dimensionMismatch(_:)`` naming the first row whose length is not the
    ///   number of terms.
    /// Complexity: O(rows × terms).
    public func predict(rows: [[Double]]) throws -> [Double] {
        let names = driverNames
        if let bad = rows.firstIndex(where: { $0.count != names.count }) {
            throw ModelError.dimensionMismatch("row \(bad + 1) has \(rows[bad].count) values for the model's \(names.count) terms (\(names.prefix(8).joined(separator: ", "))\(names.count > 8 ? ", …" : ""))")
        }
        return try predict(columns: names.indices.map { j in rows.map { $0[j] } })
    }

    /// Column-wise predictions: the earlier spelling of ``predict(columns:)``, renamed so that
    /// it cannot be mistaken for ``predict(rows:)``.
    ///
    /// - Parameter drivers: the term values column-wise, as ``predict(columns:)`` takes them.
    @available(*, deprecated, renamed: "predict(columns:)")
    public func predict(_ drivers: [[Double]]) throws -> [Double] {
        try predict(columns: drivers)
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

    init(coefficients: [Coefficient], intervals: [ClosedInterval], level: Double, statisticSymbol: String) {
        self.coefficients = coefficients
        self.intervals = intervals
        self.level = level
        self.statisticSymbol = statisticSymbol
    }

    private enum CodingKeys: String, CodingKey { case coefficients, intervals, level, statisticSymbol }

    /// Decodes a table written by `encode(to:)`.
    ///
    /// - Throws: `DecodingError.dataCorrupted` when there is not exactly one interval per
    ///   coefficient (the table prints them side by side).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let coefficients = try c.decode([Coefficient].self, forKey: .coefficients)
        let intervals = try c.decode([ClosedInterval].self, forKey: .intervals)
        try c.require(intervals.count == coefficients.count, .intervals,
                      "\(intervals.count) intervals for \(coefficients.count) coefficients: one interval per coefficient is needed")
        self.init(coefficients: coefficients, intervals: intervals, level: try c.decodeLenient(.level),
                  statisticSymbol: try c.decode(String.self, forKey: .statisticSymbol))
    }

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
                         intervals.indices.contains(k) ? intervals[k].description : "", Self.stars(c.pValue)])
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

extension Coefficient {
    /// `β̂ ± c·SE`: the Wald interval for the critical value `c` (`NaN` ends for an aliased term).
    func waldInterval(critical c: Double) -> ClosedInterval {
        ClosedInterval(lower: estimate - c * standardError, upper: estimate + c * standardError)
    }
}

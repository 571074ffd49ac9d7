/// The result of one key driver analysis: what every output format renders.
///
/// Its `Codable` form is the `kda.analysis/1` JSON contract (``json``; DESIGN §8): encoding a
/// report with `JSONEncoder` writes the same document `kda analyze --format json` prints, and
/// decoding reads such a document back.
public struct DriverReport: Sendable {
    /// A numbered note like statsmodels' summary notes: a stable `code` (see `Docs/warnings.md`)
    /// and a message naming the drivers concerned.
    public struct Warning: Sendable, Equatable, Codable {
        /// Stable identifier, e.g. ``WarningCode/vifHigh``, ``WarningCode/rowsDropped``.
        public let code: WarningCode
        /// What happened and what to do about it.
        public let message: String
        /// A warning with its code and message.
        ///
        /// - Parameters:
        ///   - code: the stable identifier, e.g. ``WarningCode/rowsDropped``.
        ///   - message: what happened and what to do about it, naming the drivers concerned.
        public init(_ code: WarningCode, _ message: String) { self.code = code; self.message = message }
    }

    /// The kind of model fitted to the outcome.
    public enum ModelKind: String, Sendable, Codable, CaseIterable {
        /// Least squares (numeric outcome).
        case linear
        /// Binary logistic regression (two-valued outcome).
        case logistic
        /// Proportional-odds regression (ordered categories).
        case ordinal
    }

    /// The fit of the full model.
    public struct ModelSummary: Sendable, Equatable {
        /// Which model was fitted.
        public internal(set) var kind: ModelKind
        /// Observations used (complete rows).
        public internal(set) var observationCount: Int
        /// R² (linear).
        public internal(set) var rSquared: Double?
        /// Adjusted R² (linear).
        public internal(set) var adjustedRSquared: Double?
        /// Overall F statistic (linear).
        public internal(set) var fStatistic: Double?
        /// p-value of the overall F test (linear).
        public internal(set) var fPValue: Double?
        /// Maximized log-likelihood (logistic, ordinal).
        public internal(set) var logLikelihood: Double?
        /// Log-likelihood of the intercept-only model (logistic, ordinal).
        public internal(set) var nullLogLikelihood: Double?
        /// McFadden's pseudo-R² `1 − log L / log L₀` (logistic, ordinal).
        public internal(set) var mcFaddenRSquared: Double?
        /// Nagelkerke's pseudo-R² (logistic).
        public internal(set) var nagelkerkeRSquared: Double?
        /// Area under the ROC curve (logistic).
        public internal(set) var auc: Double?
        /// The intercept with its inference, when fitted.
        public internal(set) var intercept: Coefficient?
        /// Cut-points of an ordinal model.
        public internal(set) var thresholds: [Coefficient] = []
        /// The modelled value of a two-valued outcome (coded 1).
        public internal(set) var event: String?
        /// What the event is to the business (defection, adverse, favourable).
        public internal(set) var eventMeaning: OutcomeCoding.EventMeaning?

        /// A summary of a model of `kind` on `observationCount` observations; the statistics default to `nil`.
        ///
        /// - Parameters:
        ///   - kind: which model was fitted.
        ///   - observationCount: observations used (complete rows).
        ///   - rSquared: R² (linear).
        ///   - adjustedRSquared: adjusted R² (linear).
        ///   - fStatistic: overall F statistic (linear).
        ///   - fPValue: p-value of the overall F test (linear).
        ///   - logLikelihood: maximized log-likelihood (logistic, ordinal).
        ///   - nullLogLikelihood: log-likelihood of the intercept-only model (logistic, ordinal).
        ///   - mcFaddenRSquared: McFadden's pseudo-R² (logistic, ordinal).
        ///   - nagelkerkeRSquared: Nagelkerke's pseudo-R² (logistic).
        ///   - auc: area under the ROC curve (logistic).
        ///   - intercept: the intercept with its inference, when fitted.
        ///   - thresholds: cut-points of an ordinal model; default none.
        public init(kind: ModelKind, observationCount: Int, rSquared: Double? = nil, adjustedRSquared: Double? = nil, fStatistic: Double? = nil, fPValue: Double? = nil,
                    logLikelihood: Double? = nil, nullLogLikelihood: Double? = nil, mcFaddenRSquared: Double? = nil, nagelkerkeRSquared: Double? = nil,
                    auc: Double? = nil, intercept: Coefficient? = nil, thresholds: [Coefficient] = []) {
            self.kind = kind
            self.observationCount = observationCount
            self.rSquared = rSquared
            self.adjustedRSquared = adjustedRSquared
            self.fStatistic = fStatistic
            self.fPValue = fPValue
            self.logLikelihood = logLikelihood
            self.nullLogLikelihood = nullLogLikelihood
            self.mcFaddenRSquared = mcFaddenRSquared
            self.nagelkerkeRSquared = nagelkerkeRSquared
            self.auc = auc
            self.intercept = intercept
            self.thresholds = thresholds
        }
    }

    /// The what-if for one driver: lift it by `delta` points (capped at the scale top).
    public struct WhatIfRow: Sendable, Equatable {
        /// The lift in rating points.
        public internal(set) var delta: Double
        /// Predicted change in the mean outcome (linear) or event probability (logistic).
        public internal(set) var outcomeChange: Double?
        /// Change in the churn rate (negative when the lift lowers churn).
        public internal(set) var churnChange: Double?
        /// Customers kept who would otherwise leave.
        public internal(set) var customersRetained: Double?
        /// Total lifetime value gained by the lift, in margin units.
        public internal(set) var clvAtStake: Double?
        /// Bootstrap interval of ``clvAtStake``.
        public internal(set) var interval: ClosedInterval?
        /// For a factor: the level customers move from.
        public internal(set) var from: String?
        /// For a factor: the level they move to.
        public internal(set) var to: String?
        /// How many analysed customers the what-if changes (those already at the target, or
        /// at the cap, do not move).
        public internal(set) var customersMoved: Double?
        /// Whether the what-if is a move the business can make, or (a factor's default) the value
        /// of closing the gap between two levels — "if fibre customers churned like DSL ones" —
        /// which is not an action and stays out of the action list.
        public internal(set) var framing: Framing?

        /// What a what-if stands for.
        public enum Framing: String, Sendable, Codable {
            /// A change the business can make (raise a rating, cut calls, move a declared level).
            case move
            /// The value of closing the gap between two levels of a factor (not an action).
            case gap
        }

        /// A what-if row; every consequence defaults to `nil`.
        ///
        /// - Parameters:
        ///   - delta: the lift in rating points (or the driver's own units).
        ///   - outcomeChange: predicted change in the mean outcome (linear) or event probability (logistic).
        ///   - churnChange: change in the churn rate, negative when the lift lowers churn.
        ///   - customersRetained: customers kept who would otherwise leave.
        ///   - clvAtStake: total lifetime value gained by the lift, in margin units.
        ///   - interval: bootstrap interval of `clvAtStake`.
        public init(delta: Double, outcomeChange: Double? = nil, churnChange: Double? = nil, customersRetained: Double? = nil,
                    clvAtStake: Double? = nil, interval: ClosedInterval? = nil) {
            self.delta = delta
            self.outcomeChange = outcomeChange
            self.churnChange = churnChange
            self.customersRetained = customersRetained
            self.clvAtStake = clvAtStake
            self.interval = interval
        }
    }

    /// One level of a factor driver with its coefficient against the reference level.
    public struct LevelRow: Sendable, Equatable {
        /// The level's text.
        public internal(set) var level: String
        /// Analysed rows at this level.
        public internal(set) var count: Int
        /// The dummy's coefficient (`nil` for the reference level).
        public internal(set) var coefficient: Coefficient?
        /// `e^β` (logistic models).
        public internal(set) var oddsRatio: Double?
        /// A level with its count.
        ///
        /// - Parameters:
        ///   - level: the level's text.
        ///   - count: analysed rows at this level.
        ///   - coefficient: the dummy's coefficient against the reference; `nil` (default) for the reference
        ///     level.
        ///   - oddsRatio: `e^β` (logistic models); `nil` (default) otherwise.
        public init(level: String, count: Int, coefficient: Coefficient? = nil, oddsRatio: Double? = nil) {
            self.level = level
            self.count = count
            self.coefficient = coefficient
            self.oddsRatio = oddsRatio
        }
    }

    /// Everything the report says about one driver.
    public struct DriverRow: Sendable, Equatable {
        /// The driver's column name.
        public internal(set) var name: String
        /// Rating, binary, numeric, count, amount or factor.
        public internal(set) var kind: DriverVariable.Kind?
        /// Lever (a what-if and an action row) or attribute (neither); `nil` when not assigned.
        public internal(set) var role: AnalysisConfiguration.DriverRole?
        /// Whether less of the driver is better (declared with `--lower-is-better`).
        public internal(set) var lowerIsBetter: Bool?
        /// The rating scale (ratings only).
        public internal(set) var scale: ClosedInterval?
        /// The reference level (factors only).
        public internal(set) var reference: String?
        /// The levels with their coefficients, reference first (factors only).
        public internal(set) var levels: [LevelRow] = []
        /// The factor's joint (Type II) test: F for linear, likelihood ratio for logistic models (factors only).
        public internal(set) var jointTest: JointTest?
        /// Whether raising the driver (or moving a factor to its best level) improves the
        /// outcome: `false` flags a driver whose improvement lowers value.
        public internal(set) var improves: Bool?
        /// Performance as percent of the rating scale (ratings only).
        public internal(set) var performancePercent: Double?
        /// Mean over the analysed rows.
        public internal(set) var mean: Double?
        /// Sample standard deviation over the analysed rows.
        public internal(set) var standardDeviation: Double?
        /// The driver's coefficient in the full model.
        public internal(set) var coefficient: Coefficient?
        /// `β·s_x/s_y` (linear).
        public internal(set) var standardizedBeta: Double?
        /// Variance inflation factor `1/(1 − R²ⱼ)` of a one-column term, any model (`nil` for a
        /// factor of several columns, whose inflation is ``varianceInflation``, and for an aliased
        /// term, whose inflation is infinite).
        public internal(set) var vif: Double?
        /// The term's generalized variance inflation (Fox & Monette 1992; R `car::vif`): GVIF, its
        /// degrees of freedom and `GVIF^(1/(2·df))`, infinite and marked aliased for a term exactly
        /// collinear with the others.
        public internal(set) var varianceInflation: VarianceInflation?
        /// `e^β` (logistic, ordinal).
        public internal(set) var oddsRatio: Double?
        /// Pearson correlation with the outcome.
        public internal(set) var pearson: Double?
        /// Two-sided p-value of ``pearson``.
        public internal(set) var pearsonPValue: Double?
        /// Spearman rank correlation with the outcome.
        public internal(set) var spearman: Double?
        /// Every importance measure computed for the driver.
        public var importance = ImportanceScores()
        /// Bootstrap intervals, per measure.
        public internal(set) var importanceIntervals: [ImportanceMeasure: ClosedInterval] = [:]
        /// Holm-adjusted p-value of the coefficient.
        public internal(set) var pValueHolm: Double?
        /// Benjamini–Hochberg-adjusted p-value of the coefficient.
        public internal(set) var pValueBH: Double?
        /// Performance (mean rating or top-2-box share).
        public internal(set) var performance: Double?
        /// Importance–performance quadrant.
        public internal(set) var quadrant: PriorityMatrix.Quadrant?
        /// Bootstrap interval of ``performance``.
        public internal(set) var performanceInterval: ClosedInterval?
        /// Share of resamples that put the driver in its reported quadrant.
        public internal(set) var quadrantProbability: Double?
        /// ``quadrantProbability`` below 0.8.
        public internal(set) var quadrantUnstable: Bool?
        /// Importance rank (1 = most important).
        public internal(set) var rank: Int?
        /// Share of resamples in which the driver holds ``rank``.
        public internal(set) var rankProbability: Double?
        /// Bootstrap interval of the rank.
        public internal(set) var rankInterval: ClosedInterval?
        /// Share of resamples in which the coefficient's sign differs from the reported one.
        public internal(set) var signFlipProbability: Double?
        /// Bootstrap percentile interval of the coefficient (logistic models; the odds ratio's
        /// interval is its exponential).
        public internal(set) var coefficientBootstrapInterval: ClosedInterval?
        /// The coefficient's sign is opposite to the driver's own correlation (or its Pratt share is negative).
        public internal(set) var suppressor: Bool?
        /// The what-if, with `--margin`.
        public internal(set) var whatIf: WhatIfRow?

        /// An empty row for the driver `name`.
        ///
        /// - Parameter name: the driver's column name.
        public init(name: String) { self.name = name }
    }

    /// The analysis of one segment (one level of the segment column).
    public struct Segment: Sendable {
        /// The segment's level.
        public internal(set) var name: String
        /// The segment's own report.
        public internal(set) var report: DriverReport
        /// One segment's report.
        ///
        /// - Parameters:
        ///   - name: the segment's level.
        ///   - report: the segment's own report.
        public init(name: String, report: DriverReport) { self.name = name; self.report = report }
    }

    /// Base values of the what-if (with `--margin`).
    public struct ValueSummary: Sendable, Equatable {
        /// Customers in the analysed sample (weighted count with weights).
        public internal(set) var customers: Double
        /// Mean predicted churn (event probability).
        public internal(set) var baselineChurn: Double
        /// The constant margin per period, `nil` when it comes from a column.
        public internal(set) var margin: Double?
        /// Discount rate per period.
        public internal(set) var discountRate: Double
        /// Mean lifetime value per customer.
        public internal(set) var clvPerCustomer: Double
        /// Total lifetime value of the sample.
        public internal(set) var totalCLV: Double
        /// The base values.
        ///
        /// - Parameters:
        ///   - customers: customers in the analysed sample (weighted count with weights).
        ///   - baselineChurn: mean predicted churn (event probability), in [0, 1].
        ///   - margin: the constant margin per period; `nil` when it comes from a column.
        ///   - discountRate: discount rate per period.
        ///   - clvPerCustomer: mean lifetime value per customer, in margin units.
        ///   - totalCLV: total lifetime value of the sample, in margin units.
        public init(customers: Double, baselineChurn: Double, margin: Double?, discountRate: Double, clvPerCustomer: Double, totalCLV: Double) {
            self.customers = customers
            self.baselineChurn = baselineChurn
            self.margin = margin
            self.discountRate = discountRate
            self.clvPerCustomer = clvPerCustomer
            self.totalCLV = totalCLV
        }
    }

    /// Dominance analysis (Budescu 1993; Azen & Budescu 2003) of the drivers.
    public struct DominanceSummary: Sendable, Equatable {
        /// The fit statistic decomposed: `r2` or `mcfadden_r2`.
        public internal(set) var fit: String
        /// Per driver, average additional contribution by subset size 0…p−1.
        public internal(set) var conditional: [[Double]]
        /// `complete[i][j]`: 1 when driver i completely dominates j, 0 when dominated, 0.5 undetermined.
        public internal(set) var complete: [[Double]]
        /// A dominance block.
        ///
        /// - Parameters:
        ///   - fit: the fit statistic decomposed: `r2` or `mcfadden_r2`.
        ///   - conditional: per driver, the average additional contribution by subset size 0…p−1.
        ///   - complete: `complete[i][j]`: 1 when driver i completely dominates j, 0 when dominated, 0.5
        ///     undetermined.
        public init(fit: String, conditional: [[Double]], complete: [[Double]]) {
            self.fit = fit
            self.conditional = conditional
            self.complete = complete
        }
    }

    /// "Driver `a` is more important than `b` in `probability` of the bootstrap resamples".
    public struct ImportanceComparison: Sendable, Equatable, Codable {
        /// The driver ranked higher in the report.
        public internal(set) var a: String
        /// The driver ranked lower.
        public internal(set) var b: String
        /// Share of resamples in which `a`'s importance exceeds `b`'s.
        public internal(set) var probability: Double
        /// One comparison.
        ///
        /// - Parameters:
        ///   - a: the driver ranked higher in the report.
        ///   - b: the driver ranked lower.
        ///   - probability: share of resamples in which `a`'s importance exceeds `b`'s, in [0, 1].
        public init(a: String, b: String, probability: Double) { self.a = a; self.b = b; self.probability = probability }
    }

    /// The outcome column.
    public internal(set) var outcome: String
    /// The full model's fit.
    public internal(set) var model: ModelSummary
    /// One row per driver, in the order the drivers were given.
    public internal(set) var drivers: [DriverRow]
    /// Net Promoter Score (with `--nps`).
    public internal(set) var nps: NetPromoterScore?
    /// Base values of the what-if (with `--margin` on a churn model).
    public internal(set) var value: ValueSummary?
    /// Dominance analysis.
    public internal(set) var dominance: DominanceSummary?
    /// Per-segment analyses.
    public internal(set) var segments: [Segment]
    /// Notes, in the order the stages raised them.
    public internal(set) var warnings: [Warning]
    /// Names of the drivers in action-list order (best first).
    public internal(set) var actionOrder: [String]
    /// What ``actionOrder`` is sorted by.
    public internal(set) var orderBasis: ActionOrder.Basis
    /// With the bootstrap: the share of resamples in which driver `a` is more important than `b`,
    /// for pairs among the five most important drivers.
    public internal(set) var importanceComparisons: [ImportanceComparison] = []
    /// Group importance (`--group`).
    public internal(set) var groups: [GroupImportance.Group] = []
    /// Coefficients of the always-in controls (`--control`).
    public internal(set) var controls: [Coefficient] = []
    /// How the Shapley values and their intervals were computed (exact or sampled); `nil` when
    /// the analysis does not say (linear models with exact values).
    public internal(set) var shapleyEstimation: ShapleyEstimation? = nil

    /// A report from its parts (the stages of ``KeyDriverAnalysis`` build it).
    ///
    /// - Parameters:
    ///   - outcome: the outcome column.
    ///   - model: the full model's fit.
    ///   - drivers: one row per driver, in the order the drivers were given.
    ///   - nps: the Net Promoter Score block; `nil` (default): none.
    ///   - value: base values of the what-if (churn models with a margin); `nil` (default): none.
    ///   - dominance: dominance analysis; `nil` (default): none.
    ///   - segments: per-segment analyses; default none.
    ///   - warnings: notes, in the order the stages raised them; default none.
    ///   - actionOrder: names of the drivers in action-list order, best first.
    ///   - orderBasis: what `actionOrder` is sorted by; default ``ActionOrder/Basis/listed``.
    ///   - importanceComparisons: bootstrap comparisons of pairs of drivers; default none.
    ///   - groups: group importance; default none.
    ///   - controls: coefficients of the always-in controls; default none.
    public init(outcome: String, model: ModelSummary, drivers: [DriverRow], nps: NetPromoterScore? = nil, value: ValueSummary? = nil,
                dominance: DominanceSummary? = nil, segments: [Segment] = [], warnings: [Warning] = [], actionOrder: [String],
                orderBasis: ActionOrder.Basis = .listed, importanceComparisons: [ImportanceComparison] = [], groups: [GroupImportance.Group] = [], controls: [Coefficient] = []) {
        self.outcome = outcome
        self.model = model
        self.drivers = drivers
        self.nps = nps
        self.value = value
        self.dominance = dominance
        self.segments = segments
        self.warnings = warnings
        self.actionOrder = actionOrder
        self.orderBasis = orderBasis
        self.importanceComparisons = importanceComparisons
        self.groups = groups
        self.controls = controls
    }

    /// The row of the driver called `name`, if any.
    ///
    /// - Parameter name: the driver's column name, matched exactly.
    public func driver(named name: String) -> DriverRow? { drivers.first { $0.name == name } }
}

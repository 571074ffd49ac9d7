/// Everything `kda analyze` (or a Swift caller) can ask of one key driver analysis.
public struct AnalysisConfiguration: Sendable, Codable, Equatable {
    /// The model family fitted to the outcome.
    public enum ModelChoice: String, Sendable, CaseIterable, Codable {
        /// Logistic when the outcome takes exactly two values (0/1, yes/no, true/false), else linear;
        /// `ordinal` (proportional odds) only when asked for.
        case auto
        /// Least squares, ``LinearRegression`` (importance from the correlation matrix).
        case linear
        /// Logistic regression, ``LogisticRegression`` (importance on McFadden R²); the outcome must be 0/1.
        case logistic
        /// Proportional-odds model, ``OrdinalRegression`` (McCullagh 1980), for an ordered rating outcome.
        case ordinal
    }
    /// An importance measure or report block the analysis computes (all by default).
    public enum ImportanceMethod: String, Sendable, CaseIterable, Codable {
        /// The regression model with inference. The model is always fitted; leaving this out
        /// only lets `kda` stream a large file through correlation-based methods.
        case regression
        /// Pearson correlation of each driver with the outcome, with its test (``CorrelationStage``).
        case correlation
        /// Shapley/LMG decomposition of R² (Lindeman, Merenda & Gold 1980; Lipovetsky & Conklin
        /// 2001): exact up to ``ShapleyDecomposition/defaultExactLimit`` drivers, sampled beyond;
        /// for logistic models, of McFadden R² (``LogisticDominance``).
        case shapley
        /// Johnson's (2000) relative weights (Tonidandel & LeBreton 2010 for logistic models).
        case relativeWeights = "relative-weights"
        /// Dominance analysis, conditional and complete (Budescu 1993; Azen & Budescu 2003),
        /// when the driver count allows all `2^p` subsets.
        case dominance
        /// Pratt's measure `βⱼ·rⱼ`, with first (`rⱼ²`), last (usefulness) and `βⱼ²` (linear models).
        case pratt
    }
    /// Margin per customer per period: a constant, or a column of the data.
    public enum MarginSource: Sendable, Equatable, Codable {
        /// The same margin for every customer, in currency per period (≥ 0).
        case value(Double)
        /// A numeric column holding each customer's margin per period.
        case column(String)
    }

    /// The reference level of one factor.
    public struct ReferenceLevel: Sendable, Equatable, Codable {
        /// The factor's column.
        public let column: String
        /// The level every other level is compared with.
        public let level: String
        /// `column`'s reference is `level`.
        ///
        /// - Parameters:
        ///   - column: the factor's column.
        ///   - level: the level every other level is compared with, as the column spells it.
        public init(column: String, level: String) { self.column = column; self.level = level }
    }

    /// A declared what-if for a factor: move the customers at level `from` to level `to`.
    public struct LevelMove: Sendable, Equatable, Codable {
        /// The factor's column.
        public let column: String
        /// The level customers move from.
        public let from: String
        /// The level they move to.
        public let to: String
        /// Customers of `column` at `from` move to `to`.
        ///
        /// - Parameters:
        ///   - column: the factor's column.
        ///   - from: the level the customers move from.
        ///   - to: the level they move to.
        public init(column: String, from: String, to: String) { self.column = column; self.from = from; self.to = to }
    }

    /// A declared rating scale, e.g. `wifi` on 1…5.
    public struct RatingScale: Sendable, Equatable, Codable {
        /// The rating column.
        public let column: String
        /// The lowest possible rating.
        public let lower: Double
        /// The highest possible rating.
        public let upper: Double
        /// `column` is rated from `lower` to `upper`.
        ///
        /// - Parameters:
        ///   - column: the rating column.
        ///   - lower: the lowest possible rating, e.g. 1.
        ///   - upper: the highest possible rating, e.g. 5; above `lower`.
        public init(column: String, lower: Double, upper: Double) { self.column = column; self.lower = lower; self.upper = upper }
    }

    /// Several drivers treated as one player in Shapley importance (e.g. the digital channels).
    public struct PredictorGroup: Sendable, Equatable, Codable {
        /// The group's name, reported in place of its members.
        public let name: String
        /// The driver columns that form the group.
        public let members: [String]
        /// A group `name` made of the drivers `members`.
        ///
        /// - Parameters:
        ///   - name: the group's name, reported in place of its members.
        ///   - members: the driver columns that form the group.
        public init(name: String, members: [String]) { self.name = name; self.members = members }
    }

    /// Name of the outcome column (satisfaction, NPS rating, churn 0/1, …).
    public var outcome: String
    /// The value of a two-valued outcome that is the event being modelled (1): `"Yes"`,
    /// `"neutral or dissatisfied"`, `"1"`. `nil`: the one of a Yes/No (True/False, Y/N) column,
    /// `1` of a 0/1 column, else guessed (the rarer value) with a warning.
    public var event: String? = nil
    /// What the event is to the business: a customer leaving (only then do customers retained
    /// and lifetime value at stake apply), an adverse or a favourable outcome. `nil`: inferred
    /// from the outcome's and the event's names (churn, attrition, cancel… → defection;
    /// dissatisfied, complaint… → adverse; else favourable), with a note.
    public var eventMeaning: OutcomeCoding.EventMeaning? = nil
    /// The most work exact logistic importance may take by default, in row × column × submodel
    /// units (`2^players · n · terms`; 2·10¹⁰ is about half a minute on two cores). Beyond it the
    /// logistic Shapley values and dominance are not computed (relative weights rank the
    /// drivers) and a warning says how to ask for them; `.infinity` computes them up to
    /// ``LogisticDominance/exactLimit`` players, however long it takes.
    public var logisticWorkBudget: Double = 2e10
    /// The most work exact linear Shapley values of drivers with factors may take, in
    /// multiply-adds of the subset walk (``GroupImportance/work(columnsPerPlayer:)``, which
    /// counts each factor's design columns; 10¹⁰ is about 20 s on two cores: 29 ratings and a
    /// four-level factor, or 18 factors of 20 levels). Beyond it, or beyond
    /// ``GroupImportance/playerLimit`` players, the values are sampled with standard errors and
    /// a note; `.infinity` enumerates up to that limit however long it takes. Each bootstrap
    /// replicate gets `linearWorkBudget / bootstrap`.
    public var linearWorkBudget: Double = 1e10
    /// Heteroscedasticity-consistent standard errors for linear models (`nil`: classical).
    public var robust: LinearRegression.CovarianceType? = nil
    /// Numeric columns to treat as categorical (factors with dummy coding), e.g. region codes.
    public var categorical: [String] = []
    /// Reference levels of factors (default: the most frequent level).
    public var references: [ReferenceLevel] = []
    /// Notes the caller adds to the report's warnings (e.g. a command line's defaults it applied).
    public var notes: [DriverReport.Warning] = []
    /// Declared what-if moves of factors (default: the most common level moves one level up).
    public var levelMoves: [LevelMove] = []
    /// Declared rating scales (default: inferred per column from its values).
    public var scales: [RatingScale] = []
    /// The most levels a text column may have to become a factor by default (more: left out,
    /// unless declared with ``categorical`` or named as a driver, up to ``factorLevelHardLimit``).
    public var factorLevelLimit: Int = 20
    /// The most levels any factor may have (each level is a model parameter).
    public static let factorLevelHardLimit = 100
    /// Predictor groups for group importance (linear models).
    public var groups: [PredictorGroup] = []
    /// Always-in covariates: adjusted for in the model and in importance, but given no importance.
    public var controls: [String] = []
    /// Declared roles (``DriverRole``): levers get a what-if and an action row, attributes stay
    /// in the model and the importance table without either, controls are adjusted for. Without
    /// a declaration, common profile names (gender, age, senior citizen, partner, region…) are
    /// attributes, with a note naming them.
    public var roles: [RoleDeclaration] = []
    /// Declared kinds (``DeclaredKind``), e.g. counts that would otherwise read as ratings.
    public var kinds: [KindDeclaration] = []
    /// Drivers for which less is better (service calls, waiting time): their what-if lowers
    /// them (floored at the observed minimum or the scale's bottom) and their direction is read
    /// that way.
    public var lowerIsBetter: [ColumnPattern] = []
    /// Columns left out of the default drivers (and of named ones): names or globs.
    public var excluded: [ColumnPattern] = []
    /// The coding of the ``nps`` item when it is not 0–10: an 11-point scale such as 1…11,
    /// recoded to 0–10 by subtracting its bottom. `nil`: the item is 0–10.
    public var npsScale: ClosedRange<Double>? = nil
    /// How `weight` is meant: sampling (survey) weights get design-based standard errors,
    /// frequency weights count repeated respondents.
    public var weightKind: Moments.WeightKind = .sampling
    /// `nil`: every numeric column but the outcome, weight and segment (and unnamed index columns).
    public var drivers: [String]?
    /// Model family. Default ``ModelChoice/auto``.
    public var model: ModelChoice
    /// Name of a non-negative weight column, or `nil` (default) for unweighted analysis.
    public var weight: String?
    /// Name of a column whose levels are analysed separately and compared (``SegmentStage``); `nil` by default.
    public var segment: String?
    /// Missing-data policy. Default ``MissingDataPolicy/listwise``; ``MissingDataPolicy/pairwise``
    /// affects correlation-based importance only, the model stays listwise.
    public var missing: MissingDataPolicy
    /// Importance measures and blocks to compute. Default: all of ``ImportanceMethod``.
    public var methods: Set<ImportanceMethod>
    /// Bootstrap replicates for intervals (0: none).
    public var bootstrap: Int
    /// Seed of the random generator for bootstrap and sampled Shapley, so runs reproduce. Default `1`.
    public var seed: UInt64
    /// Level of every interval (coefficients, bootstrap, CLV at stake), strictly in (0, 1). Default `0.95`.
    public var confidenceLevel: Double
    /// Whether the model has an intercept. Default `true`.
    public var intercept: Bool
    /// Top of the rating scale (what-if cap, top-2-box, performance gap).
    public var scaleMax: Double
    /// Name of a 0–10 likelihood-to-recommend column for a ``NetPromoterScore`` block, or `nil` (default).
    public var nps: String?
    /// Margin per customer per period for lifetime value; `nil` (default) skips the value stage.
    public var margin: MarginSource?
    /// Discount rate `d` per period in the CLV formula `m·r/(1 + d − r)`, ≥ 0. Default `0.10`.
    public var discountRate: Double
    /// Rating points every driver is raised by in the what-if (capped at the top of the scale, or a
    /// non-rating driver's own maximum). Must be finite. Default `1`.
    public var whatIfDelta: Double
    /// Sort the action list by the lower bound of CLV at stake (needs `bootstrap > 0`).
    public var conservative: Bool

    /// A configuration for `outcome`; every other option has the default documented on its property.
    /// Call ``validate()`` before running it (``KeyDriverAnalysis/analyze(_:_:)`` does).
    ///
    /// - Parameters:
    ///   - outcome: the outcome column (satisfaction, NPS rating, churn 0/1, …).
    ///   - drivers: the driver columns; `nil` (default): every numeric column but the outcome, weight and
    ///     segment.
    ///   - event: the value of a two-valued outcome that is the event (coded 1); `nil` (default): inferred, see
    ///     ``event``.
    ///   - model: the model family; default ``ModelChoice/auto``.
    ///   - weight: a non-negative weight column; `nil` (default): unweighted.
    ///   - segment: a column whose levels are analysed separately; `nil` (default): no segments.
    ///   - missing: the missing-data policy; default ``MissingDataPolicy/listwise``.
    ///   - methods: the importance measures and blocks to compute; default all of ``ImportanceMethod``.
    ///   - bootstrap: bootstrap replicates for intervals; default 0: none.
    ///   - seed: the seed of the bootstrap and of sampled Shapley values; default 1.
    ///   - confidenceLevel: the level of every interval, strictly in (0, 1); default 0.95.
    ///   - intercept: whether the model has an intercept; default `true`.
    ///   - scaleMax: the top of the rating scale (what-if cap, top-2-box); default 10.
    ///   - nps: a 0–10 likelihood-to-recommend column for a Net Promoter Score block; `nil` (default): none.
    ///   - margin: the margin per customer per period for lifetime value; `nil` (default) skips the value
    ///     stage.
    ///   - discountRate: the discount rate `d` per period in the CLV formula, ≥ 0; default 0.10.
    ///   - whatIfDelta: the rating points every driver is raised by in the what-if, finite; default 1.
    ///   - conservative: whether the action list is sorted by the lower bound of CLV at stake (needs
    ///     `bootstrap > 0`); default `false`.
    public init(outcome: String, drivers: [String]? = nil, event: String? = nil, model: ModelChoice = .auto, weight: String? = nil,
                segment: String? = nil, missing: MissingDataPolicy = .listwise, methods: Set<ImportanceMethod> = Set(ImportanceMethod.allCases),
                bootstrap: Int = 0, seed: UInt64 = 1, confidenceLevel: Double = 0.95, intercept: Bool = true,
                scaleMax: Double = 10, nps: String? = nil, margin: MarginSource? = nil, discountRate: Double = 0.10,
                whatIfDelta: Double = 1, conservative: Bool = false) {
        self.outcome = outcome
        self.drivers = drivers
        self.event = event
        self.model = model
        self.weight = weight
        self.segment = segment
        self.missing = missing
        self.methods = methods
        self.bootstrap = bootstrap
        self.seed = seed
        self.confidenceLevel = confidenceLevel
        self.intercept = intercept
        self.scaleMax = scaleMax
        self.nps = nps
        self.margin = margin
        self.discountRate = discountRate
        self.whatIfDelta = whatIfDelta
        self.conservative = conservative
    }

    /// The most bootstrap replicates one analysis accepts (each is a full importance computation).
    public static let bootstrapLimit = 100_000

    /// Refuses option values that have no meaning (a confidence level outside (0, 1), a negative
    /// discount rate, a scale top that is not positive, …) instead of answering silently wrong.
    ///
    /// - Throws: ``AnalysisError/invalidOption(option:value:reason:)`` naming the option.
    public func validate() throws {
        func fail(_ option: String, _ value: Any, _ reason: String) -> AnalysisError {
            .invalidOption(option: option, value: "\(value)", reason: reason)
        }
        guard confidenceLevel > 0, confidenceLevel < 1 else { throw fail("confidenceLevel", confidenceLevel, "a confidence level lies strictly between 0 and 1") }
        guard (0...Self.bootstrapLimit).contains(bootstrap) else {
            throw fail("bootstrap", bootstrap, "the number of replicates must be between 0 and \(Self.bootstrapLimit)")
        }
        guard scaleMax.isFinite, scaleMax > 0 else { throw fail("scale-max", scaleMax, "the top of the rating scale must be a positive number") }
        guard whatIfDelta.isFinite else { throw fail("what-if-delta", whatIfDelta, "the lift must be a finite number of rating points") }
        guard discountRate.isFinite, discountRate >= 0 else {
            throw fail("discount-rate", discountRate, "a discount rate per period is a non-negative number (0.01 = 1 % per period)")
        }
        if case let .value(m)? = margin, !(m.isFinite && m >= 0) {
            throw fail("margin", m, "the margin per customer per period must be a non-negative number")
        }
        for scale in scales where !(scale.lower.isFinite && scale.upper.isFinite && scale.lower < scale.upper && (scale.upper - scale.lower).isFinite) {
            throw fail("scale", "\(scale.column)=\(scale.lower)..\(scale.upper)", "a rating scale runs from a lower to a higher finite value")
        }
        guard factorLevelLimit >= 2 else { throw fail("factor-level-limit", factorLevelLimit, "a factor has at least two levels") }
        if let s = npsScale, !(s.lowerBound.isFinite && s.upperBound - s.lowerBound == 10 && s.lowerBound == s.lowerBound.rounded()) {
            throw fail("nps-scale", "\(s.lowerBound)..\(s.upperBound)", "an NPS item has 11 whole points (0..10, 1..11); other codings cannot be read as promoters (9–10) and detractors (0–6)")
        }
        if conservative && bootstrap == 0 {
            throw fail("conservative", true, "sorting by the lower bound of CLV at stake needs bootstrap replicates")
        }
    }
}

/// Everything `kda analyze` (or a Swift caller) can ask of one key driver analysis.
public struct AnalysisConfiguration: Sendable, Codable, Equatable {
    public enum ModelChoice: String, Sendable, CaseIterable, Codable {
        /// Logistic when the outcome takes exactly two values (0/1, yes/no, true/false), else linear;
        /// `ordinal` (proportional odds) only when asked for.
        case auto, linear, logistic, ordinal
    }
    public enum Method: String, Sendable, CaseIterable, Codable {
        case regression, correlation, shapley, relativeWeights = "relative-weights", dominance, pratt
    }
    /// Margin per customer per period: a constant, or a column of the data.
    public enum MarginSource: Sendable, Equatable, Codable {
        case value(Double)
        case column(String)
    }

    /// Several drivers treated as one player in Shapley importance (e.g. the digital channels).
    public struct PredictorGroup: Sendable, Equatable, Codable {
        public let name: String
        public let members: [String]
        public init(name: String, members: [String]) { self.name = name; self.members = members }
    }

    public var outcome: String
    /// Predictor groups for group importance (linear models).
    public var groups: [PredictorGroup] = []
    /// Always-in covariates: adjusted for in the model and in importance, but given no importance.
    public var controls: [String] = []
    /// How `weight` is meant: sampling (survey) weights get design-based standard errors,
    /// frequency weights count repeated respondents.
    public var weightKind: Moments.WeightKind = .sampling
    /// `nil`: every numeric column but the outcome, weight and segment (and unnamed index columns).
    public var drivers: [String]?
    public var model: ModelChoice
    public var weight: String?
    public var segment: String?
    public var missing: MissingDataPolicy
    public var methods: Set<Method>
    /// Bootstrap replicates for intervals (0: none).
    public var bootstrap: Int
    public var seed: UInt64
    public var confidenceLevel: Double
    public var intercept: Bool
    /// Top of the rating scale (what-if cap, top-2-box, performance gap).
    public var scaleMax: Double
    public var nps: String?
    public var margin: MarginSource?
    public var discountRate: Double
    public var whatIfDelta: Double
    /// Sort the action list by the lower bound of CLV at stake (needs `bootstrap > 0`).
    public var conservative: Bool

    public init(outcome: String, drivers: [String]? = nil, model: ModelChoice = .auto, weight: String? = nil,
                segment: String? = nil, missing: MissingDataPolicy = .listwise, methods: Set<Method> = Set(Method.allCases),
                bootstrap: Int = 0, seed: UInt64 = 1, confidenceLevel: Double = 0.95, intercept: Bool = true,
                scaleMax: Double = 10, nps: String? = nil, margin: MarginSource? = nil, discountRate: Double = 0.10,
                whatIfDelta: Double = 1, conservative: Bool = false) {
        self.outcome = outcome
        self.drivers = drivers
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
        guard confidenceLevel > 0, confidenceLevel < 1 else { throw fail("confidence", confidenceLevel, "a confidence level lies strictly between 0 and 1") }
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
        if conservative && bootstrap == 0 {
            throw fail("conservative", true, "sorting by the lower bound of CLV at stake needs bootstrap replicates")
        }
    }
}

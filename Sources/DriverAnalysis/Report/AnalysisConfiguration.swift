/// Everything `kda analyze` (or a Swift caller) can ask of one key driver analysis.
public struct AnalysisConfiguration: Sendable {
    public enum ModelChoice: String, Sendable, CaseIterable {
        /// Logistic when the outcome takes exactly two values (0/1, yes/no, true/false), else linear;
        /// `ordinal` (proportional odds) only when asked for.
        case auto, linear, logistic, ordinal
    }
    public enum Method: String, Sendable, CaseIterable {
        case regression, correlation, shapley, relativeWeights = "relative-weights", dominance, pratt
    }
    /// Margin per customer per period: a constant, or a column of the data.
    public enum MarginSource: Sendable, Equatable {
        case value(Double)
        case column(String)
    }

    /// Several drivers treated as one player in Shapley importance (e.g. the digital channels).
    public struct PredictorGroup: Sendable, Equatable {
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
}

/// The result of one key driver analysis: what every output format renders, and the
/// `kda.analysis/1` JSON contract (``json``).
public struct DriverReport: Sendable {
    public struct Warning: Sendable, Equatable {
        public let code: String
        public let message: String
        public init(_ code: String, _ message: String) { self.code = code; self.message = message }
    }

    public struct ModelSummary: Sendable {
        public var kind: String                 // "linear" | "logistic"
        public var n: Int
        public var r2: Double?
        public var adjustedR2: Double?
        public var fStatistic: Double?
        public var fPValue: Double?
        public var logLikelihood: Double?
        public var nullLogLikelihood: Double?
        public var mcFaddenR2: Double?
        public var nagelkerkeR2: Double?
        public var auc: Double?
        public var intercept: Coefficient?
        /// Cut-points of an ordinal model.
        public var thresholds: [Coefficient] = []
    }

    public struct WhatIfRow: Sendable {
        public var delta: Double
        public var outcomeChange: Double?
        public var churnChange: Double?
        public var customersRetained: Double?
        public var clvAtStake: Double?
        public var interval: ClosedInterval?
    }

    public struct DriverRow: Sendable {
        public var name: String
        public var mean: Double?
        public var standardDeviation: Double?
        public var coefficient: Coefficient?
        public var standardizedBeta: Double?
        public var vif: Double?
        public var oddsRatio: Double?
        public var pearson: Double?
        public var pearsonPValue: Double?
        public var spearman: Double?
        /// Keyed by the contract's importance names (`shapley`, `shapley_share`, …).
        public var importance: [String: Double?] = [:]
        public var importanceIntervals: [String: ClosedInterval] = [:]
        public var pValueHolm: Double?
        public var pValueBH: Double?
        public var performance: Double?
        public var quadrant: PriorityMatrix.Quadrant?
        public var performanceInterval: ClosedInterval?
        public var quadrantProbability: Double?
        public var quadrantUnstable: Bool?
        public var rank: Int?
        public var rankProbability: Double?
        public var rankInterval: ClosedInterval?
        public var signFlipProbability: Double?
        public var suppressor: Bool?
        public var whatIf: WhatIfRow?
    }

    public struct Segment: Sendable {
        public var name: String
        public var report: DriverReport
    }

    public var outcome: String
    public var model: ModelSummary
    public var drivers: [DriverRow]
    public var nps: NetPromoterScore?
    public var value: (customers: Double, baselineChurn: Double, margin: Double?, discountRate: Double, clvPerCustomer: Double, totalCLV: Double)?
    public var dominance: (fit: String, conditional: [[Double]], complete: [[Double]])?
    public var segments: [Segment]
    public var warnings: [Warning]
    /// Names of the drivers in action-list order (best first).
    public var actionOrder: [String]
    /// With the bootstrap: the share of resamples in which driver `a` is more important than `b`,
    /// for pairs among the five most important drivers.
    public var importanceComparisons: [(a: String, b: String, probability: Double)] = []
    /// Group importance (`--group`).
    public var groups: [GroupImportance.Group] = []
    /// Coefficients of the always-in controls (`--control`).
    public var controls: [Coefficient] = []

    public static let importanceKeys = ["shapley", "shapley_share", "relative_weight", "relative_weight_share", "pratt", "first", "last", "beta_squared"]
}

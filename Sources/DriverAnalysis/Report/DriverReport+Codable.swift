import Foundation

extension JSONValue: Codable {
    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Reads any JSON value (object keys in the order the decoder reports them).
    public init(from decoder: any Decoder) throws {
        if let object = try? decoder.container(keyedBy: Key.self) {
            self = .object(try object.allKeys.map { ($0.stringValue, try object.decode(JSONValue.self, forKey: $0)) })
            return
        }
        if var array = try? decoder.unkeyedContainer() {
            var items: [JSONValue] = []
            while !array.isAtEnd { items.append(try array.decode(JSONValue.self)) }
            self = .array(items)
            return
        }
        let single = try decoder.singleValueContainer()
        if single.decodeNil() { self = .null }
        else if let bool = try? single.decode(Bool.self) { self = .bool(bool) }
        else if let number = try? single.decode(Double.self) { self = .number(number) }
        else { self = .string(try single.decode(String.self)) }
    }

    /// Writes the value; non-finite numbers as `null`.
    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .null:
            var c = encoder.singleValueContainer()
            try c.encodeNil()
        case let .bool(b):
            var c = encoder.singleValueContainer()
            try c.encode(b)
        case let .number(x):
            var c = encoder.singleValueContainer()
            if x.isFinite { try c.encode(x) } else { try c.encodeNil() }
        case let .string(s):
            var c = encoder.singleValueContainer()
            try c.encode(s)
        case let .array(items):
            var c = encoder.unkeyedContainer()
            for item in items { try c.encode(item) }
        case let .object(fields):
            var c = encoder.container(keyedBy: Key.self)
            for (key, value) in fields { try c.encode(value, forKey: Key(stringValue: key)) }
        }
    }

    var double: Double? { if case let .number(x) = self { return x }; return nil }
    var string: String? { if case let .string(s) = self { return s }; return nil }
    var bool: Bool? { if case let .bool(b) = self { return b }; return nil }
    var items: [JSONValue] { if case let .array(a) = self { return a }; return [] }
    var interval: ClosedInterval? {
        let a = items
        guard a.count == 2 else { return nil }
        return ClosedInterval(lower: a[0].double ?? .nan, upper: a[1].double ?? .nan)
    }
}

/// A report encodes as the `kda.analysis/1` document and decodes from one.
extension DriverReport: Codable {
    /// Writes the `kda.analysis/1` document (``json``).
    public func encode(to encoder: any Encoder) throws { try json.encode(to: encoder) }

    /// Reads a `kda.analysis/1` document (as written by `kda analyze --format json` or ``encode(to:)``).
    ///
    /// - Throws: `DecodingError.dataCorrupted` when the schema is not `kda.analysis/1`, a
    ///   required key (`outcome`, `model.kind`, `model.observationCount`, `drivers`) is missing, `model.observationCount` is
    ///   negative, or the dominance matrices are not square and of one size.
    public init(from decoder: any Decoder) throws {
        let document = try JSONValue(from: decoder)
        func corrupted(_ what: String) -> DecodingError {
            .dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: what))
        }
        guard document["schema"]?.string == "kda.analysis/1" else { throw corrupted("not a kda.analysis/1 document") }
        try self.init(contract: document, corrupted: corrupted)
    }

    init(contract document: JSONValue, corrupted: (String) -> DecodingError) throws {
        guard let outcome = document["outcome"]?.string else { throw corrupted("missing 'outcome'") }
        guard let modelJSON = document["model"], let model = Self.modelSummary(modelJSON) else { throw corrupted("missing or malformed 'model'") }
        guard let driversJSON = document["drivers"] else { throw corrupted("missing 'drivers'") }
        let rows = driversJSON.items.map(Self.driverRow)
        let dominance = document["dominance"].flatMap(Self.dominance)
        if let dominance, let problem = Self.inconsistency(of: dominance) { throw corrupted("dominance: \(problem)") }
        let order = document["order"]
        let actionOrder = order?["drivers"]?.items.compactMap(\.string)
            ?? rows.indices.sorted { (rows[$0].rank ?? Int.max) < (rows[$1].rank ?? Int.max) }.map { rows[$0].name }
        var segments: [Segment] = []
        for segment in document["segments"]?.items ?? [] {
            var inner: [(String, JSONValue)] = [("schema", .string("kda.analysis/1")), ("outcome", .string(outcome))]
            inner.append(("model", segment["model"] ?? .null))
            inner.append(("drivers", segment["drivers"] ?? .array([])))
            segments.append(.init(name: segment["name"]?.string ?? "", report: try DriverReport(contract: .object(inner), corrupted: corrupted)))
        }
        self.init(outcome: outcome, model: model, drivers: rows, nps: document["nps"].flatMap(Self.nps), value: document["value"].flatMap(Self.value),
                  dominance: dominance, segments: segments,
                  warnings: (document["warnings"]?.items ?? []).map { .init(WarningCode(rawValue: $0["code"]?.string ?? ""), $0["message"]?.string ?? "") },
                  actionOrder: actionOrder, orderBasis: order?["by"]?.string.flatMap(ActionOrder.Basis.init(rawValue:)) ?? .listed,
                  importanceComparisons: (document["importance_comparisons"]?.items ?? []).map {
                      .init(a: $0["a"]?.string ?? "", b: $0["b"]?.string ?? "", probability: $0["probability"]?.double ?? .nan)
                  },
                  groups: (document["groups"]?.items ?? []).map {
                      .init(name: $0["name"]?.string ?? "", members: $0["members"]?.items.compactMap(\.string) ?? [],
                            shapley: $0["importance"]?["shapley"]?.double ?? .nan, share: $0["importance"]?["shapley_share"]?.double ?? .nan)
                  },
                  controls: (document["controls"]?.items ?? []).map { Self.coefficient($0, name: $0["name"]?.string ?? "") })
        shapleyEstimation = document["shapley_estimate"].flatMap(ShapleyEstimation.init(json:))
    }

    static func coefficient(_ v: JSONValue, name: String) -> Coefficient {
        let estimate = v["estimate"]?.double
        return Coefficient(name: name, estimate: estimate ?? .nan, standardError: v["std_error"]?.double ?? .nan,
                           statistic: v["statistic"]?.double ?? .nan, pValue: v["p_value"]?.double ?? .nan,
                           confidenceInterval: ClosedInterval(lower: v["ci_lower"]?.double ?? .nan, upper: v["ci_upper"]?.double ?? .nan),
                           isAliased: estimate == nil)
    }

    static func modelSummary(_ v: JSONValue) -> ModelSummary? {
        guard let kind = v["kind"]?.string.flatMap(ModelKind.init(rawValue:)), let n = v["n"]?.double, n >= 0, n < 1e15 else { return nil }
        var summary = ModelSummary(kind: kind, observationCount: Int(n), rSquared: v["r2"]?.double, adjustedRSquared: v["adjusted_r2"]?.double,
                                   fStatistic: v["f_statistic"]?.double, fPValue: v["f_p_value"]?.double,
                                   logLikelihood: v["log_likelihood"]?.double, nullLogLikelihood: v["null_log_likelihood"]?.double,
                                   mcFaddenRSquared: v["mcfadden_r2"]?.double, nagelkerkeRSquared: v["nagelkerke_r2"]?.double, auc: v["auc"]?.double)
        if let intercept = v["intercept"], case .object = intercept { summary.intercept = coefficient(intercept, name: "(Intercept)") }
        summary.thresholds = (v["thresholds"]?.items ?? []).map { coefficient($0, name: $0["name"]?.string ?? "") }
        summary.event = v["event"]?.string
        summary.eventMeaning = v["event_meaning"]?.string.flatMap(OutcomeCoding.EventMeaning.init(rawValue:))
        return summary
    }

    static func driverRow(_ v: JSONValue) -> DriverRow {
        var row = DriverRow(name: v["name"]?.string ?? "")
        row.mean = v["mean"]?.double
        row.standardDeviation = v["std_dev"]?.double
        if v["estimate"]?.double != nil || v["std_error"]?.double != nil { row.coefficient = coefficient(v, name: row.name) }
        row.standardizedBeta = v["standardized_beta"]?.double
        row.vif = v["vif"]?.double
        if let g = v["gvif"], case .object = g, let df = g["df"]?.double, df >= 1, df < 1e6 {
            let aliased = g["aliased"]?.bool ?? false
            row.varianceInflation = VarianceInflation(value: g["value"]?.double ?? .infinity, degreesOfFreedom: Int(df), isAliased: aliased)
        }
        row.oddsRatio = v["odds_ratio"]?.double
        row.pearson = v["pearson"]?.double
        row.pearsonPValue = v["pearson_p_value"]?.double
        row.spearman = v["spearman"]?.double
        for measure in ImportanceMeasure.allCases {
            row.importance[measure] = v["importance"]?[measure.rawValue]?.double
            if let interval = v["importance_ci"]?[measure.rawValue]?.interval { row.importanceIntervals[measure] = interval }
        }
        row.importance.shapleyStandardError = v["importance"]?["shapley_std_error"]?.double
        row.pValueHolm = v["p_value_holm"]?.double
        row.pValueBH = v["p_value_bh"]?.double
        row.performance = v["performance"]?.double
        row.quadrant = v["quadrant"]?.string.flatMap(PriorityMatrix.Quadrant.init(rawValue:))
        row.performanceInterval = v["performance_ci"]?.interval
        row.quadrantProbability = v["quadrant_probability"]?.double
        row.quadrantUnstable = v["quadrant_unstable"]?.bool
        row.rank = v["rank"]?.double.flatMap { $0 >= 1 && $0 < 1e9 ? Int($0) : nil }
        row.rankProbability = v["rank_probability"]?.double
        row.rankInterval = v["rank_ci"]?.interval
        row.signFlipProbability = v["sign_flip_probability"]?.double
        row.coefficientBootstrapInterval = v["estimate_bootstrap_ci"]?.interval
        row.suppressor = v["suppressor"]?.bool
        row.kind = v["kind"]?.string.flatMap(DriverVariable.Kind.init(rawValue:))
        row.role = v["role"]?.string.flatMap(AnalysisConfiguration.DriverRole.init(rawValue:))
        row.lowerIsBetter = v["lower_is_better"]?.bool
        row.scale = v["scale"]?.interval
        row.performancePercent = v["performance_percent"]?.double
        row.improves = v["improves"]?.bool
        row.reference = v["reference"]?.string
        row.levels = (v["levels"]?.items ?? []).map { level in
            let name = level["level"]?.string ?? ""
            let isReference = level["estimate"]?.double == nil && name == row.reference
            return LevelRow(level: name, count: level["n"]?.double.flatMap { $0 >= 0 && $0 < 1e15 ? Int($0) : nil } ?? 0,
                            coefficient: isReference ? nil : coefficient(level, name: "\(row.name)[\(name)]"), oddsRatio: level["odds_ratio"]?.double)
        }
        if let w = v["what_if"], case .object = w {
            let lower = w["ci_lower"]?.double, upper = w["ci_upper"]?.double
            row.whatIf = WhatIfRow(delta: w["delta"]?.double ?? .nan, outcomeChange: w["outcome_change"]?.double, churnChange: w["churn_change"]?.double,
                                   customersRetained: w["customers_retained"]?.double, clvAtStake: w["clv_at_stake"]?.double,
                                   interval: lower.flatMap { l in upper.map { ClosedInterval(lower: l, upper: $0) } })
            row.whatIf?.from = w["from"]?.string
            row.whatIf?.to = w["to"]?.string
            row.whatIf?.customersMoved = w["customers_moved"]?.double
            row.whatIf?.framing = w["framing"]?.string.flatMap(WhatIfRow.Framing.init(rawValue:))
        }
        return row
    }

    static func nps(_ v: JSONValue) -> NetPromoterScore? {
        guard case .object = v, let score = v["score"]?.double else { return nil }
        let respondents = v["respondents"]?.double.flatMap { $0 >= 0 && $0 < 1e15 ? Int($0) : nil } ?? 0
        return NetPromoterScore(score: score, promoters: v["promoters"]?.double ?? .nan, passives: v["passives"]?.double ?? .nan,
                                detractors: v["detractors"]?.double ?? .nan, standardError: v["std_error"]?.double ?? .nan,
                                confidenceInterval: ClosedInterval(lower: v["ci_lower"]?.double ?? .nan, upper: v["ci_upper"]?.double ?? .nan),
                                respondents: respondents, effectiveSampleSize: v["effective_n"]?.double ?? .nan)
    }

    static func value(_ v: JSONValue) -> ValueSummary? {
        guard case .object = v else { return nil }
        return ValueSummary(customers: v["customers"]?.double ?? .nan, baselineChurn: v["baseline_churn"]?.double ?? .nan,
                            margin: v["margin"]?.double, discountRate: v["discount_rate"]?.double ?? .nan,
                            clvPerCustomer: v["clv_per_customer"]?.double ?? .nan, totalCLV: v["total_clv"]?.double ?? .nan)
    }

    /// What makes a dominance block one no analysis could have written, or `nil`: with `p`
    /// players, `conditional` is p × p (contributions by subset size 0…p−1) and `complete` is p × p.
    static func inconsistency(of dominance: DominanceSummary) -> String? {
        let p = dominance.conditional.count
        if let bad = dominance.conditional.firstIndex(where: { $0.count != p }) {
            return "row \(bad + 1) of 'conditional' has \(dominance.conditional[bad].count) subset sizes for \(p) players"
        }
        guard dominance.complete.count == p, dominance.complete.allSatisfy({ $0.count == p }) else {
            return "'complete' is not \(p) × \(p) like 'conditional'"
        }
        return nil
    }

    static func dominance(_ v: JSONValue) -> DominanceSummary? {
        guard case .object = v, let fit = v["fit"]?.string else { return nil }
        func matrix(_ key: String) -> [[Double]] { (v[key]?.items ?? []).map { $0.items.map { $0.double ?? .nan } } }
        return DominanceSummary(fit: fit, conditional: matrix("conditional"), complete: matrix("complete"))
    }
}

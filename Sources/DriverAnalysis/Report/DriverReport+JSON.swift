import Foundation
extension DriverReport {
    /// The `kda.analysis/1` document (keys and order of the public contract; `null` where a
    /// value cannot be computed, with a warning saying why).
    public var json: JSONValue {
        var fields: [(String, JSONValue)] = [
            ("schema", .string("kda.analysis/1")),
            ("outcome", .string(outcome)),
            ("model", modelJSON),
            ("drivers", .array(drivers.map(Self.driverJSON))),
        ]
        if let nps {
            fields.append(("nps", Self.npsJSON(nps)))
        }
        if let value {
            fields.append(("value", .object([
                ("customers", .finite(value.customers)), ("baseline_churn", .finite(value.baselineChurn)),
                ("margin", .finite(value.margin)), ("discount_rate", .finite(value.discountRate)),
                ("clv_per_customer", .finite(value.clvPerCustomer)), ("total_clv", .finite(value.totalCLV)),
            ])))
        }
        if let dominance {
            fields.append(("dominance", .object([
                ("fit", .string(dominance.fit)),
                ("drivers", .array(drivers.map { .string($0.name) })),
                ("conditional", .array(dominance.conditional.map { .array($0.map { JSONValue.finite($0) }) })),
                ("complete", .array(dominance.complete.map { .array($0.map { JSONValue.finite($0) }) })),
            ])))
        }
        if let shapleyEstimation {
            fields.append(("shapley_estimate", shapleyEstimation.json))
        }
        if !groups.isEmpty {
            fields.append(("groups", .array(groups.map { g in
                .object([("name", .string(g.name)), ("members", .array(g.members.map { .string($0) })),
                         ("importance", .object([("shapley", .finite(g.shapley)), ("shapley_share", .finite(g.share))]))])
            })))
        }
        if !controls.isEmpty {
            fields.append(("controls", .array(controls.map { c in
                .object([("name", .string(c.name)), ("estimate", .finite(c.estimate)), ("std_error", .finite(c.standardError)),
                         ("statistic", .finite(c.statistic)), ("p_value", .finite(c.pValue))])
            })))
        }
        if !segments.isEmpty {
            fields.append(("segments", .array(segments.map { segment in
                var fields: [(String, JSONValue)] = [("name", .string(segment.name)), ("n", .number(Double(segment.report.model.observationCount))),
                                                     ("model", segment.report.modelJSON), ("drivers", .array(segment.report.drivers.map(Self.driverJSON)))]
                if let nps = segment.report.nps { fields.append(("nps", Self.npsJSON(nps))) }
                return .object(fields)
            })))
            let tests = segmentHeterogeneity()
            if !tests.isEmpty { fields.append(("segment_test", .array(tests.map(Self.heterogeneityJSON)))) }
        }
        if !importanceComparisons.isEmpty {
            fields.append(("importance_comparisons", .array(importanceComparisons.map {
                .object([("a", .string($0.a)), ("b", .string($0.b)), ("probability", .finite($0.probability))])
            })))
        }
        fields.append(("order", .object([("by", .string(orderBasis.rawValue)), ("description", .string(orderBasis.description)),
                                          ("drivers", .array(actionOrder.map { .string($0) }))])))
        fields.append(("warnings", .array(warnings.map { .object([("code", .string($0.code.rawValue)), ("message", .string($0.message))]) })))
        return .object(fields)
    }

    var modelJSON: JSONValue {
        var fields: [(String, JSONValue)] = [("kind", .string(model.kind.rawValue)), ("n", .number(Double(model.observationCount)))]
        if model.kind == .linear {
            fields += [("r2", .finite(model.rSquared)), ("adjusted_r2", .finite(model.adjustedRSquared)),
                       ("f_statistic", .finite(model.fStatistic)), ("f_p_value", .finite(model.fPValue))]
        } else {
            fields += [("log_likelihood", .finite(model.logLikelihood)), ("null_log_likelihood", .finite(model.nullLogLikelihood)),
                       ("mcfadden_r2", .finite(model.mcFaddenRSquared)), ("nagelkerke_r2", .finite(model.nagelkerkeRSquared)), ("auc", .finite(model.auc))]
        }
        if model.kind == .ordinal {
            fields.append(("thresholds", .array(model.thresholds.map {
                .object([("name", .string($0.name)), ("estimate", .finite($0.estimate)), ("std_error", .finite($0.standardError))])
            })))
        }
        if let event = model.event {
            fields += [("event", .string(event)), ("event_meaning", model.eventMeaning.map { .string($0.rawValue) } ?? .null),
                       ("event_is_defection", .bool(model.eventMeaning == .defection))]
        }
        if let c = model.intercept {
            fields.append(("intercept", .object([("estimate", .finite(c.estimate)), ("std_error", .finite(c.standardError)),
                                                 ("statistic", .finite(c.statistic)), ("p_value", .finite(c.pValue))])))
        } else {
            fields.append(("intercept", .null))
        }
        return .object(fields)
    }

    static func npsJSON(_ nps: NetPromoterScore) -> JSONValue {
        .object([
            ("score", .finite(nps.score)), ("promoters", .finite(nps.promoters)), ("passives", .finite(nps.passives)),
            ("detractors", .finite(nps.detractors)), ("std_error", .finite(nps.standardError)),
            ("ci_lower", .finite(nps.confidenceInterval.lower)), ("ci_upper", .finite(nps.confidenceInterval.upper)),
            ("respondents", .number(Double(nps.respondents))), ("effective_n", .finite(nps.effectiveSampleSize)),
        ])
    }

    static func heterogeneityJSON(_ test: SegmentComparison.Heterogeneity) -> JSONValue {
        .object([("driver", .string(test.driver)), ("q", .finite(test.q)), ("df", .number(Double(test.degreesOfFreedom))),
                 ("p_value", .finite(test.pValue))])
    }

    /// `{"value": GVIF, "df": …, "adjusted": GVIF^(1/(2·df)), "aliased": …}`; the values are
    /// `null` for an aliased term (infinite).
    static func varianceInflationJSON(_ v: VarianceInflation) -> JSONValue {
        .object([("value", .finite(v.isAliased ? nil : v.value)), ("df", .number(Double(v.degreesOfFreedom))),
                 ("adjusted", .finite(v.isAliased ? nil : v.adjusted)), ("aliased", .bool(v.isAliased))])
    }

    static func interval(_ i: ClosedInterval?) -> JSONValue {
        guard let i else { return .null }
        return .array([.finite(i.lower), .finite(i.upper)])
    }

    /// A number's odds ratio per standard deviation with its interval, `e^{β·sd}` — what the
    /// table shows (`1.93 per s.d.`) when a unit is too small to read (an amount in currency
    /// units); `nil` for binary drivers, factors, ratings and linear models.
    static func perSD(_ d: DriverRow) -> (ratio: Double, lower: Double, upper: Double)? {
        guard d.oddsRatio != nil, let c = d.coefficient, let sd = d.standardDeviation, sd.isFinite, sd > 0,
              d.kind != .binary, d.kind != .factor, d.kind != .rating else { return nil }
        return (exp(c.estimate * sd), exp(c.confidenceInterval.lower * sd), exp(c.confidenceInterval.upper * sd))
    }

    static func driverJSON(_ d: DriverRow) -> JSONValue {
        let c = d.coefficient
        var fields: [(String, JSONValue)] = [
            ("name", .string(d.name)), ("mean", .finite(d.mean)), ("std_dev", .finite(d.standardDeviation)),
            ("estimate", .finite(c?.estimate)), ("std_error", .finite(c?.standardError)), ("statistic", .finite(c?.statistic)),
            ("p_value", .finite(c?.pValue)), ("ci_lower", .finite(c?.confidenceInterval.lower)), ("ci_upper", .finite(c?.confidenceInterval.upper)),
            ("standardized_beta", .finite(d.standardizedBeta)), ("vif", .finite(d.vif)), ("odds_ratio", .finite(d.oddsRatio)),
            ("odds_ratio_ci_lower", .finite(d.oddsRatio == nil ? nil : d.coefficient.map { exp($0.confidenceInterval.lower) })),
            ("odds_ratio_ci_upper", .finite(d.oddsRatio == nil ? nil : d.coefficient.map { exp($0.confidenceInterval.upper) })),
            ("odds_ratio_per_sd", perSD(d).map { .array([.finite($0.ratio), .finite($0.lower), .finite($0.upper)]) } ?? .null),
            ("pearson", .finite(d.pearson)), ("pearson_p_value", .finite(d.pearsonPValue)), ("spearman", .finite(d.spearman)),
            ("importance", .object(ImportanceMeasure.allCases.map { ($0.rawValue, JSONValue.finite(d.importance[$0])) }
                + (d.importance.shapleyStandardError.map { [("shapley_std_error", JSONValue.finite($0))] } ?? []))),
            ("importance_ci", .object(ImportanceMeasure.allCases.filter { d.importanceIntervals[$0] != nil }.map { ($0.rawValue, interval(d.importanceIntervals[$0])) })),
            ("p_value_holm", .finite(d.pValueHolm)), ("p_value_bh", .finite(d.pValueBH)),
            ("performance", .finite(d.performance)), ("quadrant", d.quadrant.map { .string($0.rawValue) } ?? .null),
            ("performance_ci", interval(d.performanceInterval)), ("quadrant_probability", .finite(d.quadrantProbability)),
            ("quadrant_unstable", d.quadrantUnstable.map { .bool($0) } ?? .null),
            ("rank", d.rank.map { .number(Double($0)) } ?? .null), ("rank_probability", .finite(d.rankProbability)),
            ("rank_ci", interval(d.rankInterval)), ("sign_flip_probability", .finite(d.signFlipProbability)),
            ("suppressor", d.suppressor.map { .bool($0) } ?? .null),
            ("kind", d.kind.map { .string($0.rawValue) } ?? .null), ("scale", interval(d.scale)),
            ("role", d.role.map { .string($0.rawValue) } ?? .null), ("lower_is_better", d.lowerIsBetter.map { .bool($0) } ?? .null),
            ("performance_percent", .finite(d.performancePercent)), ("improves", d.improves.map { .bool($0) } ?? .null),
            ("gvif", d.varianceInflation.map(Self.varianceInflationJSON) ?? .null),
        ]
        if let i = d.coefficientBootstrapInterval {
            fields.append(("estimate_bootstrap_ci", interval(i)))
            fields.append(("odds_ratio_bootstrap_ci", interval(ClosedInterval(lower: exp(i.lower), upper: exp(i.upper)))))
        }
        if d.kind == .factor {
            fields.append(("reference", d.reference.map { .string($0) } ?? .null))
            fields.append(("joint_test", d.jointTest.map { t in
                .object([("test", .string(t.kind.rawValue)), ("statistic", .finite(t.statistic)), ("df", .number(Double(t.degreesOfFreedom))),
                         ("df_residual", .finite(t.residualDegreesOfFreedom)), ("p_value", .finite(t.pValue))])
            } ?? .null))
            fields.append(("levels", .array(d.levels.map { level in
                let c = level.coefficient
                return .object([("level", .string(level.level)), ("n", .number(Double(level.count))), ("estimate", .finite(c?.estimate)),
                                ("std_error", .finite(c?.standardError)), ("statistic", .finite(c?.statistic)), ("p_value", .finite(c?.pValue)),
                                ("ci_lower", .finite(c?.confidenceInterval.lower)), ("ci_upper", .finite(c?.confidenceInterval.upper)),
                                ("odds_ratio", .finite(level.oddsRatio)),
                                ("odds_ratio_ci_lower", .finite(level.oddsRatio == nil ? nil : c.map { exp($0.confidenceInterval.lower) })),
                                ("odds_ratio_ci_upper", .finite(level.oddsRatio == nil ? nil : c.map { exp($0.confidenceInterval.upper) }))])
            })))
        }
        if let w = d.whatIf {
            fields.append(("what_if", .object([
                ("delta", .finite(w.delta)), ("outcome_change", .finite(w.outcomeChange)), ("churn_change", .finite(w.churnChange)),
                ("customers_retained", .finite(w.customersRetained)), ("clv_at_stake", .finite(w.clvAtStake)),
                ("ci_lower", .finite(w.interval?.lower)), ("ci_upper", .finite(w.interval?.upper)),
                ("from", w.from.map { .string($0) } ?? .null), ("to", w.to.map { .string($0) } ?? .null),
                ("customers_moved", .finite(w.customersMoved)), ("framing", w.framing.map { .string($0.rawValue) } ?? .null),
            ])))
        } else {
            fields.append(("what_if", .null))
        }
        return .object(fields)
    }
}

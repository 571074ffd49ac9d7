import Foundation
import LinearAlgebra

/// The façade: one call from survey data to a ``DriverReport``.
public enum KeyDriverAnalysis {
    public static let version = "0.2.0"

    /// Progress of long steps: (what, fraction done).
    public typealias Progress = @Sendable (String, Double) -> Void

    /// Runs the analysis described by `configuration` on `data`.
    ///
    /// - Throws: ``SurveyDataError``, ``ModelError``, ``ImportanceError`` or ``CXError`` — all
    ///   "bad data" — naming the column (and row) concerned.
    public static func analyze(_ data: SurveyData, _ configuration: AnalysisConfiguration, progress: Progress? = nil) throws -> DriverReport {
        let c = configuration
        var warnings: [DriverReport.Warning] = []
        var excluded = Set([c.outcome] + [c.weight, c.segment, c.nps].compactMap { $0 } + c.controls)
        if case let .column(name)? = c.margin { excluded.insert(name) }
        var drivers = c.drivers ?? data.numericColumnNames.filter { !excluded.contains($0) }
        if c.drivers == nil {
            // Identifier columns (all values distinct whole numbers) are not drivers.
            let identifiers = try drivers.filter { name in
                let values = try data.numericValues(name).filter { !$0.isNaN }
                return values.count >= 20 && values.allSatisfy { $0 == $0.rounded() } && Set(values).count == values.count
            }
            for name in identifiers {
                warnings.append(.init("column_left_out", "column '\(name)' looks like an identifier (every value distinct); it is left out of the default drivers"))
            }
            drivers.removeAll { identifiers.contains($0) }
            for column in data.columns where !excluded.contains(column.name) && !column.isNumeric && !column.isUnnamed {
                if case .mixed = column.kind, let text = column.firstText {
                    warnings.append(.init("column_left_out", "column '\(column.name)' mixes numbers and text (row \(text.row): '\(text.value)'); it is left out of the default drivers"))
                } else if column.firstNonFinite != nil {
                    warnings.append(.init("column_left_out", "column '\(column.name)' holds infinite values; it is left out of the default drivers"))
                }
            }
        }
        guard !drivers.isEmpty else { throw ImportanceError.tooFewDrivers(count: 0, minimum: 1) }
        for name in drivers { _ = try data.numericValues(name) }
        let outcomeColumn = try data.column(c.outcome)
        let outcomeValues = try data.numericValues(c.outcome)
        let distinct = Set(outcomeValues.filter { !$0.isNaN })
        if c.model == .ordinal {
            return try analyzeOrdinal(data, c, drivers: drivers, warnings: warnings)
        }
        let logistic: Bool
        switch c.model {
        case .linear, .ordinal: logistic = false
        case .logistic: logistic = true
        case .auto:
            if case .binary = outcomeColumn.kind { logistic = true } else { logistic = distinct.count == 2 && distinct.isSubset(of: [0, 1]) }
        }
        if !logistic && distinct.count == 2 {
            warnings.append(.init("binary_outcome_linear", "the outcome '\(c.outcome)' has two values but is fitted as linear; consider --model logistic"))
        }
        for name in c.controls where drivers.contains(name) {
            throw ImportanceError.dimensionMismatch("'\(name)' cannot be both a driver and a control")
        }
        // The model includes the controls after the drivers; importance partials them out.
        let sample = try data.sample(outcome: c.outcome, drivers: drivers + c.controls, weight: c.weight)
        let driverColumns = Array(sample.drivers.prefix(drivers.count))
        if sample.droppedRows > 0 {
            warnings.append(.init("rows_dropped", "\(sample.droppedRows) of \(sample.totalRows) rows miss the outcome, a driver or the weight and were left out (listwise)"))
        }
        let p = drivers.count
        var rows = drivers.map { DriverReport.DriverRow(name: $0) }
        for j in 0..<p {
            let x = sample.drivers[j]
            let mean = x.reduce(0, +) / Double(x.count)
            rows[j].mean = mean
            rows[j].standardDeviation = (x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(1, x.count - 1))).squareRoot()
        }

        // Model with inference.
        var summary = DriverReport.ModelSummary(kind: logistic ? "logistic" : "linear", n: sample.count)
        var linearModel: LinearRegression? = nil
        var logisticModel: LogisticRegression? = nil
        if logistic {
            var logisticOptions = LogisticRegression.Options(intercept: c.intercept, confidenceLevel: c.confidenceLevel)
            logisticOptions.samplingWeights = c.weight != nil && c.weightKind == .sampling
            let model = try LogisticRegression(sample, options: logisticOptions)
            logisticModel = model
            summary.logLikelihood = model.logLikelihood
            summary.nullLogLikelihood = model.nullLogLikelihood
            summary.mcFaddenR2 = model.mcFaddenR2
            summary.nagelkerkeR2 = model.nagelkerkeR2
            summary.auc = model.auc
            summary.intercept = c.intercept ? model.coefficients[0] : nil
            for (j, coefficient) in model.coefficients.dropFirst(c.intercept ? 1 : 0).enumerated() where j < p {
                rows[j].coefficient = coefficient
                rows[j].oddsRatio = model.oddsRatios[j + (c.intercept ? 1 : 0)]
            }
            if !model.converged, let note = model.warnings.first { warnings.append(.init("logistic_convergence", note)) }
            if model.nearSeparation {
                warnings.append(.init("near_separation", "fitted probabilities numerically 0 or 1 occurred: a driver (nearly) separates the outcome"))
            }
            let events = min(sample.outcome.reduce(0, +), Double(sample.count) - sample.outcome.reduce(0, +))
            if events < 10 * Double(p) {
                warnings.append(.init("few_events_per_driver", "only \(Int(events)) events for \(p) drivers (fewer than 10 per driver): logistic estimates are unstable"))
            }
        } else {
            let weighting: LinearRegression.Weighting = c.weight == nil ? .precision : (c.weightKind == .sampling ? .sampling : .frequency)
            let model = try LinearRegression(sample, options: .init(intercept: c.intercept, confidenceLevel: c.confidenceLevel, weighting: weighting))
            linearModel = model
            summary.r2 = model.rSquared
            summary.adjustedR2 = model.adjustedRSquared
            summary.fStatistic = model.fStatistic
            summary.fPValue = model.fPValue
            summary.intercept = c.intercept ? model.coefficients[0] : nil
            for (j, coefficient) in model.coefficients.dropFirst(c.intercept ? 1 : 0).enumerated() where j < p {
                rows[j].coefficient = coefficient
                rows[j].standardizedBeta = model.standardizedCoefficients[j]
                rows[j].vif = model.varianceInflationFactors[j]
            }
            let highVIF = drivers.indices.filter { (model.varianceInflationFactors[$0]) >= 10 }
            if !highVIF.isEmpty {
                warnings.append(.init("vif_high", "variance inflation factor ≥ 10 for \(highVIF.map { drivers[$0] }.joined(separator: ", ")): coefficients are unstable; prefer Shapley or relative weights"))
            }
            let moderateVIF = drivers.indices.filter { model.varianceInflationFactors[$0] >= 5 && model.varianceInflationFactors[$0] < 10 }
            if !moderateVIF.isEmpty {
                warnings.append(.init("vif_moderate", "variance inflation factor between 5 and 10 for \(moderateVIF.map { drivers[$0] }.joined(separator: ", ")): read their coefficients with care"))
            }
            if model.conditionNumber > 1e10 {
                warnings.append(.init("condition_number_high", "the design's condition number is \(String(format: "%.2g", model.conditionNumber)) (> 1e10): drivers are nearly collinear"))
            }
            if let test = try? Heteroscedasticity.breuschPagan(residuals: model.residuals, drivers: sample.drivers), test.pValue < 0.05 {
                warnings.append(.init("heteroscedasticity", String(format: "Breusch–Pagan test: the residual variance changes with the drivers (LM = %.1f, p = %.2g); use robust standard errors (HC3)", test.statistic, test.pValue)))
            }
        }
        let aliased = rows.filter { $0.coefficient?.isAliased == true }.map(\.name)
        if !aliased.isEmpty {
            warnings.append(.init("aliased_drivers", "\(aliased.joined(separator: ", ")) are linear combinations of other drivers: no coefficient (null), importance computed without double counting"))
        }
        let pValues = rows.map { $0.coefficient?.pValue ?? .nan }
        let (holm, bh) = Multiplicity.adjust(pValues)
        for j in 0..<p { rows[j].pValueHolm = holm[j]; rows[j].pValueBH = bh[j] }

        // Correlations.
        if c.methods.contains(.correlation) {
            let pearson = try Correlation.driverCorrelations(outcome: sample.outcome, drivers: driverColumns)
            let spearman = try Correlation.driverCorrelations(outcome: sample.outcome, drivers: driverColumns, method: .spearman)
            for j in 0..<p {
                rows[j].pearson = pearson[j].estimate
                rows[j].pearsonPValue = pearson[j].pValue
                rows[j].spearman = spearman[j].estimate
            }
        }

        // Importance.
        var dominanceBlock: (fit: String, conditional: [[Double]], complete: [[Double]])? = nil
        var shares: [Double]? = nil
        var groupResults: [GroupImportance.Group] = []
        if logistic && (!c.controls.isEmpty || !c.groups.isEmpty) {
            warnings.append(.init("not_computed", "controls and predictor groups are supported for linear models; for this logistic model importance is not computed (null)"))
        } else if logistic {
            if c.methods.contains(.shapley) || c.methods.contains(.dominance) {
                if p <= LogisticDominance.exactLimit {
                    progress?("logistic dominance (\(1 << p) submodels)", 0)
                    let dominance = try LogisticDominance(outcome: sample.outcome, drivers: sample.drivers, names: drivers)
                    progress?("logistic dominance", 1)
                    for j in 0..<p {
                        rows[j].importance["shapley"] = dominance.values[j]
                        rows[j].importance["shapley_share"] = dominance.shares[j]
                    }
                    shares = dominance.shares
                    if c.methods.contains(.dominance) {
                        dominanceBlock = ("mcfadden_r2", dominance.dominance.conditional, dominance.dominance.complete)
                    }
                    if dominance.unfittedSubsets > 0 {
                        warnings.append(.init("near_separation", "\(dominance.unfittedSubsets) submodels could not be fitted (near-separation); their increments count as 0"))
                    }
                } else {
                    warnings.append(.init("not_computed", "logistic Shapley/dominance enumerate 2^\(p) logistic fits; beyond \(LogisticDominance.exactLimit) drivers they are not computed (null)"))
                }
            }
            if c.methods.contains(.relativeWeights) {
                let rw = try RelativeWeights(logisticOutcome: sample.outcome, drivers: sample.drivers, names: drivers)
                for j in 0..<p {
                    rows[j].importance["relative_weight"] = rw.weights[j]
                    rows[j].importance["relative_weight_share"] = rw.shares[j]
                }
                if shares == nil { shares = rw.shares }
            }
        } else {
            var input: ImportanceInput
            if c.missing == .pairwise {
                // Correlation-based importance on pairwise-complete correlations (every respondent
                // who answered both questions); the regression itself stays listwise.
                let names = drivers + c.controls + [c.outcome]
                let columns = try names.map { try data.numericValues($0) }
                let pairwise = try PairwiseMoments(names: names, columns: columns, weights: try c.weight.map { try data.numericValues($0) }.map { w in w.map { $0.isNaN ? 0 : $0 } })
                input = try ImportanceInput(correlation: pairwise.correlation(), names: names, outcome: c.outcome)
                warnings.append(.init("pairwise_deletion", "importance uses pairwise-complete correlations; the regression model uses the \(sample.count) complete rows"))
            } else {
                input = try ImportanceInput(sample: sample)
            }
            if !c.controls.isEmpty {
                let partial = try input.controlling(for: c.controls)
                input = partial.input
                warnings.append(.init("controls", String(format: "importance decomposes the %.4g of R² the drivers add beyond the controls (%@), which explain %.4g alone",
                                                          (try? input.rSquared()) ?? .nan, c.controls.joined(separator: ", "), partial.controlRSquared)))
            }
            if !c.groups.isEmpty {
                groupResults = try GroupImportance(input, groups: c.groups.map { ($0.name, $0.members) }).groups
            }
            if c.methods.contains(.shapley) {
                var shapleyProgress: (@Sendable (Double) -> Bool)? = nil
                if p >= 22, let progress {
                    let label = "exact Shapley (2^\(p) subsets)"
                    shapleyProgress = { fraction in
                        progress(label, fraction)
                        return true
                    }
                }
                let estimate = try ShapleyEstimate(input, allowSampling: true, seed: c.seed, progress: shapleyProgress)
                if case .sampled = estimate {
                    warnings.append(.init("sampled_shapley", "\(p) drivers exceed the exact limit of \(ShapleyDecomposition.defaultExactLimit): Shapley values are permutation-sampling estimates"))
                }
                let values = estimate.values, total = values.reduce(0, +)
                for j in 0..<p {
                    rows[j].importance["shapley"] = values[j]
                    rows[j].importance["shapley_share"] = values[j] / total
                }
                shares = values.map { $0 / total }
            }
            if c.methods.contains(.relativeWeights) {
                let rw = try RelativeWeights(input)
                for j in 0..<p {
                    rows[j].importance["relative_weight"] = rw.weights[j]
                    rows[j].importance["relative_weight_share"] = rw.shares[j]
                }
                if shares == nil { shares = rw.shares }
            }
            if c.methods.contains(.pratt) {
                let classic = try ClassicImportance(input)
                for j in 0..<p {
                    rows[j].importance["pratt"] = classic.pratt[j]
                    rows[j].importance["first"] = classic.first[j]
                    rows[j].importance["last"] = classic.last[j]
                    rows[j].importance["beta_squared"] = classic.betaSquared[j]
                }
            }
            if c.methods.contains(.dominance) {
                if p <= DominanceAnalysis.exactLimit {
                    let dominance = try DominanceAnalysis(input)
                    dominanceBlock = ("r2", dominance.conditional, dominance.complete)
                } else {
                    warnings.append(.init("not_computed", "complete dominance needs all 2^\(p) subset fits; beyond \(DominanceAnalysis.exactLimit) drivers it is not computed"))
                }
            }
        }
        for j in 0..<p {
            let pratt = rows[j].importance["pratt"] ?? nil
            if let b = rows[j].coefficient?.estimate, let r = rows[j].pearson, b.isFinite {
                rows[j].suppressor = (b * r < 0) || (pratt.map { $0 < 0 } ?? false)
            }
        }

        let suppressors = rows.filter { $0.suppressor == true }.map(\.name)
        if !suppressors.isEmpty {
            warnings.append(.init("suppressor", "\(suppressors.joined(separator: ", ")): the coefficient's sign is opposite to the driver's own correlation with the outcome (or its Pratt share is negative) — the driver matters only through what it shares with the others, so do not read its coefficient as the effect of improving it"))
        }
        for j in 0..<p {
            let range = max(c.scaleMax - min(0, sample.drivers[j].min() ?? 0), 1)
            if let sd = rows[j].standardDeviation, sd < 0.05 * range {
                warnings.append(.init("low_variance_rating", "'\(drivers[j])' barely varies (standard deviation \(String(format: "%.3g", sd)) on a scale of \(String(format: "%.3g", range))): its importance cannot be estimated well"))
            }
        }

        // Priority matrix.
        let ratings = try drivers.map { try data.numericValues($0) }
        let observedMin = ratings.flatMap { $0 }.filter { !$0.isNaN }.min() ?? 0
        let scale = min(observedMin, 1) >= 1 ? 1...max(1.5, c.scaleMax) : min(0, observedMin)...max(c.scaleMax, min(0, observedMin) + 1)
        var matrix: PriorityMatrix? = nil
        if let shares {
            matrix = try PriorityMatrix(names: drivers, importance: shares, ratings: ratings, scale: scale)
            for j in 0..<p {
                rows[j].performance = matrix!.drivers[j].performance
                rows[j].quadrant = matrix!.drivers[j].quadrant
            }
        }
        let importanceRank = shares.map { s in Self.ranks(s) }
        for j in 0..<p { rows[j].rank = importanceRank?[j] }

        // Bootstrap: importance (Shapley; McFadden-R² Shapley for logistic models up to
        // `logisticBootstrapLimit` drivers), mean ratings and coefficient signs per resample.
        var comparisons: [(a: String, b: String, probability: Double)] = []
        if c.bootstrap > 0, let matrix {
            let logisticImportance = logistic && p <= Self.logisticBootstrapLimit && rows[0].importance["shapley"] != nil
            if logistic && !logisticImportance {
                warnings.append(.init("bootstrap_partial", "importance intervals for logistic models are bootstrapped up to \(Self.logisticBootstrapLimit) drivers (2^p fits per resample); here only the what-if intervals and coefficient signs are"))
            }
            progress?("bootstrap (\(c.bootstrap) replicates)", 0)
            let driverNames = drivers
            let controls = c.controls
            let names = driverNames + controls + [c.outcome]
            let columns = sample.drivers + [sample.outcome]
            let base = sample.weights
            let intercept = c.intercept
            let boot = try Bootstrap(rowCount: sample.count, replicates: c.bootstrap, seed: c.seed, confidenceLevel: c.confidenceLevel) { weights in
                let w = base.map { zip($0, weights).map { $0 * $1 } } ?? weights
                let total = w.reduce(0, +)
                let means = (0..<p).map { j in zip(w, driverColumns[j]).reduce(0) { $0 + $1.0 * $1.1 } / total }
                if logistic {
                    do {
                        let fit = try LogisticRegression(outcome: sample.outcome, drivers: sample.drivers, names: driverNames, weights: w,
                                                         options: .init(intercept: intercept))
                        let signs = fit.coefficients.dropFirst(intercept ? 1 : 0).map(\.estimate)
                        let importance = logisticImportance
                            ? try LogisticDominance(outcome: sample.outcome, drivers: sample.drivers, names: driverNames, weights: w).values
                            : [Double](repeating: .nan, count: p)
                        return importance + means + signs
                    } catch {
                        return [Double](repeating: .nan, count: 3 * p)   // resample not fittable (separation)
                    }
                }
                let moments = try Moments(names: names, columns: columns, weights: w)
                let input = try ImportanceInput(moments: moments, outcome: names.last!).controlling(for: controls).input
                let values = try ShapleyDecomposition(input).values
                let beta = try ClassicImportance(input).standardizedCoefficients
                return values + means + beta
            }
            progress?("bootstrap", 1)
            let level = c.confidenceLevel
            let usable = boot.replicates.filter { !$0[0].isNaN }
            for j in 0..<p {
                if !logistic || logisticImportance { rows[j].importanceIntervals["shapley"] = boot.intervals[j].percentile }
                rows[j].performanceInterval = matrix.measure == .mean ? boot.intervals[p + j].percentile : nil
                let reported = rows[j].coefficient?.estimate ?? .nan
                let signs = boot.replicates.map { $0[2 * p + j] }.filter { !$0.isNaN }
                if !signs.isEmpty {
                    rows[j].signFlipProbability = Double(signs.filter { ($0 > 0) != (reported > 0) }.count) / Double(signs.count)
                }
            }
            if let importanceRank, !usable.isEmpty {
                var sameRank = [Int](repeating: 0, count: p), sameQuadrant = [Int](repeating: 0, count: p)
                var rankSamples = [[Double]](repeating: [], count: p)
                var wins = [[Int]](repeating: [Int](repeating: 0, count: p), count: p)
                for replicate in usable {
                    let values = Array(replicate[0..<p]), total = values.reduce(0, +)
                    let replicateShares = values.map { $0 / total }
                    let r = Self.ranks(replicateShares)
                    let means = Array(replicate[p..<(2 * p)])
                    let ti = replicateShares.reduce(0, +) / Double(p), tp = means.reduce(0, +) / Double(p)
                    for j in 0..<p {
                        rankSamples[j].append(Double(r[j]))
                        if r[j] == importanceRank[j] { sameRank[j] += 1 }
                        let high = replicateShares[j] >= ti, good = means[j] >= tp
                        let quadrant: PriorityMatrix.Quadrant = high ? (good ? .keepUp : .fixFirst) : (good ? .possibleOverkill : .niceToHave)
                        if quadrant == rows[j].quadrant { sameQuadrant[j] += 1 }
                        for k in 0..<p where values[j] > values[k] { wins[j][k] += 1 }
                    }
                }
                let count = Double(usable.count)
                for j in 0..<p {
                    rows[j].rankProbability = Double(sameRank[j]) / count
                    let sorted = rankSamples[j].sorted()
                    rows[j].rankInterval = ClosedInterval(lower: Bootstrap.quantile(sorted, (1 - level) / 2), upper: Bootstrap.quantile(sorted, (1 + level) / 2))
                    rows[j].quadrantProbability = Double(sameQuadrant[j]) / count
                    rows[j].quadrantUnstable = Double(sameQuadrant[j]) / count < 0.8
                }
                // "A is more important than B" for the top five drivers.
                let top = importanceRank.indices.sorted { importanceRank[$0] < importanceRank[$1] }.prefix(5)
                for (position, a) in top.enumerated() {
                    for b in top.dropFirst(position + 1) {
                        comparisons.append((drivers[a], drivers[b], Double(wins[a][b]) / count))
                    }
                }
                let unstable = rows.filter { $0.quadrantUnstable == true }.map(\.name)
                if !unstable.isEmpty {
                    warnings.append(.init("quadrant_unstable", "\(unstable.joined(separator: ", ")) fall in their reported quadrant in fewer than 80 % of bootstrap resamples: treat their placement as uncertain"))
                }
            }
        }

        // What-if and value.
        var value: (customers: Double, baselineChurn: Double, margin: Double?, discountRate: Double, clvPerCustomer: Double, totalCLV: Double)? = nil
        if let marginSource = c.margin {
            guard c.whatIfDelta.isFinite else { throw CXError.invalidDelta(c.whatIfDelta) }
            let lifetime = try LifetimeValue(discountRate: c.discountRate)
            let margin: Margin
            var constant: Double? = nil
            switch marginSource {
            case let .value(m):
                guard m >= 0, m.isFinite else { throw CXError.invalidMargin(value: m, observation: 0) }
                margin = .constant(m)
                constant = m
            case let .column(name):
                let column = try data.numericValues(name)
                let indices = sample.rowNumbers.map { row in data.rowNumbers.firstIndex(of: row)! }
                margin = .perCustomer(indices.map { column[$0] })
            }
            // Cap each driver at the scale top, or at its own maximum when it is not a rating
            // (two-valued 0/1 attributes, or values beyond the scale such as tenure in months).
            let tops = sample.drivers.map { x -> Double in
                let high = x.max() ?? c.scaleMax
                return Set(x).count <= 2 || high > c.scaleMax ? high : c.scaleMax
            }
            if let logisticModel {
                let scenario = WhatIfScenario.raise(by: c.whatIfDelta)
                let outcome = c.bootstrap > 0
                    ? try WhatIf.churnWithIntervals(sample: sample, scenario: scenario, scale: scale, margin: margin, lifetime: lifetime,
                                                    tops: tops, replicates: c.bootstrap, seed: c.seed, confidenceLevel: c.confidenceLevel)
                    : try WhatIf.churn(model: logisticModel, drivers: sample.drivers, scenario: scenario, scale: scale, margin: margin,
                                       lifetime: lifetime, tops: tops)
                for (j, r) in outcome.results.enumerated() where j < p {
                    rows[j].whatIf = .init(delta: c.whatIfDelta, outcomeChange: r.outcomeChange, churnChange: r.churnChange,
                                           customersRetained: r.customersRetained, clvAtStake: r.clvAtStake, interval: r.interval)
                }
                let v = outcome.value
                value = (v.customers, v.baselineChurn, constant, c.discountRate, v.clvPerCustomer, v.totalCLV)
            } else if let linearModel {
                let results = try WhatIf.linear(model: linearModel, drivers: sample.drivers, scenario: .raise(by: c.whatIfDelta), scale: scale)
                for (j, r) in results.enumerated() where j < p {
                    rows[j].whatIf = .init(delta: c.whatIfDelta, outcomeChange: r.outcomeChange, churnChange: nil,
                                           customersRetained: nil, clvAtStake: nil, interval: nil)
                }
                warnings.append(.init("not_computed", "churn, customers retained and CLV at stake need a churn (logistic) model; only the outcome change is reported"))
            }
        }

        // NPS.
        var nps: NetPromoterScore? = nil
        if let column = c.nps {
            nps = try NetPromoterScore(answers: data.numericValues(column), weights: try c.weight.map { try data.numericValues($0) },
                                       rows: data.rowNumbers, confidenceLevel: c.confidenceLevel)
        }

        // Action order.
        var order = Array(0..<p)
        if rows.contains(where: { $0.whatIf?.clvAtStake != nil }) {
            let key: (Int) -> Double = { j in
                let w = rows[j].whatIf!
                return (c.conservative ? w.interval?.lower : nil) ?? w.clvAtStake ?? -.infinity
            }
            order.sort { key($0) > key($1) }
        } else if let matrix {
            order.sort { matrix.drivers[$0].rank < matrix.drivers[$1].rank }
        }

        // Segments.
        var segments: [DriverReport.Segment] = []
        if let segment = c.segment {
            var inner = c
            inner.segment = nil
            inner.nps = nil
            inner.drivers = drivers
            inner.bootstrap = 0
            for part in try data.split(by: segment) {
                do {
                    let report = try analyze(part.data, inner)
                    segments.append(.init(name: part.level, report: report))
                    if report.model.n < 10 * (p + 1) {
                        warnings.append(.init("small_segment", "segment '\(part.level)' has \(report.model.n) complete rows for \(p + 1) parameters: estimates are unstable"))
                    }
                } catch {
                    warnings.append(.init("small_segment", "segment '\(part.level)' was not analysed: \(error)"))
                }
            }
        }

        return DriverReport(outcome: c.outcome, model: summary, drivers: rows, nps: nps, value: value, dominance: dominanceBlock,
                            segments: segments, warnings: warnings, actionOrder: order.map { drivers[$0] },
                            importanceComparisons: comparisons, groups: groupResults,
                            controls: Self.controlCoefficients(linearModel?.coefficients ?? logisticModel?.coefficients ?? [],
                                                               names: c.controls))
    }

    static func controlCoefficients(_ coefficients: [Coefficient], names: [String]) -> [Coefficient] {
        names.compactMap { name in coefficients.first { $0.name == name } }
    }

    /// The largest driver count for which logistic importance is bootstrapped (2^p fits per resample).
    public static let logisticBootstrapLimit = 8

    /// 1-based ranks, largest value first (ties by position).
    static func ranks(_ values: [Double]) -> [Int] {
        let order = values.indices.sorted { values[$0] > values[$1] || (values[$0] == values[$1] && $0 < $1) }
        var rank = [Int](repeating: 0, count: values.count)
        for (position, j) in order.enumerated() { rank[j] = position + 1 }
        return rank
    }
}

/// Multiple-testing adjustments for the driver table (many touchpoints are tested at once).
public enum Multiplicity {
    /// Holm (1979) and Benjamini–Hochberg (1995) adjusted p-values; `NaN` entries are ignored and stay `NaN`.
    public static func adjust(_ pValues: [Double]) -> (holm: [Double], benjaminiHochberg: [Double]) {
        let valid = pValues.indices.filter { !pValues[$0].isNaN }
        let m = Double(valid.count)
        var holm = [Double](repeating: .nan, count: pValues.count), bh = holm
        let ascending = valid.sorted { pValues[$0] < pValues[$1] }
        var running = 0.0
        for (k, i) in ascending.enumerated() {
            running = max(running, min(1, (m - Double(k)) * pValues[i]))
            holm[i] = running
        }
        var minimum = 1.0
        for (k, i) in ascending.enumerated().reversed() {
            minimum = min(minimum, m / Double(k + 1) * pValues[i])
            bh[i] = min(1, minimum)
        }
        return (holm, bh)
    }
}

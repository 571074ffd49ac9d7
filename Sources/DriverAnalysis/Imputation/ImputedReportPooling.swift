import Foundation

/// Combines the reports of the analyses of `M` imputed datasets into one: coefficients by
/// Rubin's rules (``PooledEstimate``), every other number — importance (Shapley values,
/// relative weights and their shares, as relaimpo's `mianalyze.relimp` averages them over
/// imputations), fit statistics, means, performance, what-ifs — by its mean over imputations.
enum ImputedReportPooling {
    /// The mean of the non-`nil` values when every report has one, else `nil`.
    static func mean(_ values: [Double?]) -> Double? {
        let present = values.compactMap { $0 }
        guard !present.isEmpty, present.count == values.count else { return nil }
        return present[0] + present.reduce(0) { $0 + ($1 - present[0]) } / Double(present.count)
    }

    /// The common value when every report agrees, else `nil`.
    static func agreed<T: Equatable>(_ values: [T?]) -> T? {
        guard let first = values.first, values.allSatisfy({ $0 == first }) else { return nil }
        return first
    }

    /// Pools each coefficient by name (aliased or missing in any imputation: not pooled; aliased
    /// in every imputation: the aliased coefficient, without a pooled estimate).
    static func pool(_ coefficients: [Coefficient?], completeDataDF: Double, level: Double) -> (Coefficient, PooledEstimate?)? {
        if let first = coefficients.first ?? nil, coefficients.allSatisfy({ $0?.isAliased == true }) { return (first, nil) }
        let present = coefficients.compactMap { $0 }.filter { !$0.isAliased }
        guard present.count == coefficients.count, let name = present.first?.name,
              let pooled = PooledEstimate.pool(estimates: present.map(\.estimate), variances: present.map { $0.standardError * $0.standardError },
                                               completeDataDF: completeDataDF) else { return nil }
        return (pooled.coefficient(named: name, confidenceLevel: level), pooled)
    }

    /// The pooled report and the pooled coefficients (intercept, drivers, factor levels, controls).
    static func pooled(_ reports: [DriverReport], confidenceLevel: Double) -> (DriverReport, [PooledCoefficient]) {
        guard var report = reports.first else { return (DriverReport(outcome: "", model: .init(kind: .linear, observationCount: 0), drivers: [], actionOrder: []), []) }
        // Complete-data df ν_com = n − p, as mice::pool takes from df.residual (aliased terms not counted).
        let estimable = { (c: Coefficient?) -> Int in c.map { $0.isAliased ? 0 : 1 } ?? 0 }
        let parameters = estimable(report.model.intercept) + report.controls.reduce(0) { $0 + estimable($1) }
            + report.drivers.reduce(0) { total, row in total + estimable(row.coefficient) + row.levels.reduce(0) { $0 + estimable($1.coefficient) } }
        let dfcom = Double(max(report.model.observationCount - parameters, 1))
        var pooled: [PooledCoefficient] = []
        func poolInto(_ coefficients: [Coefficient?]) -> Coefficient? {
            guard let (c, p) = pool(coefficients, completeDataDF: dfcom, level: confidenceLevel) else { return nil }
            if let p { pooled.append(PooledCoefficient(name: c.name, pooled: p)) }
            return c
        }
        report.model = model(reports.map(\.model), intercept: poolInto(reports.map(\.model.intercept)))
        report.model.thresholds = report.model.thresholds.isEmpty ? [] : reports[0].model.thresholds.indices.compactMap { k in
            poolInto(reports.map { $0.model.thresholds.indices.contains(k) ? $0.model.thresholds[k] : nil })
        }
        for j in report.drivers.indices {
            let rows = reports.map { $0.drivers.indices.contains(j) ? $0.drivers[j] : nil }
            report.drivers[j] = driver(report.drivers[j], rows, kind: report.model.kind, pool: poolInto)
        }
        report.controls = report.controls.indices.compactMap { k in poolInto(reports.map { $0.controls.indices.contains(k) ? $0.controls[k] : nil }) }
        let adjusted = Multiplicity.adjust(report.drivers.map { $0.coefficient?.pValue ?? $0.jointTest?.pValue ?? .nan })
        for j in report.drivers.indices where report.drivers[j].coefficient != nil || report.drivers[j].jointTest != nil {
            report.drivers[j].pValueHolm = adjusted.holm[j]
            report.drivers[j].pValueBH = adjusted.benjaminiHochberg[j]
        }
        let ranks = KeyDriverAnalysis.ranks(report.drivers.map { $0.importance.rankingShare ?? -.infinity })
        for j in report.drivers.indices { report.drivers[j].rank = report.drivers[j].importance.rankingShare == nil ? nil : ranks[j] }
        report.value = value(reports.map(\.value))
        report.dominance = nil
        // The Shapley method (exact or sampled) is the same in every imputation; no interval is pooled.
        report.shapleyEstimation?.intervalMethod = nil
        report.shapleyEstimation?.intervalPermutations = nil
        let order = ActionOrder(rows: report.drivers, conservative: false)
        report.actionOrder = order.order.map { report.drivers[$0].name }
        report.orderBasis = order.basis
        report.warnings = warnings(reports)
        return (report, pooled)
    }

    /// Each note code once, with the first imputation's message that raised it, and — when not
    /// every imputation raised it — in how many it was.
    static func warnings(_ reports: [DriverReport]) -> [DriverReport.Warning] {
        var order: [WarningCode] = [], first: [WarningCode: DriverReport.Warning] = [:], count: [WarningCode: Int] = [:]
        for report in reports {
            for code in Set(report.warnings.map(\.code)) { count[code, default: 0] += 1 }
            for warning in report.warnings where first[warning.code] == nil {
                first[warning.code] = warning
                order.append(warning.code)
            }
        }
        return order.compactMap { code in
            guard let warning = first[code] else { return nil }
            let k = count[code] ?? 0
            return k == reports.count ? warning : .init(code, warning.message + " (in \(k) of \(reports.count) imputed datasets)")
        }
    }

    /// Fit statistics averaged; the F test is not pooled (it would need the D₁ statistic); the
    /// ordinal cut-points are pooled by the caller.
    static func model(_ models: [DriverReport.ModelSummary], intercept: Coefficient?) -> DriverReport.ModelSummary {
        var m = models[0]
        m.rSquared = mean(models.map(\.rSquared))
        m.adjustedRSquared = mean(models.map(\.adjustedRSquared))
        m.fStatistic = nil
        m.fPValue = nil
        m.logLikelihood = mean(models.map(\.logLikelihood))
        m.nullLogLikelihood = mean(models.map(\.nullLogLikelihood))
        m.mcFaddenRSquared = mean(models.map(\.mcFaddenRSquared))
        m.nagelkerkeRSquared = mean(models.map(\.nagelkerkeRSquared))
        m.auc = mean(models.map(\.auc))
        m.intercept = intercept
        return m
    }

    /// One driver's row pooled over imputations.
    static func driver(_ first: DriverReport.DriverRow, _ rows: [DriverReport.DriverRow?], kind: DriverReport.ModelKind,
                       pool: ([Coefficient?]) -> Coefficient?) -> DriverReport.DriverRow {
        var row = first
        let all = rows.compactMap { $0 }
        let odds = kind != .linear
        row.coefficient = first.coefficient == nil ? nil : pool(rows.map { $0?.coefficient })
        row.oddsRatio = odds ? row.coefficient.map { exp($0.estimate) } : nil
        row.levels = first.levels.enumerated().map { k, level in
            var pooledLevel = level
            let matching = rows.map { $0.flatMap { $0.levels.indices.contains(k) ? $0.levels[k] : nil } }
            pooledLevel.count = (mean(matching.map { $0.map { Double($0.count) } })).flatMap { Int(exactly: $0.rounded()) } ?? level.count
            pooledLevel.coefficient = level.coefficient == nil ? nil : pool(matching.map { $0?.coefficient })
            pooledLevel.oddsRatio = odds ? pooledLevel.coefficient.map { exp($0.estimate) } : nil
            return pooledLevel
        }
        // A factor's joint test pooled by D2 (one test per imputed dataset); none if any is missing.
        row.jointTest = first.jointTest == nil ? nil : DriverReport.JointTest.pooledD2(rows.map { $0?.jointTest })
        for measure in ImportanceMeasure.allCases { row.importance[measure] = mean(rows.map { $0?.importance[measure] }) }
        // Sampled Shapley: the Monte Carlo SE of a mean of M independent samplings is √(mean se²/M).
        row.importance.shapleyStandardError = mean(rows.map { $0?.importance.shapleyStandardError.map { $0 * $0 } })
            .map { ($0 / Double(rows.count)).squareRoot() }
        row.mean = mean(rows.map { $0?.mean })
        row.standardDeviation = mean(rows.map { $0?.standardDeviation })
        row.standardizedBeta = mean(rows.map { $0?.standardizedBeta })
        row.vif = mean(rows.map { $0?.vif })
        // The GVIF averaged over the imputed datasets; aliased in any of them, aliased.
        row.varianceInflation = first.varianceInflation.map { v in
            let values = rows.map { $0?.varianceInflation }
            let aliased = values.contains { $0?.isAliased == true }
            return VarianceInflation(value: aliased ? .infinity : mean(values.map { $0?.value }) ?? v.value,
                                     degreesOfFreedom: v.degreesOfFreedom, isAliased: aliased)
        }
        row.pearson = mean(rows.map { $0?.pearson })
        row.pearsonPValue = nil
        row.spearman = mean(rows.map { $0?.spearman })
        row.performance = mean(rows.map { $0?.performance })
        row.performancePercent = mean(rows.map { $0?.performancePercent })
        row.quadrant = all.count == rows.count ? agreed(all.map(\.quadrant)) : nil
        row.improves = all.count == rows.count ? agreed(all.map(\.improves)) : nil
        row.suppressor = all.count == rows.count ? agreed(all.map(\.suppressor)) : nil
        row.whatIf = whatIf(first.whatIf, rows.map { $0?.whatIf })
        return row
    }

    /// A what-if with its consequences averaged (the move itself is the same in every imputation).
    static func whatIf(_ first: DriverReport.WhatIfRow?, _ rows: [DriverReport.WhatIfRow?]) -> DriverReport.WhatIfRow? {
        guard var w = first else { return nil }
        w.outcomeChange = mean(rows.map { $0?.outcomeChange })
        w.churnChange = mean(rows.map { $0?.churnChange })
        w.customersRetained = mean(rows.map { $0?.customersRetained })
        w.clvAtStake = mean(rows.map { $0?.clvAtStake })
        w.customersMoved = mean(rows.map { $0?.customersMoved })
        w.interval = nil
        return w
    }

    /// The CLV base values averaged.
    static func value(_ values: [DriverReport.ValueSummary?]) -> DriverReport.ValueSummary? {
        guard var v = values.first ?? nil else { return nil }
        v.customers = mean(values.map { $0?.customers }) ?? v.customers
        v.baselineChurn = mean(values.map { $0?.baselineChurn }) ?? v.baselineChurn
        v.clvPerCustomer = mean(values.map { $0?.clvPerCustomer }) ?? v.clvPerCustomer
        v.totalCLV = mean(values.map { $0?.totalCLV }) ?? v.totalCLV
        return v
    }
}

import Foundation

extension ImportanceStage.Findings {
    /// Logistic importance: group importance, Shapley values and dominance on McFadden R²
    /// (exact within the work budget, else sampled), then relative weights.
    mutating func addLogistic(fit: ModelStage, selection: DriverSelection, configuration c: AnalysisConfiguration,
                              progress: KeyDriverAnalysis.Progress?, cancellation: CancellationToken?) throws {
        let p = selection.drivers.count
        let sample = fit.sample
        if !c.groups.isEmpty {
            groups = try ImportanceStage.logisticGroups(fit: fit, selection: selection, configuration: c)
        }
        let work = pow(2, Double(p)) * Double(sample.observationCount) * Double(max(1, sample.driverNames.count))
        let exact = p <= LogisticDominance.exactLimit && work <= c.logisticWorkBudget
        if (c.methods.contains(.shapley) || c.methods.contains(.dominance)) && exact {
            try addExactLogisticShapley(fit: fit, selection: selection, configuration: c, progress: progress, cancellation: cancellation)
        } else if c.methods.contains(.shapley) {
            try addSampledLogisticShapley(fit: fit, selection: selection, configuration: c, progress: progress, cancellation: cancellation)
        } else if c.methods.contains(.dominance) {
            warnings.append(.init(.notComputed, "logistic dominance for \(p) drivers fits 2^\(p) = \(NumberFormat.money(pow(2, Double(p)))) submodels on \(NumberFormat.money(Double(sample.observationCount))) rows — beyond the work budget, so it is not computed; name fewer drivers, or pass --exhaustive (up to \(LogisticDominance.exactLimit) drivers)"))
        }
        try addLogisticRelativeWeights(fit: fit, selection: selection, configuration: c)
    }

    /// Exact logistic dominance over all 2^p submodels: Shapley values (general dominance) and,
    /// when asked for, the conditional and complete dominance tables.
    mutating func addExactLogisticShapley(fit: ModelStage, selection: DriverSelection, configuration c: AnalysisConfiguration,
                                          progress: KeyDriverAnalysis.Progress?, cancellation: CancellationToken?) throws {
        let p = selection.drivers.count
        let sample = fit.sample
        let label = ProgressStep.logisticDominance(submodels: 1 << p)
        progress?(label, 0)
        try cancellation?.check()
        let analysis = try ImportanceStage.logisticDominance(
            outcome: sample.outcome, columns: sample.drivers, names: sample.driverNames,
            weights: sample.weights, drivers: selection.drivers, design: fit.design, controls: selection.controls,
            progress: ImportanceStage.stepProgress(label, progress: progress, cancellation: cancellation))
        progress?(label, 1)
        for j in 0..<p {
            scores[j].shapley = analysis.values[j]
            scores[j].shapleyShare = analysis.shares[j]
        }
        shares = analysis.shares
        estimation = .init(method: .exact)
        if c.methods.contains(.dominance) {
            dominance = .init(fit: "mcfadden_r2", conditional: analysis.dominance.conditional, complete: analysis.dominance.complete)
        }
        warnings += ImportanceStage.logisticNotes(values: analysis.values, controlFit: analysis.controlFit, unfitted: analysis.unfittedSubsets,
                                                  separated: analysis.separatedSubsets, model: fit.logistic)
    }

    /// Logistic Shapley values estimated from antithetic permutation pairs (beyond the exact
    /// limit or the work budget), with the note that says why.
    mutating func addSampledLogisticShapley(fit: ModelStage, selection: DriverSelection, configuration c: AnalysisConfiguration,
                                            progress: KeyDriverAnalysis.Progress?, cancellation: CancellationToken?) throws {
        let p = selection.drivers.count
        let sample = fit.sample
        let pairs = ImportanceStage.logisticPairs(players: p, rows: sample.observationCount, terms: sample.driverNames.count, budget: c.logisticWorkBudget)
        let label = ProgressStep.sampledLogisticShapley(permutations: 2 * pairs)
        progress?(label, 0)
        try cancellation?.check()
        let sampled = try ImportanceStage.sampledLogisticShapley(
            outcome: sample.outcome, columns: sample.drivers, names: sample.driverNames,
            weights: sample.weights, drivers: selection.drivers, design: fit.design, controls: selection.controls,
            pairs: pairs, seed: c.seed,
            progress: ImportanceStage.stepProgress(label, progress: progress, cancellation: cancellation))
        progress?(label, 1)
        let total = sampled.values.reduce(0, +)
        setShapley(sampled.values, total: total, standardErrors: sampled.standardErrors)
        shares = sampled.values.map { $0 / total }
        estimation = .init(method: .sampled, permutations: sampled.permutations)
        let why = p > LogisticDominance.exactLimit
            ? "beyond \(LogisticDominance.exactLimit) drivers exact enumeration is not offered"
            : "exact values fit 2^\(p) = \(NumberFormat.money(pow(2, Double(p)))) submodels on \(NumberFormat.money(Double(sample.observationCount))) rows, beyond the work budget (pass --exhaustive to compute them)"
        warnings.append(.init(.sampledShapley, "logistic Shapley values for \(p) drivers are permutation-sampling estimates from \(NumberFormat.count(sampled.permutations)) orderings, each ± its Monte Carlo standard error: \(why)"))
        if c.methods.contains(.dominance) {
            warnings.append(.init(.notComputed, "logistic dominance needs all 2^\(p) submodels; beyond the work budget it is not computed"))
        }
        warnings += ImportanceStage.logisticNotes(values: sampled.values, controlFit: sampled.controlFit, unfitted: sampled.unfittedSubsets,
                                                  separated: sampled.separatedSubsets, model: fit.logistic)
    }

    /// Logistic relative weights, when asked for and there are no controls (they decompose the
    /// whole model); with controls, the note that they are not computed.
    mutating func addLogisticRelativeWeights(fit: ModelStage, selection: DriverSelection, configuration c: AnalysisConfiguration) throws {
        guard c.methods.contains(.relativeWeights) else { return }
        guard selection.controls.isEmpty else {
            warnings.append(.init(.notComputed, "logistic relative weights decompose the whole model and cannot hold controls (\(selection.controls.joined(separator: ", "))) apart: they are not computed; Shapley values on McFadden R² beyond the controls are (--methods shapley)"))
            return
        }
        let design = fit.design
        // Aliased dummies (collinear with earlier columns) add nothing and would make the
        // correlation matrix singular: the weights are computed without them.
        let usable = ImportanceStage.estimableTerms(fit)
        let rw = try RelativeWeights(logisticOutcome: fit.sample.outcome, drivers: usable.map { fit.termColumns[$0] },
                                     names: usable.map { fit.termNames[$0] })
        let weights = ImportanceStage.summed(ImportanceStage.expanded(rw.weights, at: usable, count: design.termCount), over: design.termRanges)
        let total = weights.reduce(0, +)
        for j in 0..<selection.drivers.count {
            scores[j].relativeWeight = weights[j]
            scores[j].relativeWeightShare = weights[j] / total
        }
        if shares == nil { shares = weights.map { $0 / total } }
    }
}

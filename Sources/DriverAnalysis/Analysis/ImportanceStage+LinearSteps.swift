import Foundation

extension ImportanceStage.Findings {
    /// Linear importance from the correlations: controls partialled out, group importance,
    /// Shapley values (and the efficiency check), relative weights, Pratt/first/last/β², dominance.
    mutating func addLinear(data: SurveyData, fit: ModelStage, selection: DriverSelection, configuration c: AnalysisConfiguration,
                            progress: KeyDriverAnalysis.Progress?, cancellation: CancellationToken?) throws {
        let drivers = selection.drivers
        let p = drivers.count
        let design = fit.design
        var input = try linearInput(data: data, fit: fit, drivers: drivers, configuration: c)
        if !c.controls.isEmpty {
            input = try partialling(input, controls: c.controls)
        }
        if !c.groups.isEmpty {
            let expanded = c.groups.map { group in
                (group.name, group.members.flatMap { member in drivers.firstIndex(of: member).map { design.termNames($0) } ?? [member] })
            }
            groups = try ImportanceStage.userGroups(input, groups: expanded, budget: c.linearWorkBudget, seed: c.seed, warnings: &warnings)
        }
        // General dominance is the Shapley value: asking for dominance computes it too.
        let wantsShapley = c.methods.contains(.shapley) || c.methods.contains(.dominance)
        if wantsShapley {
            // Exact walks over 2^22 subsets and more report progress and poll cancellation.
            let walkLabel = ProgressStep.exactShapley(drivers: p)
            var shapleyProgress: (@Sendable (Double) -> Bool)? = nil
            if p >= 22, progress != nil || cancellation != nil {
                shapleyProgress = ImportanceStage.stepProgress(walkLabel, progress: progress, cancellation: cancellation)
            }
            let report: () -> Void = { progress?(walkLabel, 1) }
            if design.hasMultiTermDrivers {
                try addGroupedLinearShapley(input, design: design, drivers: drivers, configuration: c,
                                            progress: shapleyProgress, finished: report)
            } else {
                try addLinearShapley(input, configuration: c, progress: shapleyProgress, finished: report)
            }
            let values = scores.compactMap(\.shapley)
            let model = c.missing == .listwise && c.controls.isEmpty && c.intercept ? fit.linear : nil
            if values.count == p, let note = ImportanceStage.linearEfficiencyNote(values: values, input: input, model: model) { warnings.append(note) }
        }
        if c.methods.contains(.relativeWeights) {
            try addLinearRelativeWeights(input, fit: fit)
        }
        if c.methods.contains(.pratt) {
            try addClassicMeasures(input, design: design)
        }
        if c.methods.contains(.dominance) && !design.hasMultiTermDrivers {
            try addLinearDominance(input)
        }
    }

    /// The correlations importance decomposes: pairwise-complete ones (every respondent who
    /// answered both questions; the regression itself stays listwise), else the model's rows.
    mutating func linearInput(data: SurveyData, fit: ModelStage, drivers: [String],
                              configuration c: AnalysisConfiguration) throws -> ImportanceInput {
        guard c.missing == .pairwise else { return try ImportanceInput(sample: fit.sample) }
        let names = drivers + c.controls + [c.outcome]
        let columns = try names.map { try data.numericValues($0) }
        let weights = try c.weight.map { try data.numericValues($0) }.map { w in w.map { $0.isNaN ? 0 : $0 } }
        let pairwise = try PairwiseMoments(names: names, columns: columns, weights: weights)
        let input = try ImportanceInput(correlation: pairwise.correlation(), names: names, outcome: c.outcome)
        warnings.append(.init(.pairwiseDeletion, "importance uses pairwise-complete correlations; the regression model uses the \(fit.sample.observationCount) complete rows"))
        return input
    }

    /// `input` with the controls partialled out, and the note of the R² they leave to the drivers.
    mutating func partialling(_ input: ImportanceInput, controls: [String]) throws -> ImportanceInput {
        let partial = try input.controlling(for: controls)
        let input = partial.input
        warnings.append(.init(.controls, String(format: "importance decomposes the %.4g of R² the drivers add beyond the controls (%@), which explain %.4g alone",
                                                  input.rSquared(), controls.joined(separator: ", "), partial.controlRSquared)))
        return input
    }

    /// Shapley values with each multi-term driver's terms as one player (exact, or sampled beyond
    /// the budget), and dominance when the exact walk gives it.
    mutating func addGroupedLinearShapley(_ input: ImportanceInput, design: DriverDesign, drivers: [String], configuration c: AnalysisConfiguration,
                                          progress: (@Sendable (Double) -> Bool)?, finished: () -> Void) throws {
        let p = drivers.count
        let grouped = try ImportanceStage.linearShapley(input, design: design, drivers: drivers, budget: c.linearWorkBudget, seed: c.seed,
                                                        progress: progress)
        if p >= 22 && grouped.permutations == nil { finished() }
        let values = grouped.values, total = values.reduce(0, +)
        for j in 0..<p {
            scores[j].shapley = values[j]
            scores[j].shapleyShare = values[j] / total
            scores[j].shapleyStandardError = grouped.standardErrors?[j]
        }
        shares = values.map { $0 / total }
        if let permutations = grouped.permutations {
            estimation = .init(method: .sampled, permutations: permutations)
            warnings.append(ImportanceStage.sampledGroupShapleyWarning(players: p, columns: input.driverCount, permutations: permutations))
            if c.methods.contains(.dominance) {
                let how = p > GroupImportance.playerLimit ? "name at most \(GroupImportance.playerLimit) drivers" : "pass --exhaustive"
                warnings.append(.init(.notComputed, "dominance for \(p) drivers with \(input.driverCount) design columns needs all 2^\(p) subsets, beyond the work budget: not computed (\(how))"))
            }
        }
        if c.methods.contains(.dominance), let analysis = grouped.dominance {
            dominance = .init(fit: "r2", conditional: analysis.conditional, complete: analysis.complete)
        }
    }

    /// Shapley values of single-term drivers: exact within the limit, else permutation-sampled
    /// with standard errors and a note.
    mutating func addLinearShapley(_ input: ImportanceInput, configuration c: AnalysisConfiguration,
                                   progress: (@Sendable (Double) -> Bool)?, finished: () -> Void) throws {
        let p = scores.count
        let estimate = try ShapleyEstimate(input, allowSampling: true, seed: c.seed, progress: progress)
        if p >= 22, case .exact = estimate { finished() }
        if case let .sampled(sampled) = estimate {
            estimation = .init(method: .sampled, permutations: 2 * sampled.pairs)
            for j in 0..<p { scores[j].shapleyStandardError = sampled.standardErrors[j] }
            warnings.append(ImportanceStage.sampledShapleyWarning(drivers: p))
        }
        let values = estimate.values, total = values.reduce(0, +)
        setShapley(values, total: total)
        shares = values.map { $0 / total }
    }

    /// Relative weights on the estimable terms, summed per driver.
    mutating func addLinearRelativeWeights(_ input: ImportanceInput, fit: ModelStage) throws {
        let design = fit.design
        let usable = ImportanceStage.estimableTerms(fit)
        let rw = try RelativeWeights(usable.count == input.driverCount ? input : input.subset(usable))
        let weights = ImportanceStage.summed(ImportanceStage.expanded(rw.weights, at: usable, count: design.termCount), over: design.termRanges)
        let total = weights.reduce(0, +)
        let direct = !design.hasMultiTermDrivers && usable.count == design.termCount   // one weight per driver as computed
        for j in 0..<scores.count {
            scores[j].relativeWeight = weights[j]
            scores[j].relativeWeightShare = direct ? rw.shares[j] : weights[j] / total
        }
        if shares == nil { shares = direct ? rw.shares : weights.map { $0 / total } }
    }

    /// Pratt, first (zero-order), last (usefulness) and β²; a multi-term driver's first and last
    /// are the R² of its terms alone and the R² its terms add to all others.
    mutating func addClassicMeasures(_ input: ImportanceInput, design: DriverDesign) throws {
        let classic = try ClassicImportance(input)
        let pratt = ImportanceStage.summed(classic.pratt, over: design.termRanges)
        let full = classic.rSquared
        for j in 0..<scores.count {
            let range = design.termRanges[j]
            scores[j].pratt = pratt[j]
            if range.count == 1 {
                scores[j].first = classic.first[range.lowerBound]
                scores[j].last = classic.last[range.lowerBound]
                scores[j].betaSquared = classic.betaSquared[range.lowerBound]
            } else {
                let others = (0..<input.driverCount).filter { !range.contains($0) }
                scores[j].first = try input.subset(Array(range)).rSquaredBySolve()
                scores[j].last = full - (others.isEmpty ? 0 : try input.subset(others).rSquaredBySolve())
            }
        }
    }

    /// Complete and conditional dominance of single-term drivers, within the exact limit.
    mutating func addLinearDominance(_ input: ImportanceInput) throws {
        let p = scores.count
        if p <= DominanceAnalysis.exactLimit {
            let analysis = try DominanceAnalysis(input)
            dominance = .init(fit: "r2", conditional: analysis.conditional, complete: analysis.complete)
        } else {
            warnings.append(.init(.notComputed, "complete dominance needs all 2^\(p) subset fits; beyond \(DominanceAnalysis.exactLimit) drivers it is not computed"))
        }
    }
}

import Foundation

extension ConfidenceStage {
    /// One bootstrap replicate's analysis: from the resample's row weights, each driver's
    /// importance, mean (performance) and coefficient sign, laid out `[importance (p), means (p), signs (p)]`.
    struct Replicate: Sendable {
        let sample: AnalysisSample
        let design: DriverDesign
        let drivers: [String]
        let controls: [String]
        let outcome: String
        let intercept: Bool
        let seed: UInt64
        let logistic: Bool
        /// Logistic importance is bootstrapped (Shapley values asked for, few enough drivers).
        let logisticImportance: Bool
        /// Exact logistic Shapley values in every resample (else sampled).
        let exactReplicates: Bool
        /// Antithetic pairs of a sampled logistic replicate.
        let replicatePairs: Int
        /// The linear group walk's budget per replicate.
        let linearBudget: Double
        /// Per driver, the column whose mean is its performance and whose coefficient's sign is
        /// tracked (single-column drivers only).
        let single: [Int?]
        /// The terms' and the outcome's names and columns, for a linear replicate's moments.
        let names: [String]
        let columns: [[Double]]

        /// The replicate analysis of `fit`'s drivers as `c` configures it.
        init(fit: ModelStage, selection: DriverSelection, configuration c: AnalysisConfiguration, logisticImportance: Bool,
             exactReplicates: Bool, replicatePairs: Int) {
            let design = fit.design
            sample = fit.sample
            self.design = design
            drivers = selection.drivers
            controls = selection.controls
            outcome = c.outcome
            intercept = c.intercept
            seed = c.seed
            logistic = fit.kind == .logistic
            self.logisticImportance = logisticImportance
            self.exactReplicates = exactReplicates
            self.replicatePairs = replicatePairs
            // The bootstrap as a whole stays within the work budget of one exact group walk.
            linearBudget = c.linearWorkBudget / Double(max(1, c.bootstrap))
            names = fit.sample.driverNames + [c.outcome]
            columns = fit.sample.drivers + [fit.sample.outcome]
            single = design.termRanges.indices.map { j in
                design.termRanges[j].count == 1 && fit.variables[j].kind != .factor ? design.termRanges[j].lowerBound : nil
            }
        }

        /// The replicate's statistics for the resample's row weights (multiplying the sample's own).
        func statistics(_ weights: [Double]) throws -> [Double] {
            let w = sample.weights.map { zip($0, weights).map { $0 * $1 } } ?? weights
            let total = w.reduce(0, +)
            let means: [Double] = single.map { t in
                guard let t else { return .nan }
                return zip(w, sample.drivers[t]).reduce(0) { $0 + $1.0 * $1.1 } / total
            }
            if logistic {
                return logisticStatistics(w, means: means)
            }
            let moments = try Moments(names: names, columns: columns, weights: w)
            let input = try ImportanceInput(moments: moments, outcome: outcome).controlling(for: controls).input
            let values = try ImportanceStage.linearShapley(input, design: design, drivers: drivers, budget: linearBudget,
                                                           seed: seed).values
            let beta = try ClassicImportance(input).standardizedCoefficients
            let signs = single.map { $0.map { beta[$0] } ?? .nan }
            return values + means + signs
        }

        /// A logistic replicate's statistics: importance (`NaN` unless bootstrapped), `means` and
        /// coefficient signs, or `NaN` throughout when the resample is not fittable (separation).
        private func logisticStatistics(_ w: [Double], means: [Double]) -> [Double] {
            let p = single.count
            let allNames = sample.driverNames
            do {
                let model = try LogisticRegression(outcome: sample.outcome, drivers: sample.drivers, names: allNames, weights: w,
                                                   options: .init(intercept: intercept))
                let estimates = model.coefficients.dropFirst(intercept ? 1 : 0).map(\.estimate)
                let signs = single.map { $0.map { estimates[$0] } ?? .nan }
                var importance = [Double](repeating: .nan, count: p)
                if logisticImportance && exactReplicates {
                    importance = try ImportanceStage.logisticDominance(outcome: sample.outcome, columns: sample.drivers, names: allNames,
                                                                       weights: w, drivers: drivers, design: design, controls: controls).values
                } else if logisticImportance {
                    // Each resample its own orderings: a hash of the seed and the resample's weights.
                    let stream = w.indices.reduce(seed) { SyntheticSurvey.hash($0, UInt64($1), w[$1].bitPattern) }
                    importance = try ImportanceStage.sampledLogisticShapley(outcome: sample.outcome, columns: sample.drivers, names: allNames,
                                                                            weights: w, drivers: drivers, design: design, controls: controls,
                                                                            pairs: replicatePairs, seed: stream).values
                }
                return importance + means + signs
            } catch {
                return [Double](repeating: .nan, count: 3 * p)   // resample not fittable (separation)
            }
        }
    }
}

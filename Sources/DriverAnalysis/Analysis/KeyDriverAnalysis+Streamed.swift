import Foundation
import LinearAlgebra

extension KeyDriverAnalysis {
    /// A linear analysis of a CSV file larger than memory, text drivers included: the design is
    /// typed and coded in two bounded passes (the internal `StreamedDesign`: numbers, Yes/No as 0/1, each
    /// factor's dummies against its most frequent level), then the model, its inference and every
    /// correlation-based importance measure come from the moments of the terms — the same
    /// numbers as the analysis of the rows in memory. A factor is one player (exact group Shapley
    /// values by the block subset walk within ``AnalysisConfiguration/linearWorkBudget``, else
    /// sampled with standard errors); its levels carry their coefficients. Row-level results
    /// (bootstrap, what-if, segments, Spearman correlations, diagnostics) are not computed.
    ///
    /// - Throws: ``SurveyDataError`` for the file, an unknown or unusable column, text in the
    ///   outcome (`nonNumeric` with row 0); ``ModelError`` and ``ImportanceError`` as the
    ///   in-memory analysis.
    /// Complexity: two passes over the file (three when a whole-number column first taken for an
    /// identifier repeats a value), O(terms²) memory.
    public static func analyzeStreamingLinear(csv path: String, _ configuration: AnalysisConfiguration,
                                              options: CSVOptions = .init()) throws -> DriverReport {
        try configuration.validate()
        let design = try StreamedDesign(csv: path, configuration, options: options)
        var c = configuration
        c.drivers = design.drivers.map(\.variable.name)
        var report: DriverReport
        if design.drivers.allSatisfy({ $0.variable.kind != .factor }) {
            report = try analyze(moments: design.moments, c)
        } else {
            report = try StreamedFactorAnalysis(design: design, configuration: c).report
        }
        for (j, driver) in design.drivers.enumerated() where j < report.drivers.count {
            report.drivers[j].kind = driver.variable.kind
            report.drivers[j].scale = driver.variable.scale.map { ClosedInterval(lower: $0.lowerBound, upper: $0.upperBound) }
            report.drivers[j].performancePercent = report.drivers[j].performance.flatMap { driver.variable.percentOfScale(mean: $0) }
        }
        report.warnings = design.warnings + report.warnings
        return report
    }
}

/// The summary-statistics analysis of a streamed design with factors: per-term coefficients from
/// the correlations of the terms, per-driver importance with each factor one player.
struct StreamedFactorAnalysis {
    let report: DriverReport

    init(design: StreamedDesign, configuration c: AnalysisConfiguration) throws {
        let moments = design.moments
        let input = try ImportanceInput(moments: moments, outcome: c.outcome)
        let n = Int(moments.weightSum.rounded())
        let terms = input.driverCount, p = design.drivers.count
        // Terms in the span of earlier ones (a "No internet service" dummy shared by several
        // factors) are aliased, as R's `lm` reports NA: the model is fitted without them.
        let aliased = Self.aliasedTerms(input)
        let estimable = (0..<terms).filter { !aliased.contains($0) }
        let fitted = input.subset(estimable)
        guard n > estimable.count + 1 else { throw ModelError.tooFewObservations(observations: n, parameters: estimable.count + 1) }
        let classic = try ClassicImportance(fitted)
        let r2 = classic.rSquared
        let dof = Double(n - estimable.count - 1)
        let t = try StudentTDistribution(degreesOfFreedom: dof)
        let critical = t.quantile(0.5 + c.confidenceLevel / 2)
        let inverse = try fitted.driverCorrelation.symmetricPositiveDefiniteInverse()
        let sds = moments.standardDeviations()
        let sd = Dictionary(zip(moments.names, sds), uniquingKeysWith: { first, _ in first })
        let mean = Dictionary(zip(moments.names, moments.means), uniquingKeysWith: { first, _ in first })
        // Per term: its coefficient on the data's scale (NaN and aliased for an aliased term).
        var termRows = input.names.map { DriverReport.DriverRow(name: $0) }
        for k in aliased {
            termRows[k].coefficient = Coefficient(name: input.names[k], estimate: .nan, standardError: .nan, statistic: .nan, pValue: .nan,
                                                  confidenceInterval: ClosedInterval(lower: .nan, upper: .nan), isAliased: true)
        }
        for (e, k) in estimable.enumerated() {
            let beta = classic.standardizedCoefficients[e]
            let seStd = ((1 - r2) / dof * inverse[e, e]).squareRoot()
            let scale = (sd[c.outcome] ?? 1) / (sd[input.names[k]] ?? 1)
            let estimate = beta * scale, se = seStd * scale, statistic = beta / seStd
            termRows[k].coefficient = Coefficient(name: input.names[k], estimate: estimate, standardError: se, statistic: statistic,
                                                  pValue: 2 * t.survival(abs(statistic)),
                                                  confidenceInterval: ClosedInterval(lower: estimate - critical * se, upper: estimate + critical * se),
                                                  isAliased: false)
            termRows[k].standardizedBeta = beta
        }
        let position = Dictionary(estimable.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        // Pratt's measure over every term, as the in-memory analysis computes it.
        let pratt = aliased.isEmpty ? classic.pratt : try ClassicImportance(input).pratt
        var ranges: [Range<Int>] = [], start = 0
        for driver in design.drivers { ranges.append(start..<(start + driver.terms.count)); start += driver.terms.count }
        var rows = design.drivers.map { DriverReport.DriverRow(name: $0.variable.name) }
        for (j, driver) in design.drivers.enumerated() {
            let range = ranges[j]
            if driver.variable.kind == .factor {
                rows[j].reference = driver.levels.first?.level
                rows[j].levels = driver.levels.map { .init(level: $0.level, count: $0.count) }
                for (l, k) in range.enumerated() where l + 1 < rows[j].levels.count { rows[j].levels[l + 1].coefficient = termRows[k].coefficient }
                rows[j].importance.pratt = range.reduce(0) { $0 + pratt[$1] }
                let others = (0..<terms).filter { !range.contains($0) }
                rows[j].importance.first = try input.subset(Array(range)).rSquaredBySolve()
                rows[j].importance.last = r2 - (others.isEmpty ? 0 : try input.subset(others).rSquaredBySolve())
            } else if let k = range.first {
                let r = input.outcomeCorrelation[k]
                rows[j].coefficient = termRows[k].coefficient
                rows[j].standardizedBeta = termRows[k].standardizedBeta
                rows[j].mean = mean[input.names[k]]
                rows[j].standardDeviation = sd[input.names[k]]
                rows[j].pearson = r
                let tr = r * (Double(n - 2) / ((1 - r) * (1 + r))).squareRoot()
                rows[j].pearsonPValue = 2 * (try StudentTDistribution(degreesOfFreedom: Double(n - 2))).survival(abs(tr))
                rows[j].importance.pratt = pratt[k]
                rows[j].importance.first = r * r
                if let e = position[k] {
                    rows[j].importance.last = classic.last[e]
                    rows[j].importance.betaSquared = classic.betaSquared[e]
                    rows[j].suppressor = classic.standardizedCoefficients[e] * r < 0 || classic.pratt[e] < 0
                }
            }
        }
        // (G)VIFs from the terms' correlation: its inverse is proportional to the covariance of the
        // standardized estimates, and the Fox–Monette ratio does not see the scale.
        var covariance = Matrix(uncheckedRows: terms, columns: terms, repeating: .nan)
        for (a, ka) in estimable.enumerated() { for (b, kb) in estimable.enumerated() { covariance[ka, kb] = inverse[a, b] } }
        var notes: [DriverReport.Warning] = []
        if let inflation = try? VarianceInflation.generalized(covariance: covariance, terms: ranges.map { Array($0) }) {
            ModelStage.attach(inflation, to: &rows)
            notes = ModelStage.collinearityWarnings(rows)
        }
        if !c.methods.contains(.pratt) {
            for j in rows.indices {
                rows[j].importance.pratt = nil
                rows[j].importance.first = nil
                rows[j].importance.last = nil
                rows[j].importance.betaSquared = nil
            }
        }
        var warnings = notes
        if !aliased.isEmpty {
            let names = aliased.map { input.names[$0] }
            warnings.append(.init("aliased_drivers", "\(names.prefix(8).joined(separator: ", "))\(names.count > 8 ? " and \(names.count - 8) more" : "") are linear combinations of other drivers: no coefficient (as R reports NA); their drivers' importance counts what they add once, and their variance inflation is infinite (gvif aliased)"))
        }
        let (shares, estimation) = try Self.importance(input, estimable: estimable, design: design, ranges: ranges, c, rows: &rows, warnings: &warnings)
        let ranks = shares.map(KeyDriverAnalysis.ranks)
        for j in 0..<p { rows[j].rank = ranks?[j] }
        Self.priority(&rows, design: design, shares: shares)
        let pValues = rows.map { $0.coefficient?.pValue ?? .nan }
        let (holm, bh) = Multiplicity.adjust(pValues)
        for j in 0..<p where rows[j].coefficient != nil { rows[j].pValueHolm = holm[j]; rows[j].pValueBH = bh[j] }
        let f = (r2 / Double(estimable.count)) / ((1 - r2) / dof)
        let summary = DriverReport.ModelSummary(
            kind: .linear, n: n, r2: r2, adjustedR2: 1 - (1 - r2) * Double(n - 1) / dof, fStatistic: f,
            fPValue: try FDistribution(numeratorDegreesOfFreedom: Double(estimable.count), denominatorDegreesOfFreedom: dof).survival(f),
            intercept: KeyDriverAnalysis.intercept(rows: estimable.map { termRows[$0] }, names: estimable.map { input.names[$0] },
                                                   inverse: inverse, r2: r2, dof: dof, n: n, t: t,
                                                   critical: critical, outcome: c.outcome, means: mean, standardDeviations: sd))
        warnings.insert(.init("summary_input", "computed from summary statistics of the terms (\(terms) design columns): no row-level diagnostics, bootstrap or what-if"), at: 0)
        if c.margin != nil || c.bootstrap > 0 || c.segment != nil || c.nps != nil {
            warnings.append(.init("not_computed", "what-if, bootstrap, segments and NPS need row-level data; they are left out"))
        }
        warnings += ActionRoles.apply(to: &rows, configuration: c)
        let names = rows.map(\.name)
        let actions = rows.indices.filter { rows[$0].role != .attribute }
        let order = ranks.map { ranks in actions.sorted { ranks[$0] < ranks[$1] }.map { names[$0] } } ?? actions.map { names[$0] }
        var report = DriverReport(outcome: c.outcome, model: summary, drivers: rows, nps: nil, value: nil, dominance: nil,
                                  segments: [], warnings: warnings, actionOrder: order, orderBasis: .importance)
        report.shapleyEstimation = estimation
        self.report = report
    }

    /// Shapley values (each factor one player) and relative weights (summed over a factor's
    /// terms); returns the ranking shares (Shapley's, else the weights') and how Shapley was estimated.
    static func importance(_ input: ImportanceInput, estimable: [Int], design: StreamedDesign, ranges: [Range<Int>], _ c: AnalysisConfiguration,
                           rows: inout [DriverReport.DriverRow], warnings: inout [DriverReport.Warning])
        throws -> (shares: [Double]?, estimation: DriverReport.ShapleyEstimation?) {
        let p = rows.count
        var shares: [Double]? = nil, estimation: DriverReport.ShapleyEstimation? = nil
        if c.methods.contains(.relativeWeights) {
            let weights = try RelativeWeights(input.subset(estimable))
            var termWeights = [Double](repeating: 0, count: input.driverCount)
            for (e, k) in estimable.enumerated() { termWeights[k] = weights.weights[e] }
            let summed = ranges.map { range in range.reduce(0) { $0 + termWeights[$1] } }
            let total = summed.reduce(0, +)
            for j in 0..<p { rows[j].importance.relativeWeight = summed[j]; rows[j].importance.relativeWeightShare = summed[j] / total }
            shares = summed.map { $0 / total }
        }
        if c.methods.contains(.shapley) || c.methods.contains(.dominance) {
            let players = zip(design.drivers, ranges).map { (name: $0.variable.name, members: Array($1)) }
            var values: [Double], errors: [Double]? = nil
            if ImportanceStage.exactGroupShapley(players: players.map(\.members.count), budget: c.linearWorkBudget) {
                values = try GroupImportance(input, players: players, progress: nil).groups.map(\.shapley)
                estimation = .init(method: .exact)
            } else {
                let sampled = try SampledShapley(input, players: players,
                                                 pairs: ImportanceStage.groupPairs(columns: input.driverCount, budget: c.linearWorkBudget), seed: c.seed)
                values = sampled.values
                errors = sampled.standardErrors
                estimation = .init(method: .sampled, permutations: 2 * sampled.pairs)
                warnings.append(ImportanceStage.sampledGroupShapleyWarning(players: p, columns: input.driverCount, permutations: 2 * sampled.pairs))
            }
            let total = values.reduce(0, +)
            for j in 0..<p {
                rows[j].importance.shapley = values[j]
                rows[j].importance.shapleyShare = values[j] / total
                rows[j].importance.shapleyStandardError = errors?[j]
            }
            shares = values.map { $0 / total }
            if let note = ImportanceStage.linearEfficiencyNote(values: values, input: input, model: nil) { warnings.append(note) }
        }
        return (shares, estimation)
    }

    /// Terms whose residual variance given the earlier terms is at most 10⁻¹² of their own (the
    /// correlations' pivots, in order): aliased. O(terms³).
    static func aliasedTerms(_ input: ImportanceInput) -> [Int] {
        let k = input.driverCount
        var a = input.driverCorrelation.elements
        var aliased: [Int] = []
        for m in 0..<k {
            let pivot = a[m + m * k]
            guard pivot > SubsetRSquaredWalk.collinearityTolerance else { aliased.append(m); continue }
            for l in (m + 1)..<max(m + 1, k) {
                let f = a[m + l * k] / pivot
                for r in (m + 1)..<k { a[r + l * k] -= a[r + m * k] * f }
            }
        }
        return aliased
    }

    /// Performance (the mean) and quadrant of the ratings, against the ratings' mean share and
    /// mean performance; factors and other kinds have none.
    static func priority(_ rows: inout [DriverReport.DriverRow], design: StreamedDesign, shares: [Double]?) {
        guard let shares else { return }
        let rated = design.drivers.indices.filter { design.drivers[$0].variable.kind == .rating && rows[$0].mean != nil }
        guard !rated.isEmpty else { return }
        let ti = rated.reduce(0) { $0 + shares[$1] } / Double(rated.count)
        let tp = rated.reduce(0) { $0 + rows[$1].mean! } / Double(rated.count)
        for j in rated {
            let performance = rows[j].mean!
            rows[j].performance = performance
            let high = shares[j] >= ti, good = performance >= tp
            rows[j].quadrant = high ? (good ? .keepUp : .fixFirst) : (good ? .possibleOverkill : .niceToHave)
        }
    }
}

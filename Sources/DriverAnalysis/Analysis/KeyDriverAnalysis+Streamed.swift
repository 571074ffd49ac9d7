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
    /// - Parameters:
    ///   - path: the CSV file's path.
    ///   - configuration: the analysis options; the outcome must be numeric.
    ///   - options: how the file is read (delimiter, missing-value tokens, chunk size); default:
    ///     ``CSVOptions``' defaults.
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
        let model = try TermModel(moments: design.moments, configuration: c)
        let input = model.input, terms = input.driverCount, p = design.drivers.count
        // Pratt's measure over every term, as the in-memory analysis computes it.
        let pratt = model.aliased.isEmpty ? model.classic.pratt : try ClassicImportance(input).pratt
        var ranges: [Range<Int>] = [], start = 0
        for driver in design.drivers { ranges.append(start..<(start + driver.terms.count)); start += driver.terms.count }
        var rows = try Self.driverRows(design, model: model, ranges: ranges, pratt: pratt)
        var warnings = Self.attachInflation(to: &rows, model: model, ranges: ranges)
        if !c.methods.contains(.pratt) { Self.clearClassicMeasures(&rows) }
        if !model.aliased.isEmpty {
            let names = model.aliased.map { input.names[$0] }
            warnings.append(.init(.aliasedDrivers, "\(names.prefix(8).joined(separator: ", "))\(names.count > 8 ? " and \(names.count - 8) more" : "") are linear combinations of other drivers: no coefficient (as R reports NA); their drivers' importance counts what they add once, and their variance inflation is infinite (gvif aliased)"))
        }
        let (shares, estimation) = try Self.importance(input, estimable: model.estimable, design: design, ranges: ranges, c,
                                                       rows: &rows, warnings: &warnings)
        let ranks = shares.map(KeyDriverAnalysis.ranks)
        for j in 0..<p { rows[j].rank = ranks?[j] }
        Self.priority(&rows, design: design, shares: shares)
        let pValues = rows.map { $0.coefficient?.pValue ?? .nan }
        let (holm, bh) = Multiplicity.adjust(pValues)
        for j in 0..<p where rows[j].coefficient != nil { rows[j].pValueHolm = holm[j]; rows[j].pValueBH = bh[j] }
        let summary = try model.summary(outcome: c.outcome)
        warnings.insert(.init(.summaryInput, "computed from summary statistics of the terms (\(terms) design columns): no row-level diagnostics, bootstrap or what-if"), at: 0)
        if c.margin != nil || c.bootstrap > 0 || c.segment != nil || c.nps != nil {
            warnings.append(.init(.notComputed, "what-if, bootstrap, segments and NPS need row-level data; they are left out"))
        }
        warnings += ActionRoles.apply(to: &rows, configuration: c)
        let order = KeyDriverAnalysis.actionOrder(rows, names: rows.map(\.name), ranks: ranks)
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

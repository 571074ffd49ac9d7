import Foundation
import LinearAlgebra

/// Multiple imputation by chained equations (MICE; van Buuren & Groothuis-Oudshoorn 2011,
/// *J. Stat. Softw.* 45(3), doi:10.18637/jss.v045.i03), as R's `mice()` runs it with
/// `method = "pmm"`:
///
/// each of the ``ImputationOptions/imputations`` chains fills every missing cell with a random
/// draw from its column's observed values, then ``ImputationOptions/iterations`` times visits
/// the incomplete columns in the order given and re-imputes each from a regression on all the
/// other named columns (their current values; a factor enters as its level dummies) by
/// predictive mean matching (Rubin 1986; `mice.impute.pmm`'s Bayesian regression draw and type-1
/// matching among ``ImputationOptions/donors`` donors; the internal `PredictiveMeanMatching`).
/// The completed datasets are the states after the last iteration.
///
/// Column kinds:
/// - numeric columns, and binary or two-level columns on their 0/1 codes: predictive mean
///   matching on the value (`mice`'s `pmm`; for binary columns `mice` defaults to `logreg`,
///   but `pmm` is a `mice` method too and never yields a value outside the observed ones);
/// - factors with three or more levels: predictive mean matching on the first canonical score
///   of the levels (optimal scoring as `Hmisc::aregImpute` does), the donor's level imputed —
///   not `mice`'s `polyreg` (a multinomial logit per cycle), whose cost grows with the levels.
///
/// Deterministic: imputation `m` draws from its own stream seeded by `(seed, m)`.
/// Complexity: O(M · iterations · Σ_incomplete (n p² + p³ + n log n)) for `p` predictor
/// columns; memory one copy of the named columns plus one completed dataset at a time.
public enum ChainedEquations {
    /// Runs the chains and hands each completed dataset to `body` as it is made, so memory stays
    /// at one dataset however many imputations are asked for.
    ///
    /// - Parameters:
    ///   - data: the survey; only `columns` are imputed and used as predictors, every other
    ///     column is passed through unchanged.
    ///   - columns: the columns of the analysis (outcome, drivers, controls).
    ///   - options: `m`, iterations, donors, ridge, seed.
    ///   - body: called with the imputation's index (0-based) and the completed data.
    /// - Throws: ``SurveyDataError/unknownColumn(name:suggestions:)``; ``ImputationError`` naming
    ///   the column (mixed text and numbers, no observed value, a regression that cannot be solved,
    ///   an option out of range); whatever `body` throws.
    public static func forEachImputation(of data: SurveyData, columns: [String], options: ImputationOptions,
                                         _ body: (Int, SurveyData) throws -> Void) throws {
        let options = try options.validated()
        let variables = try columns.map { try ImputationVariable(data.column($0), path: data.source) }
        for m in 0..<options.imputations {
            var random = ImputationRandom(seed: options.seed, imputation: m)
            var state = variables
            for j in state.indices where !state[j].missing.isEmpty {
                for i in state[j].missing { state[j].values[i] = state[j].values[state[j].observed[random.index(below: state[j].observed.count)]] }
            }
            for _ in 0..<options.iterations {
                for j in state.indices where !state[j].missing.isEmpty {
                    try impute(j, in: &state, options: options, random: &random)
                }
            }
            try body(m, completed(data, with: state))
        }
    }

    /// The columns' cells that would be imputed, by name (0 for complete columns). O(rows × columns).
    ///
    /// - Parameters:
    ///   - data: the survey.
    ///   - columns: the column names to count; each must be a column of the survey.
    public static func missingCounts(of data: SurveyData, columns: [String]) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for name in columns { counts[name] = try data.column(name).values.reduce(0) { $1.isNaN ? $0 + 1 : $0 } }
        return counts
    }

    /// Re-imputes variable `j` from the current values of the others.
    static func impute(_ j: Int, in state: inout [ImputationVariable], options: ImputationOptions, random: inout ImputationRandom) throws {
        let target = state[j]
        let predictors = state.indices.filter { $0 != j }
        let width = 1 + predictors.reduce(0) { $0 + state[$1].designWidth }
        func design(_ rows: [Int]) throws -> Matrix {
            var elements = [Double](repeating: 1, count: rows.count * width)
            var column = 1
            for l in predictors {
                let v = state[l]
                if v.designWidth == 1 {
                    for (r, i) in rows.enumerated() { elements[r + column * rows.count] = v.values[i] }
                } else {
                    for level in 1...v.designWidth {
                        for (r, i) in rows.enumerated() { elements[r + (column + level - 1) * rows.count] = v.values[i] == Double(level) ? 1 : 0 }
                    }
                }
                column += v.designWidth
            }
            return try Matrix(rows: rows.count, columns: width, columnMajor: elements)
        }
        let observed = try design(target.observed), missing = try design(target.missing)
        var y = target.observed.map { target.values[$0] }
        if target.designWidth > 1 {
            let codes = y.map { Int(exactly: $0) ?? 0 }
            let scores = try PredictiveMeanMatching.canonicalScores(observed: observed, codes: codes, levels: target.levels,
                                                                    ridge: options.ridge, column: target.name)
            y = codes.map { $0 >= 0 && $0 < scores.count ? scores[$0] : 0 }
        }
        let donors = try PredictiveMeanMatching.donors(observed: observed, y: y, missing: missing, column: target.name,
                                                       options: options, random: &random)
        for (r, i) in target.missing.enumerated() { state[j].values[i] = target.values[target.observed[donors[r]]] }
    }

    /// `data` with the imputed columns filled in (no missing cell left in them).
    static func completed(_ data: SurveyData, with state: [ImputationVariable]) -> SurveyData {
        var filled: [String: [Double]] = [:]
        for v in state where !v.missing.isEmpty { filled[v.name] = v.values }
        let columns = data.columns.map { column -> SurveyColumn in
            guard let values = filled[column.name] else { return column }
            return SurveyColumn(name: column.name, position: column.position, isUnnamed: column.isUnnamed, kind: column.kind,
                                values: values, missingCount: 0, firstText: column.firstText, firstNonFinite: nil)
        }
        return SurveyData(source: data.source, columns: columns, rowNumbers: data.rowNumbers)
    }
}

/// One column in the chains: its current values (codes for a factor) and which rows were missing.
struct ImputationVariable: Sendable {
    let name: String
    /// Levels of a factor with three or more; 0 for numeric, binary and two-level columns.
    let levels: Int
    var values: [Double]
    let missing: [Int]
    let observed: [Int]

    /// The most levels a factor may have to be imputed or to predict others.
    static let maximumLevels = 100

    /// Columns it takes in a design: 1, or `levels − 1` dummies.
    var designWidth: Int { levels > 2 ? levels - 1 : 1 }

    /// - Throws: ``ImputationError`` for a mixed column, an infinite value or no observed value.
    init(_ column: SurveyColumn, path: String) throws {
        name = column.name
        switch column.kind {
        case .numeric, .binary: levels = 0
        case let .categorical(names):
            guard names.count <= Self.maximumLevels else {
                throw ImputationError.unusableColumn(column: column.name, reason: "it has \(names.count) levels; a factor of more than \(Self.maximumLevels) is not imputed (its level dummies would dwarf every regression) — group its levels or leave it out")
            }
            levels = names.count > 2 ? names.count : 0
        case .mixed:
            throw ImputationError.unusableColumn(column: column.name, reason: "it mixes numbers and text (e.g. '\(column.firstText?.value ?? "")' in row \(column.firstText?.row ?? 0)); declare missing codes with --na-values")
        }
        if let bad = column.firstNonFinite {
            throw ImputationError.unusableColumn(column: column.name, reason: "'\(bad.value)' in row \(bad.row) of \(path) is not a finite number")
        }
        values = column.values
        missing = column.values.indices.filter { column.values[$0].isNaN }
        observed = column.values.indices.filter { !column.values[$0].isNaN }
        if observed.isEmpty { throw ImputationError.nothingObserved(column: column.name) }
    }
}

import Foundation
import LinearAlgebra

/// A linear analysis's design streamed from a CSV file in bounded memory, text drivers included.
///
/// 1. **Typing pass** (``CSVColumnSurvey``): every column typed as the whole-file loader types
///    it — numbers, two-valued text (Yes/No coded 0/1), text with at most
///    ``AnalysisConfiguration/factorLevelHardLimit`` levels (a factor), mixed — and the drivers
///    chosen as ``DriverSelection`` chooses them (named, or by default every numeric column and
///    every text column with 2 to ``AnalysisConfiguration/factorLevelLimit`` levels, identifier-like
///    and unusable columns left out with a note).
/// 2. **Moments pass**: the moments of the outcome and of every term — a number, a 0/1 code, or one
///    dummy per level of a factor — over the complete rows, with the level counts; identifiers
///    are confirmed (every value distinct) on the way, by a bitmap over their range.
/// 3. **Coding**: each factor's reference is its declared level or its most frequent one in the
///    analysed rows (as ``DriverDesign``); the reference's dummy and those of absent levels are
///    dropped from the moments.
///
/// Memory: O(columns × levels) for the typing, O(terms²) for the moments, plus one bit per value
/// in an identifier's range (at most 64 MB; wider whole-number columns whose first 65,536
/// values are distinct are taken as identifiers, with that said in the note).
struct StreamedDesign {
    struct Driver {
        let variable: DriverVariable
        /// The terms' names in ``moments`` (a factor's non-reference levels, `name[level]`).
        let terms: [String]
        /// A factor's levels, the reference first, with their counts in the analysed rows.
        let levels: [FactorLevel]
    }

    let moments: Moments
    let drivers: [Driver]
    let warnings: [DriverReport.Warning]

    /// Bits of an identifier check's bitmap, at most.
    static let bitmapLimit = 1 << 29
    /// Values kept to look for a repeat in a whole-number column whose range is wider than the bitmap.
    static let distinctProbe = 1 << 16

    /// - Throws: ``SurveyDataError`` for the file, an unknown column, text in the outcome
    ///   (`nonNumeric` with row 0: the event needs the whole column), an unusable driver
    ///   (mixed, non-finite, too many levels, a single level), a negative weight.
    init(csv path: String, _ c: AnalysisConfiguration, options: CSVOptions) throws {
        let survey = try CSVColumnSurvey(csv: path, options: options)
        var warnings: [DriverReport.Warning] = []
        guard let outcome = survey.column(c.outcome) else {
            throw SurveyDataError.unknownColumn(name: c.outcome, suggestions: ColumnNameSuggestions.nearest(to: c.outcome, in: survey.columns.map(\.name)))
        }
        if outcome.texts > 0 { throw SurveyDataError.nonNumeric(path: path, row: 0, column: c.outcome, value: "text") }
        if let bad = outcome.firstNonFinite { throw SurveyDataError.nonFinite(path: path, row: bad.row, column: c.outcome, value: bad.value) }
        var (chosen, candidates) = try Self.choose(survey, c, path: path, warnings: &warnings)
        var pass = try StreamedMoments(csv: path, survey: survey, drivers: chosen, identifierCandidates: candidates, c, options: options)
        let identifiers = pass.identifiers, assumed = pass.assumed
        let notIdentifiers = candidates.filter { !identifiers.contains($0) }
        if !notIdentifiers.isEmpty {
            // A whole-number column that repeats a value is a driver after all: a second pass with it in.
            chosen = survey.columns.map(\.name).filter { chosen.contains($0) || notIdentifiers.contains($0) }
            pass = try StreamedMoments(csv: path, survey: survey, drivers: chosen, identifierCandidates: [], c, options: options)
        }
        for name in candidates where identifiers.contains(name) {
            let how = assumed.contains(name) ? "its first 65,536 values are distinct whole numbers spanning more than 2^29" : "every value distinct"
            warnings.append(.init(.columnLeftOut, "column '\(name)' looks like an identifier (\(how)); it is left out of the default drivers"))
        }
        guard !chosen.isEmpty else { throw ImportanceError.tooFewDrivers(count: 0, minimum: 1) }
        try DriverSelection.checkRoles(drivers: chosen, configuration: c)
        let coded = try Self.code(pass, survey: survey, c)
        drivers = coded.drivers
        moments = coded.moments
        if pass.skippedRows > 0 {
            warnings.append(.init(.rowsDropped, "\(NumberFormat.money(Double(pass.skippedRows))) of \(NumberFormat.money(Double(pass.skippedRows + moments.count))) rows miss the outcome, a driver or the weight and were left out (listwise)"))
        }
        self.warnings = warnings
    }

    /// The drivers (named or default) and, for defaults, the identifier candidates still to check.
    static func choose(_ survey: CSVColumnSurvey, _ c: AnalysisConfiguration, path: String,
                       warnings: inout [DriverReport.Warning]) throws -> (drivers: [String], candidates: [String]) {
        let names = survey.columns.map(\.name)
        if let named = c.drivers {
            for name in named {
                guard let column = survey.column(name) else {
                    throw SurveyDataError.unknownColumn(name: name, suggestions: ColumnNameSuggestions.nearest(to: name, in: names))
                }
                if case .mixed = column.kind, let text = column.firstText {
                    throw SurveyDataError.nonNumeric(path: path, row: text.row, column: name, value: text.value)
                }
                if let bad = column.firstNonFinite { throw SurveyDataError.nonFinite(path: path, row: bad.row, column: name, value: bad.value) }
            }
            return (named, [])
        }
        var excluded = Set([c.outcome] + [c.weight, c.segment, c.nps].compactMap { $0 } + c.controls)
        if case let .column(name)? = c.margin { excluded.insert(name) }
        var drivers: [String] = [], candidates: [String] = []
        for column in survey.columns where !excluded.contains(column.name) {
            if column.isUnnamed {
                warnings.append(.init(.columnLeftOut, "column \(column.position) has no header (read as '\(column.name)', often a spreadsheet's row index); it is left out of the default drivers — give it a header to use it"))
                continue
            }
            if column.isNumeric {
                drivers.append(column.name)
                if column.couldBeIdentifier { candidates.append(column.name) }
                continue
            }
            switch column.kind {
            case .mixed:
                if let text = column.firstText {
                    warnings.append(.init(.columnLeftOut, "column '\(column.name)' mixes numbers and text (row \(text.row): '\(text.value)'); it is left out of the default drivers"))
                }
            case .categorical:
                let present = column.levels.values.count
                if !column.levelsCapped && present >= 2 && present <= c.factorLevelLimit && !(present == column.texts && present >= 20) {
                    drivers.append(column.name)
                } else {
                    let reason = present == column.texts && present >= 20 ? "looks like an identifier (every value distinct)"
                        : present < 2 ? "has a single value" : "has \(column.levelsCapped ? "more than \(present - 1)" : "\(present)") text values (more than \(c.factorLevelLimit)): name it with --driver or group its levels"
                    warnings.append(.init(.columnLeftOut, "column '\(column.name)' \(reason); it is left out of the default drivers"))
                }
            default:
                if let bad = column.firstNonFinite {
                    warnings.append(.init(.columnLeftOut, "column '\(column.name)' holds infinite values (row \(bad.row): '\(bad.value)'); it is left out of the default drivers — fix the cell or declare it missing (--na-values)"))
                }
            }
        }
        return (drivers.filter { !candidates.contains($0) }, candidates)
    }

    /// Step 3: references, dropped dummies and the final moments.
    static func code(_ pass: StreamedMoments, survey: CSVColumnSurvey, _ c: AnalysisConfiguration) throws -> (drivers: [Driver], moments: Moments) {
        var keep = [0]   // the outcome
        var drivers: [Driver] = []
        for (j, spec) in pass.specs.enumerated() {
            let name = spec.name
            guard let levels = spec.levels else {
                keep.append(spec.firstTerm)
                let column = survey.column(name)
                let inferred = column?.inferredKind ?? (.numeric, nil)
                var variable = DriverVariable(name: name, kind: inferred.kind, scale: inferred.scale)
                if let declared = c.declaredScale(of: name) {
                    variable = DriverVariable(name: name, kind: .rating, scale: declared.lower...declared.upper, scaleDeclared: true)
                }
                drivers.append(Driver(variable: variable, terms: [name], levels: []))
                continue
            }
            let counts = pass.levelCounts[j]
            let present = levels.indices.filter { counts[$0] > 0 }
            let declared = c.references.last { $0.column == name }?.level
            let reference: Int
            if let declared {
                guard let k = levels.firstIndex(of: declared), counts[k] > 0 else {
                    throw SurveyDataError.unusableFactor(column: name, reason: "its reference level '\(declared)' has no analysed rows")
                }
                reference = k
            } else {
                reference = present.max { counts[$0] < counts[$1] || (counts[$0] == counts[$1] && $0 > $1) } ?? 0
            }
            guard present.count >= 2 else {
                throw SurveyDataError.unusableFactor(column: name, reason: "a single value ('\(levels[reference])') in the analysed rows")
            }
            let others = present.filter { $0 != reference }
            keep += others.map { spec.firstTerm + $0 }
            let variable = DriverVariable(name: name, kind: .factor, levels: levels, declaredReference: declared)
            drivers.append(Driver(variable: variable, terms: others.map { "\(name)[\(levels[$0])]" },
                                  levels: [FactorLevel(level: levels[reference], count: counts[reference], isReference: true)]
                                      + others.map { FactorLevel(level: levels[$0], count: counts[$0], isReference: false) }))
        }
        let all = pass.moments
        var cross = Matrix(uncheckedRows: keep.count, columns: keep.count)
        for (b, kb) in keep.enumerated() { for (a, ka) in keep.enumerated() { cross[a, b] = all.crossProducts[ka, kb] } }
        let names = keep.map { all.names[$0] }
        guard all.count > 0 else { throw ModelError.tooFewObservations(observations: 0, parameters: keep.count) }
        var moments = try Moments(names: names, count: all.count, weightSum: all.weightSum, weightSquaredSum: all.weightSquaredSum,
                                  means: keep.map { all.means[$0] }, crossProducts: cross)
        moments.skippedRows = pass.skippedRows
        return (drivers, moments)
    }
}

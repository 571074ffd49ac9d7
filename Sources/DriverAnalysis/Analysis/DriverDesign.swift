import Foundation

/// One level of a factor in the analysed rows.
public struct FactorLevel: Sendable, Equatable, Codable {
    /// The level's text.
    public let level: String
    /// Analysed rows at this level.
    public let count: Int
    /// Whether this is the reference level (no coefficient; the others are compared with it).
    public let isReference: Bool

    /// A level with its count.
    ///
    /// - Parameters:
    ///   - level: the level's text.
    ///   - count: the analysed rows at this level.
    ///   - isReference: whether this is the reference level (no coefficient).
    public init(level: String, count: Int, isReference: Bool) {
        self.level = level
        self.count = count
        self.isReference = isReference
    }
}

/// The model's terms: each driver becomes one column (ratings, binary and numeric drivers) or,
/// for a factor, one 0/1 dummy column per non-reference level present in the analysed rows
/// (treatment coding, R's `contr.treatment`), named `Factor[Level]`. The reference level is the
/// declared one, else the most frequent (ties: the first in byte order); the dummies follow in
/// byte order of their levels. The sample holds the complete rows (listwise) with the outcome
/// coded (1 = event for a two-valued outcome), the term columns, then the controls.
public struct DriverDesign: Sendable {
    /// The complete rows: outcome, term columns then controls, weight.
    public let sample: AnalysisSample
    /// Per driver, the positions of its terms in `sample.drivers`.
    public let termRanges: [Range<Int>]
    /// Per driver, the factor's levels (reference first, then byte order); empty for non-factors.
    public let levels: [[FactorLevel]]

    /// The term names of driver `j`.
    ///
    /// - Parameter j: the driver's index in the selection, 0-based.
    public func termNames(_ j: Int) -> [String] { termRanges[j].map { sample.driverNames[$0] } }
    /// Whether any driver has more than one term (a factor with three or more levels).
    public var hasMultiTermDrivers: Bool { termRanges.contains { $0.count != 1 } }
    /// The number of terms (controls excluded).
    public var termCount: Int { termRanges.last?.upperBound ?? 0 }

    /// Builds the design of `selection`'s drivers in `data`.
    ///
    /// - Parameters:
    ///   - data: the survey.
    ///   - selection: the outcome, drivers and controls chosen from `data`, with their kinds.
    ///   - c: the analysis options; rows missing its weight or margin column are left out.
    /// - Throws: ``SurveyDataError`` for too few complete rows, a constant term, or a factor left
    ///   with a single level (or without its declared reference) in the analysed rows.
    /// Complexity: O(n × terms).
    public init(data: SurveyData, selection: DriverSelection, configuration c: AnalysisConfiguration) throws {
        let n = data.rowCount
        let outcome = try selection.outcomeCoding.values(in: data)
        // Each driver's raw values: numbers, or level positions for a factor.
        let raw: [[Double]] = try selection.variables.map { variable in
            guard variable.kind == .factor else { return try data.numericValues(variable.name) }
            return try Self.levelPositions(of: variable, in: data)
        }
        let controls = try selection.controls.map { try data.numericValues($0) }
        let weight = try c.weight.map { try data.numericValues($0) }
        var margin: [Double]? = nil
        if case let .column(name)? = c.margin { margin = try data.numericValues(name) }
        var complete = [Bool](repeating: true, count: n)
        for column in [outcome] + raw + controls + (weight.map { [$0] } ?? []) + (margin.map { [$0] } ?? []) {
            for i in 0..<n where column[i].isNaN { complete[i] = false }
        }
        var columns: [SurveyColumn] = [SurveyColumn(name: selection.outcome, position: 1, kind: .numeric, values: outcome, missingCount: 0)]
        var ranges: [Range<Int>] = []
        var allLevels: [[FactorLevel]] = []
        var termNames: [String] = []
        for (variable, values) in zip(selection.variables, raw) {
            let start = termNames.count
            if variable.kind == .factor {
                var counts = [Int](repeating: 0, count: variable.levels.count)
                for i in 0..<n where complete[i] { counts[Int(values[i])] += 1 }
                let present = variable.levels.indices.filter { counts[$0] > 0 }
                let reference: Int
                if let declared = variable.declaredReference {
                    guard let k = variable.levels.firstIndex(of: declared), counts[k] > 0 else {
                        throw SurveyDataError.unusableFactor(column: variable.name, reason: "its reference level '\(declared)' has no analysed rows")
                    }
                    reference = k
                } else {
                    reference = present.max { counts[$0] < counts[$1] || (counts[$0] == counts[$1] && $0 > $1) } ?? 0
                }
                guard present.count >= 2 else {
                    throw SurveyDataError.unusableFactor(column: variable.name, reason: "a single value ('\(variable.levels[reference])') in the analysed rows")
                }
                allLevels.append([FactorLevel(level: variable.levels[reference], count: counts[reference], isReference: true)]
                                 + present.filter { $0 != reference }.map { FactorLevel(level: variable.levels[$0], count: counts[$0], isReference: false) })
                for k in present where k != reference {
                    let name = "\(variable.name)[\(variable.levels[k])]"
                    let code = Double(k)
                    let dummy = values.map { $0.isNaN ? Double.nan : ($0 == code ? 1 : 0) }
                    columns.append(SurveyColumn(name: name, position: columns.count + 1, kind: .numeric, values: dummy, missingCount: 0))
                    termNames.append(name)
                }
            } else {
                allLevels.append([])
                columns.append(SurveyColumn(name: variable.name, position: columns.count + 1, kind: .numeric, values: values, missingCount: 0))
                termNames.append(variable.name)
            }
            ranges.append(start..<termNames.count)
        }
        for (name, values) in zip(selection.controls, controls) {
            columns.append(SurveyColumn(name: name, position: columns.count + 1, kind: .numeric, values: values, missingCount: 0))
        }
        if let weightName = c.weight, let weight {
            columns.append(SurveyColumn(name: weightName, position: columns.count + 1, kind: .numeric, values: weight, missingCount: 0))
        }
        let design = SurveyData(source: data.source, columns: columns, rowNumbers: data.rowNumbers)
        var sample = try design.sample(outcome: selection.outcome, drivers: termNames + selection.controls, weight: c.weight)
        sample.termCoding = Self.coding(variables: selection.variables, levels: allLevels, controls: selection.controls)
        self.sample = sample
        termRanges = ranges
        levels = allLevels
    }

    /// The coding of the sample's term columns: each factor's dummies for its non-reference levels
    /// (in ``levels`` order), every other driver and control a numeric column.
    static func coding(variables: [DriverVariable], levels: [[FactorLevel]], controls: [String]) -> TermCoding {
        var terms: [TermCoding.Term] = [], factors: [TermCoding.Factor] = []
        for (variable, levels) in zip(variables, levels) {
            guard variable.kind == .factor, let reference = levels.first else {
                terms.append(.init(column: variable.name, level: nil))
                continue
            }
            factors.append(.init(column: variable.name, reference: reference.level, levels: levels.map(\.level)))
            terms += levels.dropFirst().map { .init(column: variable.name, level: $0.level) }
        }
        return TermCoding(terms: terms + controls.map { .init(column: $0, level: nil) }, factors: factors)
    }

    /// A factor's values as positions in its `levels` (`NaN` when missing).
    static func levelPositions(of variable: DriverVariable, in data: SurveyData) throws -> [Double] {
        let column = try data.column(variable.name)
        var position: [String: Double] = [:]
        for (k, level) in variable.levels.enumerated() { position[level] = Double(k) }
        switch column.kind {
        case let .categorical(levels):
            let map = levels.map { position[$0] ?? .nan }
            return column.values.map { $0.isNaN || $0 < 0 || $0 >= Double(map.count) ? .nan : map[Int($0)] }
        case let .binary(zero, one):
            let z = position[zero] ?? .nan, o = position[one] ?? .nan
            return column.values.map { $0.isNaN ? .nan : ($0 == 1 ? o : z) }
        default:
            return try data.numericValues(variable.name).map { $0.isNaN ? .nan : position[NumberFormat.significant($0, digits: 15)] ?? .nan }
        }
    }
}

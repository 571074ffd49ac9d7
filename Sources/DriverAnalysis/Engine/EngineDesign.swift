import Foundation

/// The design of a logistic model inside a SQL engine: the outcome coded 0/1, one SQL
/// expression per model term, the weight and the listwise filter — the engine-side counterpart
/// of ``DriverDesign``. A numeric driver is one term; a Yes/No text driver is one 0/1 term; a
/// text driver (or one declared categorical) is a factor in treatment coding: one 0/1 dummy per
/// non-reference level present in the analysed rows, in byte order, the reference being the
/// declared level or else the most frequent (ties: the first in byte order), as in memory.
package struct EngineDesign: Sendable {
    /// The SQL dialect the expressions are written in.
    package let dialect: SQLDialect
    /// The outcome coded 1 for the event, 0 otherwise.
    let outcome: String
    /// The weight expression (`1.0` without weights).
    let weight: String
    /// Whether a weight column is used.
    package let isWeighted: Bool
    /// Whether the weights are sampling weights (design-based sandwich covariance).
    package let samplingWeights: Bool
    /// The drivers, in the configuration's order.
    package let drivers: [String]
    /// Per driver: its kind (numeric, binary or factor).
    package let kinds: [DriverVariable.Kind]
    /// Per driver: the factor's levels (reference first, then byte order); empty otherwise.
    package let levels: [[FactorLevel]]
    /// Per driver: the labels of a Yes/No text driver's 0 and 1, as spelt in the table.
    package let binaryLabels: [(zero: String, one: String)?]
    /// Per driver: the positions of its terms.
    package let termRanges: [Range<Int>]
    /// The term names (`Driver` or `Factor[Level]`).
    package let termNames: [String]
    /// The SQL expression of each term.
    let terms: [String]
    /// The listwise filter (outcome, drivers, weight and margin present; positive weight).
    let filter: [String]

    /// The design's `SELECT` list over `table`: `y`, `w`, `x0…`, plus `extra` columns, and its filter.
    func source(table: String, extra: [String] = []) -> String {
        let columns = ["\(outcome) AS y", "\(weight) AS w"] + terms.enumerated().map { "\($1) AS x\($0)" } + extra
        return "SELECT " + columns.joined(separator: ", ") + "\n  FROM \(table)\n  WHERE " + filter.joined(separator: "\n    AND ")
    }

    /// The same design with only the drivers at `indices` (a submodel; the rows stay the full
    /// model's, as in memory).
    package func selecting(_ indices: [Int]) -> EngineDesign {
        var names: [String] = [], expressions: [String] = [], ranges: [Range<Int>] = []
        for j in indices {
            let start = names.count
            names += termRanges[j].map { termNames[$0] }
            expressions += termRanges[j].map { terms[$0] }
            ranges.append(start..<names.count)
        }
        return EngineDesign(dialect: dialect, outcome: outcome, weight: weight, isWeighted: isWeighted, samplingWeights: samplingWeights,
                            drivers: indices.map { drivers[$0] }, kinds: indices.map { kinds[$0] }, levels: indices.map { levels[$0] },
                            binaryLabels: indices.map { binaryLabels[$0] }, termRanges: ranges, termNames: names, terms: expressions, filter: filter)
    }

    init(dialect: SQLDialect, outcome: String, weight: String, isWeighted: Bool, samplingWeights: Bool, drivers: [String],
         kinds: [DriverVariable.Kind], levels: [[FactorLevel]], binaryLabels: [(zero: String, one: String)?], termRanges: [Range<Int>],
         termNames: [String], terms: [String], filter: [String]) {
        self.dialect = dialect
        self.outcome = outcome
        self.weight = weight
        self.isWeighted = isWeighted
        self.samplingWeights = samplingWeights
        self.drivers = drivers
        self.kinds = kinds
        self.levels = levels
        self.binaryLabels = binaryLabels
        self.termRanges = termRanges
        self.termNames = termNames
        self.terms = terms
        self.filter = filter
    }

    /// Discovers the design of `configuration`'s drivers in `table`: one query finds the
    /// drivers holding text, one `GROUP BY` query finds the levels of the text and declared
    /// categorical drivers in the analysed rows.
    ///
    /// - Throws: ``EngineError`` from the engine; ``SurveyDataError`` for a factor with a single
    ///   level, too many levels, or a declared reference it does not hold.
    /// Complexity: two queries (the second only when a driver is text or categorical).
    package init(engine: SQLEngine, table: String, configuration c: AnalysisConfiguration) throws {
        let d = engine.dialect
        guard let drivers = c.drivers, !drivers.isEmpty else {
            throw AnalysisError.invalidOption(option: "drivers", value: "", reason: "an engine analysis needs the drivers named")
        }
        // 1. Which drivers hold text.
        let isText = try Self.textDrivers(drivers, engine: engine, table: table)
        let categorical = drivers.map { name in c.categorical.contains(name) || c.references.contains { $0.column == name } }
        // The listwise filter: outcome, drivers (as text or numbers), weight, margin.
        let (y, filter) = Self.outcomeAndFilter(c, drivers: drivers, isText: isText, dialect: d)
        // 2. Levels of the text and categorical drivers, in the analysed rows.
        let counts = try Self.levelCounts(drivers, isText: isText, categorical: categorical, filter: filter, engine: engine, table: table)
        // 3. The terms.
        var list = TermList()
        for (j, name) in drivers.enumerated() {
            let found = counts[j].sorted { $0.level < $1.level }
            let reference = c.references.last { $0.column == name }?.level
            try list.add(name, found: found, isText: isText[j], categorical: categorical[j], reference: reference, dialect: d)
        }
        self.init(dialect: d, outcome: y, weight: c.weight.map { d.numeric($0) } ?? "1.0", isWeighted: c.weight != nil,
                  samplingWeights: c.weight != nil && c.weightKind == .sampling, drivers: drivers, kinds: list.kinds, levels: list.levels,
                  binaryLabels: list.labels, termRanges: list.ranges, termNames: list.names, terms: list.terms, filter: filter)
    }
}

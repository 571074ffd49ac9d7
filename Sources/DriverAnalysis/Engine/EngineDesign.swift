import Foundation

/// The design of a logistic model inside a SQL engine: the outcome coded 0/1, one SQL
/// expression per model term, the weight and the listwise filter — the engine-side counterpart
/// of ``DriverDesign``. A numeric driver is one term; a Yes/No text driver is one 0/1 term; a
/// text driver (or one declared categorical) is a factor in treatment coding: one 0/1 dummy per
/// non-reference level present in the analysed rows, in byte order, the reference being the
/// declared level or else the most frequent (ties: the first in byte order), as in memory.
public struct EngineDesign: Sendable {
    /// The SQL dialect the expressions are written in.
    public let dialect: SQLDialect
    /// The outcome coded 1 for the event, 0 otherwise.
    let outcome: String
    /// The weight expression (`1.0` without weights).
    let weight: String
    /// Whether a weight column is used.
    public let isWeighted: Bool
    /// Whether the weights are sampling weights (design-based sandwich covariance).
    public let samplingWeights: Bool
    /// The drivers, in the configuration's order.
    public let drivers: [String]
    /// Per driver: its kind (numeric, binary or factor).
    public let kinds: [DriverVariable.Kind]
    /// Per driver: the factor's levels (reference first, then byte order); empty otherwise.
    public let levels: [[FactorLevel]]
    /// Per driver: the labels of a Yes/No text driver's 0 and 1, as spelt in the table.
    public let binaryLabels: [(zero: String, one: String)?]
    /// Per driver: the positions of its terms.
    public let termRanges: [Range<Int>]
    /// The term names (`Driver` or `Factor[Level]`).
    public let termNames: [String]
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
    public func selecting(_ indices: [Int]) -> EngineDesign {
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
    public init(engine: SQLEngine, table: String, configuration c: AnalysisConfiguration) throws {
        let d = engine.dialect
        guard let drivers = c.drivers, !drivers.isEmpty else {
            throw AnalysisError.invalidOption(option: "drivers", value: "", reason: "an engine analysis needs the drivers named")
        }
        // 1. Which drivers hold text.
        let probe = "SELECT " + drivers.enumerated().map { "SUM(CASE WHEN \(d.isNonNumericText($1)) THEN 1 ELSE 0 END) AS t\($0)" }
            .joined(separator: ", ") + " FROM \(table)"
        let types = try EngineLogistic.row(engine.run(probe), query: probe, engine: engine)
        let isText = drivers.indices.map { (types["t\($0)"] ?? 0) > 0 }
        let categorical = drivers.map { name in c.categorical.contains(name) || c.references.contains { $0.column == name } }
        // The listwise filter: outcome, drivers (as text or numbers), weight, margin.
        let y: String
        var filter: [String]
        if let event = c.event {
            // A BOOLEAN column (DuckDB reads Yes/No files so) shows as true/false: Yes/Y match true, No/N false.
            var match = "\(d.text(c.outcome)) = \(d.string(event))"
            // A numeric outcome's event matches numerically (DuckDB prints 1.0 for a DOUBLE 1).
            if let value = DecimalParser.parse(event.trimmingCharacters(in: .whitespaces)), value.isFinite {
                match += " OR (NOT \(d.isNonNumericText(c.outcome)) AND \(d.tryNumeric(c.outcome)) = \(d.number(value)))"
            }
            if ["yes", "y"].contains(event.lowercased()) { match += " OR lower(\(d.text(c.outcome))) = 'true'" }
            if ["no", "n"].contains(event.lowercased()) { match += " OR lower(\(d.text(c.outcome))) = 'false'" }
            y = "CASE WHEN \(match) THEN 1.0 ELSE 0.0 END"
            filter = ["\(d.quote(c.outcome)) IS NOT NULL AND \(d.text(c.outcome)) <> ''"]
        } else {
            y = d.numeric(c.outcome)
            filter = [d.numeric(c.outcome) + " IS NOT NULL"]
        }
        for (j, name) in drivers.enumerated() {
            filter.append(isText[j] ? "\(d.quote(name)) IS NOT NULL AND \(d.text(name)) <> ''" : d.numeric(name) + " IS NOT NULL")
        }
        if let w = c.weight { filter.append(d.numeric(w) + " IS NOT NULL AND \(d.numeric(w)) > 0") }
        if case let .column(m)? = c.margin, !drivers.contains(m) { filter.append(d.numeric(m) + " IS NOT NULL") }
        // 2. Levels of the text and categorical drivers, in the analysed rows.
        var counts = [[(level: String, count: Int)]](repeating: [], count: drivers.count)
        let leveled = drivers.indices.filter { isText[$0] || categorical[$0] }
        if !leveled.isEmpty {
            let parts = leveled.map { j in
                // Text levels come back hexadecimal: no quote or line break in a level can break the result.
                let value = isText[j] ? d.text(drivers[j]) : d.numeric(drivers[j])
                return "SELECT \(j) AS j, \(isText[j] ? d.hex(value) : value) AS lv, COUNT(*) AS n FROM \(table) WHERE \(filter.joined(separator: " AND ")) GROUP BY \(value)"
            }
            let sql = parts.joined(separator: "\nUNION ALL\n")
            let text = try engine.run(sql)
            let lines = text.split(whereSeparator: \.isNewline).map(String.init).filter { !$0.isEmpty }
            for line in lines.dropFirst() {
                let fields = MomentsSQL.splitCSVLine(line)
                guard fields.count == 3, let j = Int(fields[0].trimmingCharacters(in: .whitespaces)), counts.indices.contains(j),
                      let n = Int(fields[2].trimmingCharacters(in: .whitespaces)), n >= 0 else {
                    throw EngineError.badResult(command: engine.command, reason: "a levels row is not (driver, level, count): '\(line)'", query: sql)
                }
                var level = fields[1]
                if isText[j] {
                    guard let decoded = EngineSource.unhex(level.trimmingCharacters(in: .whitespaces)) else {
                        throw EngineError.badResult(command: engine.command, reason: "level '\(level)' of '\(drivers[j])' is not hexadecimal text", query: sql)
                    }
                    level = decoded
                } else {
                    guard let value = Double(level.trimmingCharacters(in: .whitespaces)) else {
                        throw EngineError.badResult(command: engine.command, reason: "level '\(level)' of '\(drivers[j])' is not a number", query: sql)
                    }
                    level = NumberFormat.significant(value, digits: 15)
                }
                counts[j].append((level, n))
            }
        }
        // 3. The terms.
        var kinds: [DriverVariable.Kind] = [], levels: [[FactorLevel]] = [], ranges: [Range<Int>] = []
        var labels: [(zero: String, one: String)?] = []
        var names: [String] = [], terms: [String] = []
        for (j, name) in drivers.enumerated() {
            let start = names.count
            let found = counts[j].sorted { $0.level < $1.level }
            let lowered = Set(found.map { $0.level.lowercased() })
            let reference = c.references.last { $0.column == name }?.level
            if isText[j] && !categorical[j] && lowered.count <= 2,
               let pair = SurveyColumnBuilder.binaryPairs.first(where: { lowered.isSubset(of: [$0.zero, $0.one]) }) {
                kinds.append(.binary)
                levels.append([])
                labels.append((found.first { $0.level.lowercased() == pair.zero }?.level ?? pair.zero.capitalized,
                               found.first { $0.level.lowercased() == pair.one }?.level ?? pair.one.capitalized))
                names.append(name)
                terms.append("CASE WHEN lower(\(d.text(name))) = \(d.string(pair.one)) THEN 1.0 ELSE 0.0 END")
            } else if isText[j] || categorical[j] {
                guard found.count >= 2 else {
                    throw SurveyDataError.unusableFactor(column: name, reason: "a single value\(found.first.map { " ('\($0.level)')" } ?? "") in the analysed rows")
                }
                guard found.count <= AnalysisConfiguration.factorLevelHardLimit else {
                    throw SurveyDataError.unusableFactor(column: name, reason: "it has \(found.count) values (at most \(AnalysisConfiguration.factorLevelHardLimit) levels): group its levels first")
                }
                let r: Int
                if let reference {
                    guard let k = found.firstIndex(where: { $0.level == reference }) else {
                        throw SurveyDataError.unknownLevel(column: name, level: reference, levels: found.map(\.level))
                    }
                    r = k
                } else {
                    r = found.indices.max { found[$0].count < found[$1].count || (found[$0].count == found[$1].count && $0 > $1) } ?? 0
                }
                kinds.append(.factor)
                labels.append(nil)
                levels.append([FactorLevel(level: found[r].level, count: found[r].count, isReference: true)]
                              + found.indices.filter { $0 != r }.map { FactorLevel(level: found[$0].level, count: found[$0].count, isReference: false) })
                for k in found.indices where k != r {
                    names.append("\(name)[\(found[k].level)]")
                    let test = isText[j] ? "\(d.text(name)) = \(d.string(found[k].level))"
                        : "\(d.numeric(name)) = \(d.number(Double(found[k].level) ?? .nan))"
                    terms.append("CASE WHEN \(test) THEN 1.0 ELSE 0.0 END")
                }
            } else {
                kinds.append(.numeric)
                labels.append(nil)
                levels.append([])
                names.append(name)
                terms.append(d.numeric(name))
            }
            ranges.append(start..<names.count)
        }
        self.init(dialect: d, outcome: y, weight: c.weight.map { d.numeric($0) } ?? "1.0", isWeighted: c.weight != nil,
                  samplingWeights: c.weight != nil && c.weightKind == .sampling, drivers: drivers, kinds: kinds, levels: levels,
                  binaryLabels: labels, termRanges: ranges, termNames: names, terms: terms, filter: filter)
    }
}

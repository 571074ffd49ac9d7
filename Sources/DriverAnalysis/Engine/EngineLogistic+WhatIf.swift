import Foundation

extension EngineLogistic {
    /// The what-if of a churn model fitted in an engine, from one aggregation query: every
    /// customer's churn probability at the estimate and with each driver lifted — a 0/1 driver
    /// switched on, any other raised by `delta` and capped at its largest value in the table — and,
    /// with a margin, their lifetime values `m·r/(1 + d − r)` (`r = 1 − p`). Returns per driver the
    /// change in the mean event probability and the total CLV gained, and the base values. A factor
    /// moves the customers at its most common level that is not the best one step up, to the level
    /// just better by coefficient, as ``ValueStage`` does in memory.
    ///
    /// - Parameters:
    ///   - margin: a constant per customer and period, or a numeric column of the table; `nil`
    ///     for the probability change only.
    ///   - higherIsBetter: whether the event is favourable (a better level raises its probability).
    ///   - moves: declared factor moves (`--what-if-move COL=FROM>TO`), in place of the default.
    /// - Throws: ``EngineError`` from the engine, ``SurveyDataError`` for a declared move naming an
    ///   unknown level.
    /// Complexity: two queries (the drivers' ranges, then the what-if).
    public func whatIf(engine: SQLEngine, table: String, delta: Double, margin: AnalysisConfiguration.MarginSource?, discountRate: Double,
                       higherIsBetter: Bool = false, moves: [AnalysisConfiguration.LevelMove] = []) throws
        -> (changes: [WhatIfChange?], customers: Double, baseline: Double, clvPerCustomer: Double?) {
        let plan = try whatIfPlan(engine: engine, table: table, delta: delta, margin: margin, discountRate: discountRate,
                                  higherIsBetter: higherIsBetter, moves: moves)
        let sql = plan.query(beta: coefficients.map { engine.dialect.number($0.estimate) }, replicates: nil)
        let row = try Self.row(engine.run(sql), query: sql, engine: engine)
        let n = row["n"] ?? 0
        guard n > 0, let base = row["p"], let value = row["v"] else {
            throw EngineError.badResult(command: engine.command, reason: "the what-if query returned no rows", query: sql)
        }
        let changes = design.drivers.indices.map { j -> WhatIfChange? in
            guard plan.levers[j] != nil else { return nil }
            var move = plan.moves[j].map { (design.levels[j][$0.from].level, design.levels[j][$0.to].level, row["k\(j)"] ?? .nan) }
            if let labels = design.binaryLabels[j] { move = (labels.zero, labels.one, row["k\(j)"] ?? .nan) }
            return WhatIfChange(probability: (row["p\(j)"] ?? .nan) / n - base / n, clv: margin == nil ? nil : (row["v\(j)"] ?? .nan) - value,
                                binary: plan.levers[j] == "0 → 1", move: move)
        }
        return (changes, n, base / n, margin == nil ? nil : value / n)
    }
}

/// One driver's what-if from the engine: the change in the mean event probability, the CLV
/// gained (with a margin), whether it switched a 0/1 driver on, and a factor's move.
public struct WhatIfChange: Sendable {
    /// Change in the mean event probability.
    public let probability: Double
    /// Total CLV gained, with a margin.
    public let clv: Double?
    /// Whether the lever switched a 0/1 driver on.
    public let binary: Bool
    /// A factor's move: the level customers leave, the level they reach, and how many move.
    public let move: (from: String, to: String, customers: Double)?
}

extension EngineLogistic {
    /// The levers of the what-if: a factor moves its most common level that is not the best one
    /// step up, to the level just better by coefficient in the outcome's good direction (or the
    /// declared `moves`), as in memory (``ValueStage``).
    ///
    /// - Throws: ``SurveyDataError/unknownLevel(column:level:levels:)`` for a declared move naming a
    ///   level the factor does not have; ``EngineError`` from the ranges query.
    func whatIfPlan(engine: SQLEngine, table: String, delta: Double, margin: AnalysisConfiguration.MarginSource?, discountRate: Double,
                    higherIsBetter: Bool, moves declared: [AnalysisConfiguration.LevelMove]) throws -> WhatIfPlan {
        var moves: [(from: Int, to: Int)?] = []
        for j in design.drivers.indices {
            let levels = design.levels[j], range = design.termRanges[j]
            guard design.kinds[j] == .factor, levels.count >= 2 else { moves.append(nil); continue }
            if let move = declared.last(where: { $0.column == design.drivers[j] }) {
                let names = levels.map(\.level)
                guard let from = names.firstIndex(of: move.from) else {
                    throw SurveyDataError.unknownLevel(column: design.drivers[j], level: move.from, levels: names)
                }
                guard let to = names.firstIndex(of: move.to) else {
                    throw SurveyDataError.unknownLevel(column: design.drivers[j], level: move.to, levels: names)
                }
                moves.append((from, to))
                continue
            }
            let effects = levels.indices.map { k in k == 0 ? 0 : coefficients[range.lowerBound + k].estimate }
            let goodness = { (k: Int) -> Double in higherIsBetter ? effects[k] : -effects[k] }
            let usable = Array(levels.indices)
            guard let best = usable.max(by: { goodness($0) < goodness($1) }),
                  let from = usable.filter({ $0 != best }).max(by: { levels[$0].count < levels[$1].count }),
                  let to = usable.filter({ goodness($0) > goodness(from) }).min(by: { goodness($0) < goodness($1) }) else { moves.append(nil); continue }
            moves.append((from, to))
        }
        return try WhatIfPlan(engine: engine, table: table, design: design, delta: delta, margin: margin, discountRate: discountRate, moves: moves)
    }
}

/// The what-if query of an engine logistic model: the levers (from the drivers' ranges) and the
/// aggregation, at one coefficient vector or per bootstrap replicate.
struct WhatIfPlan {
    let dialect: SQLDialect
    let source: String
    let design: EngineDesign
    let delta: Double
    let discountRate: Double
    let hasMargin: Bool
    /// Per driver: the lever's description, `nil` when there is none.
    let levers: [String?]
    /// Per factor: the levels moved from and to (positions in the design's levels, reference 0).
    let moves: [(from: Int, to: Int)?]
    /// Per driver: its largest value in the rows (caps the lift).
    let highs: [Double]
    let marginDriver: Int?

    /// Reads the drivers' ranges (one query) and fixes the levers.
    init(engine: SQLEngine, table: String, design: EngineDesign, delta: Double, margin: AnalysisConfiguration.MarginSource?,
         discountRate: Double, moves: [(from: Int, to: Int)?]) throws {
        let d = engine.dialect
        var marginExpression = "1.0"
        switch margin {
        case let .value(m)?: marginExpression = d.number(m)
        case let .column(name)?: marginExpression = d.numeric(name)
        case nil: break
        }
        source = design.source(table: table, extra: ["\(marginExpression) AS m"])
        let single = design.drivers.indices.filter { design.kinds[$0] != .factor }
        var ranges: [String: Double] = [:]
        if !single.isEmpty {
            let sql = "WITH src AS (\n  \(source)\n)\nSELECT " + single.map { j in
                "MIN(x\(design.termRanges[j].lowerBound)) AS lo\(j), MAX(x\(design.termRanges[j].lowerBound)) AS hi\(j)"
            }.joined(separator: ", ") + " FROM src"
            ranges = try EngineLogistic.row(engine.run(sql), query: sql, engine: engine)
        }
        var levers: [String?] = [], highs: [Double] = []
        for j in design.drivers.indices {
            let lo = ranges["lo\(j)"] ?? 0, hi = ranges["hi\(j)"] ?? 0
            highs.append(hi)
            if design.kinds[j] == .factor {
                levers.append(moves[j].map { "\(design.levels[j][$0.from].level) → \(design.levels[j][$0.to].level)" })
            } else if lo == 0 && hi == 1 {
                levers.append("0 → 1")
            } else {
                levers.append("+\(NumberFormat.significant(delta)) (at most \(NumberFormat.significant(hi)))")
            }
        }
        var marginDriver: Int? = nil
        if case let .column(name)? = margin { marginDriver = design.drivers.firstIndex(of: name) }
        self.dialect = d
        self.design = design
        self.delta = delta
        self.discountRate = discountRate
        self.hasMargin = margin != nil
        self.levers = levers
        self.moves = moves
        self.highs = highs
        self.marginDriver = marginDriver
    }

    /// The aggregation at coefficients `beta` (intercept then terms, as SQL expressions); with
    /// `replicates`, `beta` names the columns `c<j>` of that inline table and the sums are per
    /// replicate `g`.
    func query(beta: [String], replicates: (columns: [String], rows: [[String]])?) -> String {
        let terms = design.termNames.indices
        let eta = ([beta[0]] + terms.map { "\(beta[$0 + 1]) * x\($0)" }).joined(separator: " + ")
        func probability(_ e: String) -> String { "(CASE WHEN (\(e)) >= 0 THEN 1 / (1 + exp(-(\(e)))) ELSE exp(\(e)) / (1 + exp(\(e))) END)" }
        func clv(_ p: String, margin m: String = "m") -> String { "(\(m) * (1 - \(p)) / (1 + \(dialect.number(discountRate)) - (1 - \(p))))" }
        var select = ["COUNT(*) AS n", "SUM(\(probability("eta"))) AS p", "SUM(\(clv(probability("eta")))) AS v"]
        for j in design.drivers.indices {
            guard let lever = levers[j] else { continue }
            if let move = moves[j] {
                // The customers at `from` move to `to`: η changes by β_to − β_from (β = 0 at the reference).
                let range = design.termRanges[j]
                let at = move.from == 0 ? "(" + range.map { "x\($0) = 0" }.joined(separator: " AND ") + ")" : "x\(range.lowerBound + move.from - 1) = 1"
                let coefficient = { (k: Int) in k == 0 ? "0" : beta[range.lowerBound + k] }
                let moved = "eta + (CASE WHEN \(at) THEN \(coefficient(move.to)) - (\(coefficient(move.from))) ELSE 0 END)"
                select.append("SUM(\(probability(moved))) AS p\(j)")
                select.append("SUM(\(clv(probability(moved)))) AS v\(j)")
                select.append("SUM(CASE WHEN \(at) THEN 1 ELSE 0 END) AS k\(j)")
                continue
            }
            let t = design.termRanges[j].lowerBound, hi = dialect.number(highs[j])
            let lifted = lever == "0 → 1" ? "1.0"
                : "(CASE WHEN x\(t) + \(dialect.number(delta)) > \(hi) THEN (CASE WHEN x\(t) > \(hi) THEN x\(t) ELSE \(hi) END) ELSE x\(t) + \(dialect.number(delta)) END)"
            let moved = "eta + \(beta[t + 1]) * (\(lifted) - x\(t))"
            select.append("SUM(\(probability(moved))) AS p\(j)")
            select.append("SUM(\(clv(probability(moved), margin: j == marginDriver ? "(m + \(lifted) - x\(t))" : "m"))) AS v\(j)")
            if design.binaryLabels[j] != nil { select.append("SUM(CASE WHEN x\(t) = 0 THEN 1 ELSE 0 END) AS k\(j)") }
        }
        guard let replicates else {
            return """
            WITH src AS (
              \(source)
            ),
            lin AS (SELECT *, \(eta) AS eta FROM src)
            SELECT \(select.joined(separator: ",\n  ")) FROM lin
            """
        }
        return """
        WITH src AS (
          \(source)
        ),
        lin AS \(dialect.materialized)(SELECT src.*, cf.*, \(eta) AS eta FROM src CROSS JOIN \(dialect.inlineTable(columns: replicates.columns, rows: replicates.rows, alias: "cf")))
        SELECT b AS g, \(select.joined(separator: ",\n  ")) FROM lin GROUP BY b ORDER BY b
        """
    }
}

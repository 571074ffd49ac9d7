import Foundation

extension EngineLogistic {
    /// The what-if of a churn model fitted in an engine, from one aggregation query: every
    /// customer's churn probability at the estimate and with each driver moved — a 0/1 driver
    /// switched, a rating moved by `delta` points within its scale, any other number by one
    /// standard deviation (a count by a whole number) within its observed range, each in the
    /// direction that helps (declared lower-is-better, else the sign of its significant effect;
    /// the levers of ``ValueStage``) — and, with a margin, their lifetime values `m·r/(1 + d − r)`
    /// (`r = 1 − p`). Returns per driver the change in the mean event probability and the total
    /// CLV gained, and the base values. A factor moves the customers at its most common level that
    /// is not the best one step up, to the level just better by coefficient, as ``ValueStage`` does
    /// in memory.
    ///
    /// - Parameters:
    ///   - engine: the engine holding `table` (the one this model was fitted through).
    ///   - table: the table or view this model was fitted on, quoted for the engine as at the fit.
    ///   - delta: the step of a rating, in points of its scale (`kda`'s `--what-if-delta`, 1 by
    ///     default there); its magnitude sets only the ratings' step, its sign reverses the
    ///     direction of every number's move.
    ///   - margin: a constant per customer and period, or a numeric column of the table; `nil`
    ///     for the probability change only.
    ///   - discountRate: the discount rate `d` per period in `m·r/(1 + d − r)` (0.10 = 10 % per
    ///     period, ``AnalysisConfiguration/discountRate``'s default); unused without a margin.
    ///   - higherIsBetter: whether the event is favourable (a better level raises its probability).
    ///   - moves: declared factor moves (`--what-if-move COL=FROM>TO`), in place of the default.
    ///   - configuration: the analysis whose declarations the levers follow (kinds, rating
    ///     scales, lower-is-better columns), as in memory; `nil` infers every kind from the data.
    /// - Throws: ``EngineError`` from the engine, ``SurveyDataError`` for a declared move naming an
    ///   unknown level.
    /// Complexity: two queries (the drivers' ranges, then the what-if).
    package func whatIf(engine: SQLEngine, table: String, delta: Double, margin: AnalysisConfiguration.MarginSource?, discountRate: Double,
                       higherIsBetter: Bool = false, moves: [AnalysisConfiguration.LevelMove] = [],
                       configuration: AnalysisConfiguration? = nil) throws
        -> (changes: [WhatIfChange?], customers: Double, baseline: Double, clvPerCustomer: Double?) {
        let plan = try whatIfPlan(engine: engine, table: table, delta: delta, margin: margin, discountRate: discountRate,
                                  higherIsBetter: higherIsBetter, moves: moves, configuration: configuration)
        let sql = plan.query(beta: coefficients.map { engine.dialect.number($0.estimate) }, replicates: nil)
        let row = try Self.row(engine.run(sql), query: sql, engine: engine)
        let n = row["n"] ?? 0
        guard n > 0, let base = row["p"], let value = row["v"] else {
            throw EngineError.badResult(command: engine.command, reason: "the what-if query returned no rows", query: sql)
        }
        let changes = design.drivers.indices.map { j -> WhatIfChange? in
            guard plan.levers[j] != nil else { return nil }
            var move = plan.moves[j].map { (design.levels[j][$0.from].level, design.levels[j][$0.to].level, row["k\(j)"] ?? .nan) }
            if let labels = design.binaryLabels[j] {
                move = plan.down[j] ? (labels.one, labels.zero, row["k\(j)"] ?? .nan) : (labels.zero, labels.one, row["k\(j)"] ?? .nan)
            }
            return WhatIfChange(probability: (row["p\(j)"] ?? .nan) / n - base / n, clv: margin == nil ? nil : (row["v\(j)"] ?? .nan) - value,
                                binary: plan.kinds[j] == .binary, move: move, step: plan.steps[j].map { plan.down[j] ? -$0 : $0 },
                                customers: row["k\(j)"])
        }
        return (changes, n, base / n, margin == nil ? nil : value / n)
    }
}

/// One driver's what-if from the engine: the change in the mean event probability, the CLV
/// gained (with a margin), whether it switched a 0/1 driver on, and a factor's move.
package struct WhatIfChange: Sendable {
    /// Change in the mean event probability.
    package let probability: Double
    /// Total CLV gained, with a margin.
    package let clv: Double?
    /// Whether the lever switched a 0/1 driver on.
    package let binary: Bool
    /// A factor's move: the level customers leave, the level they reach, and how many move.
    package let move: (from: String, to: String, customers: Double)?
    /// The signed step of a number's lever (− when it lowers the driver), `nil` otherwise.
    package var step: Double? = nil
    /// Customers the lever changes.
    package var customers: Double? = nil
}

extension EngineLogistic {
    /// The levers of the what-if: a factor moves its most common level that is not the best one
    /// step up, to the level just better by coefficient in the outcome's good direction (or the
    /// declared `moves`), as in memory (``ValueStage``).
    ///
    /// - Throws: ``SurveyDataError/unknownLevel(column:level:levels:)`` for a declared move naming a
    ///   level the factor does not have; ``EngineError`` from the ranges query.
    func whatIfPlan(engine: SQLEngine, table: String, delta: Double, margin: AnalysisConfiguration.MarginSource?, discountRate: Double,
                    higherIsBetter: Bool, moves declared: [AnalysisConfiguration.LevelMove],
                    configuration: AnalysisConfiguration? = nil) throws -> WhatIfPlan {
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
        // Raising a number (or switching a 0/1 driver on) hurts when its significant effect says so.
        let hurts = design.drivers.indices.map { j -> Bool in
            guard design.kinds[j] != .factor, let t = design.termRanges[j].first, t + 1 < coefficients.count else { return false }
            return ValueStage.raisingHurts(coefficients[t + 1], higherIsBetter: higherIsBetter)
        }
        return try WhatIfPlan(engine: engine, table: table, design: design, delta: delta, margin: margin, discountRate: discountRate, moves: moves,
                              rules: .init(configuration: configuration, hurts: hurts))
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
    /// Per driver: its smallest value in the rows (floors a lowering).
    let lows: [Double]
    /// Per driver: the kind the lever reads (rating, count, amount, numeric, binary, factor).
    let kinds: [DriverVariable.Kind]
    /// Per number: its step (Δ points for a rating, one standard deviation otherwise), `nil` for
    /// switches and factors.
    let steps: [Double?]
    /// Per driver: whether the lever lowers it (or switches it off).
    let down: [Bool]
    let marginDriver: Int?

    /// Reads the drivers' ranges (one query) and fixes the levers.
    init(engine: SQLEngine, table: String, design: EngineDesign, delta: Double, margin: AnalysisConfiguration.MarginSource?,
         discountRate: Double, moves: [(from: Int, to: Int)?], rules: WhatIfRules = .init(configuration: nil, hurts: [])) throws {
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
            let sql = "WITH src AS (\n  \(source)\n)\nSELECT COUNT(*) AS n, " + single.map { j in
                let x = "x\(design.termRanges[j].lowerBound)"
                return "MIN(\(x)) AS lo\(j), MAX(\(x)) AS hi\(j), SUM(\(x)) AS s\(j), SUM(\(x) * \(x)) AS ss\(j), "
                    + "SUM(CASE WHEN \(x) = ROUND(\(x)) THEN 0 ELSE 1 END) AS nw\(j), COUNT(DISTINCT \(x)) AS nd\(j)"
            }.joined(separator: ", ") + " FROM src"
            ranges = try EngineLogistic.row(engine.run(sql), query: sql, engine: engine)
        }
        var levers: [String?] = [], highs: [Double] = [], lows: [Double] = [], kinds: [DriverVariable.Kind] = []
        var steps: [Double?] = [], down: [Bool] = []
        for j in design.drivers.indices {
            let lever = rules.lever(j, design: design, ranges: ranges, delta: delta)
            highs.append(lever.bounds.upperBound)
            lows.append(lever.bounds.lowerBound)
            kinds.append(lever.kind)
            steps.append(lever.step)
            down.append(lever.down)
            if design.kinds[j] == .factor {
                levers.append(moves[j].map { "\(design.levels[j][$0.from].level) → \(design.levels[j][$0.to].level)" })
            } else if lever.kind == .binary {
                levers.append(lever.down ? "1 → 0" : "0 → 1")
            } else {
                levers.append(lever.step.map { (lever.down ? "−" : "+") + NumberFormat.significant($0) })
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
        self.lows = lows
        self.kinds = kinds
        self.steps = steps
        self.down = down
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
            guard levers[j] != nil else { continue }
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
            let t = design.termRanges[j].lowerBound, hi = dialect.number(highs[j]), lo = dialect.number(lows[j])
            let x = "x\(t)", step = dialect.number(steps[j] ?? 0)
            // As in memory (WhatIfLever): a switch, or a step within the observed range (the scale for a rating).
            let lifted: String, changed: String
            if kinds[j] == .binary {
                lifted = down[j] ? "0.0" : "1.0"
                changed = down[j] ? "\(x) <> 0" : "\(x) <> 1"
            } else if down[j] {
                lifted = "(CASE WHEN \(x) - \(step) < \(lo) THEN (CASE WHEN \(x) < \(lo) THEN \(x) ELSE \(lo) END) ELSE \(x) - \(step) END)"
                changed = "\(x) > \(lo)"
            } else {
                lifted = "(CASE WHEN \(x) + \(step) > \(hi) THEN (CASE WHEN \(x) > \(hi) THEN \(x) ELSE \(hi) END) ELSE \(x) + \(step) END)"
                changed = "\(x) < \(hi)"
            }
            let moved = "eta + \(beta[t + 1]) * (\(lifted) - \(x))"
            select.append("SUM(\(probability(moved))) AS p\(j)")
            select.append("SUM(\(clv(probability(moved), margin: j == marginDriver ? "(m + \(lifted) - \(x))" : "m"))) AS v\(j)")
            select.append("SUM(CASE WHEN \(changed) THEN 1 ELSE 0 END) AS k\(j)")
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

import Foundation

extension EngineLogistic {
    /// The what-if of a churn model fitted in an engine, from one aggregation query: every
    /// customer's churn probability at the estimate and with each driver lifted — a 0/1 driver
    /// switched on, any other raised by `delta` and capped at its largest value in the table — and,
    /// with a margin, their lifetime values `m·r/(1 + d − r)` (`r = 1 − p`). Returns per driver the
    /// change in the mean event probability and the total CLV gained (`nil` for a factor, whose
    /// move between levels is not computed in the engine), and the base values.
    ///
    /// - Parameters:
    ///   - margin: a constant per customer and period, or a numeric column of the table; `nil`
    ///     for the probability change only.
    /// - Throws: ``EngineError`` from the engine, ``SurveyDataError`` for a malformed result.
    /// Complexity: two queries (the drivers' ranges, then the what-if).
    public func whatIf(engine: SQLEngine, table: String, delta: Double, margin: AnalysisConfiguration.MarginSource?, discountRate: Double) throws
        -> (changes: [(probability: Double, clv: Double?, binary: Bool)?], customers: Double, baseline: Double, clvPerCustomer: Double?) {
        let plan = try WhatIfPlan(engine: engine, table: table, design: design, delta: delta, margin: margin, discountRate: discountRate)
        let sql = plan.query(beta: coefficients.map { engine.dialect.number($0.estimate) }, replicates: nil)
        let row = try Self.row(engine.run(sql), query: sql, engine: engine)
        let n = row["n"] ?? 0
        guard n > 0, let base = row["p"], let value = row["v"] else {
            throw EngineError.badResult(command: engine.command, reason: "the what-if query returned no rows", query: sql)
        }
        let changes = design.drivers.indices.map { j -> (probability: Double, clv: Double?, binary: Bool)? in
            guard plan.levers[j] != nil else { return nil }
            return ((row["p\(j)"] ?? .nan) / n - base / n, margin == nil ? nil : (row["v\(j)"] ?? .nan) - value, plan.levers[j] == "0 → 1")
        }
        return (changes, n, base / n, margin == nil ? nil : value / n)
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
    /// Per driver: the lever's description, `nil` for a factor.
    let levers: [String?]
    /// Per driver: its largest value in the rows (caps the lift).
    let highs: [Double]
    let marginDriver: Int?

    /// Reads the drivers' ranges (one query) and fixes the levers.
    init(engine: SQLEngine, table: String, design: EngineDesign, delta: Double, margin: AnalysisConfiguration.MarginSource?,
         discountRate: Double) throws {
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
                levers.append(nil)
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
            let t = design.termRanges[j].lowerBound, hi = dialect.number(highs[j])
            let lifted = lever == "0 → 1" ? "1.0"
                : "(CASE WHEN x\(t) + \(dialect.number(delta)) > \(hi) THEN (CASE WHEN x\(t) > \(hi) THEN x\(t) ELSE \(hi) END) ELSE x\(t) + \(dialect.number(delta)) END)"
            let moved = "eta + \(beta[t + 1]) * (\(lifted) - x\(t))"
            select.append("SUM(\(probability(moved))) AS p\(j)")
            select.append("SUM(\(clv(probability(moved), margin: j == marginDriver ? "(m + \(lifted) - x\(t))" : "m"))) AS v\(j)")
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

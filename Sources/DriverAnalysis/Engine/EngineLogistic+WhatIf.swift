import Foundation

extension EngineLogistic {
    /// The what-if of a churn model fitted in an engine, from one aggregation query: every
    /// customer's churn probability at the estimate and with each driver lifted — a 0/1 driver
    /// switched on, any other raised by `delta` and capped at its largest value in the table — and,
    /// with a margin, their lifetime values `m·r/(1 + d − r)` (`r = 1 − p`). Returns per driver the
    /// change in the mean event probability and the total CLV gained, and the base values.
    ///
    /// - Parameters:
    ///   - margin: a constant per customer and period, or a numeric column of the table; `nil`
    ///     for the probability change only.
    /// - Throws: ``EngineError`` from the engine, ``SurveyDataError`` for a malformed result.
    /// Complexity: two queries (the drivers' ranges, then the what-if).
    public func whatIf(engine: SQLEngine, table: String, outcome: String, drivers: [String], delta: Double,
                       margin: AnalysisConfiguration.MarginSource?, discountRate: Double) throws
        -> (changes: [(probability: Double, clv: Double?, binary: Bool)], customers: Double, baseline: Double, clvPerCustomer: Double?) {
        let d = engine.dialect
        let present = ([d.numeric(outcome)] + drivers.map { d.numeric($0) })
        var filter = [(engine.dialect == .sqlite ? "\(d.quote(outcome)) IS NOT NULL AND \(d.quote(outcome)) <> ''" : "\(d.quote(outcome)) IS NOT NULL")]
        filter += present.dropFirst().map { $0 + " IS NOT NULL" }
        var marginExpression = "1.0"
        switch margin {
        case let .value(m)?: marginExpression = String(format: "%.17g", m)
        case let .column(name)?:
            marginExpression = d.numeric(name)
            filter.append(d.numeric(name) + " IS NOT NULL")
        case nil: break
        }
        let ranges = try Self.row(engine.run("SELECT " + drivers.enumerated().map { j, name in
            "MIN(\(d.numeric(name))) AS lo\(j), MAX(\(d.numeric(name))) AS hi\(j)"
        }.joined(separator: ", ") + " FROM \(table) WHERE " + filter.joined(separator: " AND ")))
        func literal(_ x: Double) -> String { String(format: "%.17g", x) }
        let beta = coefficients.map(\.estimate)
        let eta = ([literal(beta[0])] + drivers.indices.map { "\(literal(beta[$0 + 1])) * x\($0)" }).joined(separator: " + ")
        func probability(_ e: String) -> String { "(CASE WHEN (\(e)) >= 0 THEN 1 / (1 + exp(-(\(e)))) ELSE exp(\(e)) / (1 + exp(\(e))) END)" }
        func clv(_ p: String, margin m: String = "m") -> String { "(\(m) * (1 - \(p)) / (1 + \(literal(discountRate)) - (1 - \(p))))" }
        // A margin that is itself a driver (a price) moves with that driver's what-if.
        var marginDriver: Int? = nil
        if case let .column(name)? = margin { marginDriver = drivers.firstIndex(of: name) }
        var levers: [String] = []
        var select = ["COUNT(*) AS n", "SUM(\(probability("eta"))) AS p", "SUM(\(clv(probability("eta")))) AS v"]
        for j in drivers.indices {
            let lo = ranges["lo\(j)"] ?? 0, hi = ranges["hi\(j)"] ?? 0
            let lifted: String
            if lo == 0 && hi == 1 {
                lifted = "1.0"
                levers.append("0 → 1")
            } else {
                lifted = "(CASE WHEN x\(j) + \(literal(delta)) > \(literal(hi)) THEN (CASE WHEN x\(j) > \(literal(hi)) THEN x\(j) ELSE \(literal(hi)) END) ELSE x\(j) + \(literal(delta)) END)"
                levers.append("+\(NumberFormat.significant(delta)) (at most \(NumberFormat.significant(hi)))")
            }
            let moved = "eta + \(literal(beta[j + 1])) * (\(lifted) - x\(j))"
            select.append("SUM(\(probability(moved))) AS p\(j)")
            select.append("SUM(\(clv(probability(moved), margin: j == marginDriver ? "(m + \(lifted) - x\(j))" : "m"))) AS v\(j)")
        }
        let sql = """
        WITH src AS (
          SELECT \(marginExpression) AS m\(drivers.enumerated().map { ", \(d.numeric($1)) AS x\($0)" }.joined())
          FROM \(table)
          WHERE \(filter.joined(separator: "\n    AND "))
        ),
        lin AS (SELECT *, \(eta) AS eta FROM src)
        SELECT \(select.joined(separator: ",\n  ")) FROM lin
        """
        let row = try Self.row(engine.run(sql))
        let n = row["n"] ?? 0
        guard n > 0, let base = row["p"], let value = row["v"] else { throw SurveyDataError.invalidMoments(reason: "the what-if query returned no rows") }
        let changes = drivers.indices.map { j -> (probability: Double, clv: Double?, binary: Bool) in
            ((row["p\(j)"] ?? .nan) / n - base / n, margin == nil ? nil : (row["v\(j)"] ?? .nan) - value, levers[j] == "0 → 1")
        }
        return (changes, n, base / n, margin == nil ? nil : value / n)
    }
}

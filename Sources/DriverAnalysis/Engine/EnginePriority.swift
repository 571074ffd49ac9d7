import Foundation

/// The priority matrix of a linear engine analysis, as the file path builds it: each driver's
/// kind inferred from the engine's profile of the column (whole numbers inside a common scale
/// with three or more values are a rating; declarations and count names as in
/// ``DriverSelection``), each rating's performance the unweighted mean of every answer, placed
/// by its percent of scale against the importance shares.
struct EnginePriority {
    let source: EngineSource
    let engine: SQLEngine

    /// Places the rating drivers of `report`; `answers` gives each driver's answered count and
    /// sum (a segment's), by default the whole table's from the profile. The kinds are always
    /// the whole table's, as in the file path.
    ///
    /// Numeric drivers also get the file path's kind and scale, and the action order is made
    /// again as the file path makes it (ratings by priority, then the others by importance).
    func apply(to report: inout DriverReport, _ c: AnalysisConfiguration, answers: [String: (count: Int, sum: Double)]? = nil,
               conservative: Bool = false) throws {
        let placements = try place(&report, c, answers: answers)
        let action = ActionOrder(rows: report.drivers, placements: placements, conservative: conservative)
        report.actionOrder = action.order.map { report.drivers[$0].name }
        report.orderBasis = action.basis
    }

    private func place(_ report: inout DriverReport, _ c: AnalysisConfiguration, answers: [String: (count: Int, sum: Double)]?) throws
        -> [PriorityMatrix.Driver?] {
        for j in report.drivers.indices {
            report.drivers[j].performance = nil
            report.drivers[j].performancePercent = nil
            report.drivers[j].quadrant = nil
        }
        let names = report.drivers.map(\.name)
        let inner = try middleValues(names)
        var rated: [(index: Int, mean: Double, percent: Double)] = []
        for (j, name) in names.enumerated() {
            let p = source.profiles[name] ?? .init()
            guard let low = p.minimum, let high = p.maximum, let total = p.sum, p.present > 0 else { continue }
            let (count, sum) = answers.map { $0[name] ?? (0, 0) } ?? (p.present, total)
            guard count > 0 else { continue }
            let variable: DriverVariable
            if let declared = c.declaredScale(of: name) {
                guard declared.lower <= low, high <= declared.upper else {
                    throw EngineError.data(table: source.table, column: name,
                        reason: "values from \(NumberFormat.significant(low)) to \(NumberFormat.significant(high)) lie outside the declared scale \(NumberFormat.significant(declared.lower))..\(NumberFormat.significant(declared.upper))")
                }
                variable = DriverVariable(name: name, kind: .rating, scale: declared.lower...declared.upper, scaleDeclared: true)
            } else {
                let values = p.fractional > 0 ? [low, low + 0.5] : [low, high] + (inner[name].map { [$0] } ?? [])
                variable = try DriverSelection.numericVariable(name, inferred: DriverVariable.inferKind(values: values), configuration: c)
            }
            if report.drivers[j].kind == nil || report.drivers[j].kind == .numeric {
                report.drivers[j].kind = variable.kind
                report.drivers[j].scale = variable.scale.map { ClosedInterval(lower: $0.lowerBound, upper: $0.upperBound) }
            }
            guard variable.kind == .rating, let scale = variable.scale, report.drivers[j].kind == .rating else { continue }
            let mean = sum / Double(count)
            rated.append((j, mean, 100 * (mean - scale.lowerBound) / (scale.upperBound - scale.lowerBound)))
        }
        var placements = [PriorityMatrix.Driver?](repeating: nil, count: names.count)
        let shares = report.drivers.map { $0.importance.shapleyShare ?? $0.importance.relativeWeightShare }
        guard !rated.isEmpty, rated.allSatisfy({ shares[$0.index] != nil }) else { return placements }
        let matrix = try PriorityMatrix(names: rated.map { names[$0.index] }, importance: rated.map { shares[$0.index] ?? 0 },
                                        performance: rated.map(\.percent), scale: 0...100)
        for (k, entry) in rated.enumerated() {
            report.drivers[entry.index].performance = entry.mean
            report.drivers[entry.index].performancePercent = matrix.drivers[k].performance
            // A rating whose rise worsens the outcome is never a lever to fix first.
            report.drivers[entry.index].quadrant = report.drivers[entry.index].improves == false ? nil : matrix.drivers[k].quadrant
            placements[entry.index] = matrix.drivers[k]
        }
        return placements
    }

    /// Per level of `segment`, each driver's answered count and sum (unweighted, every answer in
    /// the segment), from one `GROUP BY` query; the levels come back hexadecimal.
    func segmentAnswers(_ names: [String], segment: String) throws -> [String: [String: (count: Int, sum: Double)]] {
        let d = engine.dialect
        let select = [d.hex(d.text(segment)) + " AS lv"] + names.enumerated().flatMap { k, name -> [String] in
            let text = d.isNonNumericText(name)
            return ["COUNT(\(d.quote(name))) AS p\(k)", "SUM(CASE WHEN NOT \(text) THEN \(d.tryNumeric(name)) END) AS s\(k)"]
        }
        let sql = "SELECT " + select.joined(separator: ", ") + " FROM \(source.relation) WHERE \(d.quote(segment)) IS NOT NULL GROUP BY \(d.text(segment))"
        var out: [String: [String: (count: Int, sum: Double)]] = [:]
        for fields in try EngineSource.textRows(engine.run(sql), query: sql, engine: engine) {
            guard let level = fields["lv"].flatMap(EngineSource.unhex) else {
                throw EngineError.badResult(command: engine.command, reason: "a segment row has no hexadecimal level: \(fields)", query: sql)
            }
            var answers: [String: (count: Int, sum: Double)] = [:]
            for (k, name) in names.enumerated() {
                guard let count = fields["p\(k)"].flatMap(Double.init), count >= 0, count < 1e15 else {
                    throw EngineError.badResult(command: engine.command, reason: "a segment row's count is not a number: \(fields)", query: sql)
                }
                answers[name] = (Int(count), fields["s\(k)"].flatMap(Double.init) ?? 0)
            }
            out[level] = answers
        }
        return out
    }

    /// Per whole-number column with distinct smallest and largest values, one value strictly
    /// between them if any (a rating needs three distinct values), in one query.
    private func middleValues(_ names: [String]) throws -> [String: Double] {
        let d = engine.dialect
        let candidates = names.filter { name in
            guard let p = source.profiles[name], p.fractional == 0, let low = p.minimum, let high = p.maximum else { return false }
            return low < high && low.isFinite && high.isFinite
        }
        guard !candidates.isEmpty else { return [:] }
        let select = candidates.enumerated().map { k, name -> String in
            let p = source.profiles[name]!, v = d.tryNumeric(name)
            return "MIN(CASE WHEN \(v) > \(d.number(p.minimum!)) AND \(v) < \(d.number(p.maximum!)) THEN \(v) END) AS m\(k)"
        }
        let sql = "SELECT " + select.joined(separator: ", ") + " FROM " + source.relation
        let row = try EngineSource.textRow(engine.run(sql), query: sql, engine: engine)
        var out: [String: Double] = [:]
        for (k, name) in candidates.enumerated() {
            if let text = row["m\(k)"], let value = Double(text) { out[name] = value }
        }
        return out
    }
}

import Foundation

/// The priority matrix of a linear engine analysis, as the file path builds it: each driver's
/// kind inferred from the engine's profile of the column (whole numbers inside a common scale
/// with three or more values are a rating; declarations and count names as in
/// ``DriverSelection``), each rating's performance the unweighted mean of every answer, placed
/// by its percent of scale against the importance shares.
struct EnginePriority {
    let source: EngineSource
    let engine: SQLEngine

    func apply(to report: inout DriverReport, _ c: AnalysisConfiguration) throws {
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
            guard let low = p.minimum, let high = p.maximum, let sum = p.sum, p.present > 0 else { continue }
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
            guard variable.kind == .rating, let scale = variable.scale else { continue }
            let mean = sum / Double(p.present)
            rated.append((j, mean, 100 * (mean - scale.lowerBound) / (scale.upperBound - scale.lowerBound)))
        }
        let shares = report.drivers.map { $0.importance.shapleyShare ?? $0.importance.relativeWeightShare }
        guard !rated.isEmpty, rated.allSatisfy({ shares[$0.index] != nil }) else { return }
        let matrix = try PriorityMatrix(names: rated.map { names[$0.index] }, importance: rated.map { shares[$0.index] ?? 0 },
                                        performance: rated.map(\.percent), scale: 0...100)
        for (k, entry) in rated.enumerated() {
            report.drivers[entry.index].performance = entry.mean
            report.drivers[entry.index].performancePercent = matrix.drivers[k].performance
            report.drivers[entry.index].quadrant = matrix.drivers[k].quadrant
        }
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

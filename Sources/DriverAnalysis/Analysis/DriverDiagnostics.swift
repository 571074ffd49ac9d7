import Foundation

/// Per-driver diagnostics that need the model, the correlations and the importance together:
/// suppressors (a coefficient whose sign is opposite to the driver's own correlation, or a
/// negative Pratt share — Conger 1974; Thomas, Hughes & Zumbo 1998) and ratings that barely vary.
public struct DriverDiagnostics: Sendable {
    /// Per driver: whether it acts as a suppressor (`nil` when the coefficient or correlation is unknown).
    public let suppressor: [Bool?]
    /// Notes raised.
    public let warnings: [DriverReport.Warning]

    /// Diagnoses the drivers of `rows` (coefficients, correlations and Pratt shares filled in).
    ///
    /// - Parameters:
    ///   - rows: the drivers' report rows, in selection order.
    ///   - fit: the fitted model stage the rows were computed from.
    ///   - c: the analysis options.
    public init(rows: [DriverReport.DriverRow], fit: ModelStage, configuration c: AnalysisConfiguration) {
        var warnings: [DriverReport.Warning] = []
        let suppressor: [Bool?] = rows.map { row in
            guard let b = row.coefficient?.estimate, let r = row.pearson, b.isFinite else { return nil }
            return (b * r < 0) || (row.importance.pratt.map { $0 < 0 } ?? false)
        }
        let names = rows.indices.filter { suppressor[$0] == true }.map { rows[$0].name }
        if !names.isEmpty {
            warnings.append(.init(.suppressor, "\(names.joined(separator: ", ")): the coefficient's sign is opposite to the driver's own correlation with the outcome (or its Pratt share is negative) — the driver matters only through what it shares with the others, so do not read its coefficient as the effect of improving it"))
        }
        for row in rows where row.kind == .rating {
            guard let scale = row.scale, let sd = row.standardDeviation else { continue }
            let range = scale.upper - scale.lower
            if sd < 0.05 * range {
                warnings.append(.init(.lowVarianceRating, "'\(row.name)' barely varies (standard deviation \(String(format: "%.3g", sd)) on its \(NumberFormat.significant(scale.lower))–\(NumberFormat.significant(scale.upper)) scale): its importance cannot be estimated well"))
            }
        }
        self.suppressor = suppressor
        self.warnings = warnings
    }
}

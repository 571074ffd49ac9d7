import Foundation
import LinearAlgebra

/// The sums of one Newton step of the engine's IRLS over a `fit` relation with columns `y`, `w`,
/// the standardized terms `z<j>`, `eta` and `pr`: the weighted log-likelihood, the score
/// `Σ w (y − p) z` and the information `Σ w p(1 − p) z zᵀ` (and, for sampling weights, the
/// sandwich's meat `Σ w²(y − p)² z zᵀ`) — for one coefficient vector, or per replicate.
struct StepSums {
    let dialect: SQLDialect
    let means: [Double]
    let scales: [Double]
    let sandwich: Bool

    /// One step's sums, with the replicate they belong to (bootstrap) if any.
    struct Result {
        var group: Int?
        var information: Matrix
        var gradient: [Double]
        var logLikelihood: Double
        var meat: Matrix?
    }

    var termCount: Int { means.count }

    /// The standardized terms `((x_j − m_j) / s_j) AS z_j` over a relation with columns `x<j>`.
    var standardizedColumns: String {
        (0..<termCount).map { ", ((x\($0) - \(dialect.number(means[$0]))) / \(dialect.number(scales[$0]))) AS z\($0)" }.joined()
    }

    /// `η = b₀ + Σ b_j z_j` from coefficient expressions (literals, or a replicate's columns).
    func eta(_ b: [String]) -> String {
        ([b[0]] + (0..<termCount).map { "\(b[$0 + 1]) * z\($0)" }).joined(separator: " + ")
    }

    /// The overflow-safe fitted probability column.
    static let probability = "CASE WHEN eta >= 0 THEN 1 / (1 + exp(-eta)) ELSE exp(eta) / (1 + exp(eta)) END AS pr"

    /// The aggregates over `fit`.
    var aggregates: [String] {
        let k = termCount + 1
        var select = ["SUM(w * (y * eta - (CASE WHEN eta > 0 THEN eta + ln(1 + exp(-eta)) ELSE ln(1 + exp(eta)) END))) AS ll"]
        let column = ["1.0"] + (0..<termCount).map { "z\($0)" }
        for a in 0..<k { select.append("SUM(w * (y - pr) * \(column[a])) AS g\(a)") }
        for a in 0..<k { for b in a..<k { select.append("SUM(w * pr * (1 - pr) * \(column[a]) * \(column[b])) AS h\(a)_\(b)") } }
        if sandwich {
            for a in 0..<k { for b in a..<k { select.append("SUM(w * w * (y - pr) * (y - pr) * \(column[a]) * \(column[b])) AS s\(a)_\(b)") } }
        }
        return select
    }

    /// The step query at `beta` (standardized terms) over the design's `source`.
    func pointQuery(source: String, beta: [Double]) -> String {
        """
        WITH src AS (
          \(source)
        ),
        std AS \(dialect.materialized)(
          SELECT y, w\(standardizedColumns) FROM src
        ),
        lin AS \(dialect.materialized)(
          SELECT *, \(eta(beta.map { dialect.number($0) })) AS eta FROM std
        ),
        fit AS \(dialect.materialized)(
          SELECT *, \(Self.probability) FROM lin
        )
        SELECT \(aggregates.joined(separator: ",\n  ")) FROM fit
        """
    }

    /// One step for several replicates at once: each row of `design` is weighted, in replicate
    /// `b`, by its Poisson(1) draw hashed from the row key, `b` and `seed` (as in
    /// ``MomentsSQL/poissonBootstrapQuery(table:variables:weight:replicates:seed:dialect:rowKey:)``),
    /// and evaluated at that replicate's coefficients; one `GROUP BY` returns every replicate's sums.
    func replicateQuery(table: String, design: EngineDesign, rowKey: String?, seed: UInt64, candidates: [(replicate: Int, beta: [Double])]) -> String {
        let k = termCount + 1
        let names = ["b"] + (0..<k).map { "c\($0)" }
        let rows = candidates.map { ["\($0.replicate)"] + $0.beta.map { dialect.number($0) } }
        let xs = (0..<termCount).map { ", base.x\($0) AS x\($0)" }.joined()
        return """
        -- DriverAnalysis logistic Poisson bootstrap: one Newton step for \(candidates.count) replicates; dialect: \(dialect.rawValue)
        WITH base AS (
          \(design.source(table: table, extra: ["\(dialect.rowKey(rowKey)) AS k"]))\(rowKey.map { "\n    AND \(dialect.quote($0)) IS NOT NULL" } ?? "")
        ),
        draws AS \(dialect.materialized)(
          SELECT cf.b AS g, base.y, base.w\(xs), \((0..<k).map { "cf.c\($0)" }.joined(separator: ", ")),
                 \(dialect.uniformDraw(key: "base.k", replicate: "cf.b", seed: seed)) AS u
          FROM base CROSS JOIN \(dialect.inlineTable(columns: names, rows: rows, alias: "cf"))
        ),
        std AS \(dialect.materialized)(
          SELECT g, y, w * \(SQLDialect.poissonDraw("u")) AS w\(standardizedColumns), \((0..<k).map { "c\($0)" }.joined(separator: ", ")) FROM draws
        ),
        lin AS \(dialect.materialized)(
          SELECT g, y, w\((0..<termCount).map { ", z\($0)" }.joined()), \(eta((0..<k).map { "c\($0)" })) AS eta FROM std WHERE w > 0
        ),
        fit AS \(dialect.materialized)(
          SELECT *, \(Self.probability) FROM lin
        )
        SELECT g, \(aggregates.joined(separator: ",\n  "))
        FROM fit
        GROUP BY g
        ORDER BY g
        """
    }

    /// Reads the sums (one row, or one per replicate with column `g`).
    ///
    /// - Throws: ``EngineError/badResult(command:reason:query:)`` for a malformed result.
    func read(_ text: String, query: String, engine: SQLEngine) throws -> [Result] {
        let rows: [[String: Double]]
        do { rows = try EngineLogistic.rows(text) } catch let error as SurveyDataError {
            throw EngineError.badResult(command: engine.command, reason: error.description, query: query)
        }
        let k = termCount + 1
        return try rows.map { row in
            func matrix(_ prefix: String) throws -> Matrix {
                var m = Matrix(uncheckedRows: k, columns: k)
                for a in 0..<k {
                    for b in a..<k {
                        guard let value = row["\(prefix)\(a)_\(b)"] else {
                            throw EngineError.badResult(command: engine.command, reason: "no column \(prefix)\(a)_\(b)", query: query)
                        }
                        m[a, b] = value
                        m[b, a] = value
                    }
                }
                return m
            }
            let gradient = (0..<k).map { row["g\($0)"] ?? .nan }
            let group = row["g"].flatMap { $0 >= 0 && $0 < 1e9 && $0 == $0.rounded() ? Int($0) : nil }
            guard let ll = row["ll"], ll.isFinite, gradient.allSatisfy(\.isFinite) else {
                // A replicate that cannot be evaluated (separation in the resample) is marked, not fatal.
                if group != nil { return Result(group: group, information: Matrix(uncheckedRows: k, columns: k), gradient: gradient, logLikelihood: .nan) }
                throw ModelError.separation(kind: .quasiComplete, drivers: [])
            }
            return Result(group: group, information: try matrix("h"), gradient: gradient, logLikelihood: ll,
                          meat: sandwich ? try matrix("s") : nil)
        }
    }
}

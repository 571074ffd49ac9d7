import Foundation
import LinearAlgebra

/// Logistic regression of a two-valued outcome on numeric drivers by Newton (IRLS) passes over
/// a CSV file, block by block — for files larger than memory. Memory is one parsed block plus
/// `O(p²)`, whatever the number of rows.
///
/// The drivers are centred and scaled by the means and standard deviations of the first
/// `startRows` complete rows (any affine scaling gives the same fit; this one keeps `XᵀWX` well
/// conditioned), and a full in-memory ``LogisticRegression`` of those rows gives the starting
/// coefficients. Each pass then returns `XᵀWX`, `Xᵀ(y − p)` and the log-likelihood (with
/// `log(1 + e^η)` evaluated stably) at the current coefficients; a Newton step that lowers the
/// log-likelihood is halved. The first pass also accumulates the ``Moments`` of the drivers and
/// the outcome. From a start fitted on 10⁵ rows, two or three passes reach a change in the
/// log-likelihood below `10⁻¹²` relative — the in-memory fit's stopping rule. Standard errors
/// come from the inverse information at the final coefficients, as in ``LogisticRegression``.
///
/// Between passes the complete rows are kept compactly when they fit in `cacheBytes` (a byte per
/// cell for whole numbers 0…255 such as ratings and flags, eight otherwise; 10⁷ rows × 20 ratings
/// take 210 MB), so later passes do not parse the file again; beyond it every pass re-reads the file.
///
/// Rows missing the outcome or a driver are skipped (listwise). A text outcome is coded by
/// `event` (1 for that text, 0 for any other); a numeric outcome must be 0/1, or `event` names
/// the number coded 1.
package struct StreamingLogistic: Sendable {
    /// The drivers, in order.
    public let drivers: [String]
    /// Intercept first, then one per driver, on the drivers' own scale (Wald inference).
    public let coefficients: [Coefficient]
    /// `exp(β)` per coefficient.
    public let oddsRatios: [Double]
    /// Complete rows analysed.
    public let observationCount: Int
    /// Rows left out for a missing outcome or driver.
    public let skippedRows: Int
    /// Log-likelihood at the estimates.
    public let logLikelihood: Double
    /// Log-likelihood of the intercept-only model.
    public let nullLogLikelihood: Double
    /// Passes over the file (the first, which also reads the start rows, included).
    public let passes: Int
    /// Whether the log-likelihood settled within the pass limit.
    public let converged: Bool
    /// Means and cross-products of the drivers and the 0/1 outcome (last) over the analysed rows.
    public let moments: Moments
    /// Pearson correlation of the outcome with the fitted probabilities.
    public let fittedCorrelation: Double

    /// McFadden's pseudo-R², `1 − ℓ/ℓ₀`.
    public var mcFaddenRSquared: Double { 1 - logLikelihood / nullLogLikelihood }
    /// Nagelkerke's pseudo-R² (Cox–Snell rescaled to reach 1).
    public var nagelkerkeRSquared: Double {
        let n = Double(observationCount)
        return -expm1(2 * (nullLogLikelihood - logLikelihood) / n) / -expm1(2 * nullLogLikelihood / n)
    }

    /// Fits the model by passes over `path`.
    ///
    /// - Throws: ``SurveyDataError`` for an unreadable file, an unknown column or a text cell in a
    ///   driver; ``ModelError/outcomeNotBinary(value:observation:)`` for an outcome other than
    ///   0/1 without `event`; ``ModelError/constantOutcome(value:)``,
    ///   ``ModelError/tooFewObservations(observations:parameters:)`` and
    ///   ``ModelError/separation(kind:drivers:)`` as the in-memory fit does.
    /// Complexity: O(n·p²) per pass, a few passes; memory O(block · p + p²).
    public init(csv path: String, outcome: String, event: String? = nil, drivers: [String], options: CSVOptions = .init(),
                confidenceLevel: Double = 0.95, startRows: Int = 100_000, maximumPasses: Int = 25, cacheBytes: Int = 256 << 20) throws {
        let p = drivers.count, k = p + 1
        let source = StreamingRows(path: path, outcome: outcome, event: event, drivers: drivers, options: options)
        // 1. Start: the first complete rows, in memory.
        let start = try source.firstRows(limit: max(startRows, 10 * k))
        guard start.y.count > k else { throw ModelError.tooFewObservations(observations: start.y.count, parameters: k) }
        let startMoments = try Moments(validatedNames: drivers, columns: start.x)
        let centre = startMoments.means
        let scale = startMoments.standardDeviations().map { $0 > 1e-300 && $0.isFinite ? $0 : 1 }
        var beta = [Double](repeating: 0, count: k)
        let rate = start.y.reduce(0, +) / Double(start.y.count)
        beta[0] = rate > 0 && rate < 1 ? log(rate / (1 - rate)) : 0
        if let fit = try? LogisticRegression(outcome: start.y, drivers: start.x, names: drivers), fit.converged, !fit.nearSeparation {
            // The same model on the scaled drivers: b_j·s_j, b₀ + Σ b_j m_j.
            let b = fit.coefficients.map { $0.isAliased ? 0 : $0.estimate }
            beta[0] = b[0] + (0..<p).reduce(0) { $0 + b[$1 + 1] * centre[$1] }
            for j in 0..<p { beta[j + 1] = b[j + 1] * scale[j] }
        }
        // 2. Newton passes over the whole file; the first also takes the moments.
        let cache = RowCache(columns: p, byteLimit: cacheBytes)
        var current = try source.pass(beta: beta, centre: centre, scale: scale, collectMoments: true, cache: cache)
        let moments = current.moments!
        let n = current.count
        guard n > k else { throw ModelError.tooFewObservations(observations: n, parameters: k) }
        guard current.events > 0, current.events < Double(n) else { throw ModelError.constantOutcome(value: current.events > 0 ? 1 : 0) }
        var passes = 1, converged = false
        while passes < maximumPasses {
            let delta: [Double]
            do { delta = try Cholesky(current.information).solve(current.gradient) } catch {
                throw ModelError.separation(kind: .quasiComplete, drivers: [])
            }
            var factor = 1.0, candidate = beta, next = current
            repeat {
                candidate = zip(beta, delta).map { $0 + factor * $1 }
                next = try source.pass(beta: candidate, centre: centre, scale: scale, collectMoments: false, cache: cache)
                passes += 1
                factor /= 2
            } while next.logLikelihood < current.logLikelihood - 1e-12 * abs(current.logLikelihood) && passes < maximumPasses
            let change = abs(next.logLikelihood - current.logLikelihood) / (abs(next.logLikelihood) + 0.1)
            beta = candidate
            current = next
            if change < 1e-12 { converged = true; break }
        }
        guard current.logLikelihood.isFinite else { throw ModelError.separation(kind: .quasiComplete, drivers: []) }
        // 3. Back to the drivers' own scale: β_j = b_j/s_j, β₀ = b₀ − Σ b_j m_j/s_j, Cov = J Cov_b Jᵀ.
        let covariance = try Cholesky(current.information).inverse()
        let jacobian = EngineLogistic.jacobian(means: centre, scales: scale)
        let original = try jacobian.multiplied(by: covariance).multiplied(by: jacobian.transposed())
        let estimates = EngineLogistic.original(beta, means: centre, scales: scale)
        coefficients = Coefficient.waldTable(names: ["(Intercept)"] + drivers, estimates: estimates, covariance: original,
                                             confidenceLevel: confidenceLevel)
        oddsRatios = estimates.map { exp($0) }
        let events = current.events, total = Double(n)
        self.drivers = drivers
        observationCount = n
        skippedRows = current.skipped
        logLikelihood = current.logLikelihood
        nullLogLikelihood = events * log(events / total) + (total - events) * log1p(-events / total)
        self.passes = passes
        self.converged = converged
        self.moments = moments
        fittedCorrelation = current.fittedCorrelation
    }
}

/// The complete rows of a file's outcome (coded 0/1) and numeric drivers, block by block.
struct StreamingRows: Sendable {
    let path: String
    let outcome: String
    let event: String?
    let drivers: [String]
    let options: CSVOptions

    /// What one pass accumulates at given coefficients.
    struct Pass: Sendable {
        var information: Matrix
        var gradient: [Double]
        var logLikelihood = 0.0
        var count = 0
        var skipped = 0
        var events = 0.0
        var sums = [Double](repeating: 0, count: 5)       // Σp̂, Σp̂², Σy p̂, Σy, Σy²
        var moments: Moments?

        var fittedCorrelation: Double {
            let n = Double(count)
            let sp = sums[0], spp = sums[1], syp = sums[2], sy = sums[3], syy = sums[4]
            let covariance = syp - sy * sp / n, vp = spp - sp * sp / n, vy = syy - sy * sy / n
            return covariance / (vp * vy).squareRoot()
        }
    }

    /// Calls `body` with each block's complete rows: outcome (0/1) and driver columns.
    func forEachBlock(_ body: (_ y: [Double], _ x: [[Double]], _ skipped: Int) throws -> Bool) throws {
        var reader = CSVReader(path: path, options: options)
        var indices: [Int] = []
        var outcomeIndex = 0
        let eventNumber = event.flatMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        struct Stop: Error {}
        do {
            try reader.read { header, block in
                if indices.isEmpty {
                    var position: [String: Int] = [:]
                    for (k, name) in header.names.enumerated() where position[name] == nil { position[name] = k }
                    for name in [outcome] + drivers where position[name] == nil {
                        throw SurveyDataError.unknownColumn(name: name, suggestions: ColumnNameSuggestions.nearest(to: name, in: header.names))
                    }
                    indices = drivers.map { position[$0]! }
                    outcomeIndex = position[outcome]!
                }
                for (j, c) in indices.enumerated() {
                    if let text = block.columns[c].firstText { throw SurveyDataError.nonNumeric(path: path, row: text.row, column: drivers[j], value: text.value) }
                    if let bad = block.columns[c].firstNonFinite { throw SurveyDataError.nonFinite(path: path, row: bad.row, column: drivers[j], value: bad.value) }
                }
                let column = block.columns[outcomeIndex]
                var y = [Double](repeating: .nan, count: block.rowCount)
                for i in 0..<block.rowCount {
                    let value = column.values[i]
                    if let code = column.textCodes?[i], code >= 0 {
                        guard let event else {
                            throw SurveyDataError.nonNumeric(path: path, row: block.rows[i], column: outcome, value: column.levels.values[Int(code)])
                        }
                        y[i] = column.levels.values[Int(code)] == event ? 1 : 0
                    } else if !value.isNaN {
                        if event != nil {
                            y[i] = value == eventNumber ? 1 : 0
                        } else {
                            guard value == 0 || value == 1 else { throw ModelError.outcomeNotBinary(value: value, observation: block.rows[i]) }
                            y[i] = value
                        }
                    }
                }
                var complete = y.map { !$0.isNaN }
                for c in indices {
                    block.columns[c].values.withUnsafeBufferPointer { v in
                        for i in 0..<block.rowCount where v[i].isNaN { complete[i] = false }
                    }
                }
                let keep = complete.indices.filter { complete[$0] }
                let x = indices.map { c in keep.count == block.rowCount ? block.columns[c].values : keep.map { block.columns[c].values[$0] } }
                if !(try body(keep.map { y[$0] }, x, block.rowCount - keep.count)) { throw Stop() }
            }
        } catch is Stop {}
    }

    /// The first `limit` complete rows (or all of them).
    func firstRows(limit: Int) throws -> (y: [Double], x: [[Double]]) {
        var y: [Double] = [], x = [[Double]](repeating: [], count: drivers.count)
        try forEachBlock { by, bx, _ in
            let take = min(by.count, limit - y.count)
            y += by.prefix(take)
            for j in x.indices { x[j] += bx[j].prefix(take) }
            return y.count < limit
        }
        return (y, x)
    }

    /// One pass at `beta` (on the scaled drivers `(x − centre)/scale`). The pass that collects the
    /// moments also fills `cache` (when given) with the complete rows in compact form; later passes
    /// read the cache instead of parsing the file again, if it stayed within its byte limit.
    func pass(beta: [Double], centre: [Double], scale: [Double], collectMoments: Bool, cache: RowCache? = nil) throws -> Pass {
        let p = drivers.count, k = p + 1
        var total = Pass(information: Matrix(uncheckedRows: k, columns: k), gradient: [Double](repeating: 0, count: k))
        if collectMoments { total.moments = Moments(names: drivers + [outcome]) }
        let rowsPerPart = 16_384
        func add(_ y: [Double], _ x: [[Double]]) throws {
            let m = y.count
            guard m > 0 else { return }
            if collectMoments { total.moments!.mergeAligned(try Moments(validatedNames: drivers + [outcome], columns: x + [y])) }
            // Fixed parts of the block, summed in order: the result does not depend on the thread count.
            let parts = Parallel.map((m + rowsPerPart - 1) / rowsPerPart) { part -> Pass in
                Self.accumulate(y: y, x: x, rows: (part * rowsPerPart)..<min(m, (part + 1) * rowsPerPart),
                                beta: beta, centre: centre, scale: scale)
            }
            for part in parts { total.add(part) }
        }
        if !collectMoments, let cache, cache.isComplete {
            total.skipped = cache.skipped
            try cache.forEachChunk { y, x in try add(y, x) }
            return total
        }
        try forEachBlock { y, x, skipped in
            total.skipped += skipped
            if collectMoments { cache?.append(y: y, x: x, skipped: skipped) }
            try add(y, x)
            return true
        }
        if collectMoments { cache?.finish() }
        return total
    }

    /// `XᵀWX`, `Xᵀ(y − p)`, the log-likelihood and the fit sums over `rows` (X with a leading 1).
    static func accumulate(y: [Double], x: [[Double]], rows: Range<Int>, beta: [Double], centre: [Double], scale: [Double]) -> Pass {
        let p = x.count, k = p + 1, m = rows.count
        var result = Pass(information: Matrix(uncheckedRows: k, columns: k), gradient: [Double](repeating: 0, count: k))
        var z = [Double](repeating: 1, count: m * k)        // column-major m × k, first column 1
        for j in 0..<p {
            let c = centre[j], s = scale[j]
            x[j].withUnsafeBufferPointer { v in
                for i in 0..<m { z[(j + 1) * m + i] = (v[rows.lowerBound + i] - c) / s }
            }
        }
        var weighted = z
        var ll = 0.0
        for i in 0..<m {
            var eta = beta[0]
            for j in 1..<k { eta += beta[j] * z[j * m + i] }
            let yi = y[rows.lowerBound + i]
            let probability = eta >= 0 ? 1 / (1 + exp(-eta)) : exp(eta) / (1 + exp(eta))
            ll += yi * eta - (eta > 0 ? eta + log1p(exp(-eta)) : log1p(exp(eta)))
            let w = probability * (1 - probability), root = w.squareRoot(), residual = yi - probability
            for j in 0..<k {
                result.gradient[j] += residual * z[j * m + i]
                weighted[j * m + i] = root * z[j * m + i]
            }
            result.sums[0] += probability
            result.sums[1] += probability * probability
            result.sums[2] += yi * probability
            result.sums[3] += yi
            result.sums[4] += yi * yi
        }
        result.information = (try? Matrix(rows: m, columns: k, columnMajor: weighted).crossProduct()) ?? Matrix(uncheckedRows: k, columns: k, repeating: .nan)
        result.logLikelihood = ll
        result.count = m
        result.events = result.sums[3]
        return result
    }
}

extension StreamingRows.Pass {
    /// Adds another part's sums.
    mutating func add(_ other: Self) {
        information.withUnsafeMutableBufferPointer { target in
            other.information.withUnsafeBufferPointer { source in for t in target.indices { target[t] += source[t] } }
        }
        for j in gradient.indices { gradient[j] += other.gradient[j] }
        for j in sums.indices { sums[j] += other.sums[j] }
        logLikelihood += other.logLikelihood
        count += other.count
        events += other.events
    }
}

/// The complete rows of a streamed file kept compactly between IRLS passes: a column of whole
/// numbers 0…255 (ratings, 0/1 flags, the outcome) takes one byte per row, any other column
/// eight. Filling stops — and the passes re-read the file — once the cache would pass
/// `byteLimit`, so memory stays bounded whatever the file.
final class RowCache: @unchecked Sendable {
    private let byteLimit: Int
    private(set) var isComplete = false
    private var abandoned = false
    private(set) var skipped = 0
    private var count = 0
    private var y: [UInt8] = []
    private var bytes: [[UInt8]?]
    private var doubles: [[Double]?]

    /// An empty cache for `columns` drivers.
    init(columns: Int, byteLimit: Int) {
        self.byteLimit = byteLimit
        bytes = [[UInt8]?](repeating: [], count: columns)
        doubles = [[Double]?](repeating: nil, count: columns)
    }

    private var byteCount: Int {
        y.count + bytes.reduce(0) { $0 + ($1?.count ?? 0) } + 8 * doubles.reduce(0) { $0 + ($1?.count ?? 0) }
    }

    /// Adds a block's complete rows (`y` is 0/1).
    func append(y block: [Double], x: [[Double]], skipped rows: Int) {
        guard !abandoned else { return }
        skipped += rows
        y += block.map { $0 == 1 ? 1 : 0 }
        for j in x.indices {
            if bytes[j] != nil, x[j].allSatisfy({ $0 >= 0 && $0 <= 255 && $0 == $0.rounded(.towardZero) }) {
                bytes[j]! += x[j].map { UInt8($0) }
            } else {
                if let small = bytes[j] {       // widen the column once
                    doubles[j] = small.map { Double($0) }
                    bytes[j] = nil
                }
                doubles[j]! += x[j]
            }
        }
        count += block.count
        if byteCount > byteLimit {
            abandoned = true
            self.y = []
            bytes = bytes.map { _ in nil }
            doubles = doubles.map { _ in nil }
        }
    }

    /// Marks the cache usable (after a whole pass that was not abandoned).
    func finish() { isComplete = !abandoned }

    /// Calls `body` with the rows in chunks of 65,536, decoded to doubles.
    func forEachChunk(_ body: (_ y: [Double], _ x: [[Double]]) throws -> Void) throws {
        let chunk = 65_536
        for start in stride(from: 0, to: count, by: chunk) {
            let end = min(count, start + chunk)
            let x = bytes.indices.map { j in bytes[j].map { column in column[start..<end].map { Double($0) } } ?? Array(doubles[j]![start..<end]) }
            try body(y[start..<end].map { Double($0) }, x)
        }
    }
}

extension StreamingLogistic {
    /// What the first rows of `path` say about `outcome`: its distinct numbers (up to three) and
    /// whether it holds text — enough to choose the model of `--model auto` before streaming
    /// (two values 0/1: logistic, as the in-memory analysis chooses).
    ///
    /// - Throws: ``SurveyDataError`` for an unreadable file or an unknown column.
    public static func outcomePreview(csv path: String, outcome: String, options: CSVOptions = .init()) throws
        -> (values: Set<Double>, hasText: Bool) {
        var reader = CSVReader(path: path, options: options)
        var values = Set<Double>(), hasText = false
        struct Enough: Error {}
        do {
            try reader.read { header, block in
                guard let index = header.names.firstIndex(of: outcome) else {
                    throw SurveyDataError.unknownColumn(name: outcome, suggestions: ColumnNameSuggestions.nearest(to: outcome, in: header.names))
                }
                let column = block.columns[index]
                if column.firstText != nil { hasText = true }
                for value in column.values where !value.isNaN {
                    values.insert(value)
                    if values.count > 2 { break }
                }
                throw Enough()
            }
        } catch is Enough {}
        return (values, hasText)
    }
}

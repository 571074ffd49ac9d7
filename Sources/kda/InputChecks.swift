import DriverAnalysis
import Foundation
import LinearAlgebra

/// The work budget of one `kda` run: requests beyond it are refused up front with a message
/// saying what to change, instead of running for hours or exhausting memory.
enum Budget {
    /// Bootstrap replicates (each holds 3p numbers; 1,000 give intervals to about ±1 %).
    static let bootstrapReplicates = 100_000
    /// Drivers for sampled Shapley values (each ordering costs O(p³): 200 drivers take seconds, 400 over a minute).
    static let sampledShapleyDrivers = 200
    /// Drivers of any analysis (p × p matrices: 5,000 drivers are 200 MB each).
    static let drivers = 5_000
    /// Levels of an ordinal outcome (one cut-point each).
    static let ordinalLevels = 100

    /// Checks the driver count of an analysis of `data` (the named drivers, else every numeric
    /// column but the outcome's role columns) and the levels of an ordinal outcome.
    static func check(_ data: SurveyData, _ c: AnalysisConfiguration) throws {
        var roles: Set<String> = [c.outcome]
        for column in [c.weight, c.segment, c.nps] { if let column { roles.insert(column) } }
        if case let .column(name)? = c.margin { roles.insert(name) }
        let count = c.drivers?.count ?? data.numericColumnNames.filter { !roles.contains($0) }.count
        try check(driverCount: count, c)
        if c.model == .logistic, let outcome = try? data.column(c.outcome) {
            let levels = Set(outcome.values.filter { !$0.isNaN })
            if levels.count > 2 {
                let shown = levels.sorted().prefix(4).map { value -> String in
                    if outcome.kind != .numeric, let names = outcome.levels, value >= 0, value < Double(names.count) { return names[Int(value)] }
                    return value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
                }
                throw DataProblem(message: "\(data.source), column '\(c.outcome)': --model logistic needs a two-valued outcome, found \(levels.count) distinct values (\(shown.joined(separator: ", "))\(levels.count > 4 ? ", …" : ""))")
            }
        }
        if c.model == .ordinal, let outcome = try? data.column(c.outcome) {
            let levels = Set(outcome.values.filter { !$0.isNaN }).count
            if levels > ordinalLevels {
                throw UsageError(message: "--model ordinal: the outcome '\(c.outcome)' has \(levels) distinct values and an ordinal model fits one cut-point per value (limit \(ordinalLevels)); use --model linear for a continuous outcome")
            }
        }
    }

    static func check(driverCount p: Int, _ c: AnalysisConfiguration) throws {
        if p > drivers {
            throw UsageError(message: "\(p) drivers are beyond the work budget of \(drivers); name the drivers to analyse with --drivers")
        }
        if p > sampledShapleyDrivers && c.methods.contains(.shapley) {
            throw UsageError(message: "\(p) drivers: sampled Shapley values cost O(p³) per ordering, beyond the work budget of \(sampledShapleyDrivers) drivers; name fewer drivers with --drivers, or leave shapley out of --methods (e.g. --methods relative-weights,correlation)")
        }
    }
}

/// Checks on input files before the library reads them.
enum InputFile {
    /// The largest summary input (`--from-moments`) read whole.
    static let summaryLimit = 64 << 20

    /// A directory or other non-file is refused with a plain message (not a Foundation error code).
    static func check(_ path: String) throws {
        var st = stat()
        guard stat(path, &st) == 0 else { return }   // missing: the reader names it
        switch st.st_mode & S_IFMT {
        case S_IFDIR: throw SurveyDataError.unreadable(path: path, reason: "it is a directory, not a CSV file")
        case S_IFSOCK: throw SurveyDataError.unreadable(path: path, reason: "it is a socket, not a CSV file")
        default: return
        }
    }

    /// A small text input (moments), UTF-8, at most ``summaryLimit`` bytes.
    static func text(_ path: String) throws -> String {
        guard FileManager.default.fileExists(atPath: path) else { throw SurveyDataError.fileNotFound(path: path) }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw SurveyDataError.unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        defer { try? handle.close() }
        let data: Data
        do { data = try handle.read(upToCount: summaryLimit + 1) ?? Data() } catch {
            throw SurveyDataError.unreadable(path: path, reason: "\(error.localizedDescription)")
        }
        guard data.count <= summaryLimit else {
            throw SurveyDataError.unreadable(path: path, reason: "larger than \(summaryLimit >> 20) MB; a moments file is one header and one row")
        }
        if data.starts(with: [0xFF, 0xFE]) || data.starts(with: [0xFE, 0xFF]) {
            throw SurveyDataError.unreadable(path: path, reason: "it is UTF-16 text; save it as UTF-8")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw SurveyDataError.unreadable(path: path, reason: "it is not UTF-8 text")
        }
        return text
    }
}

/// The correlation or covariance matrix of `--from-correlation`: square, complete, finite,
/// symmetric, with a positive diagonal — anything else is refused rather than analysed.
enum CorrelationInput {
    static func matrix(_ table: SurveyData, path: String) throws -> (Matrix, [String]) {
        let names = table.columnNames
        guard table.rowCount == names.count else {
            throw SurveyDataError.raggedRow(path: path, row: table.rowCount + 1, expected: names.count, found: table.rowCount)
        }
        let columns = try names.map { try table.numericValues($0) }
        let rows = table.rowNumbers
        for (j, column) in columns.enumerated() {
            if let i = column.firstIndex(where: \.isNaN) {
                throw DataProblem(message: "\(path), row \(rows[i]), column '\(names[j])': the matrix has a missing value")
            }
        }
        for j in names.indices {
            guard columns[j][j] > 0 else {
                throw DataProblem(message: "\(path), row \(rows[j]), column '\(names[j])': a diagonal entry must be positive (a variance or 1), found \(columns[j][j])")
            }
            for i in 0..<j {
                let a = columns[j][i], b = columns[i][j]
                let scale = max((columns[i][i] * columns[j][j]).squareRoot(), .leastNormalMagnitude)
                if abs(a - b) > 1e-6 * scale {
                    throw DataProblem(message: "\(path): the matrix is not symmetric: row \(rows[i]), column '\(names[j])' is \(a) but row \(rows[j]), column '\(names[i])' is \(b)")
                }
            }
        }
        return (try Matrix(columns: columns), names)
    }
}

/// Survey weights whose sum is not a finite count of at most 2⁵³ cannot give exact totals
/// (and overflow the cross-products): refused with the file and column.
enum WeightCheck {
    static let limit = 9_007_199_254_740_992.0   // 2^53

    static func check(_ data: SurveyData, weight: String, path: String) throws {
        guard let values = try? data.numericValues(weight) else { return }   // the library reports text
        var sum = 0.0
        // Weights whose products underflow (all below 1e-150) would give standard errors of exactly 0.
        if let largest = values.filter({ !$0.isNaN && $0 > 0 }).max(), largest < 1e-150 {
            throw DataProblem(message: "\(path), weight column '\(weight)': every weight is below 1e-150 (the largest is \(largest)); their products underflow, so rescale them (only their ratios matter)")
        }
        for (i, w) in values.enumerated() where !w.isNaN && w > 0 {
            sum += w
            if !(sum <= limit) {
                throw DataProblem(message: "\(path), row \(data.rowNumbers[i]), weight column '\(weight)': the weights sum to more than 2^53 (9.0e15) by this row; rescale them (only their ratios matter)")
            }
        }
    }
}

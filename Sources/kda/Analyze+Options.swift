import ArgumentParser
import DriverAnalysis
import Foundation

/// The option values `Analyze/analysisConfiguration()` reads, each parsed and checked: the
/// methods, the numeric options, the groups, the margin, the event's meaning, reference levels,
/// what-if moves, rating scales and the robust covariance.
extension Analyze {
    /// `--methods`: all, or the comma-separated methods named.
    func chosenMethods() throws -> Set<AnalysisConfiguration.ImportanceMethod> {
        guard methods != "all" else { return Set(AnalysisConfiguration.ImportanceMethod.allCases) }
        var chosen: Set<AnalysisConfiguration.ImportanceMethod> = []
        for name in methods.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            guard let method = AnalysisConfiguration.ImportanceMethod(rawValue: name) else {
                throw UsageError(message: "unknown method '\(name)'; expected regression, correlation, shapley, relative-weights, dominance or pratt")
            }
            chosen.insert(method)
        }
        return chosen
    }

    /// `--bootstrap` within the work budget, `--confidence` between 0 and 1, the removed
    /// `--scale-max` refused with its replacement, a finite `--what-if-delta`.
    func checkNumericOptions() throws {
        guard bootstrap >= 0 else { throw UsageError(message: "--bootstrap must be 0 or more") }
        guard bootstrap <= Budget.bootstrapReplicates else {
            throw UsageError(message: "--bootstrap \(bootstrap) is beyond the work budget of \(Budget.bootstrapReplicates) replicates (1,000 give intervals to about ±1 %)")
        }
        guard confidence > 0, confidence < 1 else { throw UsageError(message: "--confidence must lie between 0 and 1") }
        if let scaleMax {
            throw UsageError(message: "--scale-max \(NumberFormat.significant(scaleMax)) is no longer an option: declare rating scales with --scale COLS=LO..HI — a name, a comma list or a glob, e.g. --scale '*=0..\(NumberFormat.significant(scaleMax))' (by default each rating's scale is inferred from its values)")
        }
        guard whatIfDelta.isFinite else { throw UsageError(message: "--what-if-delta must be finite") }
    }

    /// `--discount-rate` (default 0.10): finite and not negative.
    func checkedDiscountRate() throws -> Double {
        let discountRate = self.discountRate ?? 0.10
        guard discountRate >= 0, discountRate.isFinite else {
            throw UsageError(message: "--discount-rate must be a finite rate of 0 or more per period (e.g. 0.10), not \(discountRate)")
        }
        return discountRate
    }

    /// `--n`: a positive count, and only with `--from-correlation`.
    func checkRespondentCount() throws {
        if let n, n <= 0 { throw UsageError(message: "--n must be a positive number of respondents") }
        if n != nil && fromCorrelation == nil {
            throw UsageError(message: "--n gives the respondents behind --from-correlation; a survey file or moments carry their own count")
        }
    }

    /// `--group NAME=A,B,…`: each a name and at least one member.
    func predictorGroups() throws -> [AnalysisConfiguration.PredictorGroup] {
        try group.map { text -> AnalysisConfiguration.PredictorGroup in
            let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
            let members = parts.count == 2 ? parts[1].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } : []
            guard parts.count == 2, !parts[0].trimmingCharacters(in: .whitespaces).isEmpty, !members.isEmpty else {
                throw UsageError(message: "--group takes NAME=A,B,… (got '\(text)')")
            }
            return .init(name: parts[0].trimmingCharacters(in: .whitespaces), members: members)
        }
    }

    /// `--margin`: a non-negative number, else a column name; `nil` without the option.
    func marginSource() throws -> AnalysisConfiguration.MarginSource? {
        guard let margin else { return nil }
        let source: AnalysisConfiguration.MarginSource
        if !margin.utf8.contains(0), let value = Double(margin) { source = .value(value) } else { source = .column(margin) }
        if case let .value(m) = source, !(m >= 0 && m.isFinite) {
            throw UsageError(message: "--margin must be a non-negative number or a column name, not '\(margin)'")
        }
        return source
    }

    /// `--event-meaning`: defection, adverse or favourable; `nil` without the option.
    func declaredEventMeaning() throws -> OutcomeCoding.EventMeaning? {
        guard let eventMeaning else { return nil }
        guard let meaning = OutcomeCoding.EventMeaning(rawValue: eventMeaning) else {
            throw UsageError(message: "--event-meaning must be defection, adverse or favourable, not '\(eventMeaning)'")
        }
        return meaning
    }

    /// `--reference COL=LEVEL`, each.
    func referenceLevels() throws -> [AnalysisConfiguration.ReferenceLevel] {
        try reference.map { text in
            let (column, level) = try Self.assignment(text, option: "--reference", form: "COL=LEVEL")
            return .init(column: column, level: level)
        }
    }

    /// `--what-if-move COL=FROM>TO`, each with two different levels.
    func levelMoves() throws -> [AnalysisConfiguration.LevelMove] {
        try whatIfMove.map { text in
            let (column, move) = try Self.assignment(text, option: "--what-if-move", form: "COL=FROM>TO")
            let parts = move.split(separator: ">", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, parts[0] != parts[1] else {
                throw UsageError(message: "--what-if-move takes COL=FROM>TO with two different levels (got '\(text)')")
            }
            return .init(column: column, from: parts[0], to: parts[1])
        }
    }

    /// `--scale COLS=LO..HI`, each with LO < HI, for every column it names.
    func ratingScales() throws -> [AnalysisConfiguration.RatingScale] {
        try scale.flatMap { text -> [AnalysisConfiguration.RatingScale] in
            let (columns, range) = try Self.declaration(text, option: "--scale", form: "COLS=LO..HI")
            let ends = range.components(separatedBy: "..")
            guard ends.count == 2, let lower = Double(ends[0].trimmingCharacters(in: .whitespaces)),
                  let upper = Double(ends[1].trimmingCharacters(in: .whitespaces)), lower.isFinite, upper.isFinite, lower < upper else {
                throw UsageError(message: "--scale takes COLS=LO..HI with LO < HI, e.g. wifi=1..5 or 's*=1..7' (got '\(text)')")
            }
            return columns.map { .init(column: $0, lower: lower, upper: upper) }
        }
    }

    /// `--robust`: hc0, hc1, hc2 or hc3; `nil` without the option.
    func robustCovariance() throws -> LinearRegression.CovarianceType? {
        guard let robust else { return nil }
        guard let type = LinearRegression.CovarianceType(rawValue: robust), type != .classical else {
            throw UsageError(message: "--robust must be hc0, hc1, hc2 or hc3, not '\(robust)'")
        }
        return type
    }
}

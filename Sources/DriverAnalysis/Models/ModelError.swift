/// Why a model cannot be fitted to the data as given.
public enum ModelError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The outcome takes a single value: there is nothing to explain.
    case constantOutcome(value: Double)
    /// Fewer observations than parameters (plus one for the residual variance).
    case tooFewObservations(observations: Int, parameters: Int)
    /// Every driver is collinear with the intercept or with other drivers.
    case allDriversAliased(drivers: [String])
    /// NaN or ±∞ in the named variable at a 1-based observation.
    case nonFinite(variable: String, observation: Int)
    /// Logistic regression needs a 0/1 outcome; `value` is the first other value.
    case outcomeNotBinary(value: Double, observation: Int)
    /// The outcome is perfectly (complete) or almost perfectly (quasi-complete) predicted by
    /// the drivers, so maximum-likelihood estimates do not exist.
    case separation(kind: SeparationKind, drivers: [String])
    /// Inputs of different lengths or names that do not match the data.
    case dimensionMismatch(String)
    /// A weight that is negative or not finite.
    case invalidWeight(value: Double, observation: Int)
    /// No term of the model has this name; `suggestions` are the nearest term names.
    case unknownTerm(name: String, suggestions: [String])
    /// A row to predict holds a level of the factor `column` that the fit never saw, so the model
    /// has no coefficient for it; `knownLevels` are the fit's levels, reference first.
    case unseenLevel(column: String, level: String, knownLevels: [String])

    /// How strongly the drivers separate the two outcome classes (Albert & Anderson 1984).
    public enum SeparationKind: String, Sendable {
        /// The classes do not overlap: some combination of drivers predicts every outcome exactly.
        case complete
        /// The classes overlap only on a boundary (a single shared value).
        case quasiComplete = "quasi-complete"
    }

    /// A one-sentence message naming the variable, observation or drivers concerned.
    public var description: String {
        switch self {
        case let .constantOutcome(value): return "the outcome is constant (every value is \(value)); there is nothing to explain"
        case let .tooFewObservations(n, p):
            return "\(n) observations cannot support \(p) parameters: need at least \(p + 1)"
        case let .allDriversAliased(drivers):
            return "every driver is collinear with the intercept or the other drivers: \(drivers.joined(separator: ", "))"
        case let .nonFinite(variable, observation): return "'\(variable)' is NaN or infinite at observation \(observation)"
        case let .outcomeNotBinary(value, observation):
            return "logistic regression needs a 0/1 outcome; observation \(observation) is \(value)"
        case let .separation(kind, drivers):
            return "\(kind.rawValue) separation: \(drivers.joined(separator: ", ")) predict the outcome (almost) perfectly, so the estimates do not exist; drop or merge these drivers, or collect more data"
        case let .dimensionMismatch(message): return message
        case let .invalidWeight(value, observation): return "weight \(value) at observation \(observation) must be finite and non-negative"
        case let .unseenLevel(column, level, known):
            return "'\(Escaping.message(column, limit: 80))' holds the level '\(Escaping.message(level, limit: 80))', which the model was not fitted on; its levels are: \(known.prefix(12).map { "'\(Escaping.message($0, limit: 80))'" }.joined(separator: ", "))\(known.count > 12 ? ", …" : "") — recode the value to one of them or refit with it"
        case let .unknownTerm(name, suggestions):
            return "the model has no term '\(Escaping.message(name, limit: 80))'" + (suggestions.isEmpty ? "" : "; the nearest are: \(suggestions.joined(separator: ", "))")
        }
    }
}

/// Shared validation of model inputs.
enum ModelInput {
    /// Throws unless `columns` holds one array per term of `names`, all of one length: ragged
    /// columns would index past the shorter ones, so they are a typed error, never a trap.
    static func checkPredictionColumns(_ columns: [[Double]], names: [String]) throws {
        guard columns.count == names.count else {
            throw ModelError.dimensionMismatch("\(columns.count) columns for the model's \(names.count) terms")
        }
        let n = columns.first?.count ?? 0
        if let ragged = columns.firstIndex(where: { $0.count != n }) {
            throw ModelError.dimensionMismatch("column \(ragged + 1) (\(names[ragged])) has \(columns[ragged].count) values, the first has \(n)")
        }
    }

    /// Checks a model's inputs: one name per driver column and no name twice, equal lengths,
    /// finite values whose squares a `Double` holds (magnitudes within 1e±150, as
    /// ``SurveyData/sample(outcome:drivers:weight:minimumRows:)`` checks), valid weights.
    ///
    /// - Throws: ``ModelError`` (lengths, non-finite values, weights),
    ///   ``AnalysisError/duplicateDriver(name:role:)``, ``SurveyDataError/extremeScale(column:magnitude:)``.
    static func validate(outcome: [Double], drivers: [[Double]], names: [String], weights: [Double]?) throws {
        let n = outcome.count
        guard names.count == drivers.count else {
            throw ModelError.dimensionMismatch("\(drivers.count) drivers but \(names.count) names")
        }
        var seen = Set<String>()
        if let repeated = names.first(where: { !seen.insert($0).inserted }) {
            throw AnalysisError.duplicateDriver(name: repeated, role: "driver")
        }
        for (name, column) in zip(names, drivers) where column.count != n {
            throw ModelError.dimensionMismatch("driver '\(name)' has \(column.count) values, the outcome \(n)")
        }
        if let bad = outcome.firstIndex(where: { !$0.isFinite }) { throw ModelError.nonFinite(variable: "outcome", observation: bad + 1) }
        for (name, column) in zip(names, drivers) {
            if let bad = column.firstIndex(where: { !$0.isFinite }) { throw ModelError.nonFinite(variable: name, observation: bad + 1) }
        }
        if let weights {
            guard weights.count == n else { throw ModelError.dimensionMismatch("\(weights.count) weights for \(n) observations") }
            if let bad = weights.firstIndex(where: { !$0.isFinite || $0 < 0 }) {
                throw ModelError.invalidWeight(value: weights[bad], observation: bad + 1)
            }
        }
        // Values of 1e308 would overflow the sums of squares and read as "collinear" or zero variance.
        try SurveyData.checkScale(["outcome"] + names, [outcome] + drivers)
    }
}

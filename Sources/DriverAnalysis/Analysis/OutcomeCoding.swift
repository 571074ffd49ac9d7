import Foundation

/// How the outcome column becomes numbers: as it is (a numeric outcome), or as 1 for the event
/// and 0 for the other value of a two-valued outcome ("Yes"/"No", "satisfied"/"neutral or
/// dissatisfied", 1/0), together with what the event means for the business.
public struct OutcomeCoding: Sendable, Equatable, Codable {
    /// What the modelled event is to the business.
    public enum EventMeaning: String, Sendable, Equatable, Codable, CaseIterable {
        /// The customer leaves (churn, cancellation): customers retained and CLV at stake apply.
        case defection
        /// An outcome to avoid (dissatisfaction, a complaint): lowering its probability is the goal.
        case adverse
        /// An outcome to encourage (satisfaction, a purchase): raising its probability is the goal.
        case favourable
    }

    /// The outcome column.
    public let column: String
    /// The value coded 1 (two-valued outcomes only).
    public let event: String?
    /// The value coded 0.
    public let nonEvent: String?
    /// The event was chosen by the default rule, not declared.
    public let eventGuessed: Bool
    /// What the event means (two-valued outcomes only).
    public let meaning: EventMeaning?
    /// The meaning was inferred from the names, not declared.
    public let meaningInferred: Bool

    /// Whether a higher outcome (or event probability) is the better result.
    public var higherIsBetter: Bool {
        guard let meaning else { return true }
        return meaning == .favourable
    }

    /// Words in an outcome's or event's name that mark a defection.
    static let defectionWords = ["churn", "attrition", "defect", "cancel", "lapse", "leave", "left", "lost", "quit", "exit", "closed", "terminat"]
    /// Words that mark an adverse event.
    static let adverseWords = ["dissatisf", "unsatisf", "neutral", "complain", "detract", "poor", "bad", "fail", "late", "delay", "problem", "not ", "no "]

    /// Codes the outcome of `configuration` in `data`.
    ///
    /// - Parameters:
    ///   - data: the survey.
    ///   - c: the analysis options: the outcome column, its event and the event's meaning.
    /// - Throws: ``SurveyDataError`` for an unknown column or an event that the column does not hold,
    ///   ``SurveyDataError/unusableOutcome(column:reason:)`` for a text outcome with other than two values.
    public init(data: SurveyData, configuration c: AnalysisConfiguration) throws {
        let column = try data.column(c.outcome)
        self.column = c.outcome
        var event: String? = nil, nonEvent: String? = nil, guessed = false
        switch column.kind {
        case let .binary(zero, one):
            if let wanted = c.event {
                guard let match = [one, zero].first(where: { $0.caseInsensitiveCompare(wanted) == .orderedSame }) else {
                    throw SurveyDataError.unknownLevel(column: c.outcome, level: wanted, levels: [zero, one])
                }
                event = match
                nonEvent = match == one ? zero : one
            } else {
                event = one
                nonEvent = zero
            }
        case let .categorical(levels):
            let present = Self.presentLevels(column)
            guard present.count == 2 else {
                throw SurveyDataError.unusableOutcome(column: c.outcome,
                    reason: "a text outcome needs exactly two values to model an event; it has \(present.count) (\(levels.prefix(6).map { "'\(Escaping.truncated($0, limit: 40))'" }.joined(separator: ", "))\(levels.count > 6 ? ", …" : ""))")
            }
            if let wanted = c.event {
                guard let match = present.first(where: { $0.level == wanted }) ?? present.first(where: { $0.level.caseInsensitiveCompare(wanted) == .orderedSame }) else {
                    throw SurveyDataError.unknownLevel(column: c.outcome, level: wanted, levels: present.map(\.level))
                }
                event = match.level
                nonEvent = present.first { $0.level != match.level }?.level
            } else {
                // The rarer value is taken as the event (ties: the later one in byte order), with a warning.
                let sorted = present.sorted { $0.count < $1.count || ($0.count == $1.count && $0.level > $1.level) }
                event = sorted[0].level
                nonEvent = sorted[1].level
                guessed = true
            }
        case .numeric:
            let values = try data.numericValues(c.outcome)
            var distinct = Set<Double>()
            for v in values where !v.isNaN {
                distinct.insert(v)
                if distinct.count > 2 { break }
            }
            if let wanted = c.event {
                guard let value = Double(wanted), distinct.contains(value), distinct.count == 2 else {
                    throw SurveyDataError.unknownLevel(column: c.outcome, level: wanted,
                                                       levels: distinct.count == 2 ? distinct.sorted().map { NumberFormat.significant($0, digits: 15) } : ["(numeric outcome)"])
                }
                event = wanted
                nonEvent = distinct.first { $0 != value }.map { NumberFormat.significant($0, digits: 15) }
            } else if distinct == [0, 1] {
                event = "1"
                nonEvent = "0"
            }
        case .mixed:
            _ = try data.numericValues(c.outcome)   // throws naming the first text cell
        }
        self.event = event
        self.nonEvent = nonEvent
        eventGuessed = guessed
        if event != nil {
            if let declared = c.eventMeaning {
                meaning = declared
                meaningInferred = false
            } else {
                meaning = Self.inferredMeaning(outcome: c.outcome, event: event ?? "")
                meaningInferred = true
            }
        } else {
            meaning = nil
            meaningInferred = false
        }
    }

    /// The meaning of `event` read from the outcome's and the event's names: a defection word
    /// (churn, cancel, …) makes it a defection, an adverse word in the event (dissatisfied,
    /// complaint, …) adverse, anything else favourable.
    static func inferredMeaning(outcome: String, event: String) -> EventMeaning {
        let names = (outcome + " " + event).lowercased() + " "
        if defectionWords.contains(where: { names.contains($0) }) { return .defection }
        if adverseWords.contains(where: { event.lowercased().appending(" ").contains($0) }) { return .adverse }
        return .favourable
    }

    /// The levels of a text column that occur, with their counts.
    static func presentLevels(_ column: SurveyColumn) -> [(level: String, count: Int)] {
        guard let levels = column.levels else { return [] }
        var counts = [Int](repeating: 0, count: levels.count)
        for v in column.values where !v.isNaN && v >= 0 && v < Double(levels.count) { counts[Int(v)] += 1 }
        return levels.indices.filter { counts[$0] > 0 }.map { (levels[$0], counts[$0]) }
    }

    /// The outcome as numbers: 1 for the event, 0 for the other value, `NaN` when missing; a
    /// numeric outcome without an event as it is.
    ///
    /// - Parameter data: the survey holding the outcome column, e.g. the one this coding was made from.
    public func values(in data: SurveyData) throws -> [Double] {
        let column = try data.column(self.column)
        guard let event else { return try data.numericValues(self.column) }
        switch column.kind {
        case let .binary(_, one):
            return column.values.map { $0.isNaN ? .nan : (($0 == 1) == (event == one) ? 1 : 0) }
        case let .categorical(levels):
            guard let code = levels.firstIndex(of: event).map(Double.init) else { return column.values.map { _ in .nan } }
            return column.values.map { $0.isNaN ? .nan : ($0 == code ? 1 : 0) }
        default:
            let value = Double(event) ?? .nan
            return try data.numericValues(self.column).map { $0.isNaN ? .nan : ($0 == value ? 1 : 0) }
        }
    }

    /// Notes for the report: a guessed event, an inferred meaning.
    var warnings: [DriverReport.Warning] {
        var notes: [DriverReport.Warning] = []
        if eventGuessed, let event, let nonEvent {
            notes.append(.init(.eventGuessed, "the outcome '\(column)' has the values '\(event)' and '\(nonEvent)'; '\(event)' (the rarer) is modelled as the event — say --event to choose"))
        }
        if meaningInferred, let meaning, let event {
            notes.append(.init(.eventMeaning, "the event '\(column)' = '\(event)' is read as \(meaning.rawValue)\(meaning == .defection ? " (customers retained and CLV at stake apply)" : " (no lifetime value: only the change in its probability)") — say --event-meaning defection|adverse|favourable to change"))
        }
        return notes
    }
}

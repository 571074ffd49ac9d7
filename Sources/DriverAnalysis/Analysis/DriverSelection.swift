/// Stage 1 of the analysis: which columns play which role, and which model the outcome calls for.
///
/// Checks the configuration against the data (every named column exists; the outcome is not a
/// driver; no column is listed twice or in two roles; option values make sense), chooses the
/// default drivers (every numeric column but the outcome, weight, segment, NPS, margin and
/// controls, leaving out identifier-like columns) and names every column left out with the
/// reason. Resolves `--model auto`: logistic for a two-valued outcome, else linear.
public struct DriverSelection: Sendable {
    /// The outcome column.
    public let outcome: String
    /// The drivers, in the order given (or in file order by default).
    public let drivers: [String]
    /// Always-in covariates.
    public let controls: [String]
    /// The model the outcome calls for.
    public let modelKind: DriverReport.ModelKind
    /// Notes about columns left out and the model choice.
    public let warnings: [DriverReport.Warning]

    /// Selects the columns of `configuration` in `data`.
    ///
    /// - Throws: ``AnalysisError`` for a configuration that cannot be carried out,
    ///   ``SurveyDataError`` for an unknown or unusable column,
    ///   ``ImportanceError/tooFewDrivers(count:minimum:)`` when no driver remains.
    /// Complexity: O(rows × columns) for the default drivers (identifier check), else O(drivers).
    public init(data: SurveyData, configuration c: AnalysisConfiguration) throws {
        try c.validate()
        var warnings: [DriverReport.Warning] = []
        var excluded = Set([c.outcome] + [c.weight, c.segment, c.nps].compactMap { $0 } + c.controls)
        if case let .column(name)? = c.margin { excluded.insert(name) }
        var drivers = c.drivers ?? data.numericColumnNames.filter { !excluded.contains($0) }
        if c.drivers == nil {
            // Identifier columns (all values distinct whole numbers) are not drivers.
            let identifiers = try Set(drivers.filter { name in
                let values = try data.numericValues(name).filter { !$0.isNaN }
                return values.count >= 20 && values.allSatisfy { $0 == $0.rounded() } && Set(values).count == values.count
            })
            for name in drivers where identifiers.contains(name) {
                warnings.append(.init("column_left_out", "column '\(name)' looks like an identifier (every value distinct); it is left out of the default drivers"))
            }
            drivers.removeAll { identifiers.contains($0) }
            for column in data.columns where !excluded.contains(column.name) && !column.isNumeric && !column.isUnnamed {
                if case .mixed = column.kind, let text = column.firstText {
                    warnings.append(.init("column_left_out", "column '\(column.name)' mixes numbers and text (row \(text.row): '\(text.value)'); it is left out of the default drivers"))
                } else if column.firstNonFinite != nil {
                    warnings.append(.init("column_left_out", "column '\(column.name)' holds infinite values; it is left out of the default drivers"))
                }
            }
        }
        guard !drivers.isEmpty else { throw ImportanceError.tooFewDrivers(count: 0, minimum: 1) }
        try Self.checkRoles(drivers: drivers, configuration: c)
        for name in drivers { _ = try data.numericValues(name) }
        let outcomeColumn = try data.column(c.outcome)
        let distinct = Set(try data.numericValues(c.outcome).filter { !$0.isNaN })
        let kind: DriverReport.ModelKind
        switch c.model {
        case .linear: kind = .linear
        case .ordinal: kind = .ordinal
        case .logistic: kind = .logistic
        case .auto:
            if case .binary = outcomeColumn.kind { kind = .logistic } else { kind = distinct.count == 2 && distinct.isSubset(of: [0, 1]) ? .logistic : .linear }
        }
        if kind == .linear && distinct.count == 2 {
            warnings.append(.init("binary_outcome_linear", "the outcome '\(c.outcome)' has two values but is fitted as linear; consider --model logistic"))
        }
        outcome = c.outcome
        self.drivers = drivers
        controls = c.controls
        modelKind = kind
        self.warnings = warnings
    }

    /// Refuses a column listed twice or in two roles.
    static func checkRoles(drivers: [String], configuration c: AnalysisConfiguration) throws {
        var seen = Set<String>()
        for name in drivers where !seen.insert(name).inserted { throw AnalysisError.duplicateDriver(name: name, role: "driver") }
        if seen.contains(c.outcome) { throw AnalysisError.outcomeAmongDrivers(outcome: c.outcome) }
        var controls = Set<String>()
        for name in c.controls {
            guard controls.insert(name).inserted else { throw AnalysisError.duplicateDriver(name: name, role: "control") }
            if seen.contains(name) { throw AnalysisError.conflictingRoles(column: name, roles: ["a driver", "a control"]) }
            if name == c.outcome { throw AnalysisError.conflictingRoles(column: name, roles: ["the outcome", "a control"]) }
        }
        let others: [(String?, String)] = [(c.weight, "the weight"), (c.segment, "the segment")]
        for (column, role) in others {
            guard let column else { continue }
            if column == c.outcome { throw AnalysisError.conflictingRoles(column: column, roles: ["the outcome", role]) }
            if seen.contains(column) { throw AnalysisError.conflictingRoles(column: column, roles: ["a driver", role]) }
        }
        for group in c.groups {
            var members = Set<String>()
            for member in group.members where !members.insert(member).inserted {
                throw AnalysisError.duplicateDriver(name: member, role: "member of group '\(group.name)'")
            }
        }
    }
}

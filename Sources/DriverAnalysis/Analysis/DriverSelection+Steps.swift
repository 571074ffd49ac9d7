import LinearAlgebra

extension DriverSelection {
    /// The drivers named in `c`, or by default every usable column not in another role (numeric,
    /// a default factor, or declared a factor) — without `--exclude` names and, by default,
    /// without identifier-like columns; notes every column left out.
    static func chooseDrivers(data: SurveyData, configuration c: AnalysisConfiguration,
                              warnings: inout [DriverReport.Warning]) throws -> [String] {
        var excluded = Set([c.outcome] + [c.weight, c.segment, c.nps].compactMap { $0 } + c.controls)
        if case let .column(name)? = c.margin { excluded.insert(name) }
        var drivers = c.drivers ?? data.columns.filter { column in
            !excluded.contains(column.name) && !column.isUnnamed && c.declaredRole(of: column.name) != .control
                && (column.isNumeric || Self.defaultFactor(column, limit: c.factorLevelLimit, rows: data.rowCount)
                    || c.declaredKind(of: column.name) == .factor)
        }.map(\.name)
        let withoutExcluded = Self.removingExcluded(drivers, c)
        drivers = withoutExcluded.kept
        if let note = withoutExcluded.note { warnings.append(note) }
        if c.drivers == nil {
            // Identifier columns (all values distinct whole numbers) are not drivers.
            let identifiers = try Self.identifierColumns(drivers, in: data, categorical: Set(c.categorical))
            for name in drivers where identifiers.contains(name) {
                warnings.append(.init(.columnLeftOut, "column '\(name)' looks like an identifier (every value distinct); it is left out of the default drivers"))
            }
            drivers.removeAll { identifiers.contains($0) }
            if case let .column(name)? = c.margin, (try? data.column(name).isNumeric) == true {
                warnings.append(.init(.columnLeftOut, "column '\(name)' is the margin; it is left out of the default drivers (name it as a driver to keep it in the model: its what-if then moves the margin too)"))
            }
            warnings += Self.leftOutColumnNotes(data: data, configuration: c, excluded: excluded, chosen: Set(drivers))
        }
        return drivers
    }

    /// The numeric, not declared categorical, columns among `drivers` whose values are 20 or
    /// more distinct whole numbers — identifiers, not measurements.
    static func identifierColumns(_ drivers: [String], in data: SurveyData, categorical declaredCategorical: Set<String>) throws -> Set<String> {
        try Set(drivers.filter { name in
            guard try data.column(name).isNumeric, !declaredCategorical.contains(name) else { return false }
            let values = try data.numericValues(name).filter { !$0.isNaN }
            // Identifiers are whole numbers a Double holds exactly (|x| < 2⁵³): values such
            // as 1e200 are whole in floating point but are measurements on a huge scale.
            guard values.count >= 20, let low = values.min(), let high = values.max(),
                  max(abs(low), abs(high)) < 9_007_199_254_740_992,
                  high - low >= Double(values.count - 1),     // n distinct whole numbers span at least n − 1
                  values.allSatisfy({ $0 == $0.rounded() }) else { return false }
            return Set(values).count == values.count
        })
    }

    /// Notes for the columns the default drivers leave out: unnamed columns, mixed or infinite
    /// columns, and text columns that are not factors (an identifier, one value, too many values).
    static func leftOutColumnNotes(data: SurveyData, configuration c: AnalysisConfiguration, excluded: Set<String>,
                                   chosen: Set<String>) -> [DriverReport.Warning] {
        var warnings: [DriverReport.Warning] = []
        for column in data.columns where column.isUnnamed && !excluded.contains(column.name) {
            warnings.append(.init(.columnLeftOut, "column \(column.position) has no header (read as '\(column.name)', often a spreadsheet's row index); it is left out of the default drivers — give it a header to use it"))
        }
        for column in data.columns where !excluded.contains(column.name) && !column.isNumeric && !column.isUnnamed {
            if case .mixed = column.kind, let text = column.firstText {
                warnings.append(.init(.columnLeftOut, "column '\(column.name)' mixes numbers and text (row \(text.row): '\(text.value)'); it is left out of the default drivers"))
            } else if let bad = column.firstNonFinite {
                warnings.append(.init(.columnLeftOut, "column '\(column.name)' holds infinite values (row \(bad.row): '\(bad.value)'); it is left out of the default drivers — fix the cell or declare it missing (--na-values)"))
            } else if case let .categorical(levels) = column.kind, !chosen.contains(column.name) {
                let present = OutcomeCoding.presentLevels(column).count
                let reason = present == column.values.count - column.missingCount && present >= 20
                    ? "looks like an identifier (every value distinct)"
                    : present < 2 ? "has a single value" : "has \(levels.count) text values (more than \(c.factorLevelLimit)): name it with --driver or group its levels"
                warnings.append(.init(.columnLeftOut, "column '\(column.name)' \(reason); it is left out of the default drivers"))
            }
        }
        return warnings
    }

    /// Each driver's variable; kinds are inferred from every cell: one driver per task, both cores busy.
    static func variables(_ names: [String], in data: SurveyData, configuration c: AnalysisConfiguration) throws -> [DriverVariable] {
        try Parallel.map(names.count) { j in
            Result { try Self.variable(names[j], in: data, configuration: c) }
        }.map { try $0.get() }
    }

    /// Notes for numeric drivers that would be ratings but for a few cells of a common
    /// missing-answer code (−99, 999, …).
    static func missingCodeNotes(_ variables: [DriverVariable], in data: SurveyData) throws -> [DriverReport.Warning] {
        var warnings: [DriverReport.Warning] = []
        for variable in variables where variable.kind == .numeric {
            let values = try data.numericValues(variable.name).filter { !$0.isNaN }
            let codes: Set<Double> = [-99, -98, -97, -9, -8, -1, 99, 98, 999, -999, 9999]
            let suspicious = values.filter { codes.contains($0) }
            guard !suspicious.isEmpty, suspicious.count * 5 < values.count else { continue }
            let rest = values.filter { !codes.contains($0) }
            if case .rating = DriverVariable.inferKind(values: rest).kind, let scale = DriverVariable.inferKind(values: rest).scale {
                let shown = Set(suspicious).sorted().map { NumberFormat.significant($0) }.joined(separator: ", ")
                warnings.append(.init(.missingCodeSuspected, "'\(variable.name)' looks like a \(NumberFormat.significant(scale.lowerBound))–\(NumberFormat.significant(scale.upperBound)) rating but holds \(NumberFormat.money(Double(suspicious.count))) cells of \(shown): if these code missing answers, declare them (--na-values \(shown)); as it is, the column is analysed as a plain number"))
            }
        }
        return warnings
    }

    /// One note for every rating with zeros outside its scale (an airline file has a dozen);
    /// `nil` when none has.
    static func zerosOutsideScaleNote(_ variables: [DriverVariable], in data: SurveyData) throws -> DriverReport.Warning? {
        var zeroColumns: [(name: String, zeros: Int, scale: ClosedRange<Double>)] = []
        for variable in variables where variable.kind == .rating && !variable.scaleDeclared {
            let zeros = variable.zerosOutsideScale(try data.numericValues(variable.name))
            guard zeros > 0, let scale = variable.scale else { continue }
            zeroColumns.append((variable.name, zeros, scale))
        }
        guard !zeroColumns.isEmpty else { return nil }
        let listed = zeroColumns.map { column in
            "'\(column.name)' (\(NumberFormat.significant(column.scale.lowerBound))–\(NumberFormat.significant(column.scale.upperBound)), \(NumberFormat.money(Double(column.zeros))) zeros)"
        }.joined(separator: ", ")
        let how = zeroColumns.prefix(2).map { "--na-values '\($0.name)=0'" }.joined(separator: " ") + (zeroColumns.count > 2 ? " …" : "")
        return .init(.zerosOutsideScale, "\(zeroColumns.count == 1 ? "a rating holds" : "\(zeroColumns.count) ratings hold") zeros outside \(zeroColumns.count == 1 ? "its" : "their") scale: \(listed); if 0 means \"not applicable\", declare it missing (\(how))")
    }

    /// The model `--model` names, or for `auto` logistic for a two-valued outcome and linear
    /// otherwise; appends the outcome coding's notes (logistic) or the two-values note (linear).
    static func modelKind(_ c: AnalysisConfiguration, coding: OutcomeCoding, data: SurveyData,
                          warnings: inout [DriverReport.Warning]) throws -> DriverReport.ModelKind {
        let outcomeValues = try coding.values(in: data)
        var distinct = Set<Double>()
        for v in outcomeValues where !v.isNaN {
            distinct.insert(v)
            if distinct.count > 2 { break }
        }
        let kind: DriverReport.ModelKind
        switch c.model {
        case .linear: kind = .linear
        case .ordinal: kind = .ordinal
        case .logistic: kind = .logistic
        case .auto: kind = coding.event != nil ? .logistic : .linear
        }
        if kind == .logistic { warnings += coding.warnings }
        if kind == .linear && distinct.count == 2 {
            warnings.append(.init(.binaryOutcomeLinear, "the outcome '\(c.outcome)' has two values but is fitted as linear; consider --model logistic"))
        }
        return kind
    }

    /// Each driver's role — declared, else a derived driver (a product of two others) or a
    /// common profile name is an attribute, everything else a lever — with the notes naming the
    /// derived drivers and the attributes assumed by name; refuses an ignored `--what-if-move`.
    static func resolveRoles(_ variables: [DriverVariable], in data: SurveyData, configuration c: AnalysisConfiguration,
                             warnings: inout [DriverReport.Warning]) throws -> [AnalysisConfiguration.DriverRole] {
        let derived = Self.derivedDrivers(variables, in: data, outcome: c.outcome)
        for (name, factors) in derived {
            warnings.append(.init(.derivedDriver, "'\(name)' is (almost exactly) \(factors.0) × \(factors.1): a consequence of those columns, not a lever of its own — it is read as an attribute (no what-if) unless declared --role \(name)=lever"))
        }
        try Self.checkMoves(c, variables: variables)
        let derivedNames = Set(derived.map(\.name))
        let roles = variables.map { c.role(of: $0.name, derived: derivedNames.contains($0.name)) }
        let assumed = variables.indices.filter { j in
            roles[j] == .attribute && c.declaredRole(of: variables[j].name) == nil && !derivedNames.contains(variables[j].name)
        }.map { variables[$0].name }
        if let note = AnalysisConfiguration.profileAttributesNote(assumed) { warnings.append(note) }
        return roles
    }
}

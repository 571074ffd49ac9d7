import LinearAlgebra

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
    /// What kind of variable each driver is (rating, binary, numeric, factor), parallel to ``drivers``.
    public let variables: [DriverVariable]
    /// How the outcome is coded (the event of a two-valued outcome and its meaning).
    public let outcomeCoding: OutcomeCoding
    /// Always-in covariates.
    public let controls: [String]
    /// The model the outcome calls for.
    public let modelKind: DriverReport.ModelKind
    /// Per driver: its role, declared (``AnalysisConfiguration/roles``) or by default
    /// (common profile names are attributes, everything else a lever).
    public let roles: [AnalysisConfiguration.DriverRole]
    /// Notes about columns left out and the model choice.
    public let warnings: [DriverReport.Warning]

    /// Selects the columns of `configuration` in `data`.
    ///
    /// - Parameters:
    ///   - data: the survey.
    ///   - c: the analysis options: outcome, drivers (`nil` for the default ones), controls, roles and
    ///     declarations.
    /// - Throws: ``AnalysisError`` for a configuration that cannot be carried out,
    ///   ``SurveyDataError`` for an unknown (the outcome checked first, with the nearest names) or
    ///   unusable column, ``ImportanceError/tooFewDrivers(count:minimum:)`` when no driver remains.
    /// Complexity: O(rows × columns) for the default drivers (identifier check), else O(drivers).
    public init(data: SurveyData, configuration c: AnalysisConfiguration) throws {
        try c.validate()
        // The outcome first: an unknown outcome is named (with the nearest columns) before the
        // drivers are chosen — in an empty survey there would be no driver to complain about.
        _ = try data.column(c.outcome)
        var warnings: [DriverReport.Warning] = []
        // A declaration (scale, role, kind, polarity, exclusion) that matches no column would be ignored: name it.
        try Self.checkDeclarations(c, columns: data.columnNames)
        let drivers = try Self.chooseDrivers(data: data, configuration: c, warnings: &warnings)
        guard !drivers.isEmpty else { throw ImportanceError.tooFewDrivers(count: 0, minimum: 1) }
        try Self.checkRoles(drivers: drivers, configuration: c)
        let variables = try Self.variables(drivers, in: data, configuration: c)
        warnings += try Self.missingCodeNotes(variables, in: data)
        if let note = try Self.zerosOutsideScaleNote(variables, in: data) { warnings.append(note) }
        for reference in c.references where !drivers.contains(reference.column) {
            throw AnalysisError.invalidOption(option: "reference", value: "\(reference.column)=\(reference.level)", reason: "'\(reference.column)' is not a driver")
        }
        let coding = try OutcomeCoding(data: data, configuration: c)
        let kind = try Self.modelKind(c, coding: coding, data: data, warnings: &warnings)
        outcome = c.outcome
        self.drivers = drivers
        self.variables = variables
        roles = try Self.resolveRoles(variables, in: data, configuration: c, warnings: &warnings)
        for variable in variables where c.isLowerBetter(variable.name) && variable.kind == .factor {
            throw AnalysisError.invalidOption(option: "lower-is-better", value: variable.name, reason: "'\(variable.name)' is a factor: its levels have no order (declare the what-if with --what-if-move instead)")
        }
        let counted = variables.filter { $0.kind == .count && c.declaredKind(of: $0.name) == nil }.map(\.name)
        if !counted.isEmpty {
            warnings.append(.init(.countsByName, "\(counted.joined(separator: ", ")) read as counts, not ratings, by their names: never on the priority matrix, and their what-if stays within the observed range (declare --kind COL=rating to change)"))
        }
        outcomeCoding = coding
        controls = c.controls
        modelKind = kind
        self.warnings = warnings
    }

    /// `drivers` without those `--exclude` names (``AnalysisConfiguration/excluded``), and the
    /// `excluded` note naming them (`nil` when none is left out) — the one rule of the file,
    /// streamed and warehouse paths.
    static func removingExcluded(_ drivers: [String], _ c: AnalysisConfiguration) -> (kept: [String], note: DriverReport.Warning?) {
        let excluded = drivers.filter { c.isExcluded($0) }
        guard !excluded.isEmpty else { return (drivers, nil) }
        return (drivers.filter { !c.isExcluded($0) }, .init(.excluded, "\(excluded.joined(separator: ", ")) left out of the drivers (--exclude)"))
    }

    /// A text column that becomes a factor by default: 2 to `limit` levels present, not an identifier.
    static func defaultFactor(_ column: SurveyColumn, limit: Int, rows: Int) -> Bool {
        guard case .categorical = column.kind else { return false }
        let present = OutcomeCoding.presentLevels(column).count
        let answered = column.values.count - column.missingCount
        return present >= 2 && present <= limit && !(present == answered && present >= 20)
    }

    /// The kind of the driver `name`: a factor for text (and declared categorical) columns, else
    /// inferred from the values (or the declared scale).
    ///
    /// - Throws: ``SurveyDataError`` for a column that is not usable, has too many or too few
    ///   levels, a reference level it does not hold, or values outside a declared scale.
    static func variable(_ name: String, in data: SurveyData, configuration c: AnalysisConfiguration) throws -> DriverVariable {
        let column = try data.column(name)
        let reference = c.references.last { $0.column == name }?.level
        let declaredScale = c.declaredScale(of: name)
        let declaredKind = c.declaredKind(of: name)
        func factor(levels: [String]) throws -> DriverVariable {
            let present = levels.count
            guard present >= 2 else { throw SurveyDataError.unusableFactor(column: name, reason: "it has a single value") }
            guard present <= AnalysisConfiguration.factorLevelHardLimit else {
                throw SurveyDataError.unusableFactor(column: name, reason: "it has \(present) values (at most \(AnalysisConfiguration.factorLevelHardLimit) levels): group its levels first")
            }
            if let reference, !levels.contains(reference) {
                throw SurveyDataError.unknownLevel(column: name, level: reference, levels: levels)
            }
            return DriverVariable(name: name, kind: .factor, levels: levels, declaredReference: reference)
        }
        if case let .categorical(levels) = column.kind {
            if declaredScale != nil { throw AnalysisError.invalidOption(option: "scale", value: name, reason: "'\(name)' holds text, not ratings") }
            if let declaredKind, declaredKind != .factor {
                throw AnalysisError.invalidOption(option: "kind", value: "\(name)=\(declaredKind.rawValue)", reason: "'\(name)' holds text (\(levels.prefix(3).joined(separator: ", "))…): it can only be a factor")
            }
            return try factor(levels: levels)
        }
        if case let .binary(zero, one) = column.kind, c.categorical.contains(name) || reference != nil || declaredKind == .factor {
            return try factor(levels: [zero, one].sorted())
        }
        let values = try data.numericValues(name)
        if c.categorical.contains(name) || declaredKind == .factor {
            let distinct = Array(Set(values.filter { !$0.isNaN })).sorted()
            guard distinct.count <= AnalysisConfiguration.factorLevelHardLimit else {
                throw SurveyDataError.unusableFactor(column: name, reason: "it has \(distinct.count) distinct values (at most \(AnalysisConfiguration.factorLevelHardLimit) levels)")
            }
            return try factor(levels: distinct.map { NumberFormat.significant($0, digits: 15) }.sorted())
        }
        if reference != nil { throw AnalysisError.invalidOption(option: "reference", value: name, reason: "'\(name)' is numeric; declare it categorical first (--categorical)") }
        if let declaredScale {
            let scale = declaredScale.lower...declaredScale.upper
            if let bad = values.firstIndex(where: { !$0.isNaN && !scale.contains($0) }) {
                throw SurveyDataError.outsideScale(path: data.source, row: data.rowNumbers[bad], column: name, value: values[bad],
                                                   scale: "\(NumberFormat.significant(scale.lowerBound))..\(NumberFormat.significant(scale.upperBound))")
            }
            return DriverVariable(name: name, kind: .rating, scale: scale, scaleDeclared: true)
        }
        return try numericVariable(name, inferred: DriverVariable.inferKind(values: values), configuration: c)
    }

    /// A numeric driver's variable from the kind its values suggest and the declarations of `c`
    /// (a declared kind wins; a whole-number column named like a count is a count) — shared by
    /// the file path and the engine path, which infers from the engine's profile of the column.
    static func numericVariable(_ name: String, inferred: (kind: DriverVariable.Kind, scale: ClosedRange<Double>?),
                                configuration c: AnalysisConfiguration) throws -> DriverVariable {
        let declaredKind = c.declaredKind(of: name)
        switch declaredKind {
        case .count?, .amount?:
            return DriverVariable(name: name, kind: declaredKind == .count ? .count : .amount)
        case .binary?:
            guard inferred.kind == .binary else {
                throw AnalysisError.invalidOption(option: "kind", value: "\(name)=binary", reason: "'\(name)' holds values other than 0 and 1")
            }
            return DriverVariable(name: name, kind: .binary)
        case .rating?:
            guard let scale = inferred.scale else {
                throw AnalysisError.invalidOption(option: "kind", value: "\(name)=rating", reason: "no common scale (1–5, 1–7, 1–10, 0–10) holds its values: declare it with --scale '\(name)=LO..HI'")
            }
            return DriverVariable(name: name, kind: .rating, scale: scale)
        default:
            break
        }
        // A whole-number column named like a count (calls, contacts, products, months) is a count
        // even when its values fit a rating scale.
        if inferred.kind == .rating && AnalysisConfiguration.namedLikeCount(name) {
            return DriverVariable(name: name, kind: .count)
        }
        return DriverVariable(name: name, kind: inferred.kind, scale: inferred.scale)
    }

    /// Numeric drivers that are (almost) the product of two other numeric columns — Telco's
    /// `TotalCharges ≈ tenure × MonthlyCharges` — with those two: correlation above 0.995 on the
    /// first 5,000 rows where all three are present. O(drivers × columns² × 5,000).
    static func derivedDrivers(_ variables: [DriverVariable], in data: SurveyData, outcome: String) -> [(name: String, factors: (String, String))] {
        let limit = 5_000
        let numeric = data.columns.filter { $0.isNumeric && $0.name != outcome }.map(\.name).prefix(40)
        let values: [String: [Double]] = Dictionary(numeric.compactMap { name in (try? data.numericValues(name)).map { (name, Array($0.prefix(limit * 4))) } },
                                                   uniquingKeysWith: { first, _ in first })
        var found: [(name: String, factors: (String, String))] = []
        for variable in variables where [.numeric, .amount].contains(variable.kind) {
            guard let c = values[variable.name] else { continue }
            let others = numeric.filter { $0 != variable.name }
            search: for (i, a) in others.enumerated() {
                for b in others[(i + 1)...] {
                    guard let x = values[a], let y = values[b] else { continue }
                    var product: [Double] = [], target: [Double] = []
                    for r in 0..<min(c.count, x.count, y.count) where !(c[r].isNaN || x[r].isNaN || y[r].isNaN) {
                        product.append(x[r] * y[r]); target.append(c[r])
                        if product.count == limit { break }
                    }
                    guard product.count >= 30, Self.correlation(product, target) > 0.995 else { continue }
                    found.append((variable.name, (a, b)))
                    break search
                }
            }
        }
        return found
    }

    static func correlation(_ x: [Double], _ y: [Double]) -> Double {
        let n = Double(x.count), mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for (a, b) in zip(x, y) { sxy += (a - mx) * (b - my); sxx += (a - mx) * (a - mx); syy += (b - my) * (b - my) }
        return sxx > 0 && syy > 0 ? sxy / (sxx * syy).squareRoot() : 0
    }

    /// Refuses a `--what-if-move` that would be ignored: not a driver, a number (its what-if is a
    /// step), or a driver declared an attribute.
    static func checkMoves(_ c: AnalysisConfiguration, variables: [DriverVariable]) throws {
        for move in c.levelMoves {
            let value = "\(move.column)=\(move.from)>\(move.to)"
            guard let variable = variables.first(where: { $0.name == move.column }) else {
                throw AnalysisError.invalidOption(option: "what-if-move", value: value, reason: "'\(move.column)' is not a driver of this analysis")
            }
            guard variable.kind == .factor || variable.kind == .binary else {
                throw AnalysisError.invalidOption(option: "what-if-move", value: value, reason: "'\(move.column)' is a \(variable.kind.rawValue): its what-if moves it by a step (--what-if-delta for ratings, one standard deviation for other numbers); --what-if-move is for factors and Yes/No drivers")
            }
            if c.declaredRole(of: move.column) == .attribute {
                throw AnalysisError.invalidOption(option: "what-if-move", value: value, reason: "'\(move.column)' is declared an attribute, which gets no what-if (declare it --role \(move.column)=lever)")
            }
        }
    }

    /// Refuses a declared pattern (scale, role, kind, polarity, exclusion) that matches no
    /// column, naming the option and the nearest names.
    static func checkDeclarations(_ c: AnalysisConfiguration, columns: [String]) throws {
        // Declarations that contradict each other or the outcome would be silently overruled.
        for (option, pattern) in c.declaredPatterns where option != "scale" && pattern.matches(c.outcome) && !pattern.isGlob {
            throw AnalysisError.invalidOption(option: option, value: pattern.text, reason: "'\(c.outcome)' is the outcome, not a driver")
        }
        for name in columns {
            let roles = Set(c.roles.filter { !$0.pattern.isGlob && $0.pattern.matches(name) }.map(\.role))
            if roles.count > 1 {
                throw AnalysisError.invalidOption(option: "role", value: name, reason: "'\(name)' is declared \(roles.map(\.rawValue).sorted().joined(separator: " and ")); give it one role")
            }
            let kinds = Set(c.kinds.filter { !$0.pattern.isGlob && $0.pattern.matches(name) }.map(\.kind))
            if kinds.count > 1 {
                throw AnalysisError.invalidOption(option: "kind", value: name, reason: "'\(name)' is declared \(kinds.map(\.rawValue).sorted().joined(separator: " and ")); give it one kind")
            }
            if c.isExcluded(name), let role = c.roles.first(where: { !$0.pattern.isGlob && $0.pattern.matches(name) }) {
                throw AnalysisError.invalidOption(option: "exclude", value: name, reason: "'\(name)' is excluded but declared --role \(name)=\(role.role.rawValue)")
            }
        }
        for (option, pattern) in c.declaredPatterns where !columns.contains(where: pattern.matches) {
            if !pattern.isGlob && option == "scale" {
                throw SurveyDataError.unknownColumn(name: pattern.text, suggestions: ColumnNameSuggestions.nearest(to: pattern.text, in: columns))
            }
            let nearest = ColumnNameSuggestions.nearest(to: pattern.text, in: columns)
            throw AnalysisError.invalidOption(option: option, value: pattern.text,
                                              reason: "it matches no column" + (nearest.isEmpty ? "" : "; the nearest names are \(nearest.prefix(3).joined(separator: ", "))"))
        }
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

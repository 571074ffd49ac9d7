/// The steps of ``SurveyData/joined(_:options:)``: column naming, gathering a source's column
/// onto the base's customers, canonical codings, conflicts and scale checks.
enum ProfileAssembly {
    /// One profile column: source index, its name there, its name in the profile.
    struct Entry: Sendable, Equatable {
        let source: Int
        let column: String
        let name: String
    }

    /// Customer index by matching key (built by insertion: keys are unique after reduction).
    static func lookup(_ source: ReducedSource) -> [String: Int] {
        var lookup: [String: Int] = [:]
        lookup.reserveCapacity(source.keys.count)
        for (k, key) in source.keys.enumerated() where lookup[key] == nil { lookup[key] = k }
        return lookup
    }

    /// Profile columns: every base column under its own name; every other source's columns but
    /// its key, under their own names unless another source holds the name, then `source.column`
    /// (with `_2`, `_3`… should even that be taken). O(total columns).
    static func plan(_ sources: [ProfileSource]) -> [Entry] {
        plan(sources.map { (name: $0.name, key: $0.key, columns: $0.data.columnNames) })
    }

    /// The same naming from the sources' names, keys and column names (the warehouse profile
    /// reads them from the engine).
    static func plan(_ sources: [(name: String, key: String, columns: [String])]) -> [Entry] {
        var count: [String: Int] = [:]
        for (s, source) in sources.enumerated() {
            for name in source.columns where s == 0 || name != source.key { count[name, default: 0] += 1 }
        }
        var entries: [Entry] = [], used = Set<String>()
        for name in sources[0].columns {
            entries.append(Entry(source: 0, column: name, name: name))
            used.insert(name)
        }
        for (s, source) in sources.enumerated().dropFirst() {
            for name in source.columns where name != source.key {
                var chosen = (count[name] ?? 0) > 1 ? "\(source.name).\(name)" : name
                var suffix = 2
                while used.contains(chosen) {
                    chosen = "\(source.name).\(name)_\(suffix)"
                    suffix += 1
                }
                used.insert(chosen)
                entries.append(Entry(source: s, column: name, name: chosen))
            }
        }
        return entries
    }

    /// Why `entry` is not a default driver (a rule's date column, another source's copy of a base
    /// column), or `nil`.
    static func notADriver(_ entry: Entry, sources: [ProfileSource]) -> String? {
        let source = sources[entry.source]
        if source.repeated?.dateColumn == entry.column { return "the date column of the repeated-answer rule of source '\(source.name)'" }
        if entry.source > 0 && sources[0].data.columnNames.contains(entry.column) {
            return "the copy of the base column '\(entry.column)' from source '\(source.name)'"
        }
        return nil
    }

    /// `column` of a reduced source laid onto the base's customers (`rows[i]`: the source's row
    /// of base customer `i`, `nil` when absent), with canonical codings: Yes/No for two-valued
    /// text, categorical levels restricted to those used. Returns the coding change, if any.
    static func gather(_ column: SurveyColumn, rows: [Int?]) -> (SurveyColumn, String?) {
        var values = rows.map { $0.map { column.values[$0] } ?? .nan }
        var kind = column.kind
        var coding: String? = nil
        switch column.kind {
        case let .binary(zero, one):
            kind = .binary(zero: "No", one: "Yes")
            if zero != "No" || one != "Yes" { coding = "\(one)/\(zero) -> Yes/No" }
        case let .categorical(levels):
            var used = [Bool](repeating: false, count: levels.count)
            for value in values { if let code = Int(exactly: value), code >= 0, code < levels.count { used[code] = true } }
            var newCode = [Double](repeating: .nan, count: levels.count), kept: [String] = []
            for (code, level) in levels.enumerated() where used[code] {
                newCode[code] = Double(kept.count)
                kept.append(level)
            }
            values = values.map { value in Int(exactly: value).flatMap { $0 >= 0 && $0 < levels.count ? newCode[$0] : nil } ?? .nan }
            kind = .categorical(levels: kept)
        case .numeric, .mixed:
            break
        }
        var joined = SurveyColumn(name: column.name, position: column.position, isUnnamed: column.isUnnamed, kind: kind, values: values,
                                  missingCount: values.reduce(0) { $1.isNaN ? $0 + 1 : $0 },
                                  firstText: column.firstText, firstNonFinite: column.firstNonFinite)
        joined.mixedText = column.mixedText.map { text in
            SurveyColumn.MixedText(codes: rows.map { $0.map { text.codes.indices.contains($0) ? text.codes[$0] : -1 } ?? -1 }, levels: text.levels)
        }
        if case .mixed = kind { joined = recount(joined) }
        return (joined, coding)
    }

    /// A mixed column's missing count: cells with neither a number nor text.
    static func recount(_ column: SurveyColumn) -> SurveyColumn {
        let missing = column.values.indices.reduce(0) { column.hasValue($1) ? $0 : $0 + 1 }
        var counted = SurveyColumn(name: column.name, position: column.position, isUnnamed: column.isUnnamed, kind: column.kind,
                                   values: column.values, missingCount: missing, firstText: column.firstText,
                                   firstNonFinite: column.firstNonFinite)
        counted.mixedText = column.mixedText
        return counted
    }

    /// Same-named columns of different sources that disagree for a customer. Numbers and Yes/No
    /// codes compare as numbers (`Yes` = 1), anything else as text. O(customers × shared names).
    static func conflicts(plan: [Entry], columns: [SurveyColumn], sources: [ProfileSource], keys: [String], limit: Int) -> [ProfileConflict] {
        var byName: [String: [Int]] = [:], order: [String] = []
        for (k, entry) in plan.enumerated() {
            if byName[entry.column] == nil { order.append(entry.column) }
            byName[entry.column, default: []].append(k)
        }
        var found: [ProfileConflict] = []
        for name in order {
            guard let indices = byName[name], indices.count > 1, let first = indices.first, first < columns.count else { continue }
            for other in indices.dropFirst() where other < columns.count {
                let a = columns[first], b = columns[other]
                var differing: [Int] = []
                for i in 0..<a.values.count where a.hasValue(i) && b.hasValue(i) && !same(a, b, row: i) { differing.append(i) }
                guard !differing.isEmpty else { continue }
                found.append(ProfileConflict(
                    column: name, sources: [sources[plan[first].source].name, sources[plan[other].source].name],
                    columns: [a.name, b.name], customers: differing.count,
                    examples: differing.prefix(limit).map { .init(key: keys[$0], values: [a.cellText($0) ?? "", b.cellText($0) ?? ""]) }))
            }
        }
        return found
    }

    static func same(_ a: SurveyColumn, _ b: SurveyColumn, row i: Int) -> Bool {
        func isNumber(_ c: SurveyColumn) -> Bool {
            switch c.kind { case .numeric, .binary: return true; case .categorical, .mixed: return false }
        }
        if isNumber(a) && isNumber(b) { return a.values[i] == b.values[i] }
        return a.cellText(i) == b.cellText(i)
    }

    /// Declared scales name columns of the source, and its values lie on them.
    ///
    /// - Throws: ``ProfileError/unknownColumn(source:column:role:suggestions:)`` or
    ///   ``ProfileError/sourceData(source:error:)`` wrapping ``SurveyDataError/outsideScale(path:row:column:value:scale:)``.
    static func checkScales(_ source: ProfileSource) throws {
        for scale in source.scales {
            guard let column = source.data.columns.first(where: { $0.name == scale.column }) else {
                throw ProfileError.unknownColumn(source: source.name, column: scale.column, role: "rating in a scale",
                                                 suggestions: ColumnNameSuggestions.nearest(to: scale.column, in: source.data.columnNames))
            }
            let text = "\(NumberFormat.significant(scale.lower))..\(NumberFormat.significant(scale.upper))"
            guard scale.lower.isFinite, scale.upper.isFinite, scale.lower < scale.upper else {
                throw AnalysisError.invalidOption(option: "scale", value: "\(source.name):\(scale.column)=\(text)", reason: "a rating scale runs from a lower to a higher finite value")
            }
            if case .numeric = column.kind {} else {
                let bad = column.firstText ?? (row: 0, value: "")
                throw ProfileError.sourceData(source: source.name, error: .nonNumeric(path: source.data.source, row: bad.row, column: scale.column, value: bad.value))
            }
            if let bad = column.values.firstIndex(where: { !$0.isNaN && !(scale.lower...scale.upper).contains($0) }) {
                throw ProfileError.sourceData(source: source.name, error: .outsideScale(
                    path: source.data.source, row: source.data.rowNumbers[bad], column: scale.column, value: column.values[bad], scale: text))
            }
        }
    }
}

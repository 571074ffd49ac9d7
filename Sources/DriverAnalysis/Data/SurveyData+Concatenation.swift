extension SurveyData {
    /// The respondents of `self` followed by those of `other` (e.g. two survey waves), columns
    /// matched **by name** whatever their order; the result keeps `self`'s column order.
    /// Categorical columns get the union of their levels (codes re-mapped); binary columns must
    /// have the same two labels. Row numbers are kept, so messages still point into each source.
    ///
    /// - Parameter other: the respondents to add after `self`'s, with the same column names.
    /// - Throws: ``SurveyDataError/columnSetMismatch(missing:extra:)`` when the two hold
    ///   different columns, ``SurveyDataError/nonNumeric(path:row:column:value:)`` when a column
    ///   is numbers in one and text in the other.
    /// Complexity: O(rows × columns).
    public func appending(_ other: SurveyData) throws -> SurveyData {
        let mine = Set(columnNames), theirs = Set(other.columnNames)
        guard mine == theirs, columns.count == other.columns.count else {
            throw SurveyDataError.columnSetMismatch(missing: columnNames.filter { !theirs.contains($0) },
                                                    extra: other.columnNames.filter { !mine.contains($0) })
        }
        var byName: [String: SurveyColumn] = [:]
        for column in other.columns { byName[column.name] = column }
        let combined = try columns.map { a -> SurveyColumn in
            guard let b = byName[a.name] else { throw SurveyDataError.columnSetMismatch(missing: [a.name], extra: []) }
            return try Self.concatenate(a, b, sources: (source, other.source))
        }
        return SurveyData(source: source == other.source ? source : "\(source) + \(other.source)", columns: combined,
                          rowNumbers: rowNumbers + other.rowNumbers)
    }

    static func concatenate(_ a: SurveyColumn, _ b: SurveyColumn, sources: (String, String)) throws -> SurveyColumn {
        let kind: SurveyColumn.Content
        var values: [Double]
        switch (a.kind, b.kind) {
        case (.numeric, .numeric):
            kind = .numeric
            values = a.values + b.values
        case let (.binary(z1, o1), .binary(z2, o2)) where z1 == z2 && o1 == o2:
            kind = a.kind
            values = a.values + b.values
        case let (.categorical(l1), .categorical(l2)):
            let levels = Array(Set(l1).union(l2)).sorted()
            var code: [String: Double] = [:]
            for (k, level) in levels.enumerated() { code[level] = Double(k) }
            func remap(_ column: SurveyColumn, _ own: [String]) -> [Double] {
                column.values.map { v in
                    guard !v.isNaN, v >= 0, v < Double(own.count) else { return .nan }
                    return code[own[Int(v)]] ?? .nan
                }
            }
            kind = .categorical(levels: levels)
            values = remap(a, l1) + remap(b, l2)
        case (.mixed, _), (_, .mixed):
            kind = .mixed
            values = a.values + b.values
        default:
            let text = a.firstText.map { (sources.0, $0) } ?? b.firstText.map { (sources.1, $0) }
            throw SurveyDataError.nonNumeric(path: text?.0 ?? sources.1, row: text?.1.row ?? 0, column: a.name,
                                             value: "\(text?.1.value ?? "") (the column is \(a.kind) in \(sources.0) but \(b.kind) in \(sources.1))")
        }
        return SurveyColumn(name: a.name, position: a.position, isUnnamed: a.isUnnamed, kind: kind, values: values,
                            missingCount: a.missingCount + b.missingCount, firstText: a.firstText ?? b.firstText,
                            firstNonFinite: a.firstNonFinite ?? b.firstNonFinite)
    }
}

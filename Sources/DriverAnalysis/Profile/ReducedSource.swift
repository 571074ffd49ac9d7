/// One source brought to one row per customer: keys read as trimmed text, empty keys left out,
/// repeated keys reduced by the source's ``RepeatedAnswerRule`` (or refused without one).
struct ReducedSource: Sendable {
    let source: ProfileSource
    /// Matching key per customer (trimmed; lower-cased when keys ignore case), first-appearance order.
    let keys: [String]
    /// The key as first written in the source, per customer.
    let spelled: [String]
    /// One row per customer, every column of the source.
    let data: SurveyData
    /// Rows whose key cell was empty or missing, and the first file rows among them.
    let emptyKeyCount: Int
    let emptyKeyRows: [Int]
    /// Customers on more than one row, the rows beyond each one's first, and example keys.
    let repeatedCustomers: Int
    let repeatedRows: Int
    let repeatedExamples: [String]

    /// Reads the keys of `source` and reduces it. O(rows × columns); dates parsed once per level.
    init(_ source: ProfileSource, options: ProfileOptions) throws {
        self.source = source
        let data = source.data
        guard let keyColumn = data.columns.first(where: { $0.name == source.key }) else {
            throw ProfileError.unknownKey(source: source.name, key: source.key,
                                          suggestions: ColumnNameSuggestions.nearest(to: source.key, in: data.columnNames))
        }
        var groupOf: [String: Int] = [:]
        var groups: [[Int]] = [], keys: [String] = [], spelled: [String] = [], empty: [Int] = []
        for i in 0..<data.rowCount {
            guard let text = keyColumn.cellText(i)?.trimmingCharacters(in: .whitespaces), !text.isEmpty else {
                empty.append(i)
                continue
            }
            let key = options.keyCase == .insensitive ? text.lowercased() : text
            if let g = groupOf[key] {
                groups[g].append(i)
            } else {
                groupOf[key] = groups.count
                groups.append([i])
                keys.append(key)
                spelled.append(text)
            }
        }
        let repeated = groups.indices.filter { groups[$0].count > 1 }
        self.keys = keys
        self.spelled = spelled
        emptyKeyCount = empty.count
        emptyKeyRows = empty.prefix(options.exampleLimit).map { data.rowNumbers[$0] }
        repeatedCustomers = repeated.count
        repeatedRows = repeated.reduce(0) { $0 + groups[$1].count - 1 }
        repeatedExamples = repeated.prefix(options.exampleLimit).map { spelled[$0] }
        if !repeated.isEmpty && source.repeated == nil {
            throw ProfileError.repeatedKeys(source: source.name, customers: repeatedCustomers,
                                            rows: repeated.reduce(0) { $0 + groups[$1].count }, examples: repeatedExamples)
        }
        let dates = try source.repeated?.dateColumn.map { try Self.dates(in: source, column: $0) }
        let ordered = groups.map { group in Self.chronological(group, dates: dates) }
        self.data = try Self.reduce(data, groups: ordered, rule: source.repeated ?? .first, key: source.key)
    }

    /// The group's rows oldest first: undated rows first (in file order), then by date, ties in
    /// file order. Without dates, file order.
    static func chronological(_ group: [Int], dates: [Double?]?) -> [Int] {
        guard let dates, group.count > 1 else { return group }
        return group.sorted { a, b in
            switch (dates[a], dates[b]) {
            case let (x?, y?): return x < y || (x == y && a < b)
            case (nil, _?): return true
            case (_?, nil): return false
            case (nil, nil): return a < b
            }
        }
    }

    /// The kept rows (one per customer, `groups` oldest first), or the means for ``RepeatedAnswerRule/mean(dateColumn:)``.
    static func reduce(_ data: SurveyData, groups: [[Int]], rule: RepeatedAnswerRule, key: String) throws -> SurveyData {
        func newest(_ group: [Int]) -> Int { group.last ?? 0 }
        let chosen: [Int]
        switch rule {
        case .latest, .last: chosen = groups.map(newest)
        case .first: chosen = groups.map { $0.first ?? 0 }
        case .earliest(let column):
            // The oldest dated row; undated rows sort first, so skip them unless nothing is dated.
            let dateColumn = data.columns.first { $0.name == column }
            chosen = groups.map { group in group.first { dateColumn?.hasValue($0) ?? false } ?? group.first ?? 0 }
        case .mean: chosen = groups.map(newest)
        }
        let kept = try data.rows(chosen)
        guard case .mean = rule else { return kept }
        let columns = data.columns.map { column -> SurveyColumn in
            if column.name == key { return kept.columns.first { $0.name == key } ?? column }
            if column.kind == .numeric {
                let means = groups.map { group -> Double in
                    let present = group.map { column.values[$0] }.filter { !$0.isNaN }
                    return present.isEmpty ? .nan : present.reduce(0, +) / Double(present.count)
                }
                return SurveyColumn(name: column.name, position: column.position, isUnnamed: column.isUnnamed, kind: .numeric,
                                    values: means, missingCount: means.reduce(0) { $1.isNaN ? $0 + 1 : $0 },
                                    firstNonFinite: column.firstNonFinite)
            }
            // Text, Yes/No, mixed: the newest non-missing value.
            let picked = groups.map { group in group.last { column.hasValue($0) } ?? newest(group) }
            let values = picked.map { column.values[$0] }
            var reduced = SurveyColumn(name: column.name, position: column.position, isUnnamed: column.isUnnamed, kind: column.kind,
                                       values: values, missingCount: values.reduce(0) { $1.isNaN ? $0 + 1 : $0 },
                                       firstText: column.firstText, firstNonFinite: column.firstNonFinite)
            reduced.mixedText = column.mixedText?.rows(picked)
            return reduced
        }
        return SurveyData(source: data.source, columns: columns, rowNumbers: kept.rowNumbers)
    }

    /// Seconds since the epoch of each row's date (`nil` when the cell is empty).
    ///
    /// - Throws: ``ProfileError/unknownColumn(source:column:role:suggestions:)``, or
    ///   ``ProfileError/unparsableDate(source:path:row:column:value:)`` for the first cell that is
    ///   not an ISO 8601 date.
    static func dates(in source: ProfileSource, column name: String) throws -> [Double?] {
        let data = source.data
        guard let column = data.columns.first(where: { $0.name == name }) else {
            throw ProfileError.unknownColumn(source: source.name, column: name, role: "date column of the repeated-answer rule",
                                             suggestions: ColumnNameSuggestions.nearest(to: name, in: data.columnNames))
        }
        var parsed: [String: Double] = [:]
        return try (0..<data.rowCount).map { i -> Double? in
            guard let text = column.cellText(i) else { return nil }
            if let seconds = parsed[text] { return seconds }
            guard let seconds = ISODate.seconds(text) else {
                throw ProfileError.unparsableDate(source: source.name, path: data.source, row: data.rowNumbers[i], column: name, value: text)
            }
            parsed[text] = seconds
            return seconds
        }
    }
}

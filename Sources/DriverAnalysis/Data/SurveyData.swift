/// Survey responses: named columns of `Double` (one row per respondent), with missing cells
/// as `NaN`, plus where each row came from.
///
/// Load a CSV export with ``load(csv:options:)`` or wrap arrays already in memory with
/// `init(columns:)`. Select what an analysis needs with ``sample(outcome:drivers:weight:minimumRows:)``
/// (listwise deletion) or stream it into ``Moments``.
public struct SurveyData: Sendable {
    /// Where the data came from (a path, or `"<memory>"`), used in error messages.
    public let source: String
    /// The columns in file order.
    public let columns: [SurveyColumn]
    /// The 1-based row (file line where the record starts; header = 1) of each respondent.
    public let rowNumbers: [Int]

    /// Number of respondents.
    public var rowCount: Int { rowNumbers.count }
    /// Column names in file order.
    public var columnNames: [String] { columns.map(\.name) }

    /// Wraps columns already in memory, written as a literal: `SurveyData(columns: ["wifi": w, "nps": n])`.
    /// Values are used as given: `NaN` means missing.
    ///
    /// - Parameter columns: name–values pairs, all of one length, names unique; `NaN` for missing.
    /// - Throws: ``SurveyDataError/columnLengthMismatch(column:expected:found:)`` or
    ///   ``SurveyDataError/duplicateColumnName(path:name:columns:)``.
    public init(columns: KeyValuePairs<String, [Double]>) throws {
        try self.init(columns: columns.map { ($0.key, $0.value) })
    }

    /// Wraps named numeric columns built at run time (e.g. from a database query).
    /// Values are used as given: `NaN` means missing, and an infinite value makes the column
    /// unusable (``numericValues(_:)`` throws naming its row).
    ///
    /// - Parameter columns: the named columns, all of one length, names unique; `NaN` for missing.
    /// - Throws: ``SurveyDataError/columnLengthMismatch(column:expected:found:)`` or
    ///   ``SurveyDataError/duplicateColumnName(path:name:columns:)``.
    /// Complexity: O(rows × columns).
    public init(columns: [(name: String, values: [Double])]) throws {
        try self.init(columns: columns.enumerated().map { k, column in
            let infinite = column.values.firstIndex { $0.isInfinite }
            return SurveyColumn(name: column.name, position: k + 1, kind: .numeric, values: column.values,
                                missingCount: column.values.reduce(0) { $1.isNaN ? $0 + 1 : $0 },
                                firstNonFinite: infinite.map { ($0 + 2, "\(column.values[$0])") })
        })
    }

    /// Wraps typed columns (numeric, binary or categorical ``SurveyColumn``s), for example the
    /// columns of another ``SurveyData`` after a transformation. Row numbers are 2, 3, … (as
    /// in a file with a header line).
    ///
    /// - Parameter columns: the typed columns, all of one length, names unique; a categorical or binary
    ///   column's codes index its levels.
    /// - Throws: ``SurveyDataError/columnLengthMismatch(column:expected:found:)``,
    ///   ``SurveyDataError/duplicateColumnName(path:name:columns:)``, or
    ///   ``SurveyDataError/unusableFactor(column:reason:)`` for a categorical or binary column
    ///   whose codes are not those of its levels.
    public init(columns: [SurveyColumn]) throws {
        let count = columns.first?.values.count ?? 0
        var seen = Set<String>()
        for (k, column) in columns.enumerated() {
            guard column.values.count == count else {
                throw SurveyDataError.columnLengthMismatch(column: column.name, expected: count, found: column.values.count)
            }
            guard seen.insert(column.name).inserted else {
                throw SurveyDataError.duplicateColumnName(path: "<memory>", name: column.name, columns: [k + 1])
            }
            try Self.checkCodes(of: column)
        }
        self.init(source: "<memory>", columns: columns, rowNumbers: Array(2..<(count + 2)))
    }

    init(source: String, columns: [SurveyColumn], rowNumbers: [Int]) {
        self.source = source
        self.columns = columns
        self.rowNumbers = rowNumbers
    }

    /// Reads and types a CSV file (see ``CSVReader`` for the dialect and ``SurveyColumn/Content``
    /// for typing).
    ///
    /// The file is read once into memory and its records are parsed on ``CSVOptions/threads``
    /// cores straight into the columns (the internal `CSVFileLoader`): memory is the file's bytes plus the
    /// columns, briefly.
    ///
    /// - Parameters:
    ///   - path: the CSV file's path.
    ///   - options: delimiter, missing tokens and codes, chunk and record sizes and threads; the defaults
    ///     of
    ///     ``CSVOptions/init(delimiter:missingTokens:missingCodes:columnMissingCodes:chunkSize:maximumRecordSize:threads:)``.
    /// - Throws: ``SurveyDataError`` naming file, row and column of the first problem.
    /// Complexity: one counting pass and one parsing pass over the file.
    public static func load(csv path: String, options: CSVOptions = .init()) throws -> SurveyData {
        if let data = try CSVFileLoader(path: path, options: options).load() { return data }
        return try loadStreaming(csv: path, options: options)
    }

    /// ``load(csv:options:)`` through the streaming ``CSVReader`` (files wider than
    /// ``CSVFileLoader/maximumColumns``): the same result, chunk by chunk.
    static func loadStreaming(csv path: String, options: CSVOptions) throws -> SurveyData {
        var reader = CSVReader(path: path, options: options)
        var builders: [SurveyColumnBuilder] = []
        var rows: [Int] = []
        try reader.read { header, block in
            if builders.isEmpty {
                builders = header.names.enumerated().map {
                    SurveyColumnBuilder(name: $1, position: $0 + 1, isUnnamed: header.isUnnamed[$0])
                }
            }
            rows.append(contentsOf: block.rows)
            for (c, column) in block.columns.enumerated() { builders[c].append(column) }
        }
        try SurveyColumnBuilder.checkControlCharacters(builders, path: path, rowNumbers: rows)
        return SurveyData(source: path, columns: builders.map { $0.build() }, rowNumbers: rows)
    }

    /// The column called `name`.
    ///
    /// - Parameter name: the column's header name, exactly as read.
    /// - Throws: ``SurveyDataError/unknownColumn(name:suggestions:)`` with the nearest names.
    public func column(_ name: String) throws -> SurveyColumn {
        if let column = columns.first(where: { $0.name == name }) { return column }
        throw SurveyDataError.unknownColumn(name: name, suggestions: ColumnNameSuggestions.nearest(to: name, in: columnNames))
    }

    /// The values of a column usable as a number (numeric or binary).
    ///
    /// - Parameter name: the column's header name, exactly as read.
    /// - Throws: ``SurveyDataError/nonNumeric(path:row:column:value:)`` for text,
    ///   ``SurveyDataError/nonFinite(path:row:column:value:)`` for infinities.
    public func numericValues(_ name: String) throws -> [Double] {
        let column = try column(name)
        if let bad = column.firstNonFinite {
            throw SurveyDataError.nonFinite(path: source, row: bad.row, column: name, value: bad.value)
        }
        switch column.kind {
        case .numeric, .binary: return column.values
        case .categorical, .mixed:
            let bad = column.firstText ?? (row: 0, value: "")
            throw SurveyDataError.nonNumeric(path: source, row: bad.row, column: name, value: bad.value)
        }
    }

    /// Names of the numeric columns (binary included, unnamed index columns excluded).
    public var numericColumnNames: [String] {
        columns.filter { $0.isNumeric && !$0.isUnnamed }.map(\.name)
    }

    /// Per column, how many cells were missing.
    public var missingCounts: [String: Int] {
        Dictionary(columns.map { ($0.name, $0.missingCount) }, uniquingKeysWith: +)
    }

    /// The rows at `indices` (0-based), all columns.
    ///
    /// - Parameter indices: 0-based row positions, in the order wanted; repeats are allowed.
    /// - Throws: ``SurveyDataError/rowOutOfRange(index:rowCount:)`` naming the first index outside
    ///   `0..<rowCount` (never a trap).
    public func rows(_ indices: [Int]) throws -> SurveyData {
        if let bad = indices.first(where: { $0 < 0 || $0 >= rowCount }) {
            throw SurveyDataError.rowOutOfRange(index: bad, rowCount: rowCount)
        }
        let subset = columns.map { column -> SurveyColumn in
            let values = indices.map { column.values[$0] }
            var picked = SurveyColumn(name: column.name, position: column.position, isUnnamed: column.isUnnamed, kind: column.kind,
                                      values: values, missingCount: values.reduce(0) { $1.isNaN ? $0 + 1 : $0 },
                                      firstText: column.firstText, firstNonFinite: column.firstNonFinite)
            picked.mixedText = column.mixedText?.rows(indices)
            return picked
        }
        return SurveyData(source: source, columns: subset, rowNumbers: indices.map { rowNumbers[$0] })
    }

    /// Splits the respondents by the levels of `segment` (categorical, binary or numeric codes),
    /// in level order; rows with a missing segment are left out.
    ///
    /// - Parameter segment: the name of the column whose levels define the groups.
    public func split(by segment: String) throws -> [(level: String, data: SurveyData)] {
        let column = try column(segment)
        var groups: [Double: [Int]] = [:]
        for (i, value) in column.values.enumerated() where !value.isNaN { groups[value, default: []].append(i) }
        return try groups.keys.sorted().map { key in
            let label: String
            if let levels = column.levels, column.kind != .numeric, key >= 0, key < Double(levels.count) {
                label = levels[Int(key)]
            } else {
                label = key == key.rounded() && abs(key) < 1e15 ? String(Int(key)) : String(key)
            }
            return (label, try rows(groups[key]!))
        }
    }
}

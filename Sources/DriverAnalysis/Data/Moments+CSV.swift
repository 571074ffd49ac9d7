extension Moments {
    /// Streams a CSV file into moments of `variables` without keeping its rows: memory is
    /// bounded by the reader's chunk size, whatever the file size. Rows missing any variable
    /// or the weight are skipped (listwise), as in ``SurveyData/sample(outcome:drivers:weight:minimumRows:)``.
    ///
    /// Text in a requested column is an error (the column must be numeric in every chunk);
    /// two-valued Yes/No text is not recoded here, since that needs the whole column.
    ///
    /// - Parameters:
    ///   - path: the CSV file's path.
    ///   - variables: the numeric columns to accumulate, by header name, in the order of the moments.
    ///   - weight: the column of non-negative row weights; `nil` (the default) for unweighted.
    ///   - options: delimiter, missing tokens and codes, chunk and record sizes and threads; the defaults
    ///     of
    ///     ``CSVOptions/init(delimiter:missingTokens:missingCodes:columnMissingCodes:chunkSize:maximumRecordSize:threads:)``.
    /// - Throws: ``SurveyDataError`` for the file, an unknown column, text or a non-finite
    ///   value in a variable, or a negative weight — with the file, row and column.
    public init(csv path: String, variables: [String], weight: String? = nil, options: CSVOptions = .init()) throws {
        self.init(names: variables)
        var reader = CSVReader(path: path, options: options)
        var indices: [Int] = []
        var weightIndex: Int? = nil
        var skipped = 0
        var weightTotal = 0.0
        try reader.read { header, block in
            if indices.isEmpty {
                // One dictionary of positions: linear in the header width, however wide.
                var position: [String: Int] = [:]
                for (k, name) in header.names.enumerated() where position[name] == nil { position[name] = k }
                for name in variables + (weight.map { [$0] } ?? []) where position[name] == nil {
                    throw SurveyDataError.unknownColumn(name: name, suggestions: ColumnNameSuggestions.nearest(to: name, in: header.names))
                }
                indices = variables.map { position[$0]! }
                weightIndex = weight.map { position[$0]! }
            }
            for (k, c) in (indices + (weightIndex.map { [$0] } ?? [])).enumerated() {
                let column = block.columns[c]
                let name = k < variables.count ? variables[k] : weight!
                if let text = column.firstText {
                    throw SurveyDataError.nonNumeric(path: path, row: text.row, column: name, value: text.value)
                }
                if let bad = column.firstNonFinite {
                    throw SurveyDataError.nonFinite(path: path, row: bad.row, column: name, value: bad.value)
                }
            }
            var keep: [Int] = []
            keep.reserveCapacity(block.rowCount)
            let weights = weightIndex.map { block.columns[$0].values }
            for i in 0..<block.rowCount {
                if let weights {
                    if weights[i].isNaN { continue }
                    if weights[i] < 0 {
                        throw SurveyDataError.invalidWeight(path: path, row: block.rows[i], column: weight!, value: weights[i],
                                                            reason: "weights must not be negative")
                    }
                    weightTotal += weights[i]
                    if !(weightTotal <= MomentsSQL.countLimit) {
                        throw SurveyDataError.invalidWeight(path: path, row: block.rows[i], column: weight!, value: weights[i],
                                                            reason: "the weights sum to more than 2^53 by this row; rescale them")
                    }
                }
                if indices.contains(where: { block.columns[$0].values[i].isNaN }) { continue }
                keep.append(i)
            }
            skipped += block.rowCount - keep.count
            guard !keep.isEmpty else { return }
            let columns = indices.map { c in keep.map { block.columns[c].values[$0] } }
            self.mergeAligned(try Moments(validatedNames: variables, columns: columns, weights: weights.map { w in keep.map { w[$0] } }))
        }
        skippedRows = skipped
    }
}

import CSVScan
import Foundation

/// What one pass over a CSV file learns about each column in bounded memory: how many cells are
/// numbers, text or missing, the numbers' range and whether they are whole, their first three
/// distinct values, and the text values (at most ``levelCap`` distinct, in order of first
/// appearance) — enough to type every column as the whole-file loader does
/// (``SurveyColumnBuilder/build()``) without keeping its rows.
struct CSVColumnSurvey {
    /// Distinct text values kept per column: beyond it a column is too wide to be a factor.
    static let levelCap = AnalysisConfiguration.factorLevelHardLimit + 1

    struct Column {
        let name: String
        let position: Int
        let isUnnamed: Bool
        var numbers = 0
        var texts = 0
        var missing = 0
        var low = Double.infinity
        var high = -Double.infinity
        var whole = true
        var firstDistinct: [Double] = []
        var levels = TextLevels()
        var levelsCapped = false
        var firstText: (row: Int, value: String)? = nil
        var firstNonFinite: (row: Int, value: String)? = nil

        /// The type the whole-file loader would give the column.
        var kind: SurveyColumn.Content {
            guard texts > 0 else { return .numeric }
            if numbers > 0 { return .mixed }
            let values = levels.values
            if !levelsCapped, let (zero, one) = SurveyColumnBuilder.binaryLabels(values) { return .binary(zero: zero, one: one) }
            return .categorical(levels: values.sorted())
        }

        /// Numbers or two-valued text, every value finite (the loader's `isNumeric`).
        var isNumeric: Bool {
            switch kind {
            case .numeric, .binary: return firstNonFinite == nil
            default: return false
            }
        }

        /// `DriverVariable.inferKind(values:)` from the pass's summary of the numbers.
        var inferredKind: (kind: DriverVariable.Kind, scale: ClosedRange<Double>?) {
            if case .binary = kind { return (.binary, nil) }
            if low > high { return (.binary, nil) }
            guard whole else { return (.numeric, nil) }
            if low >= 0 && high <= 1 { return (.binary, nil) }
            guard low.isFinite, high.isFinite, firstDistinct.count >= 3 else { return (.numeric, nil) }
            if low == 0, high == 5 || high == 7 { return (.rating, 1...high) }
            if let scale = DriverVariable.commonScales.first(where: { $0.contains(low) && $0.contains(high) }) { return (.rating, scale) }
            return (.numeric, nil)
        }

        /// Whole numbers a Double holds exactly, at least 20, spanning at least `count − 1`: the
        /// necessary conditions of an identifier (the loader's test adds "all distinct").
        var couldBeIdentifier: Bool {
            whole && numbers >= 20 && texts == 0 && firstNonFinite == nil && max(abs(low), abs(high)) < 9_007_199_254_740_992
                && high - low >= Double(numbers - 1)
        }

        mutating func add(_ block: CSVColumnBlock) {
            missing += block.missingCount
            texts += block.textCount
            if firstText == nil { firstText = block.firstText }
            if firstNonFinite == nil { firstNonFinite = block.firstNonFinite }
            var blockLow = Double.infinity, blockHigh = -Double.infinity
            var wholeFlag: Int32 = 1
            block.values.withUnsafeBufferPointer { csv_value_summary($0.baseAddress, $0.count, &blockLow, &blockHigh, &wholeFlag) }
            low = min(low, blockLow)
            high = max(high, blockHigh)
            if wholeFlag == 0 { whole = false }
            numbers += block.values.reduce(0) { $1.isNaN ? $0 : $0 + 1 }
            if firstDistinct.count < 3 {
                for x in block.values where !x.isNaN && !firstDistinct.contains(x) {
                    firstDistinct.append(x)
                    if firstDistinct.count == 3 { break }
                }
            }
            for text in block.levels.values where !levelsCapped {
                _ = levels.code(for: text)
                if levels.values.count >= Self.levelLimit { levelsCapped = true }
            }
        }

        static var levelLimit: Int { CSVColumnSurvey.levelCap }
    }

    let columns: [Column]

    /// One pass over `path`. Complexity: O(file); memory O(columns × levelCap).
    init(csv path: String, options: CSVOptions) throws {
        var reader = CSVReader(path: path, options: options)
        var columns: [Column] = []
        try reader.read { header, block in
            if columns.isEmpty {
                columns = header.names.indices.map { Column(name: header.names[$0], position: $0 + 1, isUnnamed: header.isUnnamed[$0]) }
            }
            for k in columns.indices where k < block.columns.count { columns[k].add(block.columns[k]) }
        }
        self.columns = columns
    }

    /// The column named `name` (the first of that name).
    func column(_ name: String) -> Column? { columns.first { $0.name == name } }
}

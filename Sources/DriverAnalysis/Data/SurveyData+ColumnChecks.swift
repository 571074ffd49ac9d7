import Foundation

extension SurveyData {
    /// Checks that a typed column's codes mean what its kind says: a categorical column holds
    /// distinct levels and, in every row, a missing value (`NaN`) or the 0-based code of one of
    /// them; a binary column holds 0, 1 or `NaN`. The CSV reader and the library build such
    /// columns; this guards the ones a caller builds by hand.
    ///
    /// - Throws: ``SurveyDataError/unusableFactor(column:reason:)`` naming the row and the code.
    /// Complexity: O(rows + levels).
    static func checkCodes(of column: SurveyColumn) throws {
        switch column.kind {
        case let .categorical(levels):
            var seen = Set<String>()
            if let repeated = levels.first(where: { !seen.insert($0).inserted }) {
                throw SurveyDataError.unusableFactor(column: column.name, reason: "the level '\(repeated)' is listed twice")
            }
            if let k = column.values.firstIndex(where: { !$0.isNaN && !($0 >= 0 && $0 < Double(levels.count) && $0.rounded() == $0) }) {
                throw SurveyDataError.unusableFactor(column: column.name, reason: "row \(k + 2) holds the code \(column.values[k]), "
                    + "which is not one of the codes 0–\(levels.count - 1) of its \(levels.count) levels")
            }
        case .binary:
            if let k = column.values.firstIndex(where: { !$0.isNaN && $0 != 0 && $0 != 1 }) {
                throw SurveyDataError.unusableFactor(column: column.name, reason: "row \(k + 2) holds \(column.values[k]) in a two-valued column coded 0/1")
            }
        case .numeric, .mixed:
            break
        }
    }
}

extension SurveyColumn {
    /// A text column built in memory — a factor such as `Contract` for
    /// ``RegressionModel/predict(_:)-(SurveyData)`` or an analysis — typed as the CSV reader types
    /// text: two-valued text (Yes/No, True/False, Y/N, any case) becomes a binary column coded 0/1,
    /// other text a categorical one whose levels are the distinct values, sorted, each row holding
    /// its level's code; `nil` and blank cells are missing.
    ///
    /// - Parameters:
    ///   - name: the column's name.
    ///   - values: one cell per row.
    /// - Returns: a binary or categorical column (position 0: its place is where ``SurveyData/init(columns:)-([SurveyColumn])``
    ///   puts it).
    /// Complexity: O(rows · log levels).
    public static func text(_ name: String, _ values: [String?]) -> SurveyColumn {
        let cells = values.map { $0.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 } }
        let levels = Array(Set(cells.compactMap { $0 })).sorted()
        let missing = cells.filter { $0 == nil }.count
        if let (zero, one) = SurveyColumnBuilder.binaryLabels(levels) {
            let values = cells.map { cell in cell.map { $0.lowercased() == one.lowercased() ? 1.0 : 0.0 } ?? .nan }
            return SurveyColumn(name: name, position: 0, kind: .binary(zero: zero, one: one), values: values, missingCount: missing)
        }
        let code = Dictionary(levels.enumerated().map { ($1, Double($0)) }, uniquingKeysWith: { first, _ in first })
        let codes = cells.map { cell in cell.flatMap { code[$0] } ?? .nan }
        return SurveyColumn(name: name, position: 0, kind: .categorical(levels: levels), values: codes, missingCount: missing)
    }
}

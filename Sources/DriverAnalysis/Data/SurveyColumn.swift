/// One column of survey data: numbers with `NaN` for missing cells, and how it was typed.
///
/// A non-finite number in the file (`inf`) is never data: the column records where it is and
/// ``SurveyData/numericValues(_:)`` throws if the column is used.
public struct SurveyColumn: Sendable {
    /// How the text of the column was interpreted.
    public enum Content: Sendable, Equatable, CustomStringConvertible {
        /// Numbers.
        case numeric
        /// Two-valued text (Yes/No, True/False, Y/N, any case) coded 0/1: `zero` ↦ 0, `one` ↦ 1.
        case binary(zero: String, one: String)
        /// Other text; values are 0-based codes into `levels` (sorted).
        case categorical(levels: [String])
        /// Numbers and text mixed: unusable as a number; ``SurveyColumn/firstText`` says where.
        case mixed

        /// `numeric`, `binary (No = 0, Yes = 1)`, `categorical (k levels)` or `mixed`.
        public var description: String {
            switch self {
            case .numeric: return "numeric"
            case let .binary(zero, one): return "binary (\(zero) = 0, \(one) = 1)"
            case let .categorical(levels): return "categorical (\(levels.count) levels)"
            case .mixed: return "mixed numbers and text"
            }
        }
    }

    /// The header name, trimmed (generated as `column_<position>` when the header cell was empty).
    public let name: String
    /// 1-based position in the file.
    public let position: Int
    /// The header cell was empty; the name is generated (`column_<position>`).
    public let isUnnamed: Bool
    /// How the column's text was typed.
    public let kind: Content
    /// One value per row; `NaN` marks a missing cell (and text cells of a `mixed` column).
    public let values: [Double]
    /// Cells that were empty, a missing token or a missing code.
    public let missingCount: Int
    /// The first text cell (row, text), for error messages.
    public let firstText: (row: Int, value: String)?
    /// The first non-finite number (row, text).
    public let firstNonFinite: (row: Int, value: String)?
    /// For a `mixed` column read from a file, the text of its text cells (which `values` holds as
    /// `NaN`), so a customer profile can match keys on them and write them back unchanged.
    var mixedText: MixedText? = nil

    /// The text cells of a mixed column: `codes[i]` indexes `levels`, −1 where row `i` is a
    /// number or missing.
    struct MixedText: Sendable {
        let codes: [Int32]
        let levels: [String]

        /// The text of row `i`, if it is a text cell.
        func text(at i: Int) -> String? {
            guard i >= 0, i < codes.count, codes[i] >= 0, Int(codes[i]) < levels.count else { return nil }
            return levels[Int(codes[i])]
        }

        /// The text cells of rows `indices` (−1 for an index out of range).
        func rows(_ indices: [Int]) -> MixedText {
            MixedText(codes: indices.map { $0 >= 0 && $0 < codes.count ? codes[$0] : -1 }, levels: levels)
        }
    }

    /// A column from values already typed (as the CSV reader or `SurveyData(columns:)` builds them).
    ///
    /// - Parameters:
    ///   - name: the header name, trimmed.
    ///   - position: the 1-based position in the file (or in the list of columns).
    ///   - isUnnamed: `true` when the header cell was empty and `name` is generated; `false` by default.
    ///   - kind: how the column's text was typed.
    ///   - values: one value per row, `NaN` for missing; for categorical and binary columns the 0-based
    ///     codes of the levels.
    ///   - missingCount: the number of cells that were empty, a missing token or a missing code.
    ///   - firstText: the first text cell (row, text) of a mixed column, for error messages; `nil` by
    ///     default.
    ///   - firstNonFinite: the first non-finite number (row, text); `nil` (the default) when every number
    ///     is finite.
    public init(
        name: String, position: Int, isUnnamed: Bool = false, kind: Content, values: [Double], missingCount: Int,
        firstText: (row: Int, value: String)? = nil, firstNonFinite: (row: Int, value: String)? = nil
    ) {
        self.name = name
        self.position = position
        self.isUnnamed = isUnnamed
        self.kind = kind
        self.values = values
        self.missingCount = missingCount
        self.firstText = firstText
        self.firstNonFinite = firstNonFinite
    }

    /// Whether the column can serve as a number (numeric or binary, with no infinities).
    public var isNumeric: Bool {
        switch kind {
        case .numeric, .binary: return firstNonFinite == nil
        case .categorical, .mixed: return false
        }
    }

    /// Levels for a categorical column, the two labels of a binary one, else `nil`.
    public var levels: [String]? {
        switch kind {
        case let .categorical(levels): return levels
        case let .binary(zero, one): return [zero, one]
        default: return nil
        }
    }
}

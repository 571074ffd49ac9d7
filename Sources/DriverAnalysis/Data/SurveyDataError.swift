/// A problem with survey data, named precisely enough to fix: file, 1-based row (the line where
/// the record starts; the header is row 1), column, and what was expected.
public enum SurveyDataError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No file exists at `path`.
    case fileNotFound(path: String)
    /// The file exists but cannot be read (permissions, not UTF-8, an I/O error); `reason` says why.
    case unreadable(path: String, reason: String)
    /// The file has no bytes: not even a header row.
    case emptyFile(path: String)
    /// The file has a header row but no data rows.
    case headerOnly(path: String)
    /// A record with `found` fields where the header has `expected`.
    case raggedRow(path: String, row: Int, expected: Int, found: Int)
    /// A quoted field opened at `row` is never closed.
    case unterminatedQuote(path: String, row: Int, column: Int)
    /// A quote character inside an unquoted field or text after a closing quote.
    case malformedQuote(path: String, row: Int, column: Int)
    /// A single record longer than the reader's limit.
    case recordTooLong(path: String, row: Int, limit: Int)
    /// Two or more header fields share `name`; `columns` are their 1-based positions.
    case duplicateColumnName(path: String, name: String, columns: [Int])
    /// A column whose header is empty after trimming was requested by name or needed.
    case unnamedColumn(path: String, column: Int)
    /// No column is called `name`; `suggestions` are the nearest existing names (may be empty).
    case unknownColumn(name: String, suggestions: [String])
    /// Text where a number was required.
    case nonNumeric(path: String, row: Int, column: String, value: String)
    /// `inf`, `-infinity` or a number too large for a `Double`.
    case nonFinite(path: String, row: Int, column: String, value: String)
    /// A column whose values are all beyond 10¹⁵⁰ or below 10⁻¹⁵⁰ in magnitude: their squares
    /// overflow or underflow a `Double`, so variances would read as infinite or zero.
    case extremeScale(column: String, magnitude: Double)
    /// A row index outside `0..<rowCount` (0-based) asked of ``SurveyData/rows(_:)``.
    case rowOutOfRange(index: Int, rowCount: Int)
    /// A field holding a control character — a NUL byte or another C0 control other than tab,
    /// carriage return and line feed, or DEL — which no survey export writes on purpose: it
    /// would silently turn a number column into text.
    case controlCharacter(path: String, row: Int, column: String, value: String)
    /// A weight that is negative, NaN or infinite at a 1-based `row` of the weight `column`.
    case invalidWeight(path: String, row: Int, column: String, value: Double, reason: String)
    /// Every weight in the weight `column` is zero: no respondent counts.
    case allWeightsZero(column: String)
    /// A column takes the single `value` in the sample, so it carries no information.
    case constantColumn(column: String, value: Double)
    /// A column has no non-missing value.
    case allMissing(column: String)
    /// Fewer complete rows than the operation `reason` needs (`needed`), after missing values were dropped.
    case tooFewCompleteRows(needed: Int, available: Int, reason: String)
    /// A column built in memory has `found` values where the other columns have `expected`.
    case columnLengthMismatch(column: String, expected: Int, found: Int)
    /// Sufficient statistics (``Moments``) that are inconsistent or cannot come from data; `reason` says which.
    case invalidMoments(reason: String)
    /// A value named for a column (an event, a reference level) that the column does not hold.
    case unknownLevel(column: String, level: String, levels: [String])
    /// A column that cannot serve as a categorical driver (too many levels, a single level).
    case unusableFactor(column: String, reason: String)
    /// An outcome column that cannot be modelled (a text outcome with other than two values).
    case unusableOutcome(column: String, reason: String)
    /// Values outside a declared rating scale.
    case outsideScale(path: String, row: Int, column: String, value: Double, scale: String)
    /// Two data sets (or two ``Moments``) to be combined hold different variables.
    case columnSetMismatch(missing: [String], extra: [String])

    /// A one-sentence message naming the file, 1-based row and column where known, and the fix.
    public var description: String {
        switch self {
        case let .fileNotFound(path): return "\(path): no such file"
        case let .unreadable(path, reason): return "\(path): cannot be read (\(reason))"
        case let .emptyFile(path): return "\(path): the file is empty; expected a header row and data rows"
        case let .headerOnly(path): return "\(path): the file has a header but no data rows"
        case let .raggedRow(path, row, expected, found):
            return "\(path), row \(row): expected \(expected) fields as in the header, found \(found)"
        case let .unterminatedQuote(path, row, column):
            return "\(path), row \(row), column \(column): a quoted field is never closed (missing \")"
        case let .malformedQuote(path, row, column):
            return "\(path), row \(row), column \(column): stray quote; quote the whole field and double inner quotes (\"\")"
        case let .recordTooLong(path, row, limit):
            return "\(path), row \(row): a record longer than \(limit) bytes (is a quote unbalanced?)"
        case let .duplicateColumnName(path, name, columns):
            return "\(path): column name '\(name)' appears more than once (columns \(columns.map(String.init).joined(separator: ", ")))"
        case let .unnamedColumn(path, column):
            return "\(path): column \(column) has an empty header; give it a name to use it"
        case let .unknownColumn(name, suggestions):
            return suggestions.isEmpty ? "There is no column '\(name)'"
                : "There is no column '\(name)'; the nearest names are: \(suggestions.joined(separator: ", "))"
        case let .nonNumeric(path, row, column, value):
            return "\(path), row \(row), column '\(column)': expected a number, found '\(value)'"
        case let .nonFinite(path, row, column, value):
            return "\(path), row \(row), column '\(column)': expected a finite number, found '\(value)'"
        case let .rowOutOfRange(index, rowCount):
            return "row index \(index) is outside the survey's \(rowCount) rows (0-based indices 0…\(max(0, rowCount - 1)))"
        case let .extremeScale(column, magnitude):
            return "column '\(column)': its largest magnitude is \(NumberFormat.significant(magnitude, digits: 3)), \(magnitude > 1 ? "above" : "below") the range the analysis squares safely (1e-150 to 1e150): rescale the column (divide or multiply by a power of ten) and read its coefficient in the new unit"
        case let .controlCharacter(path, row, column, value):
            let visible = value.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? String(format: "\\x%02X", $0.value) : String($0) }.joined()
            return "\(path), row \(row), column '\(column)': the field '\(visible)' holds a control character (a NUL byte or another non-printing byte); the file is corrupt or not a text CSV — fix the export"
        case let .invalidWeight(path, row, column, value, reason):
            return "\(path), row \(row), weight column '\(column)': \(value) is not a valid weight (\(reason))"
        case let .allWeightsZero(column): return "weight column '\(column)': every weight is zero"
        case let .constantColumn(column, value):
            return "column '\(column)' is constant (every value is \(value)); it carries no information about the outcome"
        case let .allMissing(column): return "column '\(column)' has no non-missing values"
        case let .tooFewCompleteRows(needed, available, reason):
            return "\(reason): needs at least \(needed) complete rows, found \(available)"
        case let .unknownLevel(column, level, levels):
            return "column '\(column)' has no value '\(level)'; its values are: \(levels.prefix(12).map { "'\($0)'" }.joined(separator: ", "))\(levels.count > 12 ? ", …" : "")"
        case let .unusableFactor(column, reason):
            return "column '\(column)' cannot be a categorical driver: \(reason)"
        case let .unusableOutcome(column, reason):
            return "outcome '\(column)': \(reason)"
        case let .outsideScale(path, row, column, value, scale):
            return "\(path), row \(row), column '\(column)': \(NumberFormat.significant(value, digits: 10)) lies outside the declared scale \(scale)"
        case let .columnSetMismatch(missing, extra):
            return "the two data sets hold different columns" + (missing.isEmpty ? "" : "; only the first has: \(missing.prefix(10).joined(separator: ", "))")
                + (extra.isEmpty ? "" : "; only the second has: \(extra.prefix(10).joined(separator: ", "))")
        case let .columnLengthMismatch(column, expected, found):
            return "column '\(column)' has \(found) values, expected \(expected)"
        case let .invalidMoments(reason): return "invalid moments input: \(reason)"
        }
    }
}

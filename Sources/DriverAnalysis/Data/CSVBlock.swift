/// Distinct text values in order of first appearance, each with its 0-based code.
struct TextLevels: Sendable {
    private(set) var values: [String] = []
    private var codes: [String: Int32] = [:]

    /// The code of `text`, `nil` when it is not among the values.
    func existingCode(for text: String) -> Int32? { codes[text] }

    /// The code of `text`, adding it when new.
    mutating func code(for text: String) -> Int32 {
        if let existing = codes[text] { return existing }
        let code = Int32(values.count)
        values.append(text)
        codes[text] = code
        return code
    }
}

/// Parsed cells of one column for a run of consecutive records.
///
/// `values[i]` is the number in the cell, or `NaN` when the cell is missing or holds text.
/// Text cells are dictionary-encoded in `textCodes` (−1 where the cell is not text), indexing
/// `levels`; the array is only allocated once text appears.
struct CSVColumnBlock: Sendable {
    var values: [Double] = []
    var textCodes: [Int32]? = nil
    var levels = TextLevels()
    var missingCount = 0
    var textCount = 0
    /// First text cell: (row, text).
    var firstText: (row: Int, value: String)? = nil
    /// First infinite number: (row, text).
    var firstNonFinite: (row: Int, value: String)? = nil

    /// Records the text of the cell just appended to `values` (as NaN).
    mutating func appendText(_ text: String, row: Int, index: Int) {
        if textCodes == nil { textCodes = [] }
        padTextCodes()
        textCodes![values.count - 1] = levels.code(for: text)
        textCount += 1
        if firstText == nil { firstText = (row, text) }
    }

    /// Extends `textCodes` with −1 up to `values.count`.
    mutating func padTextCodes() {
        guard textCodes != nil else { return }
        let missing = values.count - textCodes!.count
        if missing > 0 { textCodes!.append(contentsOf: repeatElement(-1, count: missing)) }
    }
}

/// The records of one parse job, column by column.
struct CSVBlock: Sendable {
    var rowCount: Int
    /// Row number (1-based line where the record starts) of each record.
    var rows: [Int]
    var columns: [CSVColumnBlock]
}

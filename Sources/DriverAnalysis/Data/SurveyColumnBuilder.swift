/// Accumulates a column over the blocks of a CSV file, then types it.
struct SurveyColumnBuilder {
    let name: String
    let position: Int
    let isUnnamed: Bool
    var values: [Double] = []
    /// Global text code per row (−1: not text), allocated on the first text cell.
    var textCodes: [Int32]? = nil
    var dictionary = TextLevels()
    var missingCount = 0
    var textCount = 0
    var firstText: (row: Int, value: String)? = nil
    var firstNonFinite: (row: Int, value: String)? = nil

    mutating func append(_ block: CSVColumnBlock) {
        let offset = values.count
        values.append(contentsOf: block.values)
        missingCount += block.missingCount
        textCount += block.textCount
        if firstText == nil { firstText = block.firstText }
        if firstNonFinite == nil { firstNonFinite = block.firstNonFinite }
        guard let codes = block.textCodes else {
            textCodes?.append(contentsOf: repeatElement(-1, count: block.values.count))
            return
        }
        if textCodes == nil { textCodes = [Int32](repeating: -1, count: offset) }
        let remap = block.levels.values.map { dictionary.code(for: $0) }
        textCodes!.append(contentsOf: codes.map { $0 < 0 ? -1 : remap[Int($0)] })
    }

    /// Merges what one range of a whole-file load learned; its values are already in `values`,
    /// and `rowsBefore` rows precede it.
    mutating func append(_ tally: CSVColumnTally, rowCount: Int, rowsBefore: Int) {
        missingCount += tally.missingCount
        textCount += tally.textCount
        if firstText == nil { firstText = tally.firstText }
        if firstNonFinite == nil { firstNonFinite = tally.firstNonFinite }
        guard let codes = tally.textCodes else {
            textCodes?.append(contentsOf: repeatElement(-1, count: rowCount))
            return
        }
        if textCodes == nil {
            textCodes = [Int32](repeating: -1, count: rowsBefore)
            textCodes!.reserveCapacity(values.count)
        }
        let remap = tally.levels.values.map { dictionary.code(for: $0) }
        textCodes!.append(contentsOf: codes.prefix(rowCount).lazy.map { $0 < 0 ? -1 : remap[Int($0)] })
    }

    /// The first text cell holding a control character (a C0 byte other than tab, CR and LF, or
    /// DEL): its index among the values and its text. O(levels + rows) only when one exists.
    func controlCharacterCell() -> (index: Int, value: String)? {
        let levels = dictionary.values
        guard let bad = levels.firstIndex(where: Self.hasControlCharacter), let codes = textCodes,
              let index = codes.firstIndex(of: Int32(bad)) else { return nil }
        return (index, levels[bad])
    }

    static func hasControlCharacter(_ text: String) -> Bool {
        text.utf8.contains { ($0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D) || $0 == 0x7F }
    }

    /// Throws ``SurveyDataError/controlCharacter(path:row:column:value:)`` for the first such cell
    /// of any column, with its file row (`rowNumbers`).
    static func checkControlCharacters(_ builders: [SurveyColumnBuilder], path: String, rowNumbers: [Int]) throws {
        for builder in builders {
            guard let cell = builder.controlCharacterCell() else { continue }
            let row = cell.index < rowNumbers.count ? rowNumbers[cell.index] : cell.index + 2
            throw SurveyDataError.controlCharacter(path: path, row: row, column: builder.name, value: cell.value)
        }
    }

    static let binaryPairs: [(zero: String, one: String)] = [("no", "yes"), ("false", "true"), ("n", "y")]

    /// The labels coded 0 and 1 when the distinct texts `levels` are a two-valued pair (Yes/No,
    /// True/False, Y/N, any case), spelled as the data spell them; `nil` for other text. The one
    /// rule by which the reader, the loader and in-memory columns type two-valued text.
    static func binaryLabels(_ levels: [String]) -> (zero: String, one: String)? {
        let lowered = Set(levels.map { $0.lowercased() })
        guard lowered.count <= 2, let pair = binaryPairs.first(where: { lowered.isSubset(of: [$0.zero, $0.one]) }) else { return nil }
        return (levels.first { $0.lowercased() == pair.zero } ?? pair.zero.capitalized,
                levels.first { $0.lowercased() == pair.one } ?? pair.one.capitalized)
    }

    /// Types the column: numeric, binary text, categorical text, or mixed.
    func build() -> SurveyColumn {
        let levels = dictionary.values
        guard textCount > 0, let codes = textCodes else {
            return SurveyColumn(name: name, position: position, isUnnamed: isUnnamed, kind: .numeric, values: values,
                                missingCount: missingCount, firstNonFinite: firstNonFinite)
        }
        let numericCount = values.reduce(0) { $1.isNaN ? $0 : $0 + 1 }
        if numericCount > 0 {
            var column = SurveyColumn(name: name, position: position, isUnnamed: isUnnamed, kind: .mixed, values: values,
                                      missingCount: missingCount, firstText: firstText, firstNonFinite: firstNonFinite)
            column.mixedText = .init(codes: codes, levels: levels)
            return column
        }
        if let (zero, one) = Self.binaryLabels(levels) {
            let oneCodes = Set(levels.indices.filter { levels[$0].lowercased() == one.lowercased() }.map { Int32($0) })
            let coded = zip(values, codes).map { value, code -> Double in
                code < 0 ? value : (oneCodes.contains(code) ? 1 : 0)
            }
            return SurveyColumn(name: name, position: position, isUnnamed: isUnnamed, kind: .binary(zero: zero, one: one),
                                values: coded, missingCount: missingCount, firstText: firstText)
        }
        let sorted = levels.sorted()
        let rank = Dictionary(uniqueKeysWithValues: sorted.enumerated().map { ($1, Double($0)) })
        let table = levels.map { rank[$0]! }
        let coded = zip(values, codes).map { value, code in code < 0 ? value : table[Int(code)] }
        return SurveyColumn(name: name, position: position, isUnnamed: isUnnamed, kind: .categorical(levels: sorted),
                            values: coded, missingCount: missingCount, firstText: firstText)
    }
}

extension SurveyColumn {
    /// The cell of row `i` as text, as a file would hold it: a number in its shortest
    /// round-trip form (whole numbers below 10¹⁵ without a decimal point), the label of a
    /// Yes/No or categorical code, the text of a mixed column's text cell; `nil` when missing.
    func cellText(_ i: Int) -> String? {
        guard i >= 0, i < values.count else { return nil }
        let value = values[i]
        switch kind {
        case .numeric:
            return value.isNaN ? nil : Self.numberText(value)
        case let .binary(zero, one):
            return value.isNaN ? nil : (value == 1 ? one : zero)
        case let .categorical(levels):
            guard let code = Int(exactly: value), code >= 0, code < levels.count else { return nil }
            return levels[code]
        case .mixed:
            if let text = mixedText?.text(at: i) { return text }
            return value.isNaN ? nil : Self.numberText(value)
        }
    }

    /// Whether row `i` holds a value (a number, a code or a text cell).
    func hasValue(_ i: Int) -> Bool {
        guard i >= 0, i < values.count else { return false }
        return !values[i].isNaN || mixedText?.text(at: i) != nil
    }

    /// `v` as text that reads back as the same `Double`: `12`, `29.85`, `1e-07`.
    static func numberText(_ v: Double) -> String {
        if abs(v) < 1e15, let whole = Int64(exactly: v) { return String(whole) }
        return "\(v)"
    }

    /// The column with another name (and position), everything else kept.
    func renamed(_ newName: String, position newPosition: Int) -> SurveyColumn {
        var column = SurveyColumn(name: newName, position: newPosition, isUnnamed: isUnnamed, kind: kind, values: values,
                                  missingCount: missingCount, firstText: firstText, firstNonFinite: firstNonFinite)
        column.mixedText = mixedText
        return column
    }
}

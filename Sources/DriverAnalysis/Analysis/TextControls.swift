/// Text columns as controls (`--control Contract`, `--role 'Region=control'`): each enters as its
/// levels' dummies against its most frequent level — an always-in covariate like any other, for
/// linear, logistic and ordinal models alike. The dummies are added to the data as numeric
/// columns named `Column[Level]`, and the configuration's controls name them instead.
enum TextControls {
    /// `data` with the dummies of every text control appended, the configuration with those
    /// dummies as its controls, and a note naming each coded control and its reference.
    ///
    /// - Throws: ``SurveyDataError/unusableFactor(column:reason:)`` for a text control with a
    ///   single level or more than ``AnalysisConfiguration/factorLevelHardLimit`` levels, or whose
    ///   dummy name is already a column.
    /// Complexity: O(rows × levels) per text control.
    static func coded(_ data: SurveyData, _ c: AnalysisConfiguration) throws -> (data: SurveyData, configuration: AnalysisConfiguration, notes: [DriverReport.Warning]) {
        var columns = data.columns, controls: [String] = [], described: [String] = []
        for name in c.controls {
            guard let column = data.columns.first(where: { $0.name == name }), case let .categorical(levels) = column.kind else {
                controls.append(name)
                continue
            }
            guard levels.count >= 2, levels.count <= AnalysisConfiguration.factorLevelHardLimit else {
                throw SurveyDataError.unusableFactor(column: name, reason: "as a control it needs 2 to \(AnalysisConfiguration.factorLevelHardLimit) levels, not \(levels.count)")
            }
            var counts = [Int](repeating: 0, count: levels.count)
            for v in column.values where !v.isNaN && v >= 0 && v < Double(levels.count) { counts[Int(v)] += 1 }
            let reference = counts.indices.max { counts[$0] < counts[$1] || (counts[$0] == counts[$1] && $0 > $1) } ?? 0
            for k in levels.indices where k != reference && counts[k] > 0 {
                let dummy = "\(name)[\(levels[k])]"
                guard !columns.contains(where: { $0.name == dummy }) else {
                    throw SurveyDataError.unusableFactor(column: name, reason: "its dummy '\(dummy)' would repeat a column of the data")
                }
                let code = Double(k)
                let values = column.values.map { $0.isNaN ? Double.nan : ($0 == code ? 1 : 0) }
                columns.append(SurveyColumn(name: dummy, position: columns.count + 1, kind: .numeric, values: values, missingCount: column.missingCount))
                controls.append(dummy)
            }
            described.append("'\(name)' (against '\(levels[reference])')")
        }
        guard !described.isEmpty else { return (data, c, []) }
        var configuration = c
        configuration.controls = controls
        let coded = SurveyData(source: data.source, columns: columns, rowNumbers: data.rowNumbers)
        return (coded, configuration, [.init(.textControls, "text controls enter as their levels' dummies against the most frequent level: \(described.joined(separator: ", ")); their coefficients are under controls")])
    }
}

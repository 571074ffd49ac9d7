import Foundation

extension ValueStage {
    /// A rating's or number's lever: a rating moves by Δ points within its scale (down only when
    /// less is better); another number by one standard deviation (a count by a whole number) in
    /// the direction that helps — declared, else the one the fitted effect favours. `nil` for an
    /// aliased coefficient or a zero step.
    static func numericLever(_ variable: DriverVariable, column: [Double], term: Int, coefficient: Coefficient?, delta: Double,
                             higherIsBetter: Bool, lowerIsBetter: Bool) -> WhatIfLever? {
        let observed = (low: column.min() ?? 0, high: column.max() ?? 0)
        if coefficient?.isAliased == true { return nil }      // no effect of its own to move
        let down: Bool
        let step: Double
        if variable.kind == .rating {
            // Ratings move by Δ points within their scale; down only when less is better.
            down = lowerIsBetter != (delta < 0)
            step = abs(delta)
        } else {
            // Other numbers move by one standard deviation (a count by a whole number), in
            // the direction that helps: declared, else the one the fitted effect favours.
            let sd = Self.standardDeviation(column)
            step = variable.kind == .count ? max(1, sd.rounded()) : Self.twoSignificant(sd)
            down = lowerIsBetter || (delta < 0) != Self.raisingHurts(coefficient, higherIsBetter: higherIsBetter)
        }
        guard step > 0, step.isFinite else { return nil }
        let bounds = variable.kind == .rating ? (variable.scale.map { ($0.lowerBound, $0.upperBound) } ?? observed) : observed
        let move: WhatIfLever.Move = down ? .lower(term: term, by: step, floor: bounds.0)
                                          : .raise(term: term, by: step, top: bounds.1)
        return WhatIfLever(driver: variable.name, move: move)
    }

    /// A Yes/No driver's lever, labelled with its own values ("No → Yes" rather than "0 → 1"):
    /// a declared move to its "one" or "zero" value, else the switch that helps — declared, else
    /// the one the fitted effect favours. `nil` for an aliased coefficient.
    static func binaryLever(_ variable: DriverVariable, term: Int, coefficient: Coefficient?, moves: [AnalysisConfiguration.LevelMove],
                            data: SurveyData?, higherIsBetter: Bool, lowerIsBetter: Bool) throws -> WhatIfLever? {
        // A Yes/No column says its own labels: "No → Yes" rather than "0 → 1".
        var labels: (from: String, to: String) = ("0", "1")
        if let column = try? data?.column(variable.name), case let .binary(zero, one) = column.kind { labels = (zero, one) }
        if let declared = moves.last(where: { $0.column == variable.name }) {
            // A declared move on a binary driver: to its "one" or its "zero" value.
            let names = [labels.from, labels.to]
            let matches = { (text: String) -> Int? in names.firstIndex { $0.caseInsensitiveCompare(text) == .orderedSame } ?? (text == "0" ? 0 : text == "1" ? 1 : nil) }
            guard let from = matches(declared.from), let to = matches(declared.to), from != to else {
                throw SurveyDataError.unknownLevel(column: variable.name, level: matches(declared.from) == nil ? declared.from : declared.to, levels: names)
            }
            return WhatIfLever(driver: variable.name, move: to == 1 ? .switchOn(term: term) : .switchOff(term: term),
                               levels: (names[from], names[to]))
        }
        if coefficient?.isAliased == true { return nil }
        // The switch that helps: declared, else the one the fitted effect favours.
        let off = lowerIsBetter || Self.raisingHurts(coefficient, higherIsBetter: higherIsBetter)
        return WhatIfLever(driver: variable.name, move: off ? .switchOff(term: term) : .switchOn(term: term),
                           levels: off ? (labels.to, labels.from) : labels)
    }

    /// A factor's lever: a declared move between two of its levels, else its most common
    /// non-best level one step up, to the level just better by coefficient. `nil` with fewer
    /// than two levels or no better level to move to.
    static func factorLever(_ variable: DriverVariable, levels: [FactorLevel], terms range: Range<Int>,
                            coefficients: [Coefficient], offset: Int, moves: [AnalysisConfiguration.LevelMove],
                            higherIsBetter: Bool) throws -> WhatIfLever? {
        guard levels.count >= 2 else { return nil }     // reference first, then the dummies' levels
        if let move = moves.last(where: { $0.column == variable.name }) {
            let names = levels.map(\.level)
            guard let from = names.firstIndex(of: move.from) else {
                throw SurveyDataError.unknownLevel(column: variable.name, level: move.from, levels: names)
            }
            guard let to = names.firstIndex(of: move.to) else {
                throw SurveyDataError.unknownLevel(column: variable.name, level: move.to, levels: names)
            }
            return WhatIfLever(driver: variable.name, move: .level(terms: Array(range), from: from == 0 ? nil : from - 1,
                                                                   to: to == 0 ? nil : to - 1),
                               levels: (levels[from].level, levels[to].level))
        }
        // Effect of each level against the reference (0 for the reference; aliased levels are skipped).
        let effects: [Double?] = levels.indices.map { k in
            guard k > 0 else { return 0 }
            let c = coefficients[range.lowerBound + k - 1 + offset]
            return c.isAliased ? nil : c.estimate
        }
        // Goodness of each level: its effect in the outcome's good direction.
        let usable = levels.indices.filter { effects[$0] != nil }
        let goodness = { (k: Int) -> Double in higherIsBetter ? effects[k]! : -effects[k]! }
        // From the most common level that is not the best, one step up: to the level
        // just better than it (the smallest improvement), not straight to the extreme.
        guard let best = usable.max(by: { goodness($0) < goodness($1) }),
              let from = usable.filter({ $0 != best }).max(by: { levels[$0].count < levels[$1].count }),
              let to = usable.filter({ goodness($0) > goodness(from) }).min(by: { goodness($0) < goodness($1) }) else { return nil }
        let terms = Array(range)
        return WhatIfLever(driver: variable.name, move: .level(terms: terms, from: from == 0 ? nil : from - 1, to: to == 0 ? nil : to - 1),
                           levels: (levels[from].level, levels[to].level))
    }
}
